import Foundation

/// A notification (待办通知): something a department must act on or know about, addressed to the department and
/// read per user. Stored once, announced to every instance, pushed to every connected user of the department.
public struct Notice: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case callRaised = "call_raised"
        case callResponded = "call_responded"
        case callAnswered = "call_answered"
        case callEscalated = "call_escalated"
        case callClosed = "call_closed"
        case calendarNeeded = "calendar_needed"
        case deadlineRecounted = "deadline_recounted"
        case assignmentToConfirm = "assignment_to_confirm"
        case confirmationEscalated = "confirmation_escalated"
        case meetingInvitation = "meeting_invitation"
        case actionItemAssigned = "action_item_assigned"
        case actionItemEscalated = "action_item_escalated"
        case clueRouted = "clue_routed"
        case clueReturned = "clue_returned"
        case clueOutcome = "clue_outcome"
        case clueEscalated = "clue_escalated"
        case resultEscalated = "result_escalated"
        case objectionReceived = "objection_received"
        case objectionEscalated = "objection_escalated"
        /// A warning rule found something in an industry the department originates (or, reported, for the office).
        case warningRaised = "warning_raised"

        public var label: String {
            switch self {
            case .callRaised: "收到吹哨"
            case .callResponded: "吹哨已获响应"
            case .callAnswered: "吹哨部门已答复"
            case .callEscalated: "吹哨响应逾期"
            case .callClosed: "吹哨已关闭"
            case .calendarNeeded: "待录入工作日历"
            case .deadlineRecounted: "期限已按工作日历调整"
            case .assignmentToConfirm: "待确认派单"
            case .confirmationEscalated: "派单确认逾期"
            case .meetingInvitation: "会商邀请"
            case .actionItemAssigned: "会商议定事项"
            case .actionItemEscalated: "议定事项逾期"
            case .clueRouted: "收到转办线索"
            case .clueReturned: "线索被退回"
            case .clueOutcome: "线索办理结果"
            case .clueEscalated: "线索办理逾期"
            case .resultEscalated: "检查结果公示逾期"
            case .objectionReceived: "收到检查结果异议"
            case .objectionEscalated: "异议复查或反馈逾期"
            case .warningRaised: "收到风险预警"
            }
        }
    }

    public enum Subject: String, Sendable, CaseIterable, Codable {
        case call, draw, meeting, clue
        /// An objection to a published result (异议).
        case objection
        /// A year of the working-day calendar (the subject id is the year).
        case calendar
        /// A risk warning (风险预警).
        case warning

        public var label: String {
            switch self {
            case .calendar: "工作日历"
            case .call: "吹哨"
            case .draw: "抽取"
            case .meeting: "议事会商"
            case .clue: "问题线索"
            case .objection: "异议"
            case .warning: "风险预警"
            }
        }
    }

    /// Assigned when stored.
    public var id: Int64?
    public var department: DepartmentCode
    public var kind: Kind
    public var title: String
    public var subjectType: Subject
    public var subjectID: Int64
    public var createdAt: Date?

    public init(
        id: Int64? = nil, department: DepartmentCode, kind: Kind, title: String, subjectType: Subject, subjectID: Int64,
        createdAt: Date? = nil
    ) {
        self.id = id
        self.department = department
        self.kind = kind
        self.title = String(title.prefix(300))
        self.subjectType = subjectType
        self.subjectID = subjectID
        self.createdAt = createdAt
    }

    /// The notice as one line of JSON, keys sorted (the same bytes every time), as streams and webhooks carry it:
    /// createdAt (RFC 3339), department, id, kind, subjectId, subjectType, title.
    public var json: String {
        struct Payload: Encodable {
            var id: Int64, department: DepartmentCode, kind: String, title: String, subjectType: String, subjectId: Int64, createdAt: String
        }
        let payload = Payload(
            id: id ?? 0, department: department, kind: kind.rawValue, title: title, subjectType: subjectType.rawValue,
            subjectId: subjectID, createdAt: createdAt?.formatted(.iso8601) ?? "")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(payload)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The same notice for each of `departments`, once each.
    public static func each(_ departments: some Sequence<DepartmentCode>, kind: Kind, title: String, subject: Subject, id: Int64)
        -> [Notice]
    {
        var seen = Set<DepartmentCode>()
        return departments.filter { seen.insert($0).inserted }
            .map { Notice(department: $0, kind: kind, title: title, subjectType: subject, subjectID: id) }
    }
}

extension WhistleCall {
    /// Who must hear of `action` by `department`: each addressed department of a new call; the raiser of a
    /// response or a question. Reading tells nobody.
    /// `names` gives departments' names for the titles (the code when missing).
    public func notices(raisedAs id: Int64, names: [DepartmentCode: String]) -> [Notice] {
        Notice.each(
            responses.map(\.department), kind: .callRaised,
            title: "\(names[name: raisedBy])吹哨（\(stage.label)）：\(title)", subject: .call, id: id)
    }

    public func notices(after action: Action, by department: DepartmentCode, names: [DepartmentCode: String]) -> [Notice] {
        guard action != .read, let id, let response = responses.first(where: { $0.department == department }) else { return [] }
        return [
            Notice(
                department: raisedBy, kind: .callResponded,
                title: "\(names[name: department])\(response.state.label)：\(title)", subjectType: .call, subjectID: id)
        ]
    }

    public func notices(answering department: DepartmentCode, names: [DepartmentCode: String]) -> [Notice] {
        guard let id else { return [] }
        return [
            Notice(
                department: department, kind: .callAnswered, title: "\(names[name: raisedBy])已答复：\(title)",
                subjectType: .call, subjectID: id)
        ]
    }

    /// Closing tells every addressed department that nothing more is expected of it.
    public func noticesOfClosing(names: [DepartmentCode: String]) -> [Notice] {
        guard let id else { return [] }
        return responses.map {
            Notice(
                department: $0.department, kind: .callClosed, title: "\(names[name: raisedBy])已关闭吹哨：\(title)",
                subjectType: .call, subjectID: id)
        }
    }
}
