import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// Sign-in throttling and bearer sessions in PostgreSQL; tokens are known only by their SM3 hash.
public struct SessionRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Decides whether a sign-in attempt may check its password: not from an address with too many failures in its
    /// window, not under a locked name. An allowed attempt is counted against the name at once (one row lock, so
    /// exact under concurrent guesses); one beyond the limit locks the name without its password being checked.
    public func admit(_ username: String, address: String?, policy: SignInPolicy) async throws -> SignInPolicy.Admission {
        try await client.translatingErrors {
            try await client.withTransaction(logger: logger) { connection in
                if let address {
                    let limited = try await connection.query(
                        """
                        SELECT 1 FROM login_address_throttle
                        WHERE address = \(address) AND failures >= \(policy.maximumFailuresPerAddress)
                          AND window_started > now() - make_interval(secs => \(Double(policy.addressWindow.components.seconds)))
                        """, logger: logger
                    ).collect()
                    if !limited.isEmpty { return .addressLimited }
                }
                let rows = try await connection.query(
                    """
                    INSERT INTO login_throttle AS t (username, failures) VALUES (\(username), 1)
                    ON CONFLICT (username) DO UPDATE SET
                        failures = CASE WHEN t.locked_until <= now() THEN 1 ELSE t.failures + 1 END,
                        locked_until = CASE WHEN t.locked_until <= now() THEN NULL ELSE t.locked_until END
                    RETURNING failures, coalesce(locked_until > now(), false)
                    """, logger: logger)
                guard let (attempt, locked) = try await rows.decode((Int, Bool).self).all().first else {
                    throw StoreError.unexpected("sign-in attempt not counted")
                }
                if locked { return .nameLocked }
                guard attempt <= policy.maximumFailures else {
                    try await Self.lock(username, policy: policy, on: connection, logger: logger)
                    return .nameLocked
                }
                return .allowed(attempt: attempt)
            }
        }
    }

    /// Records a failed attempt (admitted as the name's `attempt`-th): the `policy.maximumFailures`-th locks the name
    /// for `policy.lockout`; the address's failures in its window grow by one. In one transaction with the audit entry.
    /// Returns whether the name is now locked.
    public func recordFailure(
        _ username: String, attempt: Int, address: String?, policy: SignInPolicy, audit: AuditRecord.Entry
    ) async throws -> Bool {
        try await client.audited(audit, logger: logger) { connection in
            if let address {
                _ = try await connection.query(
                    """
                    INSERT INTO login_address_throttle AS t (address, failures) VALUES (\(address), 1)
                    ON CONFLICT (address) DO UPDATE SET
                        failures = CASE WHEN t.window_started <= now() - make_interval(secs => \(Double(policy.addressWindow.components.seconds)))
                                        THEN 1 ELSE t.failures + 1 END,
                        window_started = CASE WHEN t.window_started <= now() - make_interval(secs => \(Double(policy.addressWindow.components.seconds)))
                                              THEN now() ELSE t.window_started END
                    """, logger: logger)
            }
            guard attempt >= policy.maximumFailures else { return false }
            try await Self.lock(username, policy: policy, on: connection, logger: logger)
            return true
        }
    }

    private static func lock(_ username: String, policy: SignInPolicy, on connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.query(
            """
            UPDATE login_throttle SET locked_until = now() + make_interval(secs => \(Double(policy.lockout.components.seconds)))
            WHERE username = \(username) AND (locked_until IS NULL OR locked_until <= now())
            """, logger: logger)
    }

    /// Forgets the name's failed attempts: its password was just given right.
    public func clearFailures(_ username: String) async throws {
        try await client.translatingErrors {
            _ = try await client.query("DELETE FROM login_throttle WHERE username = \(username)", logger: logger)
        }
    }

    /// Opens a session after a successful sign-in and audits it, in one transaction.
    public func open(tokenHash: String, userID: Int64, username: String, policy: SignInPolicy, audit: AuditRecord.Entry) async throws
        -> Date
    {
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO sessions (token_hash, user_id, expires_at)
                VALUES (\(tokenHash), \(userID), now() + make_interval(secs => \(Double(policy.absoluteLifetime.components.seconds))))
                RETURNING expires_at
                """, logger: logger)
            guard let expiresAt = try await rows.decode(Date.self).all().first else { throw StoreError.unexpected("session not stored") }
            return expiresAt
        }
    }

    /// The actor behind a live session, touching its idle clock; nil when the token is unknown, ended,
    /// idle too long, past its lifetime, or its user is disabled (and the session is ended with the reason). A
    /// session seen within `idleClockResolution` is only read: most requests then write nothing.
    public func actor(tokenHash: String, policy: SignInPolicy) async throws -> Actor? {
        try await client.translatingErrors {
            let fresh = try await client.query(
                """
                SELECT u.id, u.username, u.department_code, d.kind, u.roles
                FROM sessions s JOIN users u ON u.id = s.user_id JOIN departments d ON d.code = u.department_code
                WHERE s.token_hash = \(tokenHash) AND s.ended_at IS NULL AND u.disabled_at IS NULL AND s.expires_at > now()
                  AND s.last_seen_at > now() - make_interval(secs => \(policy.idleClockResolution.seconds))
                """, logger: logger)
            if let (id, username, department, kind, roles) =
                try await fresh.decode((Int64, String, DepartmentCode, String, [String]).self).all().first
            {
                return try Self.actor(id, username, department, kind, roles)
            }
            let rows = try await client.query(
                """
                UPDATE sessions s SET
                    last_seen_at = CASE WHEN s.last_seen_at > now() - make_interval(secs => \(Double(policy.idleTimeout.components.seconds)))
                                         AND s.expires_at > now() THEN now() ELSE s.last_seen_at END,
                    ended_at = CASE WHEN s.expires_at <= now() OR s.last_seen_at <= now() - make_interval(secs => \(Double(policy.idleTimeout.components.seconds)))
                                    THEN now() END,
                    end_reason = CASE WHEN s.expires_at <= now() THEN 'expired'
                                      WHEN s.last_seen_at <= now() - make_interval(secs => \(Double(policy.idleTimeout.components.seconds))) THEN 'idle' END
                FROM users u JOIN departments d ON d.code = u.department_code
                WHERE s.token_hash = \(tokenHash) AND s.ended_at IS NULL AND u.id = s.user_id AND u.disabled_at IS NULL
                RETURNING s.ended_at IS NULL, u.id, u.username, u.department_code, d.kind, u.roles
                """, logger: logger)
            guard
                let (live, id, username, department, kind, roles) =
                    try await rows.decode((Bool, Int64, String, DepartmentCode, String, [String]).self).all().first, live
            else { return nil }
            return try Self.actor(id, username, department, kind, roles)
        }
    }

    private static func actor(_ id: Int64, _ username: String, _ department: DepartmentCode, _ kind: String, _ roles: [String]) throws
        -> Actor
    {
        Actor(
            userID: id, username: username, department: department, departmentKind: try Department.Kind(code: kind),
            roles: Set(try roles.map { try Role(code: $0) }))
    }

    /// Ends the session (logout), audited in the same transaction.
    public func end(tokenHash: String, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            _ = try await connection.query(
                """
                UPDATE sessions SET ended_at = now(), end_reason = 'logout' WHERE token_hash = \(tokenHash) AND ended_at IS NULL
                """, logger: logger)
        }
    }
}
