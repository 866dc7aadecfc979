import Foundation

/// One thing waiting for a department (待办): what is to be done, about what, and by when. A department's agenda is
/// worked out from the state of its calls, draws, results, objections, clues and meetings; nothing is stored twice.
public struct AgendaItem: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// An addressed department has not accepted or declined a call (待响应的吹哨).
        case callToAnswer = "call_to_answer"
        /// A department asked the raiser of a call for more information (待答复的询问).
        case questionToAnswer = "question_to_answer"
        /// The department has not confirmed its assignments of an executed draw (待确认的派单).
        case assignmentToConfirm = "assignment_to_confirm"
        /// A frozen draw waits for the department's commitment (待提交的承诺值).
        case commitmentToMake = "commitment_to_make"
        /// The reveal is open and the department's secret is not revealed (待公开的随机数).
        case revealToMake = "reveal_to_make"
        /// Drawn objects whose result the department has not submitted (待录入的检查结果).
        case resultToEnter = "result_to_enter"
        /// Submitted results waiting for review (待审核的检查结果).
        case resultToReview = "result_to_review"
        /// Approved results not yet published (待公示的检查结果).
        case resultToPublish = "result_to_publish"
        /// Objections to a result under re-examination (待复查的异议).
        case objectionToReexamine = "objection_to_reexamine"
        /// A clue routed to the department, not accepted or returned yet (待接收的线索).
        case clueToAccept = "clue_to_accept"
        /// An accepted clue without an outcome (待办结的线索).
        case clueToConclude = "clue_to_conclude"
        /// An action item of a meeting the department owns (待完成的议定事项).
        case actionItemDue = "action_item_due"
        /// A meeting the department convened or is invited to, in the coming 14 days (即将召开的会商).
        case meetingComing = "meeting_coming"

        /// The term officials use.
        public var label: String {
            switch self {
            case .callToAnswer: "待响应的吹哨"
            case .questionToAnswer: "待答复的询问"
            case .assignmentToConfirm: "待确认的派单"
            case .commitmentToMake: "待提交的承诺值"
            case .revealToMake: "待公开的随机数"
            case .resultToEnter: "待录入的检查结果"
            case .resultToReview: "待审核的检查结果"
            case .resultToPublish: "待公示的检查结果"
            case .objectionToReexamine: "待复查的异议"
            case .clueToAccept: "待接收的线索"
            case .clueToConclude: "待办结的线索"
            case .actionItemDue: "待完成的议定事项"
            case .meetingComing: "即将召开的会商"
            }
        }

        /// What a user needs to act on it; a user's agenda holds only what their roles may do.
        public var permission: Permission {
            switch self {
            case .callToAnswer, .questionToAnswer, .clueToAccept, .clueToConclude, .actionItemDue, .meetingComing: .coordinate
            case .assignmentToConfirm, .commitmentToMake, .revealToMake: .contributeToDraws
            case .resultToEnter: .enterResults
            case .resultToReview: .reviewResults
            case .resultToPublish: .publishResults
            case .objectionToReexamine: .handleObjections
            }
        }
    }

    public var kind: Kind
    /// The call, draw, objection, clue, action item or meeting it is about.
    public var subject: Int64
    public var title: String
    public var industry: String
    /// How many of it (objects of a draw, departments asking); 1 otherwise.
    public var count: Int
    /// When it is due (a meeting: when it starts); nil when no deadline applies.
    public var deadline: Date?
    /// Since when it has been waiting.
    public var since: Date

    public init(kind: Kind, subject: Int64, title: String, industry: String, count: Int, deadline: Date?, since: Date) {
        (self.kind, self.subject, self.title, self.industry) = (kind, subject, title, industry)
        (self.count, self.deadline, self.since) = (count, deadline, since)
    }

    /// How long is left (`TimeLeft`); nil without a deadline.
    public func timeLeft(at now: Date) -> String? {
        deadline.map { TimeLeft.text(until: $0, at: now) }
    }

    public func isOverdue(at now: Date) -> Bool {
        deadline.map { $0 < now } ?? false
    }
}

/// A user's agenda: the items their roles may act on, the most urgent first (earliest deadline, overdue ones
/// before all), then those without a deadline, newest first.
public struct Agenda: Sendable, Equatable {
    public let items: [AgendaItem]

    public init(_ items: [AgendaItem], for actor: Actor) {
        self.items = items.filter { actor.has($0.kind.permission) }.sorted { a, b in
            switch (a.deadline, b.deadline) {
            case (let x?, let y?): x != y ? x < y : a.since > b.since
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): a.since > b.since
            }
        }
    }

    /// How many items of each kind, in the order of `AgendaItem.Kind`, kinds with none left out.
    public var counts: [(kind: AgendaItem.Kind, count: Int)] {
        AgendaItem.Kind.allCases.compactMap { kind in
            let count = items.filter { $0.kind == kind }.count
            return count > 0 ? (kind, count) : nil
        }
    }
}

/// How long is left until a deadline, as officials write it: "剩余 2 天 3 小时", "剩余 40 分钟", "已逾期 5 小时".
public enum TimeLeft {
    public static func text(until deadline: Date, at now: Date) -> String {
        let seconds = Int(deadline.timeIntervalSince(now))
        let minutes = abs(seconds) / 60
        let (days, hours) = (minutes / 1440, minutes % 1440 / 60)
        let span =
            days > 0
            ? "\(days) 天" + (hours > 0 ? " \(hours) 小时" : "")
            : hours > 0 ? "\(hours) 小时" : "\(max(minutes, 1)) 分钟"
        return (seconds >= 0 ? "剩余 " : "已逾期 ") + span
    }
}
