import Foundation

/// A department's confirmation of its assignments in a draw (派单确认), due within 1 working day of execution.
public struct AssignmentConfirmation: Sendable, Equatable {
    public var department: String
    public var deadline: CalendarDate
    public var confirmedBy: String?
    public var confirmedAt: Date?

    public init(department: String, deadline: CalendarDate, confirmedBy: String? = nil, confirmedAt: Date? = nil) {
        self.department = department
        self.deadline = deadline
        self.confirmedBy = confirmedBy
        self.confirmedAt = confirmedAt
    }

    /// Not confirmed and the deadline day has passed.
    public func isOverdue(on today: CalendarDate) -> Bool {
        confirmedAt == nil && deadline < today
    }
}
