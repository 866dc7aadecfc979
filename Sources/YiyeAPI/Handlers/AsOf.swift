import Foundation
import YiyeCore

/// When an answer is written: the clock's "now", and the calendar years the office has entered. What is overdue
/// follows from the first; which deadlines are provisional (counted over a year not entered) from the second.
struct AsOf: Sendable {
    var now: Date
    var enteredYears: Set<Int>

    var today: CalendarDate { CalendarDate(chinaDateOf: now) }

    /// Whether a deadline ending on `end`, counted as `count` (nil: not in working days), is provisional.
    func isProvisional(_ count: WorkingDayCount?, ending end: CalendarDate) -> Bool {
        count?.isProvisional(ending: end, entered: enteredYears) ?? false
    }
}

extension APIHandlers {
    func asOf() async throws -> AsOf {
        AsOf(now: clock.now, enteredYears: try await calendar.years())
    }
}
