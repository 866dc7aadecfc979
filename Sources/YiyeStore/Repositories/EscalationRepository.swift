import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// Finds what has become overdue and escalates each once. Sweeps take a transaction-level advisory lock so that
/// one instance sweeps at a time, and the escalations' primary key makes a second escalation of the same subject
/// impossible even if two sweeps overlapped; the notices are written in the same transaction.
public struct EscalationRepository: Sendable {
    static let sweepLock: Int64 = 0x5969_7965_4573_6331

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Escalates everything overdue at `now` that was not escalated before; returns what it escalated, or an empty
    /// list when another instance is sweeping right now (unless `waiting`: then after that sweep is done). Dates are
    /// due at the end of the day, China time.
    @discardableResult
    public func sweep(now: Date, waiting: Bool = false) async throws -> [Escalation] {
        try await client.transaction(logger: logger) { connection in
            if waiting {
                _ = try await connection.query("SELECT pg_advisory_xact_lock(\(Self.sweepLock))", logger: logger)
            } else {
                let locked =
                    try await connection.query("SELECT pg_try_advisory_xact_lock(\(Self.sweepLock))", logger: logger)
                    .decode(Bool.self).all().first ?? false
                guard locked else { return [] }
            }
            try await DrawCompletion.keepUnkept(on: connection, logger: logger)
            let candidates = try await Self.overdue(now: now, on: connection, logger: logger)
            guard !candidates.isEmpty else { return [] }
            let inserted = try await connection.query(
                """
                INSERT INTO escalations (kind, subject_id, department, due, industry_code, escalated_at)
                SELECT *, \(now)::timestamptz FROM unnest(\(candidates.map(\.kind.rawValue))::text[], \(candidates.map(\.subjectID))::bigint[],
                                     \(candidates.map(\.department))::text[], \(candidates.map(\.due))::timestamptz[],
                                     \(candidates.map(\.industry))::text[])
                ON CONFLICT DO NOTHING
                RETURNING kind, subject_id, department
                """, logger: logger
            ).decode((String, Int64, String).self).all()
            let new = Set(inserted.map { "\($0.0)/\($0.1)/\($0.2)" })
            let escalated = candidates.filter { new.contains("\($0.kind.rawValue)/\($0.subjectID)/\($0.department)") }
            guard !escalated.isEmpty else { return [] }
            let offices = try await connection.query(
                "SELECT code FROM departments WHERE kind = 'leadership_office' ORDER BY code",
                logger: logger
            ).decode(DepartmentCode.self).all()
            let names = Dictionary(
                try await connection.query("SELECT code, name FROM departments", logger: logger)
                    .decode((DepartmentCode, String).self).all(), uniquingKeysWith: { first, _ in first })
            try await NotificationRepository.insert(
                escalated.flatMap { $0.notices(offices: offices, names: names) },
                on: connection, logger: logger)
            for call in escalated where call.kind == .callResponse {
                try await EventLog.calls.record(
                    call.subjectID, department: call.department, actor: "system", action: "escalate",
                    text: "逾期未响应，已升级至领导小组办公室", at: now, on: connection, logger: logger)
            }
            _ = try await AuditTrail.append(
                .init(
                    action: "escalation.sweep", objectType: "escalation",
                    details: escalated.map { "\($0.kind.rawValue):\($0.subjectID):\($0.department)" }
                        .joined(separator: ",")),
                on: connection, logger: logger)
            return escalated
        }
    }

    /// What is overdue at `now` and not done, escalated or not: the sweep escalates it once, the dashboard lists it.
    public func overdue(now: Date) async throws -> [Escalation] {
        try await client.translatingErrors {
            try await DrawCompletion.keepUnkept(client: client, logger: logger)
            return try await client.withConnection { connection in try await Self.overdue(now: now, on: connection, logger: logger) }
        }
    }

    static func overdue(now: Date, on connection: PostgresConnection, logger: Logger) async throws -> [Escalation] {
        let today = CalendarDate(chinaDateOf: now)
        let found = try await connection.query(
            """
            SELECT 'call_response', c.id, r.department, c.raised_by, 'call', c.id, c.title, c.deadline, c.industry_code
            FROM whistle_responses r JOIN whistle_calls c ON c.id = r.call_id
            WHERE c.status = 'open' AND c.deadline < \(now) AND r.state NOT IN ('accepted', 'declined')
            UNION ALL
            SELECT 'confirmation', d.id, f.department, t.originator, 'draw', d.id, t.name,
                   (f.deadline + 1)::timestamp AT TIME ZONE 'Asia/Shanghai', t.industry_code
            FROM draw_confirmations f JOIN draws d ON d.id = f.draw_id JOIN tasks t ON t.id = d.task_id
            WHERE f.confirmed_at IS NULL AND f.deadline < \(today.description)::date
            UNION ALL
            SELECT 'action_item', a.id, a.owner_department, m.convened_by, 'meeting', m.id, a.description,
                   (a.due_date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai', m.industry_code
            FROM meeting_action_items a JOIN meetings m ON m.id = a.meeting_id
            WHERE a.status = 'open' AND a.due_date < \(today.description)::date
            UNION ALL
            SELECT 'clue_route', r.id, r.department, c.found_by, 'clue', c.id, left(c.description, 60), r.deadline, c.industry_code
            FROM clue_routes r JOIN clues c ON c.id = r.clue_id
            WHERE r.state IN ('routed', 'accepted') AND r.deadline < \(now)
            UNION ALL
            SELECT 'objection_reexamination', o.id, o.department, o.department, 'objection', o.id, '异议复查（受理编号 ' || o.receipt_number || '）',
                   (o.reexamine_due + 1)::timestamp AT TIME ZONE 'Asia/Shanghai', t.industry_code
            FROM objections o JOIN inspection_results x ON x.id = o.result_id JOIN draws d ON d.id = x.draw_id JOIN tasks t ON t.id = d.task_id
            WHERE o.status = 'reexamining' AND o.reexamine_due < \(today.description)::date
            UNION ALL
            SELECT 'objection_feedback', o.id, o.department, o.department, 'objection', o.id, '异议复查结果反馈（受理编号 ' || o.receipt_number || '）',
                   (o.feedback_due + 1)::timestamp AT TIME ZONE 'Asia/Shanghai', t.industry_code
            FROM objections o JOIN inspection_results x ON x.id = o.result_id JOIN draws d ON d.id = x.draw_id JOIN tasks t ON t.id = d.task_id
            WHERE o.feedback_on IS NULL AND o.feedback_due < \(today.description)::date
            """, logger: logger
        ).decode((String, Int64, DepartmentCode, DepartmentCode, String, Int64, String, Date, String).self).all()
            .compactMap { row -> Escalation? in
                guard let kind = Escalation.Kind(rawValue: row.0), let link = Notice.Subject(rawValue: row.4) else { return nil }
                return Escalation(
                    kind: kind, subjectID: row.1, department: row.2, waitingDepartment: row.3, link: link,
                    linkID: row.5, about: row.6, due: row.7, industry: row.8)
            }
        return found + (try await Self.lateResults(today: today, on: connection, logger: logger))
    }

    /// Per draw of an open task, the departments that have not published every result they owe (each object of their
    /// teams as they stand) by its deadline: the result's own, or the draw's when nothing was entered. Read from the
    /// results each draw still owes (`DrawCompletion`: every draw is kept before this is asked).
    static func lateResults(today: CalendarDate, on connection: PostgresConnection, logger: Logger) async throws -> [Escalation] {
        let rows = try await connection.query(
            """
            SELECT o.draw_id, t.originator, t.name, to_char(rd.due, 'YYYY-MM-DD'), t.industry_code, o.credit_code, o.department,
                   to_char(r.publish_due, 'YYYY-MM-DD')
            FROM draw_outstanding o JOIN draws d ON d.id = o.draw_id JOIN tasks t ON t.id = d.task_id
                 JOIN result_deadlines rd ON rd.draw_id = o.draw_id
                 LEFT JOIN inspection_results r ON r.draw_id = o.draw_id AND r.credit_code = o.credit_code AND r.department = o.department
            WHERE t.status = 'open'
            ORDER BY o.draw_id
            """, logger: logger
        ).decode((DrawID, DepartmentCode, String, String, String, String, DepartmentCode, String?).self).all()
        var escalations: [Escalation] = []
        for (id, owed) in Dictionary(grouping: rows, by: \.0).sorted(by: { $0.key < $1.key }) {
            let (_, originator, taskName, drawDueText, industry, _, _, _) = owed[0]
            guard let drawDue = CalendarDate(drawDueText) else {
                throw StoreError.unexpected("result deadline of draw \(id) is unreadable")
            }
            var entered: [ResultOwed: CalendarDate] = [:]
            for row in owed { entered[ResultOwed(object: row.5, department: row.6)] = row.7.flatMap(CalendarDate.init) }
            let outstanding = owed.map { ResultOwed(object: $0.5, department: $0.6) }
            escalations += LateResults.of(outstanding, entered: entered, drawDue: drawDue, today: today).map { late in
                Escalation(
                    kind: .resultPublication, subjectID: id.rawValue, department: late.department, waitingDepartment: originator,
                    link: .draw,
                    linkID: id.rawValue, about: "\(taskName)：\(late.count) 个抽中对象的检查结果公示", due: late.due.endOfDayInChina, industry: industry)
            }
        }
        return escalations
    }

    /// Per department: calls addressed to it, answered, the median hours to answer, open and overdue now, and
    /// escalations by kind.
    public struct DepartmentFigures: Sendable {
        public var department: DepartmentCode
        public var callsAddressed: Int
        public var callsAnswered: Int
        public var medianResponseHours: Double?
        public var overdueNow: Int
        public var escalations: [String: Int]
    }

    public func figures(now: Date) async throws -> [DepartmentFigures] {
        try await client.translatingErrors {
            let calls = try await client.query(
                """
                SELECT d.code,
                       count(r.call_id)::bigint,
                       count(r.responded_at) FILTER (WHERE r.state IN ('accepted', 'declined'))::bigint,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.responded_at - c.created_at) / 3600)
                           FILTER (WHERE r.state IN ('accepted', 'declined')),
                       count(*) FILTER (WHERE c.status = 'open' AND c.deadline < \(now) AND r.state NOT IN ('accepted', 'declined'))::bigint
                FROM departments d
                LEFT JOIN whistle_responses r ON r.department = d.code
                LEFT JOIN whistle_calls c ON c.id = r.call_id
                WHERE d.kind = 'regulator'
                GROUP BY d.code ORDER BY d.code
                """, logger: logger
            ).decode((DepartmentCode, Int64, Int64, Double?, Int64).self).all()
            let escalations = try await client.query(
                """
                SELECT department, kind, count(*)::bigint FROM escalations GROUP BY department, kind
                """, logger: logger
            ).decode((DepartmentCode, String, Int64).self).all()
            return calls.map { row in
                DepartmentFigures(
                    department: row.0, callsAddressed: Int(row.1), callsAnswered: Int(row.2), medianResponseHours: row.3,
                    overdueNow: Int(row.4),
                    escalations: Dictionary(escalations.filter { $0.0 == row.0 }.map { ($0.1, Int($0.2)) }, uniquingKeysWith: +)
                )
            }
        }
    }
}
