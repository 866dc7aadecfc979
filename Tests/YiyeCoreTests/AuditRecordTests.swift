import Testing
import YiyeCore

@Suite("Audit record hashing")
struct AuditRecordTests {
    let entry = AuditRecord.Entry(actor: "samr.inspector", department: "samr", role: "inspector", action: "test", details: "x")

    @Test("the hash covers every field: changing any one changes it")
    func coversFields() {
        let base = AuditRecord(seq: 1, at: "2026-11-22T08:00:00.000000Z", entry: entry, previousHash: AuditRecord.genesisHash)
        var other = entry
        other.details = "y"
        #expect(AuditRecord(seq: 1, at: base.at, entry: other, previousHash: base.previousHash).hash != base.hash)
        #expect(AuditRecord(seq: 2, at: base.at, entry: entry, previousHash: base.previousHash).hash != base.hash)
        #expect(AuditRecord(seq: 1, at: "2026-11-22T08:00:00.000001Z", entry: entry, previousHash: base.previousHash).hash != base.hash)
        #expect(AuditRecord(seq: 1, at: base.at, entry: entry, previousHash: String(repeating: "1", count: 64)).hash != base.hash)
    }

    @Test("length prefixes keep field boundaries: moving characters between fields changes the hash")
    func boundaries() {
        let a = AuditRecord.Entry(actor: "ab", department: "c", action: "t")
        let b = AuditRecord.Entry(actor: "a", department: "bc", action: "t")
        #expect(
            AuditRecord.hash(seq: 1, at: "t", entry: a, previousHash: "p") != AuditRecord.hash(seq: 1, at: "t", entry: b, previousHash: "p")
        )
        let absent = AuditRecord.Entry(actor: nil, action: "t")
        let empty = AuditRecord.Entry(actor: "", action: "t")
        #expect(
            AuditRecord.hash(seq: 1, at: "t", entry: absent, previousHash: "p")
                != AuditRecord.hash(seq: 1, at: "t", entry: empty, previousHash: "p"))
    }

    @Test("the verifier walks a good chain and stops at the first break")
    func verifier() throws {
        let key = try SM2.PrivateKey()
        var records: [AuditRecord] = []
        var previous = AuditRecord.genesisHash
        for seq in 1...4 {
            let record = AuditRecord(seq: Int64(seq), at: "2026-11-22T08:00:0\(seq).000000Z", entry: entry, previousHash: previous)
            records.append(record)
            previous = record.hash
        }
        let checkpoint = try AuditCheckpoint.sign(seq: 4, headHash: previous, signedAt: "2026-11-22T09:00:00.000000Z", key: key)
        var good = AuditVerifier(checkpointSeqs: [4])
        for record in records { good.check(record) }
        let report = good.finish(checkpoints: [checkpoint], key: key.publicKey)
        #expect(report.isIntact)
        #expect(report.signedThrough == 4)

        var broken = AuditVerifier()
        var tampered = records
        tampered[1].entry.details = "changed"
        for record in tampered { broken.check(record) }
        #expect(broken.finish(checkpoints: [], key: key.publicKey).problem?.seq == 2)
    }
}
