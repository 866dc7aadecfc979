import Foundation
import Logging
import PostgresNIO
import Testing
import YiyeCore
import YiyeTestSupport

@testable import YiyeStore

/// The audit trail against a DBA who goes around the application.
@Suite("Audit trail: hash chain, append-only table, signed checkpoints")
struct AuditTrailTests {
    /// A database with `count` audit records written through the application role.
    func withTrail(records count: Int, _ body: @Sendable (AuditTrail, DatabaseURL) async throws -> Void) async throws {
        try await TestDatabase.shared.withDatabase { url in
            try await withTemporaryClient(url.configuration.actingAsApplication, logger: quietLogger) { client in
                let trail = AuditTrail(client: client, logger: quietLogger)
                for index in 1...count {
                    try await trail.record(
                        AuditRecord.Entry(
                            actor: "samr.inspector", department: "samr", role: "inspector", action: "test.write",
                            objectType: "thing", objectID: "\(index)", requestID: "req-\(index)", details: "第 \(index) 条"
                        ))
                }
                try await body(trail, url)
            }
        }
    }

    /// Runs SQL as the superuser with triggers off, the way a DBA would tamper.
    func tamper(_ url: DatabaseURL, _ statements: [String]) async throws {
        try await withClient(url) { db async throws in
            try await db.withConnection { connection in
                _ = try await connection.query("SET session_replication_role = replica", logger: quietLogger)
                for statement in statements {
                    _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: quietLogger)
                }
            }
        }
    }

    let key = try! SM2.PrivateKey()

    @Test("an untouched chain verifies, with gap-free seqs linked by hash")
    func intact() async throws {
        try await withTrail(records: 5) { trail, _ in
            let records = try await trail.list(.init(), before: nil, limit: 10)
            #expect(records.map(\.seq) == [5, 4, 3, 2, 1])
            #expect(records.last?.previousHash == AuditRecord.genesisHash)
            #expect(records[0].previousHash == records[1].hash)
            try await trail.checkpoint(key: key)
            let report = try await trail.verify(key: key.publicKey)
            #expect(report.isIntact)
            #expect(report.recordsChecked == 5)
            #expect(report.signedThrough == 5)
        }
    }

    @Test("concurrent writers still get a gap-free chain")
    func concurrentAppends() async throws {
        try await withTrail(records: 1) { trail, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        for index in 0..<10 {
                            try await trail.record(AuditRecord.Entry(action: "test.concurrent", objectID: "\(writer)-\(index)"))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let report = try await trail.verify(key: key.publicKey)
            #expect(report.isIntact)
            #expect(report.recordsChecked == 81)
        }
    }

    @Test("the application role cannot change or delete records; even the owner is stopped by the triggers")
    func appendOnly() async throws {
        try await withTrail(records: 2) { trail, url in
            try await trail.checkpoint(key: key)
            try await withTemporaryClient(url.configuration.actingAsApplication, logger: quietLogger) { app in
                for sql in [
                    "UPDATE audit_log SET details = 'x' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 1", "TRUNCATE audit_log",
                    "DELETE FROM audit_checkpoints",
                ] {
                    await #expect(throws: PSQLError.self, "\(sql)") { _ = try await app.query(PostgresQuery(unsafeSQL: sql)) }
                }
            }
            try await withClient(url) { owner async throws in
                for sql in [
                    "UPDATE audit_log SET details = 'x' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 2", "TRUNCATE audit_log",
                    "UPDATE audit_checkpoints SET seq = 0",
                ] {
                    await #expect(throws: PSQLError.self, "\(sql)") { _ = try await owner.query(PostgresQuery(unsafeSQL: sql)) }
                }
            }
            let report = try await trail.verify(key: key.publicKey)
            #expect(report.isIntact)
            #expect(report.recordsChecked == 2)
        }
    }

    @Test("a record edited directly by a superuser is named by verify")
    func editedRecord() async throws {
        try await withTrail(records: 6) { trail, url in
            try await tamper(url, ["UPDATE audit_log SET details = '无' WHERE seq = 3"])
            let report = try await trail.verify(key: key.publicKey)
            #expect(report.problem?.kind == .hashMismatch)
            #expect(report.problem?.seq == 3)
        }
    }

    @Test("a record deleted directly by a superuser is named by verify")
    func deletedRecord() async throws {
        try await withTrail(records: 6) { trail, url in
            try await tamper(url, ["DELETE FROM audit_log WHERE seq = 4"])
            let report = try await trail.verify(key: key.publicKey)
            #expect(report.problem?.kind == .gap)
            #expect(report.problem?.seq == 4)
        }
    }

    @Test("a record edited with its own hash recomputed breaks the next link")
    func editedWithHash() async throws {
        try await withTrail(records: 5) { trail, url in
            let original = try await trail.list(.init(), before: 3, limit: 1)[0]
            var entry = original.entry
            entry.details = "改写"
            let forged = AuditRecord(seq: 2, at: original.at, entry: entry, previousHash: original.previousHash)
            try await tamper(url, ["UPDATE audit_log SET details = '改写', hash = '\(forged.hash)' WHERE seq = 2"])
            let report = try await trail.verify(key: key.publicKey)
            #expect(report.problem?.kind == .brokenLink)
            #expect(report.problem?.seq == 3)
        }
    }

    @Test("a rewrite of the whole chain is caught by the signed checkpoint")
    func rewrittenChain() async throws {
        try await withTrail(records: 5) { trail, url in
            try await trail.checkpoint(key: key)
            // Rewrite every record consistently: each hash recomputed, each link correct.
            let records = try await trail.list(.init(), before: nil, limit: 100).reversed()
            var previous = AuditRecord.genesisHash
            var statements: [String] = []
            for record in records {
                var entry = record.entry
                entry.actor = "someone.else"
                let rewritten = AuditRecord(seq: record.seq, at: record.at, entry: entry, previousHash: previous)
                statements.append(
                    "UPDATE audit_log SET actor = 'someone.else', prev_hash = '\(previous)', hash = '\(rewritten.hash)' WHERE seq = \(record.seq)"
                )
                previous = rewritten.hash
            }
            try await tamper(url, statements)
            let report = try await trail.verify(key: key.publicKey)
            #expect(report.problem?.kind == .checkpointMismatch)
            #expect(report.problem?.seq == 5)
        }
    }

    @Test("a checkpoint forged with another key, or records cut off after one, are caught")
    func forgedCheckpoint() async throws {
        try await withTrail(records: 3) { trail, url in
            let forger = try SM2.PrivateKey()
            let forged = try AuditCheckpoint.sign(
                seq: 3, headHash: String(repeating: "a", count: 64), signedAt: "2026-01-01T00:00:00.000000Z", key: forger)
            try await tamper(
                url,
                [
                    "INSERT INTO audit_checkpoints (seq, head_hash, signed_at, signature) VALUES (3, '\(forged.headHash)', '\(forged.signedAt)', '\(forged.signature)')"
                ])
            #expect(try await trail.verify(key: key.publicKey).problem?.kind == .badSignature)
        }
        try await withTrail(records: 4) { trail, url in
            try await trail.checkpoint(key: key)
            try await tamper(url, ["DELETE FROM audit_log WHERE seq = 4"])
            let report = try await trail.verify(key: key.publicKey)
            #expect(report.problem?.kind == .missingRecords)
            #expect(report.problem?.seq == 4)
        }
    }

    @Test("a checkpoint is signed only when the head moved")
    func checkpointOnlyWhenMoved() async throws {
        try await withTrail(records: 2) { trail, _ in
            #expect(try await trail.checkpoint(key: key)?.seq == 2)
            #expect(try await trail.checkpoint(key: key) == nil)
            try await trail.record(AuditRecord.Entry(action: "test.more"))
            #expect(try await trail.checkpoint(key: key)?.seq == 3)
            #expect(try await trail.checkpoints().count == 2)
        }
    }
}
