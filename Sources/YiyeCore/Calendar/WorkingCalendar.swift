/// The official working-day calendar: weekends and public holidays are off, make-up working days (调休, a
/// Saturday or Sunday declared a working day) are on. Kept per year, from the State Council's notices.
///
/// A year the office has not entered yet is counted provisionally (`Year.provisional`): weekends and the holidays
/// whose dates never move are off, nothing else. Work never stops for want of next year's notice; a deadline counted
/// over such a year is marked provisional and counted again when the office enters the year.
public struct WorkingCalendar: Sendable, Equatable {
    /// One year's official data.
    public struct Year: Sendable, Equatable {
        public var year: Int
        /// Days off by notice, with the holiday's name (weekend days inside a holiday may be listed too).
        public var holidays: [CalendarDate: String]
        /// Weekend days declared working days, with the holiday they make up for.
        public var makeupWorkdays: [CalendarDate: String]
        /// Not entered by the office: weekends and fixed-date holidays only.
        public var provisional: Bool

        public init(year: Int, holidays: [CalendarDate: String], makeupWorkdays: [CalendarDate: String], provisional: Bool = false) {
            self.year = year
            self.holidays = holidays
            self.makeupWorkdays = makeupWorkdays
            self.provisional = provisional
        }

        /// A year the office has not entered: off on weekends and on the statutory holidays whose dates are fixed
        /// (《全国年节及纪念日放假办法》: 元旦 1 January, 劳动节 1–2 May, 国庆节 1–3 October). The lunar holidays, 清明
        /// and the make-up days are only known from the State Council's notice.
        public static func provisional(_ year: Int) -> Year {
            let fixed: [(Int, Int, String)] = [
                (1, 1, "元旦"), (5, 1, "劳动节"), (5, 2, "劳动节"), (10, 1, "国庆节"), (10, 2, "国庆节"),
                (10, 3, "国庆节"),
            ]
            var holidays: [CalendarDate: String] = [:]
            for (month, day, name) in fixed {
                if let date = CalendarDate(year: year, month: month, day: day) { holidays[date] = name }
            }
            return Year(year: year, holidays: holidays, makeupWorkdays: [:], provisional: true)
        }

        /// Every date belongs to this year; a make-up day is a weekend day and no holiday.
        public func validate() throws(DomainError) {
            for date in Array(holidays.keys) + Array(makeupWorkdays.keys) where date.year != year {
                throw DomainError(.invalidCalendar, "日期 \(date) 不属于 \(year) 年", field: "days")
            }
            for date in makeupWorkdays.keys {
                guard date.isWeekend else { throw DomainError(.invalidCalendar, "调休上班日 \(date) 不是周末", field: "makeupWorkdays") }
                guard holidays[date] == nil else { throw DomainError(.invalidCalendar, "\(date) 不能既是假日又是调休上班日", field: "makeupWorkdays") }
            }
        }
    }

    /// Why a count could not be made.
    public enum CountError: Error, Equatable, CustomStringConvertible {
        case yearNotCovered(Int)
        /// Counting goes forward only, and no further than `maximumCount`.
        case countOutOfRange(Int)

        public var description: String {
            switch self {
            case .yearNotCovered(let year): "工作日历缺少 \(year) 年的数据，请领导小组办公室先录入"
            case .countOutOfRange(let count):
                "工作日数 \(count) 超出范围：须在 0 至 \(WorkingCalendar.maximumCount) 之间"
            }
        }
    }

    /// The most working days any deadline counts (about four years): every count the domain makes is far below.
    public static let maximumCount = 1000

    /// The calendar years a count of `count` working days from `date` can reach (a year holds at least 200
    /// working days), or the reason the count cannot be made.
    public static func yearsReached(counting count: Int, from date: CalendarDate) throws(CountError) -> ClosedRange<Int> {
        guard (0...maximumCount).contains(count) else { throw .countOutOfRange(count) }
        return date.year...(date.year + 1 + count / 200)
    }

    public private(set) var years: [Int: Year]

    public init(years: [Year]) {
        self.years = Dictionary(years.map { ($0.year, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Whether a deadline counted from `start` to `end` went over a year the office has not entered.
    public func isProvisional(from start: CalendarDate, to end: CalendarDate) -> Bool {
        !provisionalYears(from: start, to: end).isEmpty
    }

    /// The years between `start` and `end` this calendar counts only provisionally (or does not hold).
    public func provisionalYears(from start: CalendarDate, to end: CalendarDate) -> [Int] {
        (min(start.year, end.year)...max(start.year, end.year)).filter { years[$0]?.provisional ?? true }
    }

    /// Refuses a date that is not a working day (a deadline or a step falls on one), naming `field`.
    public func requireWorkingDay(_ date: CalendarDate, field: String, label: String) throws(DomainError) {
        let working: Bool
        do { working = try isWorkingDay(date) } catch { throw DomainError(.invalidCalendar, error.description, field: field) }
        guard working else {
            throw DomainError(.invalidPeriod, "\(label)须为工作日：\(date.chineseDescription)是休息日", field: field)
        }
    }

    /// Whether `date` is a working day.
    public func isWorkingDay(_ date: CalendarDate) throws(CountError) -> Bool {
        guard let year = years[date.year] else { throw .yearNotCovered(date.year) }
        if year.makeupWorkdays[date] != nil { return true }
        if year.holidays[date] != nil { return false }
        return !date.isWeekend
    }

    /// The `count`-th working day after `date` (the start itself not counted): "within N working days of" ends there.
    public func adding(workingDays count: Int, to date: CalendarDate) throws(CountError) -> CalendarDate {
        guard (0...Self.maximumCount).contains(count) else { throw .countOutOfRange(count) }
        var current = date
        var remaining = count
        while remaining > 0 {
            current = current.adding(days: 1)
            if try isWorkingDay(current) { remaining -= 1 }
        }
        return current
    }

    /// Working days after `start` up to and including `end` (0 when `end` is not after `start`).
    public func workingDays(from start: CalendarDate, to end: CalendarDate) throws(CountError) -> Int {
        guard start < end else { return 0 }
        var count = 0
        var current = start
        while current < end {
            current = current.adding(days: 1)
            if try isWorkingDay(current) { count += 1 }
        }
        return count
    }
}
