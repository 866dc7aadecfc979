import Logging
import PostgresNIO
import YiyeCore

/// Annual plans in PostgreSQL.
public struct PlanRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    private static let columns = "id, industry_code, year, title, note, status"
    private typealias Row = (Int64, String, Int, String, String, String)

    /// A new draft; `StoreError.alreadyExists` when the industry has a plan for the year.
    public func create(_ plan: AnnualPlan, audit: AuditRecord.Entry) async throws -> AnnualPlan {
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO plans (industry_code, year, title, note, created_by)
                VALUES (\(plan.industry), \(plan.year), \(plan.title), \(plan.note), \(audit.actor ?? "system"))
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            guard let saved = try await rows.decode(Row.self).all().first.map(Self.plan) else { throw StoreError.notFound }
            return saved
        }
    }

    public func find(_ id: Int64) async throws -> AnnualPlan? {
        try await client.translatingErrors {
            try await client.query("SELECT \(unescaped: Self.columns) FROM plans WHERE id = \(id)", logger: logger)
                .decode(Row.self).all().first.map(Self.plan)
        }
    }

    /// Plans in id order; `department` keeps those of industries it originates or joins; `published` only public ones.
    public func list(industry: String?, department: DepartmentCode?, publishedOnly: Bool, after cursor: Int64?, limit: Int) async throws
        -> [AnnualPlan]
    {
        try await client.translatingErrors {
            try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM plans p
                WHERE id > \(cursor ?? 0) AND (\(industry)::text IS NULL OR industry_code = \(industry))
                  AND (NOT \(publishedOnly) OR status = 'published')
                  AND (\(department)::text IS NULL
                       OR EXISTS (SELECT 1 FROM industries i WHERE i.code = p.industry_code AND i.originating_department = \(department))
                       OR EXISTS (SELECT 1 FROM industry_participants x WHERE x.industry_code = p.industry_code
                                  AND x.department_code = \(department)))
                ORDER BY id LIMIT \(limit)
                """, logger: logger
            ).decode(Row.self).all().map(Self.plan)
        }
    }

    /// Files (报备) or publishes the plan, once each.
    public func transition(_ id: Int64, to status: AnnualPlan.Status, audit: AuditRecord.Entry) async throws -> AnnualPlan {
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columns), (SELECT count(*)::integer FROM tasks WHERE plan_id = \(id)) FROM plans
                WHERE id = \(id) FOR UPDATE
                """, logger: logger
            ).decode((Int64, String, Int, String, String, String, Int).self).all()
            guard let row = rows.first else { throw StoreError.notFound }
            let plan = try Self.plan((row.0, row.1, row.2, row.3, row.4, row.5))
            try plan.checkTransition(to: status, taskCount: row.6)
            let actor = audit.actor ?? "system"
            let updated = try await connection.query(
                status == .filed
                    ? "UPDATE plans SET status = 'filed', filed_by = \(actor), filed_at = now() WHERE id = \(id) RETURNING \(unescaped: Self.columns)"
                    : "UPDATE plans SET status = 'published', published_by = \(actor), published_at = now() WHERE id = \(id) RETURNING \(unescaped: Self.columns)",
                logger: logger
            ).decode(Row.self).all()
            guard let saved = try updated.first.map(Self.plan) else { throw StoreError.notFound }
            return saved
        }
    }

    private static func plan(_ row: Row) throws -> AnnualPlan {
        AnnualPlan(id: row.0, industry: row.1, year: row.2, title: row.3, note: row.4, status: try .init(code: row.5))
    }
}
