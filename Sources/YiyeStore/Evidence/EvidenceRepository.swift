import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// Evidence files recorded for drawn objects; the bytes are in `EvidenceStore`.
public struct EvidenceRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Records a stored file for `creditCode` in the draw, its digest in the audit trail (once per object).
    public func record(_ file: EvidenceFile, draw drawID: DrawID, object creditCode: String, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            _ = try await connection.query(
                """
                INSERT INTO evidence_files (digest, draw_id, credit_code, kind, size, name, department, uploaded_by)
                VALUES (\(file.digest), \(drawID), \(creditCode), \(file.kind.rawValue), \(file.size), \(file.name), \(file.department),
                        \(file.uploadedBy))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
    }

    /// The file of `digest` uploaded for `creditCode` in the draw.
    public func file(_ digest: String, draw drawID: DrawID, object creditCode: String) async throws -> EvidenceFile? {
        try await client.translatingErrors {
            guard
                let row = try await client.query(
                    """
                    SELECT kind, size, name, department, uploaded_by, uploaded_at FROM evidence_files
                    WHERE digest = \(digest) AND draw_id = \(drawID) AND credit_code = \(creditCode)
                    """, logger: logger
                ).decode((String, Int64, String, DepartmentCode, String, Date).self).all().first
            else { return nil }
            return EvidenceFile(
                digest: digest, size: row.1, kind: try .init(code: row.0), name: row.2, department: row.3, uploadedBy: row.4,
                uploadedAt: row.5)
        }
    }

    /// Of `digests`, those uploaded for `creditCode` in the draw.
    public func uploaded(_ digests: [String], draw drawID: DrawID, object creditCode: String) async throws -> Set<String> {
        guard !digests.isEmpty else { return [] }
        return try await client.translatingErrors {
            Set(
                try await client.query(
                    """
                    SELECT digest FROM evidence_files
                    WHERE digest = ANY(\(digests)) AND draw_id = \(drawID) AND credit_code = \(creditCode)
                    """, logger: logger
                ).decode(String.self).all())
        }
    }

    /// Forgets the uploads made before `cutoff` that no item result or visit (its signature) of their object refers to; returns the digests
    /// of `candidates` (files on disk) and of the forgotten uploads that nothing in the database names any more,
    /// whose files can go.
    public func sweep(before cutoff: Date, files candidates: [String]) async throws -> [String] {
        try await client.translatingErrors {
            try await client.withTransaction(logger: logger) { connection in
                let forgotten = try await connection.query(
                    """
                    DELETE FROM evidence_files e
                    WHERE e.uploaded_at < \(cutoff)
                      AND NOT EXISTS (SELECT 1 FROM result_items i JOIN inspection_results r ON r.id = i.result_id
                                      WHERE r.draw_id = e.draw_id AND r.credit_code = e.credit_code
                                        AND 'sm3:' || e.digest = ANY(i.evidence))
                      AND NOT EXISTS (SELECT 1 FROM site_visits v
                                      WHERE (v.draw_id, v.credit_code, v.signature) = (e.draw_id, e.credit_code, 'sm3:' || e.digest))
                    RETURNING e.digest
                    """, logger: logger
                ).decode(String.self).all()
                let named = Set(forgotten + candidates)
                guard !named.isEmpty else { return [] }
                let kept = Set(
                    try await connection.query(
                        "SELECT DISTINCT digest FROM evidence_files WHERE digest = ANY(\(Array(named)))", logger: logger
                    ).decode(String.self).all())
                return named.subtracting(kept).sorted()
            }
        }
    }
}
