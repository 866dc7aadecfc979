import Logging
import PostgresNIO
import YiyeCore

/// Industries and the departments that inspect them, in PostgreSQL.
public struct IndustryRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    private typealias Row = (String, String, String?, DepartmentCode?, [DepartmentCode])

    /// Columns and joins of an industry with its participants (constant SQL, no input), grouped by `i.code`.
    private static let selectWithParticipants = """
        i.code, i.name, i.gbt_code, i.originating_department,
               coalesce(array_agg(p.department_code ORDER BY p.department_code)
                        FILTER (WHERE p.department_code IS NOT NULL), '{}')
        FROM industries i LEFT JOIN industry_participants p ON p.industry_code = i.code
        """

    /// Industries in code order after `cursor`, at most `limit`; `department` keeps those it originates or joins.
    public func list(after cursor: String?, limit: Int, department: DepartmentCode? = nil) async throws -> [Industry] {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.selectWithParticipants)
                WHERE i.code > \(cursor ?? "")
                  AND (\(department)::text IS NULL OR i.originating_department = \(department)
                       OR EXISTS (SELECT 1 FROM industry_participants q
                                  WHERE q.industry_code = i.code AND q.department_code = \(department)))
                GROUP BY i.code ORDER BY i.code LIMIT \(limit)
                """, logger: logger)
            return try await rows.decode(Row.self).all().map(Self.industry)
        }
    }

    public func find(_ code: String) async throws -> Industry? {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.selectWithParticipants)
                WHERE i.code = \(code) GROUP BY i.code
                """, logger: logger)
            return try await rows.decode(Row.self).all().first.map(Self.industry)
        }
    }

    /// Which of `codes` name existing industries.
    public func existing(_ codes: Set<String>) async throws -> Set<String> {
        guard !codes.isEmpty else { return [] }
        return try await client.translatingErrors {
            let rows = try await client.query("SELECT code FROM industries WHERE code = ANY(\(Array(codes)))", logger: logger)
            return Set(try await rows.decode(String.self).all())
        }
    }

    /// Inserts a new industry (without departments); `StoreError.alreadyExists` when the code is taken.
    public func create(_ industry: Industry, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            _ = try await connection.query(
                """
                INSERT INTO industries (code, name, gbt_code) VALUES (\(industry.code), \(industry.name), \(industry.gbtCode))
                """, logger: logger)
        }
    }

    /// Saves name and GB/T code; `StoreError.notFound` when the industry does not exist.
    public func update(_ industry: Industry, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE industries SET name = \(industry.name), gbt_code = \(industry.gbtCode), updated_at = now()
                WHERE code = \(industry.code) RETURNING code
                """, logger: logger)
            guard try await rows.collect().isEmpty == false else { throw StoreError.notFound }
        }
    }

    /// Replaces the originator and participants in one transaction; `StoreError.notFound` for an unknown industry.
    public func setDepartments(_ departments: IndustryDepartments, of code: String, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE industries SET originating_department = \(departments.originator), updated_at = now()
                WHERE code = \(code) RETURNING code
                """, logger: logger)
            guard try await rows.collect().isEmpty == false else { throw StoreError.notFound }
            _ = try await connection.query("DELETE FROM industry_participants WHERE industry_code = \(code)", logger: logger)
            _ = try await connection.query(
                """
                INSERT INTO industry_participants (industry_code, department_code)
                SELECT \(code), unnest(\(departments.participants)::text[])
                """, logger: logger)
        }
    }

    private static func industry(_ row: Row) -> Industry {
        let departments = row.3.map { IndustryDepartments(originator: $0, participants: row.4) }
        return Industry(code: row.0, name: row.1, gbtCode: row.2, departments: departments)
    }
}
