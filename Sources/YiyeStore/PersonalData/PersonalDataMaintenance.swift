import Foundation
import Logging
import NIOCore
import PostgresNIO
import YiyeCore

/// The owner's work on personal data: sealing what was written in the clear, and rotating the master key.
public enum PersonalDataMaintenance {
    /// Where each sealed field lives, and the trigger that keeps its rows unchanged (set aside for this one change).
    private static let places: [(field: PersonalDataField, table: String, column: String, guardTrigger: String?)] = [
        (.inspectorPhone, "inspectors", "phone", nil),
        (.objectionContact, "objections", "contact", "objections_settled"),
        (.witnessContact, "site_visits", "witness_contact", "site_visits_append_only"),
    ]

    /// Seals the values written in the clear (before sealing began, or restored from an older backup), in one
    /// transaction as the owner: the append-only tables' triggers are disabled inside it only, so no other session
    /// ever sees them off. Returns how many values were sealed.
    public static func sealWrittenInTheClear(owner: PostgresClient, keys: PersonalDataKeys, logger: Logger) async throws -> Int {
        try await owner.withTransaction(logger: logger) { connection in
            var sealed = 0
            for place in places {
                let rows = try await connection.query(
                    """
                    SELECT ctid::text, \(unescaped: place.column) FROM \(unescaped: place.table)
                    WHERE \(unescaped: place.column) <> '' AND \(unescaped: place.column) NOT LIKE 'sm4:%'
                    FOR UPDATE
                    """, logger: logger
                ).decode((String, String).self).all()
                guard !rows.isEmpty else { continue }
                if let trigger = place.guardTrigger {
                    _ = try await connection.query(
                        "ALTER TABLE \(unescaped: place.table) DISABLE TRIGGER \(unescaped: trigger)", logger: logger)
                }
                for (row, clear) in rows {
                    _ = try await connection.query(
                        """
                        UPDATE \(unescaped: place.table) SET \(unescaped: place.column) = \(keys.seal(clear, place.field))
                        WHERE ctid = \(row)::tid
                        """, logger: logger)
                }
                if let trigger = place.guardTrigger {
                    _ = try await connection.query(
                        "ALTER TABLE \(unescaped: place.table) ENABLE TRIGGER \(unescaped: trigger)", logger: logger)
                }
                sealed += rows.count
            }
            if sealed > 0 { logger.notice("sealed personal data written in the clear", metadata: ["values": "\(sealed)"]) }
            return sealed
        }
    }

    public struct Rotation: Sendable {
        public let previous: String
        public let current: String
        public let rewrapped: Int
    }

    /// Replaces the master key in `keyFile` with a new one and rewraps every data key under it. The file first holds
    /// the new key and the old, so that a crash at any point leaves a file that opens the database's data keys; once the rewrapping
    /// is committed, only the new key stays. Running instances keep the data keys they loaded and need no restart.
    public static func rotate(owner: PostgresClient, keyFile: URL, logger: Logger) async throws -> Rotation {
        let file = try MasterKeyFile.load(at: keyFile)
        let previous = file.keys[0]
        let secret = SecureRandom.bytes(SealingKey.secretLength)
        let next = MasterKeyFile.Key(secret: secret)
        // Every key the file holds stays until the rewrapping is committed (a file left with several by an
        // interrupted rotation included).
        try MasterKeyFile.write([secret] + file.keys.map(\.secret), to: keyFile)
        let rewrapped = try await owner.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT id, wrapped, master_key FROM personal_data_keys ORDER BY id FOR UPDATE", logger: logger
            ).decode((Int, ByteBuffer, String).self).all()
            for (id, wrapped, fingerprint) in rows {
                let dataKey = try PersonalDataKeys.unwrap(Array(wrapped.readableBytesView), id: id, fingerprint: fingerprint, with: file)
                _ = try await connection.query(
                    """
                    UPDATE personal_data_keys SET wrapped = \(ByteBuffer(bytes: PersonalDataKeys.wrap(dataKey, id: id, under: next))),
                        master_key = \(next.fingerprint), rewrapped_at = now()
                    WHERE id = \(id)
                    """, logger: logger)
            }
            return rows.count
        }
        try MasterKeyFile.write([secret], to: keyFile)
        logger.notice(
            "rotated the personal-data master key",
            metadata: ["previous": "\(previous.fingerprint)", "current": "\(next.fingerprint)", "rewrapped": "\(rewrapped)"])
        return Rotation(previous: previous.fingerprint, current: next.fingerprint, rewrapped: rewrapped)
    }
}
