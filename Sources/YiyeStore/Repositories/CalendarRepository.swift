import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// The working-day calendar in PostgreSQL: the years the office entered, every other year counted provisionally
/// (`WorkingCalendar.Year.provisional`), and the open deadlines counted again when a year is entered or corrected.
public struct CalendarRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The years the office entered.
    public func years() async throws -> Set<Int> {
        try await client.translatingErrors {
            Set(try await client.query("SELECT year FROM calendar_years", logger: logger).decode(Int.self).all())
        }
    }

    /// One year as the office entered it; nil when it did not.
    public func year(_ year: Int) async throws -> WorkingCalendar.Year? {
        guard let found = try await calendar(covering: [year]).years[year], !found.provisional else { return nil }
        return found
    }

    /// The calendar for the given years: as entered, or provisional where the office has not entered them.
    public func calendar(covering years: Set<Int>) async throws -> WorkingCalendar {
        try await client.translatingErrors {
            try await client.withConnection { try await Self.calendar(covering: years, on: $0, logger: logger) }
        }
    }

    static func calendar(covering years: Set<Int>, on connection: PostgresConnection, logger: Logger) async throws -> WorkingCalendar {
        let held = try await connection.query(
            "SELECT year FROM calendar_years WHERE year = ANY(\(Array(years)))", logger: logger
        ).decode(Int.self).all()
        var data = Dictionary(uniqueKeysWithValues: years.map { ($0, WorkingCalendar.Year.provisional($0)) })
        for year in held { data[year] = WorkingCalendar.Year(year: year, holidays: [:], makeupWorkdays: [:]) }
        let rows = try await connection.query(
            """
            SELECT to_char(day, 'YYYY-MM-DD'), year, kind, name FROM calendar_days WHERE year = ANY(\(Array(years)))
            """, logger: logger)
        for try await (text, year, kind, name) in rows.decode((String, Int, String, String).self) {
            guard let date = CalendarDate(text) else { throw StoreError.unexpected("calendar day \(text) is not a date") }
            if kind == "holiday" { data[year]?.holidays[date] = name } else { data[year]?.makeupWorkdays[date] = name }
        }
        return WorkingCalendar(years: Array(data.values))
    }

    /// The deadline `count` working days after its start, and whether it was counted over a year the office has not
    /// entered; when it was, the office is asked to enter that year (once per year).
    /// The deadlines of a draw executed on `today` for a task whose window ends on `windowEnd`.
    public func executionDeadlines(
        executedOn today: CalendarDate, windowEnd: CalendarDate, resultWorkingDays: Int
    ) async throws -> DrawRepository.ExecutionDeadlines {
        let confirmation = AssignmentConfirmation.deadlineCount(executedOn: today)
        let results = InspectionResult.publicationCount(inspectedOn: nil, windowEnd: windowEnd, workingDays: resultWorkingDays)
        return DrawRepository.ExecutionDeadlines(
            confirmation: (confirmation, try await deadline(confirmation).date), results: (results, try await deadline(results).date))
    }

    public func deadline(_ count: WorkingDayCount) async throws -> (date: CalendarDate, provisional: Bool) {
        do {
            let reached = try WorkingCalendar.yearsReached(counting: count.workingDays, from: count.from)
            let covering = try await calendar(covering: Set(reached))
            let end = try count.end(on: covering)
            let missing = covering.provisionalYears(from: count.from, to: end)
            if !missing.isEmpty { try await requestYears(missing) }
            return (end, !missing.isEmpty)
        } catch let error as WorkingCalendar.CountError {
            throw DomainError(.invalidCalendar, error.description, field: "workingDays")
        }
    }

    /// The date `count` working days after `date`.
    public func adding(workingDays count: Int, to date: CalendarDate) async throws -> CalendarDate {
        try await deadline(WorkingDayCount(from: date, workingDays: count)).date
    }

    /// Asks the leadership office to enter each of `years` it was not asked for yet.
    private func requestYears(_ years: [Int]) async throws {
        try await client.translatingErrors {
            try await client.withTransaction(logger: logger) { connection in
                let asked = try await connection.query(
                    """
                    INSERT INTO calendar_requests (year) SELECT unnest(\(years)::integer[]) ON CONFLICT DO NOTHING RETURNING year
                    """, logger: logger
                ).decode(Int.self).all()
                guard !asked.isEmpty else { return }
                let offices = try await connection.query(
                    "SELECT code FROM departments WHERE kind = 'leadership_office' ORDER BY code", logger: logger
                ).decode(DepartmentCode.self).all()
                try await NotificationRepository.insert(
                    asked.sorted().flatMap { year in
                        Notice.each(
                            offices, kind: .calendarNeeded, title: "请录入 \(year) 年工作日历：涉及该年的期限暂按周末和固定日期节假日计算，录入后自动重新计算",
                            subject: .calendar, id: Int64(year))
                    }, on: connection, logger: logger)
            }
        }
    }

    /// A deadline counted again under a changed year.
    public struct Recount: Sendable, Equatable {
        public var subject: Notice.Subject
        public var subjectID: Int64
        public var department: DepartmentCode
        public var before: CalendarDate
        public var after: CalendarDate
    }

    /// Replaces (or adds) a year, and counts again every open deadline whose count went over it (calls not closed,
    /// clue routes not settled, assignments not confirmed, results not published, objections not re-examined or not
    /// fed back), telling each department concerned; all audited in the same transaction.
    public func replace(_ year: WorkingCalendar.Year, audit: AuditRecord.Entry) async throws -> [Recount] {
        try await client.transaction(logger: logger) { connection in
            _ = try await connection.query(
                """
                INSERT INTO calendar_years (year) VALUES (\(year.year))
                ON CONFLICT (year) DO UPDATE SET updated_at = now()
                """, logger: logger)
            _ = try await connection.query("DELETE FROM calendar_days WHERE year = \(year.year)", logger: logger)
            let days =
                year.holidays.map { ($0.key, "holiday", $0.value) } + year.makeupWorkdays.map { ($0.key, "makeup_workday", $0.value) }
            _ = try await connection.query(
                """
                INSERT INTO calendar_days (day, year, kind, name)
                SELECT d::date, \(year.year), k, n
                FROM unnest(\(days.map { $0.0.description })::text[], \(days.map(\.1))::text[], \(days.map(\.2))::text[]) AS t(d, k, n)
                """, logger: logger)
            let recounts = try await Self.recount(over: year.year, on: connection, logger: logger)
            var entry = audit
            if !recounts.isEmpty {
                entry.details +=
                    "；重新计算期限 \(recounts.count) 项："
                    + recounts.map { "\($0.subject.label) \($0.subjectID) \($0.department) \($0.before)→\($0.after)" }.joined(
                        separator: "，")
            }
            try await AuditTrail.append(entry, on: connection, logger: logger)
            return recounts
        }
    }

    /// The deadlines counted in working days and stored with their count, which a changed year counts again.
    private enum Deadline: String {
        case call, clue, confirmation
        /// A result's own publication deadline, and the draw's for the results never entered.
        case result, results
        /// An objection's re-examination, and the feedback after its decision.
        case reexamination, feedback

        /// What the notice links to.
        var subject: Notice.Subject {
            switch self {
            case .call: .call
            case .clue: .clue
            case .confirmation, .result, .results: .draw
            case .reexamination, .feedback: .objection
            }
        }
    }

    /// Open deadlines counted over `year`, counted again on the calendar as it now stands; the changed ones updated.
    private static func recount(over year: Int, on connection: PostgresConnection, logger: Logger) async throws -> [Recount] {
        // row: the call, clue route, draw, result or objection whose deadline it is; subjectID: what the notice links to.
        typealias Open = (
            deadline: Deadline, row: Int64, subjectID: Int64, department: DepartmentCode, title: String, count: WorkingDayCount,
            before: CalendarDate
        )
        var open: [Open] = []
        let rows = try await connection.query(
            """
            SELECT 'call', c.id, c.id, r.department, c.title, to_char(c.deadline_from, 'YYYY-MM-DD'), c.deadline_working_days,
                   to_char(c.deadline AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')
            FROM whistle_calls c JOIN whistle_responses r ON r.call_id = c.id
            WHERE c.status = 'open' AND c.deadline_working_days IS NOT NULL AND r.state NOT IN ('accepted', 'declined')
              AND extract(year FROM c.deadline_from) <= \(year) AND extract(year FROM c.deadline AT TIME ZONE 'Asia/Shanghai') >= \(year)
            UNION ALL
            SELECT 'clue', r.id, r.clue_id, r.department, c.suspected_violation, to_char(r.deadline_from, 'YYYY-MM-DD'), r.deadline_working_days,
                   to_char(r.deadline AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')
            FROM clue_routes r JOIN clues c ON c.id = r.clue_id
            WHERE r.state IN ('routed', 'accepted') AND r.deadline_working_days IS NOT NULL
              AND extract(year FROM r.deadline_from) <= \(year) AND extract(year FROM r.deadline AT TIME ZONE 'Asia/Shanghai') >= \(year)
            UNION ALL
            SELECT 'confirmation', c.draw_id, c.draw_id, c.department, '派单确认', to_char(c.deadline_from, 'YYYY-MM-DD'),
                   c.deadline_working_days, to_char(c.deadline, 'YYYY-MM-DD')
            FROM draw_confirmations c
            WHERE c.confirmed_at IS NULL AND c.deadline_working_days IS NOT NULL
              AND extract(year FROM c.deadline_from) <= \(year) AND extract(year FROM c.deadline) >= \(year)
            UNION ALL
            SELECT 'result', r.id, r.draw_id, r.department, '检查结果公示（' || r.credit_code || '）', to_char(r.deadline_from, 'YYYY-MM-DD'),
                   r.deadline_working_days, to_char(r.publish_due, 'YYYY-MM-DD')
            FROM inspection_results r
            WHERE r.status <> 'published'
              AND extract(year FROM r.deadline_from) <= \(year) AND extract(year FROM r.publish_due) >= \(year)
            UNION ALL
            SELECT 'results', d.draw_id, d.draw_id, t.originator, '检查结果公示', to_char(d.deadline_from, 'YYYY-MM-DD'),
                   d.deadline_working_days, to_char(d.due, 'YYYY-MM-DD')
            FROM result_deadlines d JOIN draws w ON w.id = d.draw_id JOIN tasks t ON t.id = w.task_id
            WHERE t.status = 'open'
              AND extract(year FROM d.deadline_from) <= \(year) AND extract(year FROM d.due) >= \(year)
            UNION ALL
            SELECT 'reexamination', o.id, o.id, o.department, '异议复查（受理编号 ' || o.receipt_number || '）',
                   to_char(o.received_on, 'YYYY-MM-DD'), \(Objection.reexaminationWorkingDays), to_char(o.reexamine_due, 'YYYY-MM-DD')
            FROM objections o
            WHERE o.status = 'reexamining'
              AND extract(year FROM o.received_on) <= \(year) AND extract(year FROM o.reexamine_due) >= \(year)
            UNION ALL
            SELECT 'feedback', o.id, o.id, o.department, '异议复查结果反馈（受理编号 ' || o.receipt_number || '）',
                   to_char(o.decided_on, 'YYYY-MM-DD'), \(Objection.feedbackWorkingDays), to_char(o.feedback_due, 'YYYY-MM-DD')
            FROM objections o
            WHERE o.status <> 'reexamining' AND o.feedback_on IS NULL
              AND extract(year FROM o.decided_on) <= \(year) AND extract(year FROM o.feedback_due) >= \(year)
            """, logger: logger)
        let decoded = rows.decode((String, Int64, Int64, DepartmentCode, String, String, Int, String).self)
        for try await (kind, row, subjectID, department, title, from, workingDays, before) in decoded {
            guard let deadline = Deadline(rawValue: kind), let from = CalendarDate(from), let before = CalendarDate(before) else {
                throw StoreError.unexpected("deadline of \(kind) \(row) is unreadable")
            }
            open.append((deadline, row, subjectID, department, title, WorkingDayCount(from: from, workingDays: workingDays), before))
        }
        guard !open.isEmpty else { return [] }
        var years = Set<Int>()
        for item in open { years.formUnion(try WorkingCalendar.yearsReached(counting: item.count.workingDays, from: item.count.from)) }
        let calendar = try await calendar(covering: years, on: connection, logger: logger)
        var recounts: [Recount] = []
        var notices: [Notice] = []
        for item in open {
            let after = try item.count.end(on: calendar)
            guard after != item.before else { continue }
            let day = after.description
            let sql: PostgresQuery =
                switch item.deadline {
                case .call: "UPDATE whistle_calls SET deadline = \(after.endOfDayInChina) WHERE id = \(item.row)"
                case .clue: "UPDATE clue_routes SET deadline = \(after.endOfDayInChina) WHERE id = \(item.row)"
                case .confirmation:
                    "UPDATE draw_confirmations SET deadline = \(day)::date WHERE draw_id = \(item.row) AND department = \(item.department)"
                case .result: "UPDATE inspection_results SET publish_due = \(day)::date WHERE id = \(item.row)"
                case .results: "UPDATE result_deadlines SET due = \(day)::date WHERE draw_id = \(item.row)"
                case .reexamination: "UPDATE objections SET reexamine_due = \(day)::date WHERE id = \(item.row)"
                case .feedback: "UPDATE objections SET feedback_due = \(day)::date WHERE id = \(item.row)"
                }
            _ = try await connection.query(sql, logger: logger)
            let subject = item.deadline.subject
            recounts.append(
                Recount(subject: subject, subjectID: item.subjectID, department: item.department, before: item.before, after: after))
            notices.append(
                Notice(
                    department: item.department, kind: .deadlineRecounted,
                    title:
                        "\(subject.label)「\(item.title)」的期限按 \(year) 年工作日历由\(item.before.chineseDescription)调整为\(after.chineseDescription)",
                    subjectType: subject, subjectID: item.subjectID))
        }
        try await NotificationRepository.insert(notices, on: connection, logger: logger)
        return recounts
    }
}

extension WorkingDayCount {
    /// A count as stored beside its deadline (`deadline_from`, `deadline_working_days`): both or neither.
    init?(stored from: String?, _ workingDays: Int?) throws {
        guard let from, let workingDays else { return nil }
        guard let date = CalendarDate(from) else { throw StoreError.unexpected("deadline count from \(from) is not a date") }
        self.init(from: date, workingDays: workingDays)
    }
}
