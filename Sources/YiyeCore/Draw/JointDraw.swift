import Dispatch
import Foundation

/// The draw itself, `yiye-draw-v2` and `yiye-draw-v1` (docs/DRAW-SPEC.md §2–4): a pure function of the frozen pools, the
/// revealed secrets and the beacon, so that anyone holding them gets the same result.
public enum JointDraw {
    /// A secret: 64 lowercase hex characters (32 random bytes).
    public static func validate(secret: String) throws(DomainError) {
        guard isHex64(secret) else { throw DomainError(.invalidSecret, "随机数须为 64 位小写十六进制字符（32 字节）", field: "secret") }
    }

    /// A new secret for a department: 32 bytes from OpenSSL's generator, as 64 lowercase hex characters.
    public static func newSecret() -> String {
        SecureRandom.bytes(32).map { String(format: "%02x", $0) }.joined()
    }

    /// A commitment is `H(secret)`: 64 lowercase hex digits too.
    public static func validate(commitment: String) throws(DomainError) {
        guard isHex64(commitment) else {
            throw DomainError(.invalidSecret, "承诺值须为随机数的 SM3 摘要：64 位小写十六进制字符", field: "commitment")
        }
    }

    private static func isHex64(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// `c_d = H(secret_d)`.
    public static func commitment(for secret: String) -> String {
        SM3.hex(secret)
    }

    /// `H(V + "|" + pool_digest + "|" + inspector_digest + "|" + C1 + … + "|beacon=" + BEACON)`, `V` the algorithm
    /// recorded in the draw, `Ci` being `DEPT=secret` in department byte order; the beacon part only when one was named.
    public static func seed(
        algorithm: DrawRecord.Algorithm, poolDigest: String, inspectorDigest: String, reveals: [DrawRecord.Reveal], beacon: String?
    ) -> String {
        let parts = reveals.sorted { $0.department.rawValue.bytesLess($1.department.rawValue) }.map { "\($0.department)=\($0.secret)" }
        var text = "\(algorithm.rawValue)|\(poolDigest)|\(inspectorDigest)|" + parts.joined(separator: "|")
        if let beacon { text += "|beacon=\(beacon)" }
        return SM3.hex(text)
    }

    /// `H(seed + "|object|" + OBJECT_ID)`.
    public static func objectRank(seed: String, objectID: String) -> String {
        SM3.hex(seed + "|object|" + objectID)
    }

    /// `H(seed + "|inspector|" + OBJECT_ID + "|" + DEPT_CODE + "|" + INSPECTOR_ID)`.
    public static func inspectorRank(seed: String, objectID: String, department: DepartmentCode, inspectorID: String) -> String {
        SM3.hex(seed + "|inspector|" + objectID + "|" + department.rawValue + "|" + inspectorID)
    }

    /// `k_s` per stratum from the rules; a stratum without a rule gives none.
    public static func sizes(counts: [String: Int], sampling: [String: SampleRule]) throws(DomainError) -> [String: Int] {
        var sizes: [String: Int] = [:]
        for (stratum, n) in counts {
            sizes[stratum] = try sampling[stratum]?.size(of: n) ?? 0
        }
        return sizes
    }

    /// In each stratum, the `k_s` candidates of smallest rank (ties by object id); a candidate `skip` refuses (with
    /// the reason) is passed over and the next-ranked takes its place. The selection comes back in ascending rank
    /// order across strata.
    public static func select(
        pool: ObjectPool, sizes: [String: Int], seed: String, skip: (ObjectPool.Candidate) -> String? = { _ in nil }
    ) -> (selected: [DrawRecord.Selected], skipped: [DrawRecord.Skipped]) {
        let ranks = objectRanks(pool, seed: seed)
        defer { ranks.deallocate() }
        // Ascending rank, ties by object id.
        func precedes(_ x: Int, _ y: Int) -> Bool {
            guard ranks[x] == ranks[y] else { return ranks[x] < ranks[y] }
            return pool.file.withUnsafeBytes { ObjectPool.compare($0, pool.ids[x], $0, pool.ids[y]) < 0 }
        }
        var selected: [(index: Int, stratum: String)] = []
        var skipped: [(index: Int, stratum: String, reason: String)] = []
        for (stratum, candidates) in pool.strata {
            let size = sizes[stratum] ?? 0
            guard size > 0 else { continue }
            /// Takes `size` candidates in the given order, passing over those `skip` refuses; nil when they run out
            /// before the stratum does.
            func take(_ ordered: [Int]) -> ([Int], [(index: Int, reason: String)])? {
                var (taken, passed): ([Int], [(index: Int, reason: String)]) = ([], [])
                for index in ordered {
                    guard taken.count < size else { break }
                    if let reason = skip(.init(stratum: stratum, objectID: pool.objectID(at: index))) {
                        passed.append((index, reason))
                    } else {
                        taken.append(index)
                    }
                }
                return taken.count < size && ordered.count < candidates.count ? nil : (taken, passed)
            }
            // Ranks are uniform: those below a bound expected to hold twice the size (and some) are sorted, not the
            // whole stratum; every candidate with a smaller rank is among them. If skipped ones leave too few, all.
            let wanted = UInt64(min(candidates.count, 2 * size + 64))
            let bound = UInt64.max / UInt64(candidates.count) * wanted
            let (taken, passed) =
                take(candidates.filter { ranks[$0].a <= bound }.sorted(by: precedes)) ?? take(candidates.sorted(by: precedes))!
            selected += taken.map { ($0, stratum) }
            skipped += passed.map { ($0.index, stratum, $0.reason) }
        }
        return (
            selected.sorted { precedes($0.index, $1.index) }.map {
                .init(objectID: pool.objectID(at: $0.index), stratum: $0.stratum, rank: ranks[$0.index].hex)
            },
            skipped.sorted { precedes($0.index, $1.index) }.map {
                .init(objectID: pool.objectID(at: $0.index), stratum: $0.stratum, rank: ranks[$0.index].hex, reason: $0.reason)
            }
        )
    }

    /// Every candidate's rank `H(seed|object|OBJECT_ID)`, computed on all cores (each with its own hasher).
    static func objectRanks(_ pool: ObjectPool, seed: String) -> UnsafeMutableBufferPointer<Rank> {
        let count = pool.ids.count
        let ranks = UnsafeMutableBufferPointer<Rank>.allocate(capacity: max(count, 1))
        nonisolated(unsafe) let output = ranks
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 16))
        let prefix = Array((seed + "|object|").utf8)
        let chunk = (count + workers - 1) / workers
        pool.file.withUnsafeBufferPointer { buffer in
            nonisolated(unsafe) let file = buffer
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let hasher = SM3PrefixHasher(prefix: prefix)
                for index in (worker * chunk)..<min(count, (worker + 1) * chunk) {
                    (output.baseAddress! + index).initialize(to: Rank(hasher, UnsafeBufferPointer(rebasing: file[pool.ids[index]])))
                }
            }
        }
        return ranks
    }

    /// The needs of an object: one inspector from each department, two from the originator when it goes alone
    /// (every team has at least two); `overrides` sets m_d.
    public static func needs(
        originator: DepartmentCode, departments: [DepartmentCode], qualifications: [DepartmentCode: [String]],
        overrides: [DepartmentCode: Int]
    ) -> [DrawRecord.Need] {
        let others = departments.filter { $0 != originator }
        return ([originator] + others).map { department in
            let standard = department == originator && others.isEmpty ? 2 : 1
            return DrawRecord.Need(
                department: department, count: overrides[department] ?? standard,
                qualifications: (qualifications[department] ?? []).sorted { $0.bytesLess($1) })
        }
    }

    /// Staffs the selected objects in ascending rank order (docs/DRAW-SPEC.md §4, §4a for v1). `needs` says, per object,
    /// what each department must send. Eligible: in the department's pool, not in conflict with the object, holding
    /// every required qualification, below the cap. v2 picks by a partial Fisher–Yates shuffle of the eligible sorted
    /// by id; v1 takes the smallest-ranked. The originator's first member is the leader. `staffed` is handed each batch
    /// of teams as soon as it is made, in the selection's order (the indexes are the selection's).
    public static func staff(
        _ algorithm: DrawRecord.Algorithm, selected: [DrawRecord.Selected], needs: [String: [DrawRecord.Need]], pool: InspectorPool,
        originator: DepartmentCode, cap: Int?, seed: String, staffed: (ArraySlice<DrawRecord.Team>) -> Void = { _ in }
    ) -> [DrawRecord.Team] {
        var staffing = Staffing(pool: pool, selected: selected, needs: needs, cap: cap, algorithm: algorithm)
        switch algorithm {
        case .v2: return staffing.shuffled(selected, needs: needs, originator: originator, seed: seed, staffed: staffed)
        case .v1: return staffing.ranked(selected, needs: needs, originator: originator, seed: seed, staffed: staffed)
        }
    }

    /// Objects whose inspector ranks are computed together.
    static let rankBatch = 512

    /// The inspectors of one need of one object to rank: `OBJECT_ID|DEPT|` and the pool indexes, written at `offset`.
    struct RankJob: Sendable {
        let prefix: [UInt8]
        let holders: [Int]
        let offset: Int
    }

    /// Every job's inspector ranks, computed on all cores (each with its own hasher).
    static func rank(_ jobs: [RankJob], count: Int, seed: String, ids: [[UInt8]]) -> UnsafeMutableBufferPointer<Rank> {
        let ranks = UnsafeMutableBufferPointer<Rank>.allocate(capacity: max(count, 1))
        nonisolated(unsafe) let output = ranks
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 16))
        let seedPrefix = Array((seed + "|inspector|").utf8)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let hasher = SM3PrefixHasher(prefix: seedPrefix)
            var message: [UInt8] = []  // reused: no allocation per hash
            for job in stride(from: worker, to: jobs.count, by: workers) {
                for (position, index) in jobs[job].holders.enumerated() {
                    message.removeAll(keepingCapacity: true)
                    message.append(contentsOf: jobs[job].prefix)
                    message.append(contentsOf: ids[index])
                    (output.baseAddress! + jobs[job].offset + position).initialize(to: Rank(hasher, message))
                }
            }
        }
        return ranks
    }
}

/// A rank, SM3 digest as four big-endian words: ordered as its hex form is.
struct Rank: Comparable, Sendable {
    let a, b, c, d: UInt64

    init(_ hasher: SM3PrefixHasher, _ suffix: [UInt8]) {
        self = suffix.withUnsafeBufferPointer { Rank(hasher, $0) }
    }

    init(_ hasher: SM3PrefixHasher, _ suffix: UnsafeBufferPointer<UInt8>) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { hasher.digest(suffix, into: $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        a = UInt64(bigEndian: words.0)
        b = UInt64(bigEndian: words.1)
        c = UInt64(bigEndian: words.2)
        d = UInt64(bigEndian: words.3)
    }

    static func < (lhs: Rank, rhs: Rank) -> Bool {
        (lhs.a, lhs.b, lhs.c, lhs.d) < (rhs.a, rhs.b, rhs.c, rhs.d)
    }

    var hex: String {
        withUnsafeBytes(of: (a.bigEndian, b.bigEndian, c.bigEndian, d.bigEndian)) { Hex.encode($0) }
    }
}
