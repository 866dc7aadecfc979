/// The period a dashboard or a 汇总上报 report counts (统计期间): a year, one of its quarters or one of its months,
/// as calendar dates in China.
public struct DashboardPeriod: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        case year
        case quarter(Int)
        case month(Int)
    }

    public let year: Int
    public let part: Part

    /// Refuses a year outside 2000–2100, a quarter outside 1–4, a month outside 1–12, and a quarter with a month.
    public init(year: Int, quarter: Int? = nil, month: Int? = nil) throws {
        guard (2000...2100).contains(year) else {
            throw DomainError(.invalidPeriod, "统计年度应在 2000 至 2100 之间", field: "year")
        }
        switch (quarter, month) {
        case (nil, nil): part = .year
        case (let quarter?, nil):
            guard (1...4).contains(quarter) else { throw DomainError(.invalidPeriod, "季度应为 1 至 4", field: "quarter") }
            part = .quarter(quarter)
        case (nil, let month?):
            guard (1...12).contains(month) else { throw DomainError(.invalidPeriod, "月份应为 1 至 12", field: "month") }
            part = .month(month)
        case (_?, _?):
            throw DomainError(.invalidPeriod, "季度与月份只能选择其一", field: "month")
        }
        self.year = year
    }

    /// The months the period covers.
    public var months: ClosedRange<Int> {
        switch part {
        case .year: 1...12
        case .quarter(let quarter): (quarter * 3 - 2)...(quarter * 3)
        case .month(let month): month...month
        }
    }

    public var first: CalendarDate {
        guard let date = CalendarDate(year: year, month: months.lowerBound, day: 1) else { preconditionFailure("a checked period") }
        return date
    }

    public var last: CalendarDate {
        let next =
            months.upperBound == 12
            ? CalendarDate(year: year + 1, month: 1, day: 1) : CalendarDate(year: year, month: months.upperBound + 1, day: 1)
        guard let next else { preconditionFailure("a checked period") }
        return next.adding(days: -1)
    }

    /// How officials write it: 2026年, 2026年第二季度, 2026年3月.
    public var label: String {
        switch part {
        case .year: "\(year)年"
        case .quarter(let quarter): "\(year)年第\(["一", "二", "三", "四"][quarter - 1])季度"
        case .month(let month): "\(year)年\(month)月"
        }
    }
}
