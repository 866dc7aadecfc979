import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// Users in PostgreSQL. Password hashes go in and are checked here but never come back out to the API.
public struct UserRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    private static let columns = "id, username, display_name, department_code, roles, disabled_at IS NOT NULL"
    private typealias Row = (Int64, String, String, DepartmentCode, [String], Bool)

    /// Users in username order after `cursor`, at most `limit`; `department` keeps one department's.
    public func list(after cursor: String?, limit: Int, department: DepartmentCode?) async throws -> [User] {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM users
                WHERE username > \(cursor ?? "") AND (\(department)::text IS NULL OR department_code = \(department))
                ORDER BY username LIMIT \(limit)
                """, logger: logger)
            return try await rows.decode(Row.self).all().map(Self.user)
        }
    }

    public func find(_ username: String) async throws -> User? {
        try await client.translatingErrors {
            let rows = try await client.query(
                "SELECT \(unescaped: Self.columns) FROM users WHERE username = \(username)", logger: logger
            )
            return try await rows.decode(Row.self).all().first.map(Self.user)
        }
    }

    /// The user, their stored password hash and when the password was last set, for signing in.
    public func credentials(of username: String) async throws -> (user: User, passwordHash: String, passwordChangedAt: Date)? {
        try await client.translatingErrors {
            let rows = try await client.query(
                "SELECT \(unescaped: Self.columns), password_hash, password_changed_at FROM users WHERE username = \(username)",
                logger: logger
            )
            return try await rows.decode((Int64, String, String, DepartmentCode, [String], Bool, String, Date).self).all().first.map {
                (try Self.user(($0.0, $0.1, $0.2, $0.3, $0.4, $0.5)), $0.6, $0.7)
            }
        }
    }

    /// Sets a user's own new password and ends all their sessions, audited in the same transaction.
    public func changeOwnPassword(_ username: String, to password: PasswordHash, at now: Date, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE users SET password_hash = \(password.encoded), password_changed_at = \(now), updated_at = now()
                WHERE username = \(username) RETURNING id
                """, logger: logger)
            guard let id = try await rows.decode(Int64.self).all().first else { throw StoreError.notFound }
            _ = try await connection.query(
                "UPDATE sessions SET ended_at = now(), end_reason = 'logout' WHERE user_id = \(id) AND ended_at IS NULL", logger: logger)
        }
    }

    /// Inserts a user; `StoreError.alreadyExists` when the username is taken. Returns it with its id.
    public func create(_ user: User, passwordHash: PasswordHash, audit: AuditRecord.Entry) async throws -> User {
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO users (username, display_name, department_code, roles, password_hash)
                VALUES (\(user.username), \(user.displayName), \(user.department), \(user.roles.sorted().map(\.rawValue)),
                        \(passwordHash.encoded))
                RETURNING id
                """, logger: logger)
            var created = user
            created.id = try await rows.decode(Int64.self).all().first ?? 0
            return created
        }
    }

    /// Saves display name, roles and the disabled flag, and the password when given. Disabling a user, or
    /// changing their password, ends all their sessions.
    public func update(_ user: User, newPassword: PasswordHash?, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE users SET display_name = \(user.displayName), roles = \(user.roles.sorted().map(\.rawValue)),
                    disabled_at = CASE WHEN \(user.disabled) THEN coalesce(disabled_at, now()) END,
                    password_hash = coalesce(\(newPassword?.encoded), password_hash),
                    password_changed_at = CASE WHEN \(newPassword != nil) THEN now() ELSE password_changed_at END,
                    updated_at = now()
                WHERE username = \(user.username) RETURNING id
                """, logger: logger)
            guard let id = try await rows.decode(Int64.self).all().first else { throw StoreError.notFound }
            if user.disabled || newPassword != nil {
                let reason = user.disabled ? "user_disabled" : "logout"
                _ = try await connection.query(
                    """
                    UPDATE sessions SET ended_at = now(), end_reason = \(reason)
                    WHERE user_id = \(id) AND ended_at IS NULL
                    """, logger: logger)
            }
        }
    }

    private static func user(_ row: Row) throws -> User {
        User(
            id: row.0, username: row.1, displayName: row.2, department: row.3,
            roles: Set(try row.4.map { try Role(code: $0) }), disabled: row.5)
    }
}
