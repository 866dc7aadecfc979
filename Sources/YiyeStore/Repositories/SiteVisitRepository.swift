import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// 现场确认: one visit per drawn object, recorded once.
public struct SiteVisitRepository: Sendable {
    let client: PostgresClient
    /// Seals and opens the witness's contact (个人信息).
    let cipher: PersonalDataCipher
    let logger: Logger

    public init(client: PostgresClient, cipher: PersonalDataCipher, logger: Logger) {
        self.client = client
        self.cipher = cipher
        self.logger = logger
    }

    /// Records the visit to `creditCode` in the draw; `alreadyExists` when one is recorded.
    public func record(_ visit: SiteVisit, draw drawID: DrawID, object creditCode: String, audit: AuditRecord.Entry) async throws {
        let keys = try await cipher.keys()
        try await client.audited(audit, logger: logger) { connection in
            _ = try await connection.query(
                """
                INSERT INTO site_visits (draw_id, credit_code, visited_at, inspectors, credentials_shown, confirmation, signed_by,
                                         signature, recording_reference, witness_name, witness_contact, recorded_by)
                VALUES (\(drawID), \(creditCode), \(visit.visitedAt), \(visit.inspectors), \(visit.credentialsShown),
                        \(visit.confirmation.rawValue), \(visit.signedBy), \(visit.signature), \(visit.recordingReference),
                        \(visit.witness?.name), \(keys.seal(visit.witness?.contact, .witnessContact)), \(visit.recordedBy))
                """, logger: logger)
        }
    }

    /// The visit to `creditCode` in the draw, if recorded.
    public func visit(draw drawID: DrawID, object creditCode: String) async throws -> SiteVisit? {
        let keys = try await cipher.keys()
        return try await client.translatingErrors {
            guard
                let row = try await client.query(
                    """
                    SELECT visited_at, inspectors, credentials_shown, confirmation, signed_by, recording_reference, witness_name,
                           witness_contact, recorded_by, signature
                    FROM site_visits WHERE draw_id = \(drawID) AND credit_code = \(creditCode)
                    """, logger: logger
                ).decode((Date, [String], Bool, String, String, String, String?, String?, String, String).self).all().first
            else { return nil }
            return SiteVisit(
                visitedAt: row.0, inspectors: row.1, credentialsShown: row.2, confirmation: try .init(code: row.3), signedBy: row.4,
                signature: row.9, recordingReference: row.5,
                witness: try row.6.map { SiteVisit.Witness(name: $0, contact: try keys.open(row.7, .witnessContact) ?? "") },
                recordedBy: row.8)
        }
    }
}
