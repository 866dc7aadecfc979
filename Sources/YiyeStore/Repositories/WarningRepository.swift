import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// 风险监测预警 in PostgreSQL: the rules, their evaluation (`evaluate_warnings`, sql/0037_risk_warnings.sql) and the
/// warnings with their judgement.
public struct WarningRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// How long evaluating every rule may take (over a million results, seconds).
    public static let evaluationDeadline: Duration = .seconds(300)

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// What a warning rests on: the results or clues counted, the figures of a rate, the levels of a grade.
    public struct Evidence: Sendable, Codable, Equatable {
        public var resultIds: [Int64]?
        public var clueIds: [Int64]?
        public var results: Int?
        public var problems: Int?
        public var previousResults: Int?
        public var previousProblems: Int?
        public var levelBefore: Int?
        public var levelNow: Int?
        public var grade: String?
    }

    public struct Judgement: Sendable {
        public var by: String
        public var at: Date
    }

    /// A warning as stored: the warning, what it rests on, who judged it and when, and when it was raised.
    public struct Stored: Sendable {
        public var warning: RiskWarning
        public var evidence: Evidence
        public var judgement: Judgement?
        public var raisedAt: Date
    }

    // MARK: Rules

    private static let ruleColumns = "id, industry_code, name, kind, scope, threshold, days, minimum_results, active"
    private typealias RuleRow = (Int64, String?, String, String, String, Int, Int, Int, Bool)

    /// The rules of `industries` (nil: every industry) and the office's, office's first, then by id.
    public func rules(industries: [String]?) async throws -> [WarningRule] {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.ruleColumns) FROM warning_rules
                WHERE industry_code IS NULL OR \(industries)::text[] IS NULL OR industry_code = ANY(\(industries))
                ORDER BY industry_code NULLS FIRST, id
                """, logger: logger)
            return try await rows.decode(RuleRow.self).all().map(Self.decodedRule)
        }
    }

    public func rule(_ id: Int64) async throws -> WarningRule? {
        try await client.translatingErrors {
            let rows = try await client.query("SELECT \(unescaped: Self.ruleColumns) FROM warning_rules WHERE id = \(id)", logger: logger)
            return try await rows.decode(RuleRow.self).all().first.map(Self.decodedRule)
        }
    }

    public func createRule(_ rule: WarningRule, audit: AuditRecord.Entry) async throws -> WarningRule {
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO warning_rules (industry_code, name, kind, scope, threshold, days, minimum_results, active, created_by)
                VALUES (\(rule.industry), \(rule.name), \(rule.kind.rawValue), \(rule.scope.rawValue), \(rule.threshold), \(rule.days),
                        \(rule.minimumResults), \(rule.active), \(audit.actor ?? "system"))
                RETURNING \(unescaped: Self.ruleColumns)
                """, logger: logger)
            guard let saved = try await rows.decode(RuleRow.self).all().first.map(Self.decodedRule) else {
                throw StoreError.unexpected("rule not inserted")
            }
            return saved
        }
    }

    /// Saves the rule's name, threshold, period, minimum and whether it is active (its industry, kind and scope stay).
    public func updateRule(_ rule: WarningRule, audit: AuditRecord.Entry) async throws -> WarningRule {
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE warning_rules SET name = \(rule.name), threshold = \(rule.threshold), days = \(rule.days),
                       minimum_results = \(rule.minimumResults), active = \(rule.active), updated_at = now()
                WHERE id = \(rule.id) RETURNING \(unescaped: Self.ruleColumns)
                """, logger: logger)
            guard let saved = try await rows.decode(RuleRow.self).all().first.map(Self.decodedRule) else { throw StoreError.notFound }
            return saved
        }
    }

    /// Evaluates every active rule now and returns how many warnings were raised.
    public func evaluate(audit: AuditRecord.Entry?) async throws -> Int {
        try await client.transaction(logger: logger, deadline: Self.evaluationDeadline) { connection in
            let raised = try await connection.query("SELECT evaluate_warnings()", logger: logger).decode(Int.self).all().first ?? 0
            if var entry = audit {
                entry.details = "新增预警 \(raised) 条"
                try await AuditTrail.append(entry, on: connection, logger: logger)
            }
            return raised
        }
    }

    /// The day's evaluation, once per day (China) whichever instance asks first; nil when it has run already.
    public func evaluateDaily(today: CalendarDate) async throws -> Int? {
        try await client.transaction(logger: logger, deadline: Self.evaluationDeadline) { connection in
            let claimed = try await connection.query(
                "INSERT INTO warning_evaluations (day) VALUES (\(today.description)::date) ON CONFLICT DO NOTHING RETURNING day",
                logger: logger
            ).decode(Date.self).all()
            guard !claimed.isEmpty else { return nil }
            let raised = try await connection.query("SELECT evaluate_warnings()", logger: logger).decode(Int.self).all().first ?? 0
            _ = try await connection.query(
                "UPDATE warning_evaluations SET raised = \(raised) WHERE day = \(today.description)::date", logger: logger)
            return raised
        }
    }

    // MARK: Warnings

    private static let columns = """
        w.id, w.rule_id, r.name, w.industry_code, w.kind, w.scope, w.subject, w.subject_name, w.measured::text, w.threshold,
        to_char(w.period_start, 'YYYY-MM-DD'), to_char(w.period_end, 'YYYY-MM-DD'), w.reported, w.state, w.reason, w.meeting_id,
        w.task_id, w.evidence::text, w.judged_by, w.judged_at, w.raised_at
        """

    /// The warnings of `industries` (nil: every industry), newest first, after the id `before`, of one state when given.
    public func list(industries: [String]?, industry: String?, state: RiskWarning.State?, before: Int64?, limit: Int) async throws
        -> [Stored]
    {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM warnings w JOIN warning_rules r ON r.id = w.rule_id
                WHERE (\(industries)::text[] IS NULL OR w.industry_code = ANY(\(industries)))
                  AND (\(industry)::text IS NULL OR w.industry_code = \(industry))
                  AND (\(state?.rawValue)::text IS NULL OR w.state = \(state?.rawValue))
                  AND (\(before)::bigint IS NULL OR w.id < \(before))
                ORDER BY w.id DESC LIMIT \(limit)
                """, logger: logger)
            return try await Self.warnings(rows)
        }
    }

    public func find(_ id: Int64) async throws -> Stored? {
        try await client.translatingErrors {
            let rows = try await client.query(
                "SELECT \(unescaped: Self.columns) FROM warnings w JOIN warning_rules r ON r.id = w.rule_id WHERE w.id = \(id)",
                logger: logger)
            return try await Self.warnings(rows).first
        }
    }

    /// Dismisses a raised warning with its reason.
    public func dismiss(_ id: Int64, reason: String, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            try await Self.judge(id, state: .dismissed, reason: reason, by: audit.actor, on: connection, logger: logger)
        }
    }

    /// Puts a raised warning on the agenda of `meeting` (of its industry, minutes not final), as one more item.
    public func putOnAgenda(_ id: Int64, meeting: Int64, item: String, reason: String, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            let updated = try await connection.query(
                """
                UPDATE meetings m SET agenda = m.agenda || \(item)
                FROM warnings w
                WHERE m.id = \(meeting) AND w.id = \(id) AND m.industry_code = w.industry_code
                  AND NOT EXISTS (SELECT 1 FROM meeting_minutes x WHERE x.meeting_id = m.id AND x.finalized_at IS NOT NULL)
                RETURNING m.id
                """, logger: logger
            ).decode(Int64.self).all()
            guard !updated.isEmpty else {
                throw DomainError(.invalidValue, "会商 \(meeting) 不属于该行业或纪要已定稿", field: "meetingId")
            }
            try await Self.judge(id, state: .onAgenda, reason: reason, by: audit.actor, meeting: meeting, on: connection, logger: logger)
        }
    }

    /// Records, in the transaction that creates it, that the triggered task `task` was started from the warning.
    public static func markTasked(_ id: Int64, task: TaskID, by actor: String?, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        try await judge(id, state: .tasked, reason: "", by: actor, task: task.rawValue, on: connection, logger: logger)
    }

    /// Moves a raised warning to `state`; a warning judged meanwhile refuses (`warning_state`).
    private static func judge(
        _ id: Int64, state: RiskWarning.State, reason: String, by actor: String?, meeting: Int64? = nil, task: Int64? = nil,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        let rows = try await connection.query(
            """
            UPDATE warnings SET state = \(state.rawValue), reason = \(reason), judged_by = \(actor ?? "system"), judged_at = now(),
                                meeting_id = \(meeting), task_id = \(task)
            WHERE id = \(id) AND state = 'raised' RETURNING id
            """, logger: logger
        ).decode(Int64.self).all()
        guard !rows.isEmpty else { throw DomainError(.warningState, "该预警已研判，不能再次研判", field: "decision") }
    }

    private typealias Row = (
        Int64, Int64, String, String, String, String, String, String, String, Int, String, String, Bool, String, String, Int64?,
        Int64?, String, String?, Date?, Date
    )

    private static func warnings(_ rows: PostgresRowSequence) async throws
        -> [Stored]
    {
        var found: [Stored] = []
        for try await row in rows.decode(Row.self) {
            guard let start = CalendarDate(row.10), let end = CalendarDate(row.11) else { throw StoreError.unexpected("warning period") }
            let warning = RiskWarning(
                id: row.0, ruleID: row.1, ruleName: row.2, industry: row.3, kind: try .init(code: row.4), scope: try .init(code: row.5),
                subject: row.6, subjectName: row.7, measured: row.8, threshold: row.9, periodStart: start, periodEnd: end,
                reported: row.12, state: try .init(code: row.13), reason: row.14, meetingID: row.15, taskID: row.16)
            var judgement: Judgement?
            if let by = row.18, let at = row.19 { judgement = Judgement(by: by, at: at) }
            found.append(
                Stored(warning: warning, evidence: try JSONText.decode(Evidence.self, row.17), judgement: judgement, raisedAt: row.20))
        }
        return found
    }

    private static func decodedRule(_ row: RuleRow) throws -> WarningRule {
        WarningRule(
            id: row.0, industry: row.1, name: row.2, kind: try .init(code: row.3), scope: try .init(code: row.4), threshold: row.5,
            days: row.6, minimumResults: row.7, active: row.8)
    }
}
