import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// Notifications in PostgreSQL: written in the transaction of the event they announce (the insert trigger NOTIFYs
/// on commit), listed per department with each user's read state.
public struct NotificationRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// A notice in a user's inbox.
    public struct Entry: Sendable {
        public var notice: Notice
        public var read: Bool
    }

    /// Stores `notices` on `connection`, inside the caller's transaction.
    public static func insert(_ notices: [Notice], on connection: PostgresConnection, logger: Logger) async throws {
        guard !notices.isEmpty else { return }
        _ = try await connection.query(
            """
            INSERT INTO notifications (department, kind, title, subject_type, subject_id)
            SELECT * FROM unnest(\(notices.map(\.department))::text[], \(notices.map(\.kind.rawValue))::text[],
                                 \(notices.map(\.title))::text[], \(notices.map(\.subjectType.rawValue))::text[],
                                 \(notices.map(\.subjectID))::bigint[])
            """, logger: logger)
    }

    public func insert(_ notices: [Notice]) async throws {
        try await client.translatingErrors {
            try await client.withConnection { try await Self.insert(notices, on: $0, logger: logger) }
        }
    }

    /// The department's notifications, newest first, before `cursor`; `unreadOnly` keeps those `user` has not read.
    public func inbox(department: DepartmentCode, user: Int64, unreadOnly: Bool, before cursor: Int64?, limit: Int) async throws -> [Entry]
    {
        try await client.translatingErrors {
            try await client.query(
                """
                SELECT n.id, n.department, n.kind, n.title, n.subject_type, n.subject_id, n.created_at, r.user_id IS NOT NULL
                FROM notifications n
                LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = \(user)
                WHERE n.department = \(department) AND n.id < \(cursor ?? Int64.max) AND NOT (\(unreadOnly) AND r.user_id IS NOT NULL)
                ORDER BY n.id DESC LIMIT \(limit)
                """, logger: logger
            ).decode((Int64, DepartmentCode, String, String, String, Int64, Date, Bool).self).all()
                .map { Entry(notice: try Self.notice($0.0, $0.1, $0.2, $0.3, $0.4, $0.5, $0.6), read: $0.7) }
        }
    }

    public func unreadCount(department: DepartmentCode, user: Int64) async throws -> Int {
        try await client.translatingErrors {
            try await client.query(
                """
                SELECT count(*) FROM notifications n
                WHERE n.department = \(department)
                  AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = \(user))
                """, logger: logger
            ).decode(Int.self).all().first ?? 0
        }
    }

    /// Marks the department's notification `id` read for `user`; false when the department has no such notification.
    public func markRead(_ id: Int64, department: DepartmentCode, user: Int64) async throws -> Bool {
        try await client.translatingErrors {
            let found =
                try await client.query(
                    """
                    WITH target AS (SELECT id FROM notifications WHERE id = \(id) AND department = \(department)),
                         marked AS (INSERT INTO notification_reads (notification_id, user_id) SELECT id, \(user) FROM target
                                    ON CONFLICT DO NOTHING)
                    SELECT count(*) FROM target
                    """, logger: logger
                ).decode(Int.self).all().first ?? 0
            return found > 0
        }
    }

    /// Marks every notification of the department read for `user`; returns how many were unread.
    public func markAllRead(department: DepartmentCode, user: Int64) async throws -> Int {
        try await client.translatingErrors {
            try await client.query(
                """
                WITH marked AS (
                    INSERT INTO notification_reads (notification_id, user_id)
                    SELECT id, \(user) FROM notifications WHERE department = \(department)
                    ON CONFLICT DO NOTHING RETURNING 1)
                SELECT count(*) FROM marked
                """, logger: logger
            ).decode(Int.self).all().first ?? 0
        }
    }

    /// The department's notifications after `id`, oldest first: what a reconnecting stream missed.
    public func since(_ id: Int64, department: DepartmentCode, limit: Int) async throws -> [Notice] {
        try await client.translatingErrors {
            try await client.query(
                """
                SELECT id, department, kind, title, subject_type, subject_id, created_at FROM notifications
                WHERE department = \(department) AND id > \(id) ORDER BY id LIMIT \(limit)
                """, logger: logger
            ).decode((Int64, DepartmentCode, String, String, String, Int64, Date).self).all()
                .map { try Self.notice($0.0, $0.1, $0.2, $0.3, $0.4, $0.5, $0.6) }
        }
    }

    /// Every department's notifications after `id`, oldest first, at most 10,000: what a listener missed while
    /// it was reconnecting.
    static func after(_ id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> [Notice] {
        try await connection.query(
            """
            SELECT id, department, kind, title, subject_type, subject_id, created_at FROM notifications
            WHERE id > \(id) ORDER BY id LIMIT 10000
            """, logger: logger
        ).decode((Int64, DepartmentCode, String, String, String, Int64, Date).self).all()
            .map { try notice($0.0, $0.1, $0.2, $0.3, $0.4, $0.5, $0.6) }
    }

    /// The newest notification's id, 0 when there is none.
    static func newest(on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        try await connection.query("SELECT coalesce(max(id), 0) FROM notifications", logger: logger).decode(Int64.self).all().first ?? 0
    }

    private static func notice(
        _ id: Int64, _ department: DepartmentCode, _ kind: String, _ title: String, _ subject: String, _ subjectID: Int64,
        _ createdAt: Date
    ) throws -> Notice {
        Notice(
            id: id, department: department, kind: try .init(code: kind), title: title,
            subjectType: try .init(code: subject), subjectID: subjectID, createdAt: createdAt)
    }
}
