import Foundation

/// A department's confirmation of its assignments in a draw (派单确认), due within 1 working day of execution.
public struct AssignmentConfirmation: Sendable, Equatable {
    public var department: DepartmentCode
    public var deadline: CalendarDate
    /// How the deadline was counted: 1 working day from the execution.
    public var deadlineCount: WorkingDayCount?
    public var confirmedBy: String?
    public var confirmedAt: Date?

    public init(
        department: DepartmentCode, deadline: CalendarDate, deadlineCount: WorkingDayCount? = nil, confirmedBy: String? = nil,
        confirmedAt: Date? = nil
    ) {
        self.department = department
        self.deadline = deadline
        self.deadlineCount = deadlineCount
        self.confirmedBy = confirmedBy
        self.confirmedAt = confirmedAt
    }

    /// Not confirmed and the deadline day has passed.
    public func isOverdue(on today: CalendarDate) -> Bool {
        confirmedAt == nil && deadline < today
    }

    /// Each department confirms within 1 working day of the draw's execution (docs/DOMAIN.md, confirm dispatched objects).
    public static func deadlineCount(executedOn day: CalendarDate) -> WorkingDayCount {
        WorkingDayCount(from: day, workingDays: 1)
    }

    /// A department confirms once, after execution, and only when the draw sent it inspectors.
    public static func checkConfirm(executed: Bool, assigned: Bool, confirmedAt: Date?) throws(DomainError) {
        guard executed else { throw DomainError(.drawPhase, "抽取尚未执行，还没有需要确认的派单", field: "draw") }
        guard assigned else { throw DomainError(.noAssignment, "该抽取没有向本部门派单，无需确认", field: "department") }
        if let confirmedAt {
            throw DomainError(
                .alreadyConfirmed, "本部门已于 \(CalendarDate(chinaDateOf: confirmedAt).chineseDescription) 确认派单，无需再次确认",
                field: "department")
        }
    }
}
