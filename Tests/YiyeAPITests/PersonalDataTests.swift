import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("Personal data at rest: sealed with SM4 under a data key that a master key outside the database wraps")
struct PersonalDataTests {
    static let phone = "13812345678"

    /// The phones of the inspectors with these certificate numbers, as stored.
    static func storedPhones(_ url: DatabaseURL, _ certificates: [String]) async throws -> [String] {
        try await withClient(url) { db async throws in
            try await db.query("SELECT phone FROM inspectors WHERE certificate_number = ANY(\(certificates)) ORDER BY certificate_number")
                .decode(String.self).reduce(into: []) { $0.append($1) }
        }
    }

    @Test("a phone is stored as SM4 ciphertext, shown in clear through the API; a value changed in the database is not shown")
    func sealedAtRest() async throws {
        try await withAppDatabase { client, url in
            let fire = try await client.signIn("fire.dept_admin")
            let first = try await InspectorAPITests.create(client, token: fire, ["certificateNumber": "XF-0001"])
            let second = try await InspectorAPITests.create(client, token: fire, ["certificateNumber": "XF-0002"])
            #expect(first.status == .created && second.status == .created)
            let id = try first.decode(Schemas.Inspector.self).id

            let stored = try await Self.storedPhones(url, ["XF-0001", "XF-0002"])
            #expect(stored.count == 2 && stored.allSatisfy { $0.hasPrefix("sm4:1:") && !$0.contains(Self.phone) })
            #expect(stored[0] != stored[1], "the same phone twice is two different ciphertexts (a fresh IV each)")
            #expect(try await client.get("/api/v1/inspectors/\(id)", token: fire, as: Schemas.Inspector.self).phone == Self.phone)

            // One base64 character changed in the database: the server refuses to show anything for it.
            try await withClient(url) { db async throws in
                _ = try await db.query(
                    """
                    UPDATE inspectors SET phone = left(phone, 10) || CASE substr(phone, 11, 1) WHEN 'A' THEN 'B' ELSE 'A' END
                                                 || substr(phone, 12)
                    WHERE certificate_number = 'XF-0001'
                    """)
            }
            let damaged = try await client.request(.get, "/api/v1/inspectors/\(id)", token: fire)
            #expect(damaged.status == .internalServerError && !damaged.text.contains(Self.phone))
        }
    }

    @Test("rotating the master key rewraps the data key: the new key file opens the data, the old one no longer does")
    func rotation() async throws {
        try await withAppDatabase { client, url in
            let fire = try await client.signIn("fire.dept_admin")
            #expect(try await InspectorAPITests.create(client, token: fire, [:]).status == .created)
            let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("yiye-rotation-\(UUID().uuidString).key")
            defer { try? FileManager.default.removeItem(at: keyFile) }
            try FileManager.default.copyItem(at: TestDatabase.personalDataKeyURL, to: keyFile)
            let before = try MasterKeyFile.load(at: keyFile).keys.map(\.fingerprint)

            try await withClient(url) { db async throws in
                let rotation = try await PersonalDataMaintenance.rotate(owner: db, keyFile: keyFile, logger: quietLogger)
                #expect(rotation.rewrapped == 1 && [rotation.previous] == before && rotation.current != rotation.previous)
                let after = try MasterKeyFile.load(at: keyFile).keys.map(\.fingerprint)
                #expect(after == [rotation.current], "the old key is gone from the file")
                #expect(
                    try await db.query("SELECT master_key FROM personal_data_keys").decode(String.self).collectFirst() == rotation.current)

                let rotated = PersonalDataCipher(client: db, keyFile: keyFile, logger: quietLogger)
                let inspectors = InspectorRepository(client: db, cipher: rotated, logger: quietLogger)
                #expect(try await inspectors.list(.init(department: "fire"), after: nil, limit: 100).map(\.phone).contains(Self.phone))

                do {
                    _ = try await TestDatabase.personalData(db).keys()
                    Issue.record("the old master key still opened the data keys")
                } catch let error as PersonalDataError {
                    #expect(error.description.contains(rotation.current) && error.description.contains("--personal-data-key"))
                }
            }
            // The running server loaded its keys before the rotation and goes on serving.
            let listed = try await client.get("/api/v1/inspectors?department=fire", token: fire, as: Schemas.InspectorPage.self)
            #expect(listed.items.map(\.phone).contains(Self.phone))
        }
    }

    @Test("an unreadable master key file stops the start with a clear message")
    func unreadableKey() async throws {
        try await TestDatabase.shared.withDatabase { url in
            let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("yiye-bad-\(UUID().uuidString).key")
            defer { try? FileManager.default.removeItem(at: keyFile) }
            try "not a key\n".write(to: keyFile, atomically: true, encoding: .utf8)
            try await withClient(url) { db async throws in
                do {
                    _ = try await PersonalDataCipher(client: db, keyFile: keyFile, logger: quietLogger).keys()
                    Issue.record("a file that is not a key was accepted")
                } catch let error as PersonalDataError {
                    #expect(error.description.contains(keyFile.path) && error.description.contains("格式不符"))
                }
            }
        }
    }
}
