import Logging
import PostgresNIO
import YiyeCore

/// Departments in PostgreSQL.
public struct DepartmentRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Departments in code order, after `cursor` (a code), at most `limit`.
    public func list(after cursor: String?, limit: Int, kind: Department.Kind? = nil) async throws -> [Department] {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT code, name, kind, region_code FROM departments
                WHERE code > \(cursor ?? "") AND (\(kind?.rawValue)::text IS NULL OR kind = \(kind?.rawValue))
                ORDER BY code LIMIT \(limit)
                """, logger: logger)
            return try await rows.decode((DepartmentCode, String, String, String).self).all().map(Self.department)
        }
    }

    /// The codes of every department of `kind`, in order.
    public func codes(kind: Department.Kind) async throws -> [DepartmentCode] {
        try await client.translatingErrors {
            try await client.query("SELECT code FROM departments WHERE kind = \(kind.rawValue) ORDER BY code", logger: logger)
                .decode(DepartmentCode.self).all()
        }
    }

    /// Every department's Chinese name by code, for sheets, handbooks and notices.
    public func names() async throws -> [DepartmentCode: String] {
        try await client.translatingErrors {
            let rows = try await client.query("SELECT code, name FROM departments", logger: logger)
            return Dictionary(try await rows.decode((DepartmentCode, String).self).all(), uniquingKeysWith: { first, _ in first })
        }
    }

    public func find(_ code: DepartmentCode) async throws -> Department? {
        try await client.translatingErrors {
            let rows = try await client.query(
                "SELECT code, name, kind, region_code FROM departments WHERE code = \(code)", logger: logger
            )
            return try await rows.decode((DepartmentCode, String, String, String).self).all().first.map(Self.department)
        }
    }

    /// All department kinds by code, for checking industry assignments.
    public func kinds(of codes: [DepartmentCode]) async throws -> [DepartmentCode: Department.Kind] {
        try await client.translatingErrors {
            let rows = try await client.query(
                "SELECT code, kind FROM departments WHERE code = ANY(\(codes))", logger: logger
            )
            var kinds: [DepartmentCode: Department.Kind] = [:]
            for try await (code, kind) in rows.decode((DepartmentCode, String).self) {
                kinds[code] = try Department.Kind(code: kind)
            }
            return kinds
        }
    }

    /// Inserts a new department; `StoreError.alreadyExists` when the code is taken.
    public func create(_ department: Department, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            _ = try await connection.query(
                """
                INSERT INTO departments (code, name, kind, region_code)
                VALUES (\(department.code), \(department.name), \(department.kind.rawValue), \(department.regionCode))
                """, logger: logger)
        }
    }

    /// Saves the name and region of an existing department; `StoreError.notFound` when it does not exist.
    public func update(_ department: Department, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE departments SET name = \(department.name), region_code = \(department.regionCode),
                    updated_at = now()
                WHERE code = \(department.code) RETURNING code
                """, logger: logger)
            guard try await rows.collect().isEmpty == false else { throw StoreError.notFound }
        }
    }

    private static func department(_ row: (DepartmentCode, String, String, String)) throws -> Department {
        Department(code: row.0, name: row.1, kind: try Department.Kind(code: row.2), regionCode: row.3)
    }
}
