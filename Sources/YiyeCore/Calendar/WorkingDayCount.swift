/// A deadline given in working days (N 个工作日内): the day the count started and how many working days it counts.
/// Kept with the deadline, so that the deadline can be counted again when the calendar changes under it.
public struct WorkingDayCount: Sendable, Equatable, Hashable {
    public var from: CalendarDate
    public var workingDays: Int

    public init(from: CalendarDate, workingDays: Int) {
        self.from = from
        self.workingDays = workingDays
    }

    /// Whether the deadline ending on `end` was counted over a year not in `entered` (the years the office entered):
    /// then it is provisional until the office enters that year.
    public func isProvisional(ending end: CalendarDate, entered: Set<Int>) -> Bool {
        !(from.year...max(from.year, end.year)).allSatisfy(entered.contains)
    }

    /// The deadline's day on `calendar`.
    public func end(on calendar: WorkingCalendar) throws(WorkingCalendar.CountError) -> CalendarDate {
        try calendar.adding(workingDays: workingDays, to: from)
    }
}
