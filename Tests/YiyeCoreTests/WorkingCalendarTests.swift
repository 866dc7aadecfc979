import Testing
import YiyeCore

@Suite("Working-day calendar")
struct WorkingCalendarTests {
    static func d(_ text: String) -> CalendarDate { CalendarDate(text)! }

    /// 2026 as the State Council's notice on holidays gives it, typed here independently of the shipped data.
    static let official2026 = WorkingCalendar.Year(
        year: 2026,
        holidays: Dictionary(
            uniqueKeysWithValues: [
                ("2026-01-01", 3, "元旦"), ("2026-02-15", 9, "春节"), ("2026-04-04", 3, "清明节"), ("2026-05-01", 5, "劳动节"),
                ("2026-06-19", 3, "端午节"), ("2026-09-25", 3, "中秋节"), ("2026-10-01", 7, "国庆节"),
            ].flatMap { start, length, name in (0..<length).map { (d(start).adding(days: $0), name) } }),
        makeupWorkdays: [
            d("2026-01-04"): "元旦", d("2026-02-14"): "春节", d("2026-02-28"): "春节", d("2026-05-09"): "劳动节",
            d("2026-09-20"): "国庆节", d("2026-10-10"): "国庆节",
        ]
    )
    static let end2025 = WorkingCalendar.Year(year: 2025, holidays: [:], makeupWorkdays: [:])
    let calendar = WorkingCalendar(years: [official2026, end2025])

    @Test("dates parse strictly and know their weekday")
    func dates() {
        #expect(CalendarDate("2026-02-14")?.weekday == 6)
        #expect(CalendarDate("2026-02-16")?.weekday == 1)
        #expect(CalendarDate("1970-01-01")?.weekday == 4)
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2026-02-29") == nil)
        #expect(CalendarDate("2026-2-1") == nil)
        #expect(CalendarDate("2026-13-01") == nil)
        #expect(CalendarDate("２０２６-01-01") == nil)
        #expect(CalendarDate("2026-12-31")!.adding(days: 1).description == "2027-01-01")
        #expect(CalendarDate(dayNumber: CalendarDate("2000-02-29")!.dayNumber) == CalendarDate("2000-02-29"))
    }

    @Test("2026-02-14 and 2026-02-28 are make-up working days; the Spring Festival weekdays are off")
    func springFestival() throws {
        #expect(try calendar.isWorkingDay(Self.d("2026-02-14")))
        #expect(try calendar.isWorkingDay(Self.d("2026-02-28")))
        #expect(try !calendar.isWorkingDay(Self.d("2026-02-16")))
        #expect(try !calendar.isWorkingDay(Self.d("2026-02-23")))
        #expect(try calendar.isWorkingDay(Self.d("2026-02-24")))
        #expect(try !calendar.isWorkingDay(Self.d("2026-03-01")))
        #expect(try calendar.isWorkingDay(Self.d("2026-03-02")))
    }

    // Expected values from the official calendar (cross-checked with the chinese-calendar package's data).
    @Test("adding working days lands where the official calendar says")
    func adding() throws {
        #expect(try calendar.adding(workingDays: 20, to: Self.d("2026-02-10")) == Self.d("2026-03-16"))
        #expect(try calendar.adding(workingDays: 1, to: Self.d("2026-02-13")) == Self.d("2026-02-14"))
        #expect(try calendar.adding(workingDays: 5, to: Self.d("2026-09-28")) == Self.d("2026-10-10"))
        #expect(try calendar.adding(workingDays: 0, to: Self.d("2026-02-16")) == Self.d("2026-02-16"))
        #expect(try calendar.adding(workingDays: 5, to: Self.d("2025-12-30")) == Self.d("2026-01-07"))
    }

    @Test("working days between two dates count the end, not the start")
    func between() throws {
        #expect(try calendar.workingDays(from: Self.d("2026-02-10"), to: Self.d("2026-03-10")) == 16)
        #expect(try calendar.workingDays(from: Self.d("2026-02-13"), to: Self.d("2026-02-14")) == 1)
        #expect(try calendar.workingDays(from: Self.d("2026-03-10"), to: Self.d("2026-02-10")) == 0)
    }

    @Test("a year the calendar does not hold is refused, not guessed")
    func uncoveredYear() {
        #expect(throws: WorkingCalendar.CountError.yearNotCovered(2027)) {
            try calendar.adding(workingDays: 3, to: Self.d("2026-12-30"))
        }
        #expect(throws: WorkingCalendar.CountError.yearNotCovered(2024)) { try calendar.isWorkingDay(Self.d("2024-06-03")) }
    }

    @Test("a provisional year is off on weekends, 1 January, 1–2 May and 1–3 October only, and marks what is counted over it")
    func provisionalYear() throws {
        let provisional = WorkingCalendar.Year.provisional(2027)
        #expect(provisional.provisional)
        #expect(
            provisional.holidays.keys.map(\.description).sorted()
                == ["2027-01-01", "2027-05-01", "2027-05-02", "2027-10-01", "2027-10-02", "2027-10-03"])
        #expect(provisional.makeupWorkdays.isEmpty)
        let calendar = WorkingCalendar(years: [Self.official2026, provisional])
        // From Sunday 20 December 2026: 9 working days to the 31st, 1 January off, 5 + 5, then Monday 18 January.
        #expect(try calendar.adding(workingDays: 20, to: Self.d("2026-12-20")) == Self.d("2027-01-18"))
        #expect(calendar.isProvisional(from: Self.d("2026-12-20"), to: Self.d("2027-01-18")))
        #expect(!calendar.isProvisional(from: Self.d("2026-12-01"), to: Self.d("2026-12-28")))
        let count = WorkingDayCount(from: Self.d("2026-12-20"), workingDays: 20)
        #expect(count.isProvisional(ending: Self.d("2027-01-18"), entered: [2026]))
        #expect(!count.isProvisional(ending: Self.d("2027-01-18"), entered: [2026, 2027]))
    }

    @Test("a year's data is checked: dates in the year, make-up days on weekends and not holidays")
    func validation() {
        #expect(rule(of: Self.official2026.validate) == nil)
        var wrongYear = Self.official2026
        wrongYear.holidays[Self.d("2025-10-01")] = "国庆节"
        #expect(rule(of: wrongYear.validate) == .invalidCalendar)
        var weekdayMakeup = Self.official2026
        weekdayMakeup.makeupWorkdays[Self.d("2026-03-04")] = "无"
        #expect(rule(of: weekdayMakeup.validate) == .invalidCalendar)
        var both = Self.official2026
        both.makeupWorkdays[Self.d("2026-02-15")] = "春节"
        #expect(rule(of: both.validate) == .invalidCalendar)
    }

    @Test("a negative or huge working-day count is refused with the count named, never a trap")
    func countsOutOfRange() throws {
        let start = Self.d("2026-03-02")
        for count in [-1, -47710, WorkingCalendar.maximumCount + 1, Int.max, Int.min] {
            #expect(throws: WorkingCalendar.CountError.countOutOfRange(count)) { try calendar.adding(workingDays: count, to: start) }
            #expect(throws: WorkingCalendar.CountError.countOutOfRange(count)) {
                try WorkingCalendar.yearsReached(counting: count, from: start)
            }
        }
        #expect(try calendar.adding(workingDays: 0, to: start) == start)
        #expect(try WorkingCalendar.yearsReached(counting: 1000, from: start) == 2026...2032)
    }
}
