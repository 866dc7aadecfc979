import Logging
import NIOCore
import PostgresNIO
import YiyeCore

/// The inspector roster and conflict-of-interest declarations in PostgreSQL.
public struct InspectorRepository: Sendable {
    let client: PostgresClient
    /// Seals and opens the phone (个人信息).
    let cipher: PersonalDataCipher
    let logger: Logger

    public init(client: PostgresClient, cipher: PersonalDataCipher, logger: Logger) {
        self.client = client
        self.cipher = cipher
        self.logger = logger
    }

    /// Roster filters; all optional.
    public struct Filter: Sendable {
        public var department: DepartmentCode?
        public var status: String?
        /// Holds this qualification tag.
        public var qualification: String?
        /// Region code prefix.
        public var region: String?
        /// Part of the name.
        public var name: String?
        public var isExpert: Bool?

        public init(
            department: DepartmentCode? = nil, status: String? = nil, qualification: String? = nil, region: String? = nil,
            name: String? = nil, isExpert: Bool? = nil
        ) {
            self.department = department
            self.status = status
            self.qualification = qualification
            self.region = region
            self.name = name
            self.isExpert = isExpert
        }
    }

    private static let columns = """
        i.id, i.department_code, i.name, i.position, i.certificate_number, i.post, i.phone, i.level, i.region_code,
        i.categories, i.qualifications, i.expertise, i.status, i.is_expert, i.institution, u.username
        FROM inspectors i LEFT JOIN users u ON u.id = i.user_id
        """
    private typealias Row = (
        Int64, DepartmentCode, String, String, String, String, String, String, String, [String], [String], [String], String, Bool, String,
        String?
    )

    /// Inspectors in id order after `cursor`.
    public func list(_ filter: Filter, after cursor: Int64?, limit: Int) async throws -> [Inspector] {
        // The keys first: loading them takes a connection, which must not wait on one held by an open result.
        let keys = try await cipher.keys()
        return try await client.translatingErrors {
            let pattern = filter.name.map(SQLConditions.containing)
            let regionPrefix = filter.region.map { $0 + "%" }
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns)
                WHERE i.id > \(cursor ?? 0)
                  AND (\(filter.department)::text IS NULL OR i.department_code = \(filter.department))
                  AND (\(filter.status)::text IS NULL OR i.status = \(filter.status))
                  AND (\(filter.qualification)::text IS NULL OR i.qualifications @> ARRAY[\(filter.qualification)::text])
                  AND (\(regionPrefix)::text IS NULL OR i.region_code LIKE \(regionPrefix))
                  AND (\(pattern)::text IS NULL OR i.name LIKE \(pattern))
                  AND (\(filter.isExpert)::boolean IS NULL OR i.is_expert = \(filter.isExpert))
                ORDER BY i.id LIMIT \(limit)
                """, logger: logger)
            return try await rows.decode(Row.self).all().map { try Self.inspector($0, keys) }
        }
    }

    public func find(_ id: Int64) async throws -> Inspector? {
        let keys = try await cipher.keys()
        return try await client.translatingErrors {
            let rows = try await client.query("SELECT \(unescaped: Self.columns) WHERE i.id = \(id)", logger: logger)
            return try await rows.decode(Row.self).all().first.map { try Self.inspector($0, keys) }
        }
    }

    /// The roster entry a user signs in as (an inspector's account), if any.
    public func id(ofUser userID: Int64) async throws -> Int64? {
        try await client.translatingErrors {
            try await client.query("SELECT id FROM inspectors WHERE user_id = \(userID)", logger: logger).decode(Int64.self).all().first
        }
    }

    /// Adds an inspector; `StoreError.alreadyExists` when the certificate number is taken.
    public func create(_ inspector: Inspector, audit: AuditRecord.Entry) async throws -> Inspector {
        let keys = try await cipher.keys()
        return try await client.audited(audit, logger: logger) { connection in
            let userID = try await Self.linkedUser(inspector, on: connection, logger: logger)
            let rows = try await connection.query(
                """
                INSERT INTO inspectors (department_code, name, position, certificate_number, post, phone, level, region_code,
                                        categories, qualifications, expertise, status, is_expert, institution, user_id)
                VALUES (\(inspector.department), \(inspector.name), \(inspector.position), \(inspector.certificateNumber),
                        \(inspector.post), \(keys.seal(inspector.phone, .inspectorPhone)), \(inspector.level.rawValue), \(inspector.regionCode),
                        \(inspector.categories), \(inspector.qualifications), \(inspector.expertise), \(inspector.status.rawValue),
                        \(inspector.isExpert), \(inspector.institution), \(userID))
                RETURNING id
                """, logger: logger)
            var saved = inspector
            saved.id = try await rows.decode(Int64.self).all().first
            return saved
        }
    }

    /// Saves every field of an existing inspector (its department stays).
    public func update(_ inspector: Inspector, audit: AuditRecord.Entry) async throws {
        let keys = try await cipher.keys()
        try await client.audited(audit, logger: logger) { connection in
            let userID = try await Self.linkedUser(inspector, on: connection, logger: logger)
            let rows = try await connection.query(
                """
                UPDATE inspectors SET name = \(inspector.name), position = \(inspector.position),
                    certificate_number = \(inspector.certificateNumber), post = \(inspector.post), phone = \(keys.seal(inspector.phone, .inspectorPhone)),
                    level = \(inspector.level.rawValue), region_code = \(inspector.regionCode), categories = \(inspector.categories),
                    qualifications = \(inspector.qualifications), expertise = \(inspector.expertise),
                    status = \(inspector.status.rawValue), is_expert = \(inspector.isExpert), institution = \(inspector.institution),
                    user_id = \(userID), updated_at = now()
                WHERE id = \(inspector.id ?? 0) RETURNING id
                """, logger: logger)
            guard try await rows.collect().isEmpty == false else { throw StoreError.notFound }
        }
    }

    /// The id of the user `inspector.username` names: an active user of the same department with the inspector role.
    private static func linkedUser(_ inspector: Inspector, on connection: PostgresConnection, logger: Logger) async throws -> Int64? {
        guard let username = inspector.username else { return nil }
        let rows = try await connection.query(
            """
            SELECT id FROM users WHERE username = \(username) AND department_code = \(inspector.department)
              AND 'inspector' = ANY (roles) AND disabled_at IS NULL
            """, logger: logger)
        guard let id = try await rows.decode(Int64.self).all().first else {
            throw DomainError(.userNotInspector, "用户 \(username) 不存在、已停用、不属于本部门或没有执法检查人员角色", field: "username")
        }
        return id
    }

    private static func inspector(_ row: Row, _ keys: PersonalDataKeys) throws -> Inspector {
        let (
            id, department, name, position, certificateNumber, post, phone, level, regionCode, categories, qualifications, expertise,
            status, isExpert, institution, username
        ) = row
        return Inspector(
            id: id, department: department, name: name, position: position, certificateNumber: certificateNumber, post: post,
            phone: try keys.open(phone, .inspectorPhone), level: try .init(code: level), regionCode: regionCode, categories: categories,
            qualifications: qualifications,
            expertise: expertise, status: try .init(code: status), isExpert: isExpert, institution: institution, username: username
        )
    }
}

/// Conflict-of-interest declarations.
extension InspectorRepository {
    private static let conflictColumns = """
        id, inspector_id, credit_code, reason, to_char(valid_from, 'YYYY-MM-DD'), to_char(valid_until, 'YYYY-MM-DD'), declared_by
        """

    /// Records a declaration; `StoreError.constraint` when the object is not in the directory.
    public func declare(_ conflict: ConflictDeclaration, audit: AuditRecord.Entry) async throws -> ConflictDeclaration {
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO conflict_declarations (inspector_id, credit_code, reason, valid_from, valid_until, declared_by)
                VALUES (\(conflict.inspectorID), \(conflict.creditCode), \(conflict.reason), \(conflict.from.description)::date,
                        \(conflict.until?.description)::date, \(conflict.declaredBy))
                RETURNING id
                """, logger: logger)
            var saved = conflict
            saved.id = try await rows.decode(Int64.self).all().first
            return saved
        }
    }

    /// An inspector's declarations, newest first.
    public func conflicts(of inspectorID: Int64) async throws -> [ConflictDeclaration] {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.conflictColumns) FROM conflict_declarations
                WHERE inspector_id = \(inspectorID) ORDER BY id DESC
                """, logger: logger)
            return try await rows.decode((Int64, Int64, String, String, String, String?, String).self).all().map { row in
                ConflictDeclaration(
                    id: row.0, inspectorID: row.1, creditCode: row.2, reason: row.3,
                    from: try CalendarDate(stored: row.4), until: try row.5.map { try CalendarDate(stored: $0) }, declaredBy: row.6
                )
            }
        }
    }
}
