/// A warning rule (风险预警规则): what to watch in an industry, over how many days, and the threshold at which it
/// raises a warning. The industry's originating department keeps its own; the leadership office keeps rules for every
/// industry (`industry` nil). docs/GRADING.md says what each kind counts.
public struct WarningRule: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable, Labelled {
        /// One object with at least `threshold` problem results first published in the period.
        case repeatedProblems = "repeated_problems"
        /// At least `threshold` clues or complaints about one object, or about the objects of one region, in the period.
        case clueVolume = "clue_volume"
        /// A problem-discovery rate of at least `threshold` percent in the industry or one region over the period.
        case problemRate = "problem_rate"
        /// A problem-discovery rate risen by at least `threshold` percent of the rate of the period before.
        case risingProblemRate = "rising_problem_rate"
        /// An object's grade worsened by at least `threshold` levels within the period.
        case gradeWorsened = "grade_worsened"

        public var label: String {
            switch self {
            case .repeatedProblems: "同一对象多次发现问题"
            case .clueVolume: "投诉举报和线索集中"
            case .problemRate: "问题发现率偏高"
            case .risingProblemRate: "问题发现率上升"
            case .gradeWorsened: "评定等级明显恶化"
            }
        }

        /// The scopes a kind watches.
        public var scopes: [Scope] {
            switch self {
            case .repeatedProblems, .gradeWorsened: [.object]
            case .clueVolume: [.object, .region]
            case .problemRate, .risingProblemRate: [.region, .industry]
            }
        }
    }

    /// What a warning is about: one object, one region (行政区划), or the whole industry.
    public enum Scope: String, Sendable, Codable, CaseIterable, Labelled {
        case object, region, industry

        public var label: String {
            switch self {
            case .object: "单个对象"
            case .region: "区域"
            case .industry: "全行业"
            }
        }

        /// Region- and industry-wide warnings are reported to the office too (上报).
        public var reported: Bool { self != .object }
    }

    public var id: Int64?
    public var industry: String?
    public var name: String
    public var kind: Kind
    public var scope: Scope
    public var threshold: Int
    public var days: Int
    /// Rates only: the fewest results a period needs before its rate counts.
    public var minimumResults: Int
    public var active: Bool

    public init(
        id: Int64? = nil, industry: String?, name: String, kind: Kind, scope: Scope, threshold: Int, days: Int, minimumResults: Int = 0,
        active: Bool = true
    ) {
        self.id = id
        self.industry = industry
        self.name = name
        self.kind = kind
        self.scope = scope
        self.threshold = threshold
        self.days = days
        self.minimumResults = minimumResults
        self.active = active
    }

    public func validate() throws(DomainError) {
        try Validation.name(name, field: "name")
        guard kind.scopes.contains(scope) else {
            let scopes = kind.scopes.map(\.label).joined(separator: "、")
            throw DomainError(.invalidValue, "「\(kind.label)」规则的范围须为：\(scopes)", field: "scope")
        }
        let maximum = [.problemRate].contains(kind) ? 100 : 10_000
        guard (1...maximum).contains(threshold) else {
            throw DomainError(.invalidValue, "阈值须在 1 至 \(maximum) 之间", field: "threshold")
        }
        guard (1...1096).contains(days) else { throw DomainError(.invalidValue, "统计期须在 1 至 1096 天之间", field: "days") }
        guard (0...100_000).contains(minimumResults) else {
            throw DomainError(.invalidValue, "最少结果数须在 0 至 100000 之间", field: "minimumResults")
        }
    }
}

/// A warning a rule raised (风险预警), and how it was judged (研判).
public struct RiskWarning: Sendable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable, Labelled {
        case raised
        case dismissed
        case onAgenda = "on_agenda"
        case tasked

        public var label: String {
            switch self {
            case .raised: "待研判"
            case .dismissed: "研判后排除"
            case .onAgenda: "提交议事会商"
            case .tasked: "已启动触发式检查"
            }
        }
    }

    /// What the industry's originator decides about a raised warning.
    public enum Decision: String, Sendable, Codable, CaseIterable, Labelled {
        case dismiss, agenda, task

        public var label: String {
            switch self {
            case .dismiss: "排除"
            case .agenda: "列入会商议题"
            case .task: "启动触发式检查"
            }
        }
    }

    public var id: Int64
    public var ruleID: Int64
    public var ruleName: String
    public var industry: String
    public var kind: WarningRule.Kind
    public var scope: WarningRule.Scope
    public var subject: String
    public var subjectName: String
    /// The figure that reached the threshold, as stored (e.g. "2", "35.71").
    public var measured: String
    public var threshold: Int
    public var periodStart: CalendarDate
    public var periodEnd: CalendarDate
    public var reported: Bool
    public var state: State
    public var reason: String
    public var meetingID: Int64?
    public var taskID: Int64?

    public init(
        id: Int64, ruleID: Int64, ruleName: String, industry: String, kind: WarningRule.Kind, scope: WarningRule.Scope, subject: String,
        subjectName: String, measured: String, threshold: Int, periodStart: CalendarDate, periodEnd: CalendarDate, reported: Bool,
        state: State, reason: String, meetingID: Int64?, taskID: Int64?
    ) {
        self.id = id
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.industry = industry
        self.kind = kind
        self.scope = scope
        self.subject = subject
        self.subjectName = subjectName
        self.measured = measured
        self.threshold = threshold
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.reported = reported
        self.state = state
        self.reason = reason
        self.meetingID = meetingID
        self.taskID = taskID
    }

    /// What a triggered task started from this warning is directed at: the object, the region, or the whole industry.
    public var taskScope: ObjectScope {
        switch scope {
        case .object: ObjectScope(objects: [subject])
        case .region: ObjectScope(regions: [subject])
        case .industry: ObjectScope()
        }
    }

    /// The trigger a task started from this warning records.
    public var trigger: InspectionTask.Trigger {
        InspectionTask.Trigger(
            source: .riskSignal, description: "风险预警 #\(id)：\(ruleName)（\(subjectName)，\(measured)，阈值 \(threshold)）",
            warningID: id)
    }

    /// Refuses a judgement of a warning already judged, and a dismissal without a reason.
    public func checkJudgement(_ decision: Decision, reason: String) throws(DomainError) {
        guard state == .raised else {
            throw DomainError(.warningState, "该预警已研判（\(state.label)），不能再次研判", field: "decision")
        }
        try Validation.text(reason, field: "reason", label: "研判理由", required: decision == .dismiss, maximum: 500)
    }
}
