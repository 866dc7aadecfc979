import Logging
import PostgresNIO
import YiyeCore

/// Appends to and reads the hash-chained audit log.
public struct AuditTrail: Sendable {
    /// Serializes appends so that seq stays gap-free and each record links to the one committed before it.
    static let appendLockKey: Int64 = 0x7969_6175  // "yiau"

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Appends `entry` inside the caller's transaction: if the transaction rolls back, so does the record,
    /// and if the append fails, the transaction fails.
    @discardableResult
    public static func append(_ entry: AuditRecord.Entry, on connection: PostgresConnection, logger: Logger) async throws -> AuditRecord {
        // Held to commit; the statements after it see the record committed by whoever held it before.
        _ = try await connection.query("SELECT pg_advisory_xact_lock(\(appendLockKey))", logger: logger)
        let head = try await connection.query(
            """
            SELECT coalesce((SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1), 0),
                   coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), \(AuditRecord.genesisHash)),
                   \(unescaped: Self.now)
            """, logger: logger
        ).decode((Int64, String, String).self).all()
        guard let (seq, previousHash, at) = head.first else { throw StoreError.unexpected("audit head unreadable") }
        let record = AuditRecord(seq: seq + 1, at: at, entry: entry, previousHash: previousHash)
        _ = try await connection.query(
            """
            INSERT INTO audit_log (seq, at, actor, department, role, action, object_type, object_id, outcome,
                                   client_address, request_id, details, prev_hash, hash)
            VALUES (\(record.seq), \(record.at)::timestamptz, \(entry.actor), \(entry.department), \(entry.role),
                    \(entry.action), \(entry.objectType), \(entry.objectID), \(entry.outcome.rawValue),
                    \(entry.clientAddress), \(entry.requestID), \(entry.details), \(record.previousHash), \(record.hash))
            """, logger: logger)
        return record
    }

    /// Appends `entry` in a transaction of its own (sign-ins, refusals: nothing else changes).
    @discardableResult
    public func record(_ entry: AuditRecord.Entry) async throws -> AuditRecord {
        try await client.transaction(logger: logger) { connection in
            try await Self.append(entry, on: connection, logger: logger)
        }
    }

    /// A filter over the log.
    public struct Filter: Sendable {
        public var actor: String?
        public var department: DepartmentCode?
        public var objectType: String?
        public var objectID: String?
        public var action: String?
        public var from: String?
        public var to: String?

        public init(
            actor: String? = nil, department: DepartmentCode? = nil, objectType: String? = nil, objectID: String? = nil,
            action: String? = nil, from: String? = nil, to: String? = nil
        ) {
            self.actor = actor
            self.department = department
            self.objectType = objectType
            self.objectID = objectID
            self.action = action
            self.from = from
            self.to = to
        }
    }

    /// Newest first, before seq `cursor`, at most `limit`. `from`/`to` are RFC 3339 times.
    public func list(_ filter: Filter, before cursor: Int64?, limit: Int) async throws -> [AuditRecord] {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM audit_log
                WHERE seq < \(cursor ?? Int64.max)
                  AND (\(filter.actor)::text IS NULL OR actor = \(filter.actor))
                  AND (\(filter.department)::text IS NULL OR department = \(filter.department))
                  AND (\(filter.objectType)::text IS NULL OR object_type = \(filter.objectType))
                  AND (\(filter.objectID)::text IS NULL OR object_id = \(filter.objectID))
                  AND (\(filter.action)::text IS NULL OR action = \(filter.action))
                  AND (\(filter.from)::timestamptz IS NULL OR at >= \(filter.from)::timestamptz)
                  AND (\(filter.to)::timestamptz IS NULL OR at < \(filter.to)::timestamptz)
                ORDER BY seq DESC LIMIT \(limit)
                """, logger: logger)
            return try await Self.records(rows)
        }
    }

    /// Streams the whole chain in order through `verifier`, then checks the checkpoints against `key`.
    public func verify(key: SM2.PublicKey) async throws -> AuditVerifier.Report {
        // A long chain takes a while to read; this is not a wait for a connection.
        try await client.translatingErrors(deadline: .seconds(3600)) {
            let checkpoints = try await self.checkpoints()
            var verifier = AuditVerifier(checkpointSeqs: Set(checkpoints.map(\.seq)))
            var after: Int64 = 0
            while true {
                let rows = try await client.query(
                    """
                    SELECT \(unescaped: Self.columns) FROM audit_log WHERE seq > \(after) ORDER BY seq LIMIT 10000
                    """, logger: logger)
                let batch = try await Self.records(rows)
                for record in batch { verifier.check(record) }
                guard let last = batch.last else { break }
                after = last.seq
            }
            return verifier.finish(checkpoints: checkpoints, key: key)
        }
    }

    /// Signs the current head when it moved since the last checkpoint; returns the new checkpoint, if any.
    @discardableResult
    public func checkpoint(key: SM2.PrivateKey) async throws -> AuditCheckpoint? {
        try await client.transaction(logger: logger) { connection in
            _ = try await connection.query("SELECT pg_advisory_xact_lock(\(Self.appendLockKey))", logger: logger)
            let head = try await connection.query(
                """
                SELECT seq, hash, \(unescaped: Self.now),
                       coalesce((SELECT max(seq) FROM audit_checkpoints), 0)
                FROM audit_log ORDER BY seq DESC LIMIT 1
                """, logger: logger
            ).decode((Int64, String, String, Int64).self).all()
            guard let (seq, hash, now, lastSigned) = head.first, seq > lastSigned else { return nil }
            let checkpoint = try AuditCheckpoint.sign(seq: seq, headHash: hash, signedAt: now, key: key)
            _ = try await connection.query(
                """
                INSERT INTO audit_checkpoints (seq, head_hash, signed_at, signature)
                VALUES (\(checkpoint.seq), \(checkpoint.headHash), \(checkpoint.signedAt), \(checkpoint.signature))
                """, logger: logger)
            return checkpoint
        }
    }

    /// Every checkpoint, oldest first.
    public func checkpoints() async throws -> [AuditCheckpoint] {
        try await client.translatingErrors {
            let rows = try await client.query(
                "SELECT seq, head_hash, signed_at, signature FROM audit_checkpoints ORDER BY id", logger: logger
            )
            return try await rows.decode((Int64, String, String, String).self).all().map {
                AuditCheckpoint(seq: $0.0, headHash: $0.1, signedAt: $0.2, signature: $0.3)
            }
        }
    }

    /// The audit time format, `YYYY-MM-DDTHH:MM:SS.ffffffZ`: hashed as text, so always produced by PostgreSQL
    /// in exactly this form.
    private static func timestamp(_ expression: String) -> String {
        "to_char(\(expression) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
    }

    private static let now = timestamp("clock_timestamp()")

    private static let columns = """
        seq, \(timestamp("at")), actor, department, role, action,
        object_type, object_id, outcome, client_address, request_id, details, prev_hash, hash
        """

    private typealias Row = (
        Int64, String, String?, DepartmentCode?, String?, String, String?, String?, String, String?, String?, String, String, String
    )

    private static func records(_ rows: PostgresRowSequence) async throws -> [AuditRecord] {
        var records: [AuditRecord] = []
        for try await row in rows {
            let (seq, at, actor, department, role, action, objectType, objectID, outcome, client, request, details, previous, hash) =
                try row.decode(Row.self)
            let entry = AuditRecord.Entry(
                actor: actor, department: department, role: role, action: action, objectType: objectType,
                objectID: objectID, outcome: try AuditRecord.Outcome(code: outcome),
                clientAddress: client, requestID: request, details: details
            )
            records.append(AuditRecord(seq: seq, at: at, entry: entry, previousHash: previous, hash: hash))
        }
        return records
    }
}

extension PostgresClient {
    /// Runs `body` and appends `entry` to the audit trail in one transaction.
    public func audited<T: Sendable>(
        _ entry: AuditRecord.Entry, logger: Logger, _ body: @Sendable @escaping (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await transaction(logger: logger) { connection in
            let result = try await body(connection)
            try await AuditTrail.append(entry, on: connection, logger: logger)
            return result
        }
    }
}
