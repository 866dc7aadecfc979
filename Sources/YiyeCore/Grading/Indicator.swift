/// One indicator of an industry's grading (一业一评指标): what it looks at, its weight, and how what it finds becomes
/// points from 0 (no risk) to 100 (the most). An object's score is the sum of each indicator's weight × points / 100.
public struct Indicator: Sendable, Codable, Equatable {
    /// What an indicator looks at, among the data Yiye holds.
    public enum Kind: String, Sendable, Codable, CaseIterable, Labelled {
        /// The general credit-risk class (A–D, or not rated): points per class.
        case creditClass = "credit_class"
        /// Published results that found a problem, in the last `years` years: points per result.
        case problemResults = "problem_results"
        /// Clues about the object concluded with a finding (a case filed, transferred to justice, rectified) in the last
        /// `years` years: points per clue.
        case concludedClues = "concluded_clues"
        /// Published results whose proposed follow-up is not yet closed: points per result.
        case openFollowUps = "open_follow_ups"
        /// The registration status (存续, 经营异常名录, 严重违法失信名单): points per status.
        case registrationStatus = "registration_status"
        /// The scale (微型 … 大型, or unknown): points per scale.
        case scale
        /// A directory tag (e.g. 储存危险化学品): 100 points when the object carries it, 0 otherwise.
        case tag
        /// The state of an imported licence (e.g. 成品油零售经营批准证书): points per state, `none` when not held.
        case licence

        public var label: String {
            switch self {
            case .creditClass: "信用风险分类"
            case .problemResults: "近年抽查发现问题次数"
            case .concludedClues: "近年线索查实次数"
            case .openFollowUps: "未办结的后续处置"
            case .registrationStatus: "登记状态"
            case .scale: "经营规模"
            case .tag: "对象标签"
            case .licence: "许可证状态"
            }
        }

        /// The values a per-value indicator gives points to, or nil when it counts.
        public var keys: [String]? {
            switch self {
            case .creditClass: InspectedObject.RiskClass.allCases.map(\.rawValue) + [Indicator.unrated]
            case .registrationStatus: InspectedObject.Status.allCases.filter { $0 != .deregistered }.map(\.rawValue)
            case .scale: InspectedObject.Scale.allCases.map(\.rawValue) + [Indicator.unknownScale]
            case .licence: ObjectLicence.State.allCases.map(\.rawValue)
            case .problemResults, .concludedClues, .openFollowUps, .tag: nil
            }
        }

        /// Whether the indicator counts events and gives `pointsEach` for each (up to 100).
        public var counts: Bool { [.problemResults, .concludedClues, .openFollowUps].contains(self) }

        /// Whether the indicator looks back `years` years.
        public var looksBack: Bool { [.problemResults, .concludedClues].contains(self) }
    }

    /// The key of objects without a credit-risk class, and of objects of unknown scale.
    public static let unrated = "unrated"
    public static let unknownScale = "unknown"

    public var code: String
    public var name: String
    public var kind: Kind
    /// Its share of the score, 1 to 100; the weights of a system add up to 100.
    public var weight: Int
    /// Per-value indicators: the points of each value (a value not listed gives 0).
    public var points: [String: Int]?
    /// Indicators that look back: how many years, 1 to 10.
    public var years: Int?
    /// Counting indicators: the points of each event counted, 1 to 100 (the sum stops at 100).
    public var pointsEach: Int?
    /// Tag indicators: the tag.
    public var tag: String?
    /// Licence indicators: the licence's name, as imported.
    public var licence: String?

    public init(
        code: String, name: String, kind: Kind, weight: Int, points: [String: Int]? = nil, years: Int? = nil,
        pointsEach: Int? = nil, tag: String? = nil, licence: String? = nil
    ) {
        self.code = code
        self.name = name
        self.kind = kind
        self.weight = weight
        self.points = points
        self.years = years
        self.pointsEach = pointsEach
        self.tag = tag
        self.licence = licence
    }

    /// The rules of one indicator, `field` naming it in errors (e.g. `indicators[2]`).
    public func validate(field: String) throws(DomainError) {
        try Validation.code(code, field: "\(field).code")
        try Validation.name(name, field: "\(field).name")
        guard (1...100).contains(weight) else {
            throw DomainError(.invalidValue, "指标权重须在 1 至 100 之间", field: "\(field).weight")
        }
        if let keys = kind.keys {
            guard let points, !points.isEmpty else {
                throw DomainError(.invalidValue, "「\(kind.label)」指标须给出各取值的分值", field: "\(field).points")
            }
            for (key, value) in points.sorted(by: { $0.key < $1.key }) {
                guard keys.contains(key) else {
                    throw DomainError(
                        .invalidValue, "「\(kind.label)」指标没有取值 \(key)，可用取值：\(keys.joined(separator: "、"))",
                        field: "\(field).points.\(key)")
                }
                guard (0...100).contains(value) else {
                    throw DomainError(.invalidValue, "分值须在 0 至 100 之间", field: "\(field).points.\(key)")
                }
            }
        } else if points != nil {
            throw DomainError(.invalidValue, "「\(kind.label)」指标不按取值给分，不填 points", field: "\(field).points")
        }
        try Self.check(years, required: kind.looksBack, range: 1...10, field: "\(field).years", what: "回溯年数")
        try Self.check(pointsEach, required: kind.counts, range: 1...100, field: "\(field).pointsEach", what: "每次分值")
        if kind == .tag {
            guard let tag else { throw DomainError(.invalidValue, "「对象标签」指标须填写标签", field: "\(field).tag") }
            try Validation.tag(tag, field: "\(field).tag")
        } else if tag != nil {
            throw DomainError(.invalidValue, "只有「对象标签」指标填写标签", field: "\(field).tag")
        }
        if kind == .licence {
            guard let licence else { throw DomainError(.invalidValue, "「许可证状态」指标须填写许可证名称", field: "\(field).licence") }
            try ObjectLicence.validate(licence: licence, field: "\(field).licence")
        } else if licence != nil {
            throw DomainError(.invalidValue, "只有「许可证状态」指标填写许可证名称", field: "\(field).licence")
        }
    }

    private static func check(_ value: Int?, required: Bool, range: ClosedRange<Int>, field: String, what: String) throws(DomainError) {
        switch (value, required) {
        case (nil, true): throw DomainError(.invalidValue, "该指标须填写\(what)", field: field)
        case (.some, false): throw DomainError(.invalidValue, "该指标不填写\(what)", field: field)
        case (.some(let value), true) where !range.contains(value):
            throw DomainError(.invalidValue, "\(what)须在 \(range.lowerBound) 至 \(range.upperBound) 之间", field: field)
        default: break
        }
    }
}
