import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

extension TestClientProtocol {
    /// POSTs raw bytes as `contentType`.
    func upload(_ uri: String, _ bytes: [UInt8], contentType: String, token: String) async throws -> JSONResponse {
        let headers: HTTPFields = [.contentType: contentType, .authorization: "Bearer \(token)"]
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: bytes)) { response in
            JSONResponse(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }
}

@Suite("证据材料: uploaded by the team's departments, checked, kept by SM3, downloaded by the task's departments, swept when unreferenced")
struct EvidenceAPITests {
    /// A PNG's signature and some bytes: enough for the sniffer, distinct per `seed`.
    static func png(_ seed: UInt8, size: Int = 4096) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
    }

    @Test("a photo uploaded: its SM3 in the answer and the audit trail; downloaded byte for byte by the task's departments only")
    func uploadAndDownload() async throws {
        let directory = scratchEvidenceDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withAppDatabase(sample: true, evidenceDirectory: directory) { client, _ in
            let target = try await ResultAPITests.target(client)
            let uri = "/api/v1/draws/1/objects/\(target.object)/evidence"
            let admin = try await client.signIn("fire.dept_admin")
            let bytes = Self.png(1)
            let uploaded = try await client.upload("\(uri)?name=现场照片1.png", bytes, contentType: "image/png", token: admin)
            #expect(uploaded.status == .created, "\(uploaded.text)")
            let file = try uploaded.decode(Schemas.EvidenceFile.self)
            #expect(file.digest == SM3.hex(bytes) && file.size == Int64(bytes.count) && file.kind == .png && file.name == "现场照片1.png")
            #expect(file.reference == "sm3:\(file.digest)")
            let stored = directory.appendingPathComponent(String(file.digest.prefix(2))).appendingPathComponent(file.digest)
            #expect(try Data(contentsOf: stored) == Data(bytes), "stored under its digest")
            let office = try await client.signIn("office.office_admin")
            let audit = try await client.get(
                "/api/v1/audit?objectType=evidence&objectId=\(file.digest)", token: office, as: Schemas.AuditPage.self)
            #expect(audit.items.count == 1 && audit.items.first?.actor == "fire.dept_admin")

            for user in ["fire.dept_admin", "commerce.dept_admin", "office.office_viewer"] {
                let downloaded = try await client.request(.get, "\(uri)/\(file.digest)", token: try await client.signIn(user))
                #expect(downloaded.status == .ok && Array(downloaded.body) == bytes, "\(user)")
                #expect(downloaded.headers[.contentType] == "image/png")
            }
            let outsider = try await client.request(.get, "\(uri)/\(file.digest)", token: try await client.signIn("health.dept_admin"))
            #expect(outsider.status == .notFound, "health takes no part in the industry")
            #expect(try await client.request(.get, "\(uri)/\(String(repeating: "0", count: 64))", token: admin).status == .notFound)

            // An item result may name it; a digest never uploaded for this object is refused naming the field.
            var draft = ResultAPITests.draft(target)
            var items = ResultAPITests.cleanItems(target)
            items[0]["evidence"] = [file.reference, "现场笔录 XF-001"]
            draft["items"] = items
            #expect(try await client.request(.put, "\(target.uri)/fire", json: draft, token: admin).status == .ok)
            items[0]["evidence"] = ["sm3:" + String(repeating: "a", count: 64)]
            draft["items"] = items
            let unknown = try await client.request(.put, "\(target.uri)/fire", json: draft, token: admin)
            #expect(unknown.status == .unprocessableContent && unknown.errorField == "items[0].evidence[0]")
        }
    }

    @Test("refused: not an accepted kind, a kind other than declared, too large, or from a department not on the team; nothing kept")
    func refusals() async throws {
        let directory = scratchEvidenceDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withAppDatabase(sample: true, evidenceDirectory: directory, evidenceLimitBytes: 64 * 1024) { client, _ in
            let target = try await ResultAPITests.target(client)
            let uri = "/api/v1/draws/1/objects/\(target.object)/evidence"
            let admin = try await client.signIn("fire.dept_admin")
            let text = try await client.upload(uri, Array("这不是图片，是一段文字说明。".utf8), contentType: "application/octet-stream", token: admin)
            #expect(text.status == .unsupportedMediaType && text.errorCode == "unsupported_file_type", "\(text.text)")
            let mislabelled = try await client.upload(uri, Self.png(2), contentType: "image/jpeg", token: admin)
            #expect(mislabelled.status == .unsupportedMediaType && mislabelled.errorMessage?.contains("PNG 图片") == true)
            let large = try await client.upload(uri, Self.png(3, size: 65 * 1024), contentType: "image/png", token: admin)
            #expect(large.status == .contentTooLarge && large.errorCode == "file_too_large")
            let departments = Set(target.team.members.map(\.department))
            if let absent = ["eco", "emergency", "samr"].first(where: { !departments.contains($0) }) {
                let other = try await client.upload(
                    uri, Self.png(4), contentType: "image/png", token: try await client.signIn("\(absent).dept_admin"))
                #expect(other.status == .forbidden, "\(absent) sent no one there")
            }
            let temporary = directory.appendingPathComponent("tmp")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []).isEmpty, "no half-written file left")
            let placed = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "tmp" }
            #expect(placed.count <= 1, "at most the mislabelled file, recorded nowhere, waiting for the sweep")
        }
    }

    @Test("the sweep removes uploads nothing refers to after a day, and stray files; a referenced one stays")
    func sweep() async throws {
        let directory = scratchEvidenceDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withAppDatabase(sample: true, evidenceDirectory: directory) { client, url in
            let target = try await ResultAPITests.target(client)
            let uri = "/api/v1/draws/1/objects/\(target.object)/evidence"
            let admin = try await client.signIn("fire.dept_admin")
            let kept = try await client.upload(uri, Self.png(5), contentType: "image/png", token: admin).decode(Schemas.EvidenceFile.self)
            let dropped = try await client.upload(uri, Self.png(6), contentType: "image/png", token: admin).decode(
                Schemas.EvidenceFile.self)
            var draft = ResultAPITests.draft(target)
            var items = ResultAPITests.cleanItems(target)
            items[0]["evidence"] = [kept.reference]
            draft["items"] = items
            #expect(try await client.request(.put, "\(target.uri)/fire", json: draft, token: admin).status == .ok)
            // A file a crash left behind: in place, recorded nowhere.
            let stray = SM3.hex("stray")
            let strayFolder = directory.appendingPathComponent(String(stray.prefix(2)))
            try FileManager.default.createDirectory(at: strayFolder, withIntermediateDirectories: true)
            try Data(Self.png(7)).write(to: strayFolder.appendingPathComponent(stray))
            try await withClient(url) { db async throws in
                let store = EvidenceStore(directory: directory)
                let repository = EvidenceRepository(client: db, logger: quietLogger)
                let none = try await EvidenceSweepService.sweep(
                    evidence: repository, store: store, before: Date().addingTimeInterval(-86_400))
                #expect(none.isEmpty, "nothing is a day old yet")
                let removed = try await EvidenceSweepService.sweep(
                    evidence: repository, store: store, before: Date().addingTimeInterval(60))
                #expect(Set(removed) == [dropped.digest, stray])
            }
            #expect(try await client.request(.get, "\(uri)/\(kept.digest)", token: admin).status == .ok)
            #expect(try await client.request(.get, "\(uri)/\(dropped.digest)", token: admin).status == .notFound)
            #expect(!FileManager.default.fileExists(atPath: strayFolder.appendingPathComponent(stray).path))
        }
    }
}
