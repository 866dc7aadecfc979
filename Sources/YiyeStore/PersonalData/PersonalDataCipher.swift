import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization
import YiyeCore

/// The fields of personal data sealed at rest; each seals under its own context, so a value copied into another
/// field does not open.
public enum PersonalDataField: String, Sendable, CaseIterable {
    case inspectorPhone = "inspectors.phone"
    case objectionContact = "objections.contact"
    case witnessContact = "site_visits.witness_contact"
}

/// Personal data's keys for the repositories that store it (个人信息加密存储): the data keys, which the database keeps
/// only wrapped by the master key file, loaded on first use (or at start, when migrating). The API and the domain
/// see plaintext; PostgreSQL (its tables, logs, dumps and backups) only ciphertext.
public final class PersonalDataCipher: Sendable {
    let client: PostgresClient
    let keyFile: URL
    let logger: Logger
    /// The one load in progress or done; a failed load is forgotten, so that the next use tries again.
    private let loading = Mutex<Task<PersonalDataKeys, any Error>?>(nil)

    public init(client: PostgresClient, keyFile: URL, logger: Logger) {
        self.client = client
        self.keyFile = keyFile
        self.logger = logger
    }

    /// The data keys, loaded through the pool on first use (once, however many ask at once): a database out of
    /// reach is `StoreError.unavailable`. Callers take them before they hold a connection of their own.
    public func keys() async throws -> PersonalDataKeys {
        let task = loading.withLock { loading in
            if let task = loading { return task }
            let task = Task { try await self.client.translatingErrors { try await self.read(using: self.client) } }
            loading = task
            return task
        }
        do {
            return try await task.value
        } catch {
            loading.withLock { if $0 == task { $0 = nil } }
            throw error
        }
    }

    /// Loads the data keys with the master key file (created on first start, as the first data key is) through
    /// `connection` (the owner's, when migrating). Throws `masterKeyMismatch` when the file is not the one that
    /// wrapped them.
    @discardableResult
    public func load(using connection: PostgresClient) async throws -> PersonalDataKeys {
        let keys = try await read(using: connection)
        loading.withLock { $0 = Task { keys } }
        return keys
    }

    private func read(using connection: PostgresClient) async throws -> PersonalDataKeys {
        let master = try MasterKeyFile.loadOrCreate(at: keyFile, logger: logger)
        let first = SecureRandom.bytes(SealingKey.secretLength)
        // Two instances starting at once on an empty database: one insert wins, both read it.
        _ = try await connection.query(
            """
            INSERT INTO personal_data_keys (id, wrapped, master_key)
            VALUES (1, \(ByteBuffer(bytes: PersonalDataKeys.wrap(first, id: 1, under: master.keys[0]))), \(master.keys[0].fingerprint))
            ON CONFLICT (id) DO NOTHING
            """, logger: logger)
        let rows = try await connection.query("SELECT id, wrapped, master_key FROM personal_data_keys ORDER BY id", logger: logger)
        var all: [Int: SealingKey] = [:]
        for try await (id, wrapped, fingerprint) in rows.decode((Int, ByteBuffer, String).self) {
            let secret = try PersonalDataKeys.unwrap(Array(wrapped.readableBytesView), id: id, fingerprint: fingerprint, with: master)
            all[id] = SealingKey(secret: secret)
        }
        guard let current = all.keys.max() else { throw StoreError.unexpected("personal_data_keys is empty") }
        return PersonalDataKeys(all: all, current: current)
    }
}

/// Loaded data keys: seal a value before it is written, open it when read. Stored as
/// `sm4:<data key id>:<base64 of IV, ciphertext, tag>` (`SealingKey`); an empty value stays empty.
public struct PersonalDataKeys: Sendable {
    static let marker = "sm4:"
    let all: [Int: SealingKey]
    let current: Int

    /// `value` sealed for `field`, ready to store.
    public func seal(_ value: String, _ field: PersonalDataField) -> String {
        guard !value.isEmpty else { return "" }
        let sealed = all[current]!.seal(Array(value.utf8), context: Self.context(field, current))
        return Self.marker + "\(current):" + Data(sealed).base64EncodedString()
    }

    public func seal(_ value: String?, _ field: PersonalDataField) -> String? {
        value.map { seal($0, field) }
    }

    /// The plaintext of a stored value. A value without the marker was written before sealing began (the next
    /// migration seals it) and is returned as it is.
    public func open(_ stored: String, _ field: PersonalDataField) throws -> String {
        guard stored.hasPrefix(Self.marker) else { return stored }
        let parts = stored.dropFirst(Self.marker.count).split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let id = Int(parts[0]), let key = all[id], let sealed = Data(base64Encoded: String(parts[1])),
            let plaintext = key.open(Array(sealed), context: Self.context(field, id)),
            let text = String(validating: plaintext, as: UTF8.self)
        else { throw PersonalDataError.valueDamaged(field: field.rawValue) }
        return text
    }

    public func open(_ stored: String?, _ field: PersonalDataField) throws -> String? {
        try stored.map { try open($0, field) }
    }

    private static func context(_ field: PersonalDataField, _ id: Int) -> String { "\(field.rawValue)#\(id)" }

    /// A data key is wrapped under the master key for its row of personal_data_keys.
    private static func wrappingContext(_ id: Int) -> String { "personal_data_keys#\(id)" }

    static func wrap(_ secret: [UInt8], id: Int, under master: MasterKeyFile.Key) -> [UInt8] {
        master.sealing.seal(secret, context: wrappingContext(id))
    }

    static func unwrap(_ wrapped: [UInt8], id: Int, fingerprint: String, with file: MasterKeyFile) throws -> [UInt8] {
        guard let master = file.keys.first(where: { $0.fingerprint == fingerprint }) else {
            throw PersonalDataError.masterKeyMismatch(path: file.url.path, id: id, fingerprint: fingerprint)
        }
        guard let secret = master.sealing.open(wrapped, context: wrappingContext(id)), secret.count == SealingKey.secretLength
        else { throw PersonalDataError.dataKeyDamaged(id: id) }
        return secret
    }
}
