/// Recomputes the audit chain and checks the signed checkpoints, naming the first thing that is wrong.
///
/// Feed records in `seq` order; then `finish` with the checkpoints.
public struct AuditVerifier: Sendable {
    /// What verification found.
    public struct Report: Sendable, Equatable {
        public var recordsChecked: Int64
        public var checkpointsChecked: Int
        /// The highest seq covered by a valid checkpoint (0 when none).
        public var signedThrough: Int64
        public var problem: Problem?

        public var isIntact: Bool { problem == nil }
    }

    /// The first break found.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: String, Sendable {
            /// The record's fields do not give its stored hash: it was edited.
            case hashMismatch = "hash_mismatch"
            /// The record does not point at the hash of the one before: one was removed, inserted or edited.
            case brokenLink = "broken_link"
            /// A seq is missing: a record was deleted.
            case gap
            /// A checkpoint's signature is not the server key's.
            case badSignature = "bad_signature"
            /// A validly signed checkpoint names a head the chain no longer has: the chain was rewritten.
            case checkpointMismatch = "checkpoint_mismatch"
            /// A checkpoint names a seq beyond the chain: records were truncated.
            case missingRecords = "missing_records"
        }

        public var kind: Kind
        /// The first broken record (or the checkpoint's seq).
        public var seq: Int64
        public var message: String

        public var description: String { "seq \(seq): \(message)" }
    }

    private var expectedSeq: Int64 = 1
    private var previousHash = AuditRecord.genesisHash
    private var hashes: [Int64: String] = [:]
    private var wantedSeqs: Set<Int64>
    private(set) var problem: Problem?

    /// `checkpointSeqs`: the seqs whose recomputed hashes the checkpoints will be compared with.
    public init(checkpointSeqs: Set<Int64> = []) {
        self.wantedSeqs = checkpointSeqs
    }

    /// Checks the next record; after the first problem the rest is ignored.
    public mutating func check(_ record: AuditRecord) {
        guard problem == nil else { return }
        if record.seq != expectedSeq {
            problem = Problem(kind: .gap, seq: expectedSeq, message: "记录 \(expectedSeq) 缺失（下一条为 \(record.seq)），疑似被删除")
            return
        }
        if record.previousHash != previousHash {
            problem = Problem(kind: .brokenLink, seq: record.seq, message: "记录 \(record.seq) 的前序哈希与上一条不符")
            return
        }
        let recomputed = AuditRecord.hash(seq: record.seq, at: record.at, entry: record.entry, previousHash: record.previousHash)
        if recomputed != record.hash {
            problem = Problem(kind: .hashMismatch, seq: record.seq, message: "记录 \(record.seq) 的内容与其哈希不符，疑似被篡改")
            return
        }
        if wantedSeqs.contains(record.seq) { hashes[record.seq] = record.hash }
        previousHash = record.hash
        expectedSeq += 1
    }

    /// Checks the checkpoints against the server's public key and the recomputed chain.
    public func finish(checkpoints: [AuditCheckpoint], key: SM2.PublicKey) -> Report {
        var report = Report(recordsChecked: expectedSeq - 1, checkpointsChecked: 0, signedThrough: 0, problem: problem)
        guard problem == nil else { return report }
        for checkpoint in checkpoints.sorted(by: { $0.seq < $1.seq }) {
            report.checkpointsChecked += 1
            guard checkpoint.isSigned(by: key) else {
                report.problem = Problem(kind: .badSignature, seq: checkpoint.seq, message: "检查点（记录 \(checkpoint.seq)）的签名不是本服务器密钥所签")
                return report
            }
            guard checkpoint.seq <= expectedSeq - 1 else {
                report.problem = Problem(
                    kind: .missingRecords, seq: checkpoint.seq, message: "已签名检查点覆盖到记录 \(checkpoint.seq)，但审计链只有 \(expectedSeq - 1) 条")
                return report
            }
            guard hashes[checkpoint.seq] == checkpoint.headHash else {
                report.problem = Problem(
                    kind: .checkpointMismatch, seq: checkpoint.seq, message: "记录 1 至 \(checkpoint.seq) 与已签名检查点不符，审计链疑似被整体改写")
                return report
            }
            report.signedThrough = max(report.signedThrough, checkpoint.seq)
        }
        return report
    }
}
