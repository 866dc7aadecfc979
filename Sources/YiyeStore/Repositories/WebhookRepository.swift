import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// Departments' webhooks and their delivery queue: deliveries are queued by trigger with each notification, claimed
/// by one instance at a time (`FOR UPDATE SKIP LOCKED` and a lease), and every attempt is logged.
public struct WebhookRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// One queued notification for one webhook, with its attempts so far.
    public struct Delivery: Sendable {
        public var id: Int64
        public var notificationID: Int64
        public var status: String
        public var attempts: [(at: Date, statusCode: Int?, error: String)]
        public var deliveredAt: Date?
    }

    /// A delivery claimed for an attempt.
    public struct Job: Sendable {
        public var deliveryID: Int64
        public var url: String
        public var secret: String
        public var notice: Notice
        /// Attempts made before this one.
        public var attempts: Int
    }

    public func create(_ webhook: Webhook, secret: String, audit: AuditRecord.Entry) async throws -> Int64 {
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO webhooks (department, url, secret, created_by) VALUES (\(webhook.department), \(webhook.url), \(secret),
                                                                                  \(audit.actor ?? "system"))
                RETURNING id
                """, logger: logger)
            guard let id = try await rows.decode(Int64.self).all().first else { throw StoreError.unexpected("webhook not inserted") }
            return id
        }
    }

    private typealias Row = (Int64, DepartmentCode, String, Bool)
    private typealias JobRow = (Int64, String, String, Int, Int64, DepartmentCode, String, String, String, Int64, Date)

    public func find(_ id: Int64) async throws -> Webhook? {
        try await client.translatingErrors {
            try await client.query("SELECT id, department, url, active FROM webhooks WHERE id = \(id)", logger: logger)
                .decode(Row.self).all().first.map(Self.webhook)
        }
    }

    /// Webhooks in id order after `cursor`; `department` keeps its own.
    public func list(department: DepartmentCode?, after cursor: Int64?, limit: Int) async throws -> [Webhook] {
        try await client.translatingErrors {
            try await client.query(
                """
                SELECT id, department, url, active FROM webhooks
                WHERE id > \(cursor ?? 0) AND (\(department)::text IS NULL OR department = \(department)) ORDER BY id LIMIT \(limit)
                """, logger: logger
            ).decode(Row.self).all().map(Self.webhook)
        }
    }

    /// Stops the webhook; what is still queued for it is not sent.
    public func deactivate(_ id: Int64, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            _ = try await connection.query("UPDATE webhooks SET active = false WHERE id = \(id)", logger: logger)
            _ = try await connection.query(
                """
                UPDATE webhook_deliveries SET status = 'failed' WHERE webhook_id = \(id) AND status = 'pending'
                """, logger: logger)
        }
    }

    /// The delivery log, newest first, before `cursor`.
    public func deliveries(of webhookID: Int64, before cursor: Int64?, limit: Int) async throws -> [Delivery] {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT id, notification_id, status, delivered_at FROM webhook_deliveries
                WHERE webhook_id = \(webhookID) AND id < \(cursor ?? Int64.max) ORDER BY id DESC LIMIT \(limit)
                """, logger: logger
            ).decode((Int64, Int64, String, Date?).self).all()
            let attempts = try await client.query(
                """
                SELECT delivery_id, at, status_code, error FROM webhook_attempts WHERE delivery_id = ANY (\(rows.map(\.0))) ORDER BY id
                """, logger: logger
            ).decode((Int64, Date, Int?, String).self).all()
            return rows.map { row in
                Delivery(
                    id: row.0, notificationID: row.1, status: row.2,
                    attempts: attempts.filter { $0.0 == row.0 }.map { ($0.1, $0.2, $0.3) }, deliveredAt: row.3)
            }
        }
    }

    /// Claims up to `limit` deliveries that are due, leasing them for `lease` so that no other instance attempts
    /// them meanwhile.
    public func claim(limit: Int, lease: Duration, now: Date) async throws -> [Job] {
        try await client.transaction(logger: logger) { connection in
            try await connection.query(
                """
                WITH due AS (
                    SELECT d.id FROM webhook_deliveries d
                    WHERE d.status = 'pending' AND d.next_attempt_at <= \(now)
                    ORDER BY d.next_attempt_at LIMIT \(limit) FOR UPDATE SKIP LOCKED),
                leased AS (
                    UPDATE webhook_deliveries d SET next_attempt_at = \(now.addingTimeInterval(lease.seconds))
                    FROM due WHERE d.id = due.id RETURNING d.id, d.webhook_id, d.notification_id, d.attempts)
                SELECT l.id, w.url, w.secret, l.attempts, n.id, n.department, n.kind, n.title, n.subject_type, n.subject_id, n.created_at
                FROM leased l JOIN webhooks w ON w.id = l.webhook_id JOIN notifications n ON n.id = l.notification_id
                WHERE w.active
                ORDER BY l.id
                """, logger: logger
            ).decode(JobRow.self).all().map(Self.job)
        }
    }

    private static func webhook(_ row: Row) throws -> Webhook {
        Webhook(id: row.0, department: row.1, url: row.2, active: row.3)
    }

    private static func job(_ row: JobRow) throws -> Job {
        let (deliveryID, url, secret, attempts, noticeID, department, kind, title, subject, subjectID, createdAt) = row
        return Job(
            deliveryID: deliveryID, url: url, secret: secret,
            notice: Notice(
                id: noticeID, department: department, kind: try .init(code: kind), title: title,
                subjectType: try .init(code: subject), subjectID: subjectID, createdAt: createdAt),
            attempts: attempts)
    }

    /// Logs an attempt; delivered on 2xx, otherwise due again after `retryAfter`, or failed after the last attempt.
    public func record(_ job: Job, statusCode: Int?, error: String, retryAfter: Duration, now: Date) async throws {
        let delivered = statusCode.map { (200..<300).contains($0) } ?? false
        let attempts = job.attempts + 1
        let status = delivered ? "delivered" : attempts >= Webhook.maximumAttempts ? "failed" : "pending"
        try await client.transaction(logger: logger) { connection in
            _ = try await connection.query(
                """
                INSERT INTO webhook_attempts (delivery_id, status_code, error) VALUES (\(job.deliveryID), \(statusCode), \(String(error.prefix(500))))
                """, logger: logger)
            _ = try await connection.query(
                """
                UPDATE webhook_deliveries SET attempts = \(attempts), status = \(status),
                       next_attempt_at = \(now.addingTimeInterval(retryAfter.seconds)),
                       delivered_at = \(delivered ? now : nil)
                WHERE id = \(job.deliveryID)
                """, logger: logger)
        }
    }
}
