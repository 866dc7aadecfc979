import Foundation

/// An object's grade in one industry, as the server worked it out from one version of the industry's indicator system:
/// each indicator's input and points, their weighted sum (the score) and the band it falls in.
public struct ObjectGrade: Sendable, Equatable {
    /// What an indicator found for the object and what it adds to the score (why this grade).
    public struct Contribution: Sendable, Equatable {
        public var indicator: Indicator
        /// What was looked at: a value's code (e.g. `B`, `abnormal_list`, `unknown`), a count, `true`/`false` for a tag, or a licence's state.
        public var input: String
        public var points: Int
        /// weight × points, in hundredths of the score.
        public var hundredths: Int

        /// The reading of the input as an official would say it, e.g. "一般风险（B类）" or "3 次".
        public var inputLabel: String {
            switch indicator.kind {
            case .creditClass:
                input == Indicator.unrated ? "未评级" : (InspectedObject.RiskClass(rawValue: input)?.label ?? input)
            case .registrationStatus: InspectedObject.Status(rawValue: input)?.label ?? input
            case .scale: input == Indicator.unknownScale ? "未知" : (InspectedObject.Scale(rawValue: input)?.label ?? input)
            case .tag: input == "true" ? "有" : "无"
            case .licence: ObjectLicence.State(rawValue: input)?.label ?? input
            case .problemResults, .concludedClues, .openFollowUps: "\(input) 次"
            }
        }

        /// How the points were reached, in Chinese.
        public var basis: String {
            let score = ObjectGrade.decimal(hundredths)
            return "\(indicator.name)：\(inputLabel)，得 \(points) 分 × 权重 \(indicator.weight)% = \(score)"
        }
    }

    public var industry: String
    public var creditCode: String
    public var objectName: String
    public var systemVersion: Int
    /// Σ weight × points: the score in hundredths (0 to 10000).
    public var hundredths: Int
    public var level: Int
    public var band: GradeBand
    public var contributions: [Contribution]
    public var gradedAt: Date

    /// The stored grade read against the indicator system version it was worked out from; nil when they disagree
    /// (never, unless a stored row was changed by hand).
    public init?(
        industry: String, creditCode: String, objectName: String, systemVersion: Int, system: IndicatorSystem, bandCode: String,
        inputs: [String], points: [Int], gradedAt: Date
    ) {
        guard inputs.count == system.indicators.count, points.count == system.indicators.count,
            let (level, band) = system.band(code: bandCode)
        else { return nil }
        self.industry = industry
        self.creditCode = creditCode
        self.objectName = objectName
        self.systemVersion = systemVersion
        self.contributions = zip(system.indicators, zip(inputs, points)).map { indicator, found in
            Contribution(indicator: indicator, input: found.0, points: found.1, hundredths: indicator.weight * found.1)
        }
        self.hundredths = contributions.reduce(0) { $0 + $1.hundredths }
        self.level = level
        self.band = band
        self.gradedAt = gradedAt
    }

    /// The score as a decimal with two places, e.g. "47.50".
    public var score: String { Self.decimal(hundredths) }

    public static func decimal(_ hundredths: Int) -> String {
        let cents = hundredths % 100
        return "\(hundredths / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}

/// Why an object was graded again (kept in its grade history).
public enum GradeCause: String, Sendable, CaseIterable, Labelled {
    /// A version of the indicator system was published.
    case system
    /// A result about the object was published, corrected or followed up.
    case result
    /// A clue about the object was concluded.
    case clue
    /// The object was imported or changed in the directory.
    case object
    /// The originating department graded the industry again.
    case regrade
    /// A licence of the object was imported.
    case licence

    public var label: String {
        switch self {
        case .system: "指标体系发布"
        case .result: "检查结果公示或处置"
        case .clue: "线索办结"
        case .object: "名录信息变更"
        case .regrade: "重新评定"
        case .licence: "许可证信息变更"
        }
    }
}
