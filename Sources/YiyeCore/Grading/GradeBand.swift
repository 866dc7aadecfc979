/// One grade of an industry's grading (e.g. 一级, 低风险): the objects whose score reaches `minimumScore` and not the
/// next band's. Bands are listed from the lowest risk (minimum 0) up; a grade's level is its place in that order
/// (1 the lowest risk), and its code is the draw's stratum when a task samples by grade.
public struct GradeBand: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var minimumScore: Int

    public init(code: String, name: String, minimumScore: Int) {
        self.code = code
        self.name = name
        self.minimumScore = minimumScore
    }

    /// Band codes are draw strata: 1 to 16 ASCII letters, digits, `_` or `-`.
    public static func validate(code: String, field: String) throws(DomainError) {
        let bytes = Array(code.utf8)
        let valid =
            (1...16).contains(bytes.count)
            && bytes.allSatisfy {
                $0.isDigit || $0.isLowercaseLetter || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || $0 == UInt8(ascii: "_")
                    || $0 == UInt8(ascii: "-")
            }
        guard valid else {
            throw DomainError(.invalidCode, "等级编码须为 1 至 16 位字母、数字、下划线或连字符", field: field)
        }
    }
}

/// 等级分布: how many objects hold a band of an industry's published indicator system; `level` is the band's place,
/// 1 for the lowest risk.
public struct GradeCount: Sendable, Equatable {
    public var band: GradeBand
    public var level: Int
    public var objects: Int

    public init(band: GradeBand, level: Int, objects: Int) {
        self.band = band
        self.level = level
        self.objects = objects
    }
}
