import Foundation

/// What an inspected business may obtain on application once a published result has done its work (001 后续处理):
/// 信用修复, once the problem it found was dealt with and its follow-up closed, and 停止公示, once the result has been
/// public for the statutory period. Either is granted by the department's head and published as the result's next
/// version with its ground; nothing earlier is erased from the record.
public struct PublicityRelief: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable, Labelled {
        /// 信用修复: the result stays public, marked as repaired.
        case creditRepair = "credit_repair"
        /// 停止公示: the result leaves the public search and the open-data feed.
        case stopPublication = "stop_publication"

        public var label: String {
            switch self {
            case .creditRepair: "信用修复"
            case .stopPublication: "停止公示"
            }
        }
    }

    /// 法定期限: the seeds leave the period to the law; Yiye takes three years from the first publication, the
    /// period the national enterprise credit publicity system keeps general administrative information public.
    public static let statutoryPeriodYears = 3

    public var kind: Kind
    /// Who applied for the business (申请人).
    public var applicant: String
    public var appliedOn: CalendarDate
    /// The ground of the decision, published with it.
    public var ground: String
    /// The head who granted it, and when.
    public var grantedBy: String
    public var grantedOn: CalendarDate

    public init(kind: Kind, applicant: String, appliedOn: CalendarDate, ground: String, grantedBy: String, grantedOn: CalendarDate) {
        self.kind = kind
        self.applicant = applicant
        self.appliedOn = appliedOn
        self.ground = ground
        self.grantedBy = grantedBy
        self.grantedOn = grantedOn
    }

    /// The first day a result first published on `firstPublished` may stop being published.
    public static func stopAllowed(after firstPublished: CalendarDate) -> CalendarDate {
        firstPublished.adding(years: statutoryPeriodYears)
    }
}

extension InspectionResult {
    /// Grants `relief` on the business's application (信用修复 or 停止公示): the result, first published on
    /// `firstPublished`, with its follow-up closed on `followUpClosedOn` (if it is) and no objection being re-examined
    /// (`underObjection`), becomes its next version.
    public mutating func grant(
        _ relief: PublicityRelief, firstPublished: CalendarDate, followUpClosedOn: CalendarDate?, underObjection: Bool,
        today: CalendarDate
    ) throws(DomainError) {
        guard status == .published else {
            throw DomainError(.resultStatus, "只有已公示的检查结果可以申请\(relief.kind.label)（当前：\(status.label)）", field: "result")
        }
        if let granted = self.relief, granted.kind == .stopPublication || granted.kind == relief.kind {
            throw DomainError(.resultStatus, "该检查结果已于\(granted.grantedOn.chineseDescription)\(granted.kind.label)", field: "kind")
        }
        guard !underObjection else {
            throw DomainError(.objectionState, "该检查结果有异议正在复查，复查结论作出后方可\(relief.kind.label)", field: "result")
        }
        try Validation.text(relief.applicant, field: "applicant", label: "申请人", required: true, maximum: 200)
        try Validation.text(relief.ground, field: "ground", label: "依据", required: true, maximum: 1000)
        guard relief.appliedOn <= today else { throw DomainError(.invalidPeriod, "申请日期不能晚于今天", field: "appliedOn") }
        guard relief.appliedOn >= firstPublished else {
            throw DomainError(.invalidPeriod, "申请日期不能早于公示日期（\(firstPublished.chineseDescription)）", field: "appliedOn")
        }
        switch relief.kind {
        case .creditRepair:
            guard categories.contains(where: \.category.findsProblem) else {
                throw DomainError(.followUpState, "该检查结果未发现问题，无需信用修复", field: "kind")
            }
            guard followUpClosedOn != nil else {
                throw DomainError(.followUpState, "后续处置办结后方可信用修复", field: "kind")
            }
        case .stopPublication:
            let allowed = PublicityRelief.stopAllowed(after: firstPublished)
            guard relief.appliedOn >= allowed else {
                throw DomainError(
                    .publicityPeriod,
                    "检查结果公示满\(PublicityRelief.statutoryPeriodYears)年后方可申请停止公示（\(allowed.chineseDescription)起）",
                    field: "appliedOn")
            }
        }
        self.relief = relief
        version += 1
    }
}
