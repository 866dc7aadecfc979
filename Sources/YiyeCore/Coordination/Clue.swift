import Foundation

/// 问题线索: a problem found in an inspection (linked to its task and object) or from a complaint. The finder routes
/// it to the departments whose remit it is in, each by a deadline; a receiver accepts it, or returns it with a
/// reason, after which the industry's originator or the office routes it again; an accepted clue ends with an
/// outcome fed back to the finder.
public struct Clue: Sendable, Equatable {
    public enum Source: String, Sendable, CaseIterable {
        case inspection, complaint
        public var label: String { self == .inspection ? "检查发现" : "投诉举报" }
    }

    public enum Outcome: String, Sendable, CaseIterable {
        case caseFiled = "case_filed"
        case noCase = "no_case"
        case judicialTransfer = "judicial_transfer"
        case transferred
        case rectified

        public var label: String {
            switch self {
            case .caseFiled: "立案查处"
            case .noCase: "不予立案"
            case .judicialTransfer: "移送司法机关"
            case .transferred: "移交其他部门"
            case .rectified: "已整改"
            }
        }
    }

    /// One receiving department's part: routed → accepted → concluded, or routed → returned.
    public struct Route: Sendable, Equatable {
        public enum State: String, Sendable, CaseIterable {
            case routed, accepted, returned, concluded
            public var label: String {
                switch self {
                case .routed: "待接收"
                case .accepted: "办理中"
                case .returned: "已退回"
                case .concluded: "已办结"
                }
            }
        }

        public var id: Int64?
        public var department: DepartmentCode
        public var deadline: Date
        /// How the deadline was counted in working days.
        public var deadlineCount: WorkingDayCount?
        public var state: State
        public var reason: String
        public var outcome: Outcome?
        public var outcomeNote: String
        public var routedBy: String
        public var routedAt: Date?
        public var decidedAt: Date?
        public var concludedAt: Date?

        public init(
            id: Int64? = nil, department: DepartmentCode, deadline: Date, deadlineCount: WorkingDayCount? = nil, state: State = .routed,
            reason: String = "", outcome: Outcome? = nil,
            outcomeNote: String = "", routedBy: String, routedAt: Date? = nil, decidedAt: Date? = nil, concludedAt: Date? = nil
        ) {
            self.id = id
            self.department = department
            self.deadline = deadline
            self.deadlineCount = deadlineCount
            self.state = state
            self.reason = reason
            self.outcome = outcome
            self.outcomeNote = outcomeNote
            self.routedBy = routedBy
            self.routedAt = routedAt
            self.decidedAt = decidedAt
            self.concludedAt = concludedAt
        }

        /// Not settled (returned or concluded with an outcome) by the deadline.
        public func isOverdue(at now: Date) -> Bool { (state == .routed || state == .accepted) && now > deadline }

        /// Not returned: the department holds (or held) the clue.
        public var isActive: Bool { state != .returned }
    }

    /// Where the clue stands, from its routes.
    public enum Status: String, Sendable, CaseIterable {
        /// 待分办: not routed, or every route returned.
        case awaitingRouting = "awaiting_routing"
        /// 待接收: some department has yet to accept or return it.
        case routed
        /// 办理中: accepted, not yet concluded everywhere.
        case handling
        /// 已办结: every department holding it recorded an outcome.
        case concluded

        public var label: String {
            switch self {
            case .awaitingRouting: "待分办"
            case .routed: "待接收"
            case .handling: "办理中"
            case .concluded: "已办结"
            }
        }
    }

    /// A line of a clue's history as officials read it.
    public static func historyLabel(_ action: String) -> String {
        switch action {
        case "report": "报告线索"
        case "route": "分办"
        case "joint_verification": "组织联合核查"
        default: Decision(rawValue: action)?.label ?? "其他操作"
        }
    }

    /// What a receiving department does with its route.
    public enum Decision: String, Sendable, CaseIterable {
        case accept, `return`, conclude

        public var label: String {
            switch self {
            case .accept: "接收"
            case .return: "退回"
            case .conclude: "办结"
            }
        }
    }

    public var id: Int64?
    public var industry: String
    public var source: Source
    public var taskID: TaskID?
    public var objectCreditCode: String?
    public var description: String
    public var suspectedViolation: String
    public var legalBasis: String
    public var evidence: [String]
    public var foundBy: DepartmentCode
    public var jointCallID: Int64?
    public var jointMeetingID: Int64?
    public var routes: [Route]

    public init(
        id: Int64? = nil, industry: String, source: Source, taskID: TaskID? = nil, objectCreditCode: String? = nil, description: String,
        suspectedViolation: String, legalBasis: String = "", evidence: [String] = [], foundBy: DepartmentCode, jointCallID: Int64? = nil,
        jointMeetingID: Int64? = nil, routes: [Route] = []
    ) {
        self.id = id
        self.industry = industry
        self.source = source
        self.taskID = taskID
        self.objectCreditCode = objectCreditCode
        self.description = description
        self.suspectedViolation = suspectedViolation
        self.legalBasis = legalBasis
        self.evidence = evidence
        self.foundBy = foundBy
        self.jointCallID = jointCallID
        self.jointMeetingID = jointMeetingID
        self.routes = routes
    }

    public var status: Status {
        let active = routes.filter(\.isActive)
        if active.isEmpty { return .awaitingRouting }
        if active.contains(where: { $0.state == .routed }) { return .routed }
        if active.allSatisfy({ $0.state == .concluded }) { return .concluded }
        return .handling
    }

    /// The departments holding the clue (routed, accepted or concluded).
    public var holders: [DepartmentCode] { routes.filter(\.isActive).map(\.department) }

    /// The finder, every department it was routed to, and the industry's originator see the clue (and the office,
    /// which sees everything).
    public func concerns(_ department: DepartmentCode, originator: DepartmentCode) -> Bool {
        foundBy == department || originator == department || routes.contains { $0.department == department }
    }

    /// Several departments hold it: the originator organises a joint verification (联合核查), once.
    public var needsJointVerification: Bool { Set(holders).count > 1 && jointCallID == nil }

    public func validate() throws(DomainError) {
        try Validation.text(description, field: "description", label: "线索描述", required: true, maximum: 2000)
        try Validation.text(suspectedViolation, field: "suspectedViolation", label: "涉嫌违法行为", required: true, maximum: 500)
        try Validation.text(legalBasis, field: "legalBasis", label: "法律依据", required: false, maximum: 500)
        guard evidence.count <= 20 else { throw DomainError(.invalidValue, "证据材料最多 20 项", field: "evidence") }
        for item in evidence { try Validation.text(item, field: "evidence", label: "证据材料", required: true, maximum: 500) }
        if source == .inspection, taskID == nil {
            throw DomainError(.invalidValue, "检查中发现的线索须关联抽查任务", field: "taskId")
        }
        if let objectCreditCode { try CreditCode.validate(objectCreditCode, field: "objectCreditCode") }
    }

    /// Routes the clue to `departments` (regulators other than the finder and those already holding it). The
    /// finder routes a new clue; afterwards only the industry's originator or the office routes it again.
    public mutating func route(
        to departments: [DepartmentCode], deadline: Date, counted deadlineCount: WorkingDayCount? = nil, by department: DepartmentCode,
        actor: String,
        originator: DepartmentCode,
        isOffice: Bool, regulators: Set<DepartmentCode>, now: Date
    ) throws(DomainError) {
        let mayRoute = routes.isEmpty ? department == foundBy : (isOffice || department == originator)
        guard mayRoute else {
            throw DomainError(.notOriginator, routes.isEmpty ? "新线索由发现部门分办" : "线索的再次分办由发起部门或领导小组办公室负责", field: "departments")
        }
        guard status != .concluded else { throw DomainError(.clueState, "线索已办结", field: "departments") }
        guard !departments.isEmpty, Set(departments).count == departments.count else {
            throw DomainError(.invalidValue, "须指定至少一个接收部门，且不可重复", field: "departments")
        }
        for target in departments {
            guard regulators.contains(target) else { throw DomainError(.unknownDepartment, "接收部门须为监管部门：\(target)", field: "departments") }
            guard target != foundBy else { throw DomainError(.invalidValue, "线索应转交发现部门以外的部门", field: "departments") }
            guard !holders.contains(target) else { throw DomainError(.invalidValue, "该部门已在办理此线索：\(target)", field: "departments") }
        }
        guard deadline > now else { throw DomainError(.invalidPeriod, "办理期限须晚于现在", field: "deadline") }
        routes += departments.map {
            Route(department: $0, deadline: deadline, deadlineCount: deadlineCount, routedBy: actor, routedAt: now)
        }
    }

    /// The receiving department accepts, returns (with the reason it is not in its remit), or concludes an
    /// accepted clue with its outcome and a note.
    public mutating func decide(_ decision: Decision, by department: DepartmentCode, reason: String, outcome: Outcome?, at now: Date)
        throws(DomainError)
    {
        guard let index = routes.lastIndex(where: { $0.department == department && $0.isActive }) else {
            throw DomainError(.notReceiver, "本部门不是该线索的接收部门", field: "department")
        }
        var route = routes[index]
        switch (decision, route.state) {
        case (.accept, .routed):
            route.state = .accepted
            route.decidedAt = now
        case (.return, .routed):
            try Validation.text(reason, field: "reason", label: "退回理由", required: true, maximum: 1000)
            route.state = .returned
            route.reason = reason
            route.decidedAt = now
        case (.conclude, .accepted):
            guard let outcome else { throw DomainError(.invalidValue, "须选择办理结果", field: "outcome") }
            try Validation.text(reason, field: "reason", label: "办理情况", required: true, maximum: 2000)
            route.state = .concluded
            route.outcome = outcome
            route.outcomeNote = reason
            route.concludedAt = now
        default:
            throw DomainError(
                .clueState, "线索当前为「\(route.state.label)」，不能\(decision == .accept ? "接收" : decision == .return ? "退回" : "办结")",
                field: "decision")
        }
        routes[index] = route
    }

    /// 联合核查: the whistle call the industry's originator raises to every other department holding the clue (in
    /// the industry or not) and, when `meetingStartsAt` is given, the ad-hoc meeting it convenes with them.
    public func jointVerification(
        departments: IndustryDepartments, deadline: Date, counted deadlineCount: WorkingDayCount? = nil, meetingStartsAt: Date?,
        location: String, now: Date
    ) throws(DomainError) -> (call: WhistleCall, meeting: Meeting?) {
        guard needsJointVerification else {
            throw DomainError(.clueState, jointCallID == nil ? "线索仅由一个部门办理，无需联合核查" : "已组织联合核查", field: "clue")
        }
        let originator = departments.originator
        let others = Array(Set(holders).subtracting([originator])).sorted()
        var taking = departments
        taking.participants = Array(Set(departments.participants).union(others)).sorted()
        let title = String("线索联合核查：\(suspectedViolation)".prefix(100))
        let call = WhistleCall(
            industry: industry, stage: .adHoc, title: title, content: description,
            actionRequired: "请派员参加联合核查，并反馈本部门核查意见", raisedBy: originator, raisedAt: now, deadline: deadline,
            deadlineCount: deadlineCount,
            responses: others.map { .init(department: $0) }
        )
        try call.validate(departments: taking)
        var meeting: Meeting?
        if let meetingStartsAt {
            meeting = Meeting(
                industry: industry, kind: .adHoc, title: title, agenda: ["通报线索情况", "明确各部门核查分工", "议定处置意见"],
                startsAt: meetingStartsAt, location: location, convenedBy: originator, invitees: others,
                clueIDs: id.map { [$0] } ?? [])
            try meeting?.validate(departments: taking)
        }
        return (call, meeting)
    }

    // MARK: Notices

    /// The departments a new route reaches.
    public func routedNotices(_ departments: [DepartmentCode], names: [DepartmentCode: String]) -> [Notice] {
        guard let id else { return [] }
        return Notice.each(
            departments, kind: .clueRouted,
            title: "\(names[name: foundBy])转办线索（\(source.label)）：\(suspectedViolation)", subject: .clue, id: id)
    }

    /// After `decision` by `department`: a return reaches the finder, the originator and the office, who route it
    /// again; an outcome reaches the finder and the originator.
    public func decisionNotices(
        _ decision: Decision, by department: DepartmentCode, originator: DepartmentCode, offices: [DepartmentCode],
        names: [DepartmentCode: String]
    ) -> [Notice] {
        guard let id, let route = routes.last(where: { $0.department == department }) else { return [] }
        let name = names[name: department]
        switch decision {
        case .accept: return []
        case .return:
            return Notice.each(
                [foundBy, originator] + offices, kind: .clueReturned,
                title: "\(name)退回线索（\(route.reason)），请重新分办：\(suspectedViolation)", subject: .clue, id: id)
        case .conclude:
            return Notice.each(
                [foundBy, originator], kind: .clueOutcome,
                title: "\(name)办结线索：\(route.outcome?.label ?? "")（\(suspectedViolation)）", subject: .clue, id: id)
        }
    }
}
