import Foundation

/// 吹哨: a call one department raises for others to act on by a deadline. The originating department raises calls
/// on its industry at each stage (or ad hoc); a participant may raise one to the originator. Each addressed
/// department reads it, then accepts with its answer, declines with a reason, or asks for more information (which
/// the raiser answers). The raiser closes it.
public struct WhistleCall: Sendable, Equatable {
    public enum Stage: String, Sendable, CaseIterable {
        /// 方案制定
        case planning
        /// 随机抽取
        case drawing
        /// 实地检查
        case inspection
        /// 公示处理
        case publication
        /// 临时（风险、重大线索）
        case adHoc = "ad_hoc"

        public var label: String {
            switch self {
            case .planning: "方案制定"
            case .drawing: "随机抽取"
            case .inspection: "实地检查"
            case .publication: "公示处理"
            case .adHoc: "临时吹哨"
            }
        }
    }

    public enum Status: String, Sendable, CaseIterable {
        case open, closed

        public var label: String {
            switch self {
            case .open: "进行中"
            case .closed: "已关闭"
            }
        }
    }

    /// Where one addressed department stands.
    public enum ResponseState: String, Sendable, CaseIterable {
        case unread
        case read
        /// Asked the raiser for more information; back to `read` once answered.
        case infoRequested = "info_requested"
        case accepted
        case declined

        public var label: String {
            switch self {
            case .unread: "未读"
            case .read: "已读"
            case .infoRequested: "请求补充信息"
            case .accepted: "已响应"
            case .declined: "已拒绝"
            }
        }

        /// Accepted or declined: the department has answered the call.
        public var isAnswered: Bool { self == .accepted || self == .declined }
    }

    public struct Response: Sendable, Equatable {
        public var department: DepartmentCode
        public var state: ResponseState
        public var readAt: Date?
        public var respondedAt: Date?
        /// The answer, the reason for declining, or the question asked.
        public var text: String

        public init(
            department: DepartmentCode, state: ResponseState = .unread, readAt: Date? = nil, respondedAt: Date? = nil, text: String = ""
        ) {
            self.department = department
            self.state = state
            self.readAt = readAt
            self.respondedAt = respondedAt
            self.text = text
        }
    }

    public var id: Int64?
    public var industry: String
    public var taskID: TaskID?
    public var planID: Int64?
    public var stage: Stage
    public var title: String
    public var content: String
    public var actionRequired: String
    public var raisedBy: DepartmentCode
    /// When it was raised, by the server's clock.
    public var raisedAt: Date
    public var deadline: Date
    /// How the deadline was counted, when it was given in working days (not in hours).
    public var deadlineCount: WorkingDayCount?
    public var status: Status
    public var responses: [Response]

    public init(
        id: Int64? = nil, industry: String, taskID: TaskID? = nil, planID: Int64? = nil, stage: Stage, title: String, content: String,
        actionRequired: String, raisedBy: DepartmentCode, raisedAt: Date, deadline: Date, deadlineCount: WorkingDayCount? = nil,
        status: Status = .open, responses: [Response]
    ) {
        self.id = id
        self.industry = industry
        self.taskID = taskID
        self.planID = planID
        self.stage = stage
        self.title = title
        self.content = content
        self.actionRequired = actionRequired
        self.raisedBy = raisedBy
        self.raisedAt = raisedAt
        self.deadline = deadline
        self.deadlineCount = deadlineCount
        self.status = status
        self.responses = responses
    }

    /// A new call: the originator addresses participants of its industry; a participant addresses the originator.
    public func validate(departments: IndustryDepartments) throws(DomainError) {
        try Validation.name(title, field: "title")
        try Validation.text(content, field: "content", label: "内容", required: true, maximum: 5000)
        try Validation.text(actionRequired, field: "actionRequired", label: "需采取的行动", required: true, maximum: 1000)
        let addressed = responses.map(\.department)
        guard !addressed.isEmpty, Set(addressed).count == addressed.count, !addressed.contains(raisedBy) else {
            throw DomainError(.invalidValue, "须指定至少一个其他部门，且不可重复", field: "addressed")
        }
        let allowed = raisedBy == departments.originator ? Set(departments.participants) : [departments.originator]
        guard departments.originator == raisedBy || departments.participants.contains(raisedBy) else {
            throw DomainError(.notOriginator, "只有本行业的发起部门或参与部门可以吹哨", field: "industry")
        }
        guard Set(addressed).isSubset(of: allowed) else {
            throw DomainError(
                .unknownDepartment,
                raisedBy == departments.originator
                    ? "吹哨对象须为本行业的参与部门" : "参与部门只能向发起部门吹哨", field: "addressed")
        }
        guard deadline > raisedAt else { throw DomainError(.invalidPeriod, "响应期限须晚于现在", field: "deadline") }
    }

    /// A line of a call's history as officials read it: who did what (发起吹哨, 响应, 答复, 催办…).
    public static func historyLabel(_ action: String) -> String {
        switch action {
        case "raise": "发起吹哨"
        case "answer": "答复"
        case "close": "关闭吹哨"
        case "escalate": "逾期升级"
        default: Action(rawValue: action)?.label ?? "其他操作"
        }
    }

    /// An addressed department acts on the call: read, accept (with its answer), decline (with a reason), or ask.
    public enum Action: String, Sendable, CaseIterable {
        case read, accept, decline, ask

        public var label: String {
            switch self {
            case .read: "已读"
            case .accept: "响应"
            case .decline: "拒绝"
            case .ask: "请求补充信息"
            }
        }
    }

    public mutating func act(_ action: Action, by department: DepartmentCode, text: String, at now: Date) throws(DomainError) {
        guard status == .open else { throw DomainError(.callClosed, "该吹哨已关闭", field: "call") }
        guard let index = responses.firstIndex(where: { $0.department == department }) else {
            throw DomainError(.notAddressed, "本部门不是该吹哨的响应部门", field: "department")
        }
        var response = responses[index]
        guard !response.state.isAnswered else {
            throw DomainError(.alreadyResponded, "本部门已答复该吹哨（\(response.state.label)），不可再次响应", field: "action")
        }
        if response.readAt == nil { response.readAt = now }
        switch action {
        case .read:
            if response.state == .unread { response.state = .read }
        case .accept, .decline, .ask:
            try Validation.text(
                text, field: "text", label: action == .decline ? "拒绝理由" : action == .ask ? "问题" : "响应内容",
                required: true, maximum: 2000)
            response.state = action == .accept ? .accepted : action == .decline ? .declined : .infoRequested
            response.respondedAt = now
            response.text = text
        }
        responses[index] = response
    }

    /// The raiser (only) answers a department's request for information; the department then responds.
    public mutating func answer(_ department: DepartmentCode, text: String, by answerer: DepartmentCode) throws(DomainError) {
        guard answerer == raisedBy else { throw DomainError(.notOriginator, "只有吹哨部门可以答复", field: "call") }
        guard status == .open else { throw DomainError(.callClosed, "该吹哨已关闭", field: "call") }
        guard let index = responses.firstIndex(where: { $0.department == department }),
            responses[index].state == .infoRequested
        else {
            throw DomainError(.invalidValue, "该部门没有待答复的补充信息请求", field: "department")
        }
        try Validation.text(text, field: "text", label: "答复", required: true, maximum: 2000)
        responses[index].state = .read
        responses[index].text = text
    }

    /// Only the raiser closes, once.
    public mutating func close(by department: DepartmentCode) throws(DomainError) {
        guard department == raisedBy else { throw DomainError(.notOriginator, "只有吹哨部门可以关闭", field: "call") }
        guard status == .open else { throw DomainError(.callClosed, "该吹哨已关闭", field: "call") }
        status = .closed
    }

    /// The raiser and the addressed departments see the call (and the office, which sees everything).
    public func concerns(_ department: DepartmentCode) -> Bool {
        raisedBy == department || responses.contains { $0.department == department }
    }

    /// The departments that have not answered by the deadline, while the call is open.
    public func overdue(at now: Date) -> [DepartmentCode] {
        guard status == .open, now > deadline else { return [] }
        return responses.filter { !$0.state.isAnswered }.map(\.department)
    }
}
