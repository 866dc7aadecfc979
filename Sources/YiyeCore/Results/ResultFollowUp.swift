/// 后续处置 of a published result that found a problem: the steps the department records (re-check of the
/// rectification, a case filed, a clue handed to the department whose remit it is in, a credit consequence proposed,
/// the investigation of 待后续处理 resolved) and its closure (办结) once every follow-up its categories propose is
/// settled. Steps are kept for ever, in order.
public struct ResultFollowUp: Sendable, Equatable {
    public struct Action: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable, Labelled {
            case recheck
            case caseFiled = "case_filed"
            case clueHanded = "clue_handed"
            case creditConsequence = "credit_consequence"
            case resolved
            case closed

            public var label: String {
                switch self {
                case .recheck: "整改复查"
                case .caseFiled: "立案查处"
                case .clueHanded: "移送问题线索"
                case .creditConsequence: "信用惩戒"
                case .resolved: "调查后未发现问题"
                case .closed: "处置办结"
                }
            }
        }

        /// A clue handed over comes with the clue to report and route; no other step does.
        public static func checkClue(for kind: Kind, given: Bool) throws(DomainError) {
            guard given == (kind == .clueHanded) else {
                throw DomainError(
                    .invalidValue, given ? "只有移送问题线索时填写线索" : "移送问题线索须填写线索内容与接收部门", field: "clue")
            }
        }

        /// The credit consequence proposed and recorded (信用惩戒).
        public enum Consequence: String, Sendable, CaseIterable, Labelled {
            case abnormalOperationList = "abnormal_operation_list"
            case seriousViolationList = "serious_violation_list"

            public var label: String {
                switch self {
                case .abnormalOperationList: "列入经营异常名录"
                case .seriousViolationList: "列入严重违法失信名单"
                }
            }
        }

        public var kind: Kind
        /// The day it was done.
        public var on: CalendarDate
        public var note: String
        /// Whether the business had rectified, at a re-check.
        public var rectified: Bool?
        /// The case's reference (立案文号), or the clue's number.
        public var reference: String
        public var consequence: Consequence?
        public var by: String

        public init(
            kind: Kind, on: CalendarDate, note: String = "", rectified: Bool? = nil, reference: String = "",
            consequence: Consequence? = nil,
            by: String
        ) {
            self.kind = kind
            self.on = on
            self.note = note
            self.rectified = rectified
            self.reference = reference
            self.consequence = consequence
            self.by = by
        }
    }

    /// The result's categories as published now.
    public var categories: [CategoryFinding]
    public var actions: [Action]

    public init(categories: [CategoryFinding], actions: [Action]) {
        self.categories = categories
        self.actions = actions
    }

    /// Whether the result needs a follow-up: it found a problem, or an investigation already resolved it.
    public var isNeeded: Bool { categories.contains { $0.category.findsProblem } || actions.contains { $0.kind == .resolved } }

    /// The day the follow-up was closed: by closure, or by the investigation resolving the only problem.
    public var closedOn: CalendarDate? { actions.last { $0.kind == .closed || $0.kind == .resolved }?.on }

    /// The rectification deadline proposed (责令改正的期限), if any.
    public var rectificationDue: CalendarDate? { categories.compactMap(\.correctionDue).min() }

    /// What the categories propose that no step has settled yet.
    public var unsettled: [ResultCategory.FollowUp] {
        var proposals: [ResultCategory.FollowUp] = []
        for proposal in categories.compactMap(\.category.followUp) where !proposals.contains(proposal) && !settles(proposal) {
            proposals.append(proposal)
        }
        return proposals
    }

    private func settles(_ proposal: ResultCategory.FollowUp) -> Bool {
        let filed = actions.contains { $0.kind == .caseFiled }
        switch proposal {
        case .rectification: return filed || actions.contains { $0.kind == .recheck && $0.rectified == true }
        case .investigation: return filed || actions.contains { $0.kind == .resolved }
        case .abnormalOperationList: return filed || actions.contains { $0.kind == .creditConsequence }
        case .publishRefusal: return true
        }
    }

    /// Records a step, checked against where the follow-up stands and the result's categories.
    public mutating func record(_ action: Action, today: CalendarDate) throws(DomainError) {
        guard isNeeded else { throw DomainError(.followUpState, "该检查结果未发现问题，无需后续处置", field: "result") }
        if let closedOn { throw DomainError(.followUpState, "后续处置已于\(closedOn.chineseDescription)办结", field: "result") }
        guard action.on <= today else { throw DomainError(.invalidPeriod, "办理日期不能晚于今天", field: "on") }
        try Validation.text(action.note, field: "note", label: "说明", required: action.kind != .clueHanded, maximum: 2000)
        try Validation.text(action.reference, field: "reference", label: "文号", required: action.kind == .caseFiled, maximum: 100)
        let present = Set(categories.map(\.category))
        let has = { (category: ResultCategory) in present.contains(category) }
        switch action.kind {
        case .recheck:
            guard has(.orderedToCorrect) || has(.fail) else {
                throw DomainError(.followUpState, "该检查结果未责令整改，无需整改复查", field: "kind")
            }
            guard action.rectified != nil else { throw DomainError(.invalidValue, "请填写是否已整改", field: "rectified") }
        case .resolved:
            guard has(.pendingFollowUp) else {
                throw DomainError(.followUpState, "只有「发现问题，待后续调查处理」的检查结果需要调查办结", field: "kind")
            }
        case .creditConsequence:
            guard action.consequence != nil else { throw DomainError(.invalidValue, "请选择信用惩戒措施", field: "consequence") }
        case .closed:
            let open = unsettled
            guard open.isEmpty else {
                throw DomainError(
                    .followUpState, "尚有后续处置未完成：\(open.map(\.label).joined(separator: "、"))", field: "kind")
            }
        case .caseFiled, .clueHanded:
            break
        }
        actions.append(action)
    }
}

extension InspectionResult {
    /// 待后续处理 resolved after the investigation found no problem: the category is dropped (未发现问题 when no
    /// problem remains) and the result is published again as its next version.
    public mutating func resolvePending() throws(DomainError) {
        guard status == .published, categories.contains(where: { $0.category == .pendingFollowUp }) else {
            throw DomainError(.followUpState, "只有已公示且待后续调查处理的检查结果可以调查办结", field: "result")
        }
        try checkNotStopped()
        categories.removeAll { $0.category == .pendingFollowUp }
        if !categories.contains(where: \.category.findsProblem) {
            categories = [CategoryFinding(.noProblem)]
        }
        version += 1
    }
}
