import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// What can go wrong with a list's draft.
public enum ListDraftError: Error, Sendable, Equatable {
    /// A draft exists already; publish or discard it first.
    case draftExists
    /// There is no draft to change, publish or discard.
    case noDraft
}

/// Versioned documents (item lists, joint lists) in PostgreSQL: one draft at a time per owner, published versions
/// kept unchanged for good (a trigger refuses any change to them).
public struct ListVersionRepository<Document: VersionedDocument>: Sendable {
    public typealias Version = ListVersion<Document>

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    private static var columns: String {
        "owner, version, status, note, document::text, created_by, created_at, published_by, published_at"
    }
    private typealias Row = (String, Int, String, String, String, String, Date, String?, Date?)

    /// The published version `version` of `owner`'s list, or its latest published one when `version` is nil.
    public func published(_ owner: String, version: Int? = nil) async throws -> Version? {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM list_versions
                WHERE kind = \(Document.kind) AND owner = \(owner) AND status = 'published'
                  AND (\(version)::integer IS NULL OR version = \(version))
                ORDER BY version DESC LIMIT 1
                """, logger: logger)
            return try await Self.versions(rows).first
        }
    }

    /// Every published version of `owner`'s list, newest first.
    public func history(_ owner: String) async throws -> [Version] {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM list_versions
                WHERE kind = \(Document.kind) AND owner = \(owner) AND status = 'published'
                ORDER BY version DESC
                """, logger: logger)
            return try await Self.versions(rows)
        }
    }

    public func draft(_ owner: String) async throws -> Version? {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM list_versions
                WHERE kind = \(Document.kind) AND owner = \(owner) AND status = 'draft'
                """, logger: logger)
            return try await Self.versions(rows).first
        }
    }

    /// Starts the next version as a draft holding `document`; `ListDraftError.draftExists` when one is open.
    public func createDraft(_ owner: String, note: String, document: Document, audit: AuditRecord.Entry) async throws -> Version {
        let json = try Self.encode(document)
        do {
            return try await client.transaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    INSERT INTO list_versions (kind, owner, version, status, note, document, created_by)
                    SELECT \(Document.kind), \(owner), coalesce(max(version), 0) + 1, 'draft', \(note), \(json)::jsonb, \(audit.actor ?? "system")
                    FROM list_versions WHERE kind = \(Document.kind) AND owner = \(owner)
                    RETURNING \(unescaped: Self.columns)
                    """, logger: logger)
                guard let version = try await Self.versions(rows).first else { throw StoreError.unexpected("draft not inserted") }
                try await AuditTrail.append(Self.entry(audit, version), on: connection, logger: logger)
                return version
            }
        } catch StoreError.alreadyExists {
            throw ListDraftError.draftExists
        }
    }

    /// Changes the draft under a row lock: `change` sees the current draft and may refuse with a domain error.
    public func updateDraft(
        _ owner: String, audit: AuditRecord.Entry, _ change: @Sendable @escaping (inout Version) throws -> Void
    ) async throws -> Version {
        try await client.transaction(logger: logger) { connection in
            var draft = try await Self.lockedDraft(owner, on: connection, logger: logger)
            try change(&draft)
            let rows = try await connection.query(
                """
                UPDATE list_versions SET note = \(draft.note), document = \(try Self.encode(draft.document))::jsonb, updated_at = now()
                WHERE kind = \(Document.kind) AND owner = \(owner) AND status = 'draft'
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            guard let updated = try await Self.versions(rows).first else { throw ListDraftError.noDraft }
            try await AuditTrail.append(Self.entry(audit, updated), on: connection, logger: logger)
            return updated
        }
    }

    /// Publishes the draft once its document passes `validateForPublication`; from then on it never changes. `deadline`:
    /// how long the publication may take, longer than a store call's usual when publishing does much more (an
    /// indicator system grades its whole industry in the same transaction).
    public func publishDraft(_ owner: String, audit: AuditRecord.Entry, deadline: Duration? = nil) async throws -> Version {
        try await client.transaction(logger: logger, deadline: deadline ?? PostgresClient.defaultDeadline) { connection in
            let draft = try await Self.lockedDraft(owner, on: connection, logger: logger)
            try draft.document.validateForPublication()
            let rows = try await connection.query(
                """
                UPDATE list_versions SET status = 'published', published_at = now(), published_by = \(audit.actor ?? "system"),
                                         updated_at = now()
                WHERE kind = \(Document.kind) AND owner = \(owner) AND status = 'draft'
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            guard let published = try await Self.versions(rows).first else { throw ListDraftError.noDraft }
            try await AuditTrail.append(Self.entry(audit, published), on: connection, logger: logger)
            return published
        }
    }

    /// Throws the draft away.
    public func discardDraft(_ owner: String, audit: AuditRecord.Entry) async throws {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                DELETE FROM list_versions WHERE kind = \(Document.kind) AND owner = \(owner) AND status = 'draft'
                RETURNING \(unescaped: Self.columns)
                """, logger: logger)
            guard let discarded = try await Self.versions(rows).first else { throw ListDraftError.noDraft }
            try await AuditTrail.append(Self.entry(audit, discarded), on: connection, logger: logger)
        }
    }

    private static func lockedDraft(_ owner: String, on connection: PostgresConnection, logger: Logger) async throws -> Version {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: columns) FROM list_versions
            WHERE kind = \(Document.kind) AND owner = \(owner) AND status = 'draft' FOR UPDATE
            """, logger: logger)
        guard let draft = try await versions(rows).first else { throw ListDraftError.noDraft }
        return draft
    }

    private static func entry(_ audit: AuditRecord.Entry, _ version: Version) -> AuditRecord.Entry {
        var entry = audit
        entry.details = ["第 \(version.version) 版", audit.details].filter { !$0.isEmpty }.joined(separator: "：")
        return entry
    }

    private static func encode(_ document: Document) throws -> String {
        try JSONText.encode(document)
    }

    private static func versions(_ rows: PostgresRowSequence) async throws -> [Version] {
        var versions: [Version] = []
        for try await row in rows {
            let (owner, version, status, note, json, createdBy, createdAt, publishedBy, publishedAt) = try row.decode(Row.self)
            let document = try JSONText.decode(Document.self, json)
            versions.append(
                Version(
                    owner: owner, version: version, status: try Version.Status(code: status), note: note,
                    createdBy: createdBy, createdAt: createdAt, publishedBy: publishedBy, publishedAt: publishedAt, document: document
                ))
        }
        return versions
    }
}
