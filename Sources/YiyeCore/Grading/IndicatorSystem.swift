/// An industry's grading (一业一评指标体系), kept in versions like the joint list and maintained by the industry's
/// originating department: the indicators with their weights and scoring rules, and the grade bands. Publishing a
/// version grades every object of the industry again (docs/GRADING.md).
public struct IndicatorSystem: Sendable, Codable, Equatable, VersionedDocument {
    public static let kind = "indicator_system"
    public static let maximumIndicators = 20
    public static let maximumBands = 8

    public var indicators: [Indicator]
    public var bands: [GradeBand]

    public init(indicators: [Indicator] = [], bands: [GradeBand] = []) {
        self.indicators = indicators
        self.bands = bands
    }

    public var entryCount: Int { indicators.count }

    /// Every indicator and band valid; codes unique; one indicator per kind except tags and licences (one per tag or licence); bands from 0 up.
    public func validate() throws(DomainError) {
        guard indicators.count <= Self.maximumIndicators else {
            throw DomainError(.invalidValue, "一个指标体系最多 \(Self.maximumIndicators) 个指标", field: "indicators")
        }
        var codes: Set<String> = []
        var kinds: Set<String> = []
        for (index, indicator) in indicators.enumerated() {
            let field = "indicators[\(index)]"
            try indicator.validate(field: field)
            guard codes.insert(indicator.code).inserted else {
                throw DomainError(.invalidValue, "指标编码 \(indicator.code) 重复", field: "\(field).code")
            }
            // One indicator per kind, except tags and licences: one per tag, one per licence.
            let kind = "\(indicator.kind.rawValue):\(indicator.tag ?? indicator.licence ?? "")"
            guard kinds.insert(kind).inserted else {
                throw DomainError(.invalidValue, "「\(indicator.kind.label)」指标重复", field: "\(field).kind")
            }
        }
        guard bands.count <= Self.maximumBands else {
            throw DomainError(.invalidValue, "最多 \(Self.maximumBands) 个等级", field: "bands")
        }
        var bandCodes: Set<String> = []
        for (index, band) in bands.enumerated() {
            let field = "bands[\(index)]"
            try GradeBand.validate(code: band.code, field: "\(field).code")
            try Validation.name(band.name, field: "\(field).name")
            guard bandCodes.insert(band.code).inserted else {
                throw DomainError(.invalidValue, "等级编码 \(band.code) 重复", field: "\(field).code")
            }
            let floor = index == 0 ? 0 : bands[index - 1].minimumScore + 1
            guard index == 0 ? band.minimumScore == 0 : (floor...100).contains(band.minimumScore) else {
                throw DomainError(
                    .invalidValue, index == 0 ? "第一个等级的最低分须为 0" : "各等级的最低分须从低到高递增，且不超过 100",
                    field: "\(field).minimumScore")
            }
        }
    }

    /// Checked before publication: indicators whose weights add up to 100, and at least two bands.
    public func validateForPublication() throws(DomainError) {
        try validate()
        guard !indicators.isEmpty else { throw DomainError(.emptyList, "指标体系没有指标，不能发布", field: "indicators") }
        let total = indicators.reduce(0) { $0 + $1.weight }
        guard total == 100 else {
            throw DomainError(.invalidValue, "各指标权重之和须为 100，现为 \(total)", field: "indicators")
        }
        guard bands.count >= 2 else { throw DomainError(.invalidValue, "至少设两个等级", field: "bands") }
    }

    /// The band of a score given in hundredths (Σ weight × points): the last whose minimum it reaches.
    public func band(forHundredths hundredths: Int) -> (level: Int, band: GradeBand)? {
        bands.enumerated().last { hundredths >= $0.element.minimumScore * 100 }.map { ($0.offset + 1, $0.element) }
    }

    /// The band of a grade's code, with its level.
    public func band(code: String) -> (level: Int, band: GradeBand)? {
        bands.enumerated().first { $0.element.code == code }.map { ($0.offset + 1, $0.element) }
    }
}
