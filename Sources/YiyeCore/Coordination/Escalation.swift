import Foundation

/// 逾期升级: something a department had to do by a deadline and has not. Each is escalated once: to the
/// leadership office and to the department that is waiting (the originator, the raiser, the convener, the finder),
/// with a reminder to the late department itself.
public struct Escalation: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// An addressed department has not accepted or declined a whistle call.
        case callResponse = "call_response"
        /// A sending department has not confirmed its assignments of a draw.
        case confirmation
        /// A meeting's action item is not done by its due date.
        case actionItem = "action_item"
        /// A routed clue is neither returned nor concluded with an outcome by its deadline.
        case clueRoute = "clue_route"
        /// A department that sent inspectors has not published all its results of a draw by their deadline.
        case resultPublication = "result_publication"
        /// An objection not re-examined within 20 working days of receipt.
        case objectionReexamination = "objection_reexamination"
        /// The business not told of the re-examination within 15 working days of the decision.
        case objectionFeedback = "objection_feedback"

        public var label: String {
            switch self {
            case .callResponse: "吹哨响应逾期"
            case .confirmation: "派单确认逾期"
            case .actionItem: "议定事项逾期"
            case .clueRoute: "线索办理逾期"
            case .resultPublication: "检查结果公示逾期"
            case .objectionReexamination: "异议复查逾期"
            case .objectionFeedback: "异议复查结果反馈逾期"
            }
        }

        var noticeKind: Notice.Kind {
            switch self {
            case .callResponse: .callEscalated
            case .confirmation: .confirmationEscalated
            case .actionItem: .actionItemEscalated
            case .clueRoute: .clueEscalated
            case .resultPublication: .resultEscalated
            case .objectionReexamination, .objectionFeedback: .objectionEscalated
            }
        }
    }

    public var kind: Kind
    /// The call, draw (confirmations, results), action item or clue route.
    public var subjectID: Int64
    /// The department that is late.
    public var department: DepartmentCode
    /// The department waiting for it.
    public var waitingDepartment: DepartmentCode
    /// What the notice links to: the call, draw, meeting or clue.
    public var link: Notice.Subject
    public var linkID: Int64
    /// What was due, in words (the call's title, the item's description).
    public var about: String
    public var due: Date
    /// The industry of what is late (the dashboard narrows its overdue list by it).
    public var industry: String

    public init(
        kind: Kind, subjectID: Int64, department: DepartmentCode, waitingDepartment: DepartmentCode, link: Notice.Subject, linkID: Int64,
        about: String, due: Date, industry: String
    ) {
        self.kind = kind
        self.subjectID = subjectID
        self.department = department
        self.waitingDepartment = waitingDepartment
        self.link = link
        self.linkID = linkID
        self.about = about
        self.due = due
        self.industry = industry
    }

    /// The office (each of them), the waiting department and the late one, once each.
    public func notices(offices: [DepartmentCode], names: [DepartmentCode: String]) -> [Notice] {
        Notice.each(
            offices + [waitingDepartment, department], kind: kind.noticeKind,
            title: "\(kind.label)：\(names[name: department])未在期限内办理「\(about)」", subject: link, id: linkID)
    }
}
