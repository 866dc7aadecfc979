import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// The working-day calendar in PostgreSQL.
public struct CalendarRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The years the calendar holds.
    public func years() async throws -> [Int] {
        try await client.translatingErrors {
            try await client.query("SELECT year FROM calendar_years ORDER BY year", logger: logger).decode(Int.self).all()
        }
    }

    /// One year's data; nil when the calendar does not hold it.
    public func year(_ year: Int) async throws -> WorkingCalendar.Year? {
        try await calendar(covering: [year]).years[year]
    }

    /// The calendar for the given years (those it holds).
    public func calendar(covering years: Set<Int>) async throws -> WorkingCalendar {
        try await client.translatingErrors {
            let held = try await client.query(
                "SELECT year FROM calendar_years WHERE year = ANY(\(Array(years)))", logger: logger
            ).decode(Int.self).all()
            var data = Dictionary(uniqueKeysWithValues: held.map { ($0, WorkingCalendar.Year(year: $0, holidays: [:], makeupWorkdays: [:])) })
            let rows = try await client.query("""
                SELECT to_char(day, 'YYYY-MM-DD'), year, kind, name FROM calendar_days WHERE year = ANY(\(Array(years)))
                """, logger: logger)
            for try await (text, year, kind, name) in rows.decode((String, Int, String, String).self) {
                guard let date = CalendarDate(text) else { continue }
                if kind == "holiday" { data[year]?.holidays[date] = name } else { data[year]?.makeupWorkdays[date] = name }
            }
            return WorkingCalendar(years: Array(data.values))
        }
    }

    /// The date `count` working days after `date`; a year the calendar lacks is a domain error naming it.
    public func adding(workingDays count: Int, to date: CalendarDate) async throws -> CalendarDate {
        do {
            let covering = try await calendar(covering: Set(try WorkingCalendar.yearsReached(counting: count, from: date)))
            return try covering.adding(workingDays: count, to: date)
        } catch let error as WorkingCalendar.CountError {
            throw DomainError(.invalidCalendar, error.description, field: "calendar")
        }
    }

    /// Replaces (or adds) a year, audited in the same transaction.
    public func replace(_ year: WorkingCalendar.Year, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            _ = try await connection.query("""
                INSERT INTO calendar_years (year) VALUES (\(year.year))
                ON CONFLICT (year) DO UPDATE SET updated_at = now()
                """, logger: logger)
            _ = try await connection.query("DELETE FROM calendar_days WHERE year = \(year.year)", logger: logger)
            let days = year.holidays.map { ($0.key, "holiday", $0.value) } + year.makeupWorkdays.map { ($0.key, "makeup_workday", $0.value) }
            _ = try await connection.query("""
                INSERT INTO calendar_days (day, year, kind, name)
                SELECT d::date, \(year.year), k, n
                FROM unnest(\(days.map { $0.0.description })::text[], \(days.map(\.1))::text[], \(days.map(\.2))::text[]) AS t(d, k, n)
                """, logger: logger)
        }
    }
}
