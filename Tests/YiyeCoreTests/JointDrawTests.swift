import Foundation
import Testing
import YiyeCore
import YiyeTestSupport

@Suite("The joint draw, v2 and v1: sizes, seed, selection, teams and verification")
struct JointDrawTests {
    static func code(_ serial: Int) -> String {
        let body = "91330110MA2C" + String(format: "%05d", serial)
        return body + String(CreditCode.checkCharacter(for: body)!)
    }

    static let secrets = [
        "commerce": String(repeating: "1a", count: 32), "fire": String(repeating: "2b", count: 32),
        "samr": String(repeating: "3c", count: 32),
    ]

    /// 200 objects over four strata.
    static let pool = ObjectPool((0..<200).map { .init(stratum: ["A", "B", "C", "D"][$0 % 4], objectID: code($0)) })

    /// Three departments with ten inspectors each; every third holds 计量.
    static let inspectors = InspectorPool(
        entries: (["commerce", "fire", "samr"] as [DepartmentCode]).flatMap { department in
            (1...10).map {
                InspectorPool.Entry(
                    department: department, inspectorID: "\(department.rawValue.count)\($0)",
                    qualifications: $0 % 3 == 0 ? ["计量"] : [])
            }
        }, conflicts: [])

    static func fixture(beacon: String? = nil, _ algorithm: DrawRecord.Algorithm = .v2) async throws -> DrawRecord {
        try await draw(pool: pool, inspectors: inspectors, beacon: beacon, algorithm)
    }

    /// samr's metrology item applies to objects whose code ends in 0 or 2; the others need commerce alone.
    static func needs(_ selected: [DrawRecord.Selected]) -> [String: [DrawRecord.Need]] {
        var needs: [String: [DrawRecord.Need]] = [:]
        for object in selected {
            let departments: [DepartmentCode] =
                object.objectID.hasSuffix("0") || object.objectID.hasSuffix("2") ? ["commerce", "fire", "samr"] : ["commerce"]
            needs[object.objectID] = JointDraw.needs(
                originator: "commerce", departments: departments, qualifications: ["samr": ["计量"]], overrides: [:])
        }
        return needs
    }

    static func draw(pool: ObjectPool, inspectors: InspectorPool, beacon: String?, _ algorithm: DrawRecord.Algorithm) async throws
        -> DrawRecord
    {
        let parameters = DrawRecord.Parameters(
            originator: "commerce", participants: ["fire", "samr"],
            sampling: ["A": .init(ratio: "0.01"), "B": .init(ratio: "0.03"), "C": .init(ratio: "0.1"), "D": .init(ratio: "0.2")],
            beacon: beacon.map { _ in "2026-11-30 福利彩票开奖号码" }
        )
        let reveals = secrets.map { DrawRecord.Reveal(department: DepartmentCode($0.key), secret: $0.value) }
        let counts = pool.counts
        let sizes = try JointDraw.sizes(counts: counts, sampling: parameters.sampling)
        let frozen = JointDraw.Frozen(
            parameters: parameters, poolDigest: pool.digest, inspectorDigest: inspectors.digest,
            strata: counts.keys.sorted().map { .init(stratum: $0, n: counts[$0]!, k: sizes[$0]!) }, exclusions: [],
            commitments: reveals.map { .init(department: $0.department, commitment: JointDraw.commitment(for: $0.secret)) },
            reveals: reveals, absent: [], beaconValue: beacon)
        return await JointDraw.execute(algorithm, frozen, pool: pool, inspectors: inspectors) { Self.needs($0) }
    }

    @Test("k = ceil(n × ratio) exactly, never more than n; counts are capped; bad ratios are refused")
    func sizes() throws {
        #expect(try SampleRule(ratio: "0.03").size(of: 100) == 3)
        #expect(try SampleRule(ratio: "0.03").size(of: 101) == 4)
        #expect(try SampleRule(ratio: "0.01").size(of: 1) == 1, "a tiny stratum still gives one")
        #expect(try SampleRule(ratio: "0.1").size(of: 30) == 3, "no floating-point 3.0000000004")
        #expect(try SampleRule(ratio: "0.07").size(of: 100) == 7, "0.07 × 100 is exactly 7")
        #expect(try SampleRule(ratio: "1.0").size(of: 17) == 17)
        #expect(try SampleRule(ratio: "1").size(of: 17) == 17)
        #expect(try SampleRule(ratio: "0.2").size(of: 0) == 0, "an empty stratum gives none")
        #expect(try SampleRule(ratio: "0").size(of: 50) == 0)
        #expect(try SampleRule(count: 5).size(of: 3) == 3)
        for bad in ["1.5", "-0.1", "0,03", ".5", "3%", "", "0.0000000001"] {
            #expect(throws: DomainError.self, "\(bad)") { try SampleRule(ratio: bad).size(of: 10) }
        }
        #expect(throws: DomainError.self) { try SampleRule(count: -1).size(of: 10) }
    }

    @Test("the pool file is sorted by stratum then id, and its digest is the SM3 of its bytes")
    func poolFile() throws {
        let pool = ObjectPool([.init(stratum: "B", objectID: "2"), .init(stratum: "A", objectID: "9"), .init(stratum: "A", objectID: "10")])
        #expect(String(decoding: pool.file, as: UTF8.self) == "A\t10\nA\t9\nB\t2\n")
        #expect(pool.digest == SM3.hex("A\t10\nA\t9\nB\t2\n"))
        #expect(ObjectPool(file: pool.file)?.candidates == pool.candidates)
        #expect(ObjectPool(file: Array("A\t1\tX\n".utf8)) == nil)
        // Built as the freeze reads the scope: runs of ids per stratum, in byte order or not, merged.
        var writer = ObjectPool.Writer()
        writer.append(stratum: "B", ids: Array("2".utf8))
        writer.append(stratum: "A", ids: Array("10\n9".utf8))
        #expect(writer.file == pool.file && writer.counts == ["A": 2, "B": 1] && writer.count == 3)
        var runs = ObjectPool.Writer()
        for (stratum, ids) in [("A", "9"), ("B", "2"), ("A", "10")] { runs.append(stratum: stratum, ids: Array(ids.utf8)) }
        #expect(runs.file == pool.file, "two runs of a stratum are merged in byte order")
        #expect(runs.members(among: ["9", "1", "10", "91", "", "2", "9"]) == ["10", "9", "2"])
        var leaving = runs
        #expect(leaving.remove(["91", "9", "2", "0"]) == ["2", "9"] && leaving.remove(["9"]).isEmpty)
        #expect(leaving.file.map { String(decoding: $0, as: UTF8.self) } == "A\t10\n" && leaving.counts == ["A": 1])
        var unsorted = ObjectPool.Writer()
        unsorted.append(stratum: "A", ids: Array("9\n10\n2\n".utf8.dropLast()))
        #expect(unsorted.file.map { String(decoding: $0, as: UTF8.self) } == "A\t10\nA\t2\nA\t9\n", "a run out of order is sorted")
        // Ids sharing their first 16 bytes are ordered by the rest; a shorter id before those it begins.
        let long = ["913301000000000219", "91330100000000021", "913301000000000210", "9133010000000002", "913301000000000211"]
        var tails = ObjectPool.Writer()
        tails.append(stratum: "A", ids: Array(long.joined(separator: "\n").utf8))
        #expect(tails.file.map { String(decoding: $0, as: UTF8.self) } == long.sorted().map { "A\t\($0)\n" }.joined())
        #expect(
            long.sorted() == ["9133010000000002", "91330100000000021", "913301000000000210", "913301000000000211", "913301000000000219"])
        writer.append(stratum: "A", ids: Array("9".utf8))
        #expect(writer.file == nil, "an object in two runs is refused")
    }

    @Test("the record's JSON, written directly, decodes to the same record (beacon, skipped, unstaffed, escaped text)")
    func recordJSON() async throws {
        var record = try await Self.fixture(beacon: "03 07 12 \"18\"\n")
        record.beaconEntry = .init(by: "商务局\\办公室", at: Date(timeIntervalSince1970: 1_796_025_600))
        record.skipped = [.init(objectID: Self.code(7), stratum: "A", rank: String(repeating: "a", count: 64), reason: "本年度已被检查 2 次")]
        record.teams![0].unstaffed = "fire 需派 1 人，符合条件的仅 0 人\t"
        record.parameters.inspectorsPerDepartment = ["fire": 2]
        record.parameters.inspectorCap = 3
        let decoded = try JSONDecoder().decode(DrawRecord.self, from: Data(try record.json()))
        #expect(decoded == record)
        #expect(try JSONDecoder().decode(DrawRecord.self, from: Data(try record.publicPart.json())) == record.publicPart)
    }

    @Test("the same inputs always give the same draw; the seed follows the spec's formula with the record's algorithm")
    func deterministic() async throws {
        let first = try await Self.fixture()
        let second = try await Self.fixture()
        #expect(first == second && first.algorithm == "yiye-draw-v2")
        #expect(first.selected.count == 18, "ceil(50 × 1%), ceil(50 × 3%), ceil(50 × 10%), ceil(50 × 20%)")
        let expected = SM3.hex(
            "yiye-draw-v2|\(first.poolDigest)|\(first.inspectorDigest)|commerce=\(Self.secrets["commerce"]!)"
                + "|fire=\(Self.secrets["fire"]!)|samr=\(Self.secrets["samr"]!)")
        #expect(first.seed == expected)
        #expect(first.selected.map(\.rank) == first.selected.map(\.rank).sorted())
        #expect(first.selected.allSatisfy { $0.rank == JointDraw.objectRank(seed: first.seed, objectID: $0.objectID) })
        let beacon = try await Self.fixture(beacon: "03 07 12 18 25 31 + 09")
        #expect(beacon.seed != first.seed)
        let v1 = try await Self.fixture(.v1)
        #expect(
            v1.algorithm == "yiye-draw-v1"
                && v1.seed
                    == SM3.hex(
                        "yiye-draw-v1|\(first.poolDigest)|\(first.inspectorDigest)|commerce=\(Self.secrets["commerce"]!)|fire=\(Self.secrets["fire"]!)|samr=\(Self.secrets["samr"]!)"
                    )
        )
    }

    @Test(
        "every team has at least two inspectors, led by the originator, qualified and free of conflicts",
        arguments: DrawRecord.Algorithm.allCases)
    func teams(_ algorithm: DrawRecord.Algorithm) async throws {
        let record = try await Self.fixture(algorithm)
        let teams = try #require(record.teams)
        #expect(teams.count == record.selected.count)
        for team in teams {
            #expect(team.unstaffed == nil)
            #expect(team.members.count >= 2)
            #expect(team.members.filter(\.leader).map(\.department) == ["commerce"])
            // v1 ranks each member; v2 records the hash that drove the shuffle's i-th pick of the department.
            for member in team.members {
                let position =
                    team.members.filter { $0.department == member.department }.firstIndex { $0.inspectorID == member.inspectorID } ?? -1
                let rank =
                    algorithm == .v1
                    ? JointDraw.inspectorRank(
                        seed: record.seed, objectID: team.objectID, department: member.department, inspectorID: member.inspectorID)
                    : SM3.hex("\(record.seed)|inspector|\(team.objectID)|\(member.department)|\(position)")
                #expect(member.rank == rank)
            }
            // samr's inspectors holding 计量 are ids 3, 6, 9 (prefixed by the code length, 4).
            #expect(team.members.filter { $0.department == "samr" }.allSatisfy { ["43", "46", "49"].contains($0.inspectorID) })
        }
        // Declared conflicts with the drawn team: the same seed sends others.
        let target = teams[0]
        let conflicted = InspectorPool(
            entries: Self.inspectors.entries,
            conflicts: target.members.map {
                InspectorPool.Conflict(objectID: target.objectID, inspectorID: $0.inspectorID)
            })
        let needs = Dictionary(uniqueKeysWithValues: teams.map { ($0.objectID, $0.needs) })
        let restaffed = JointDraw.staff(
            algorithm, selected: record.selected, needs: needs, pool: conflicted, originator: "commerce", cap: nil, seed: record.seed)
        #expect(restaffed[0].members.count == target.members.count)
        #expect(Set(restaffed[0].members.map(\.inspectorID)).isDisjoint(with: target.members.map(\.inspectorID)))
    }

    @Test(
        "v2's default cap spreads places over the qualified: 4 places, 2 qualified of 10 give a cap of 2, all staffed; v1's cap of 1 leaves 2 unstaffed"
    )
    func qualifiedOnlyCap() throws {
        let objects = (1...4).map {
            DrawRecord.Selected(objectID: Self.code($0), stratum: "-", rank: String(repeating: "0", count: 63) + "\($0)")
        }
        let inspectors = InspectorPool(
            entries: (1...10).map { .init(department: "samr", inspectorID: "\(10 + $0)", qualifications: $0 <= 2 ? ["计量"] : []) }
                + [
                    .init(department: "commerce", inspectorID: "1", qualifications: []),
                    .init(department: "commerce", inspectorID: "2", qualifications: []),
                ],
            conflicts: [])
        let needs = Dictionary(
            uniqueKeysWithValues: objects.map {
                (
                    $0.objectID,
                    JointDraw.needs(
                        originator: "commerce", departments: ["commerce", "samr"], qualifications: ["samr": ["计量"]], overrides: [:])
                )
            })
        let seed = String(repeating: "a", count: 64)
        let v2 = JointDraw.staff(.v2, selected: objects, needs: needs, pool: inspectors, originator: "commerce", cap: nil, seed: seed)
        #expect(v2.allSatisfy { $0.unstaffed == nil })
        let samr = v2.flatMap(\.members).filter { $0.department == "samr" }.map(\.inspectorID)
        #expect(samr.sorted() == ["11", "11", "12", "12"], "each qualified inspector goes twice")
        let v1 = JointDraw.staff(.v1, selected: objects, needs: needs, pool: inspectors, originator: "commerce", cap: nil, seed: seed)
        #expect(v1.filter { $0.unstaffed != nil }.count == 2)
        #expect(v1.last?.unstaffed == "samr 需派 1 人，符合条件（无回避、资质相符、未达上限）的仅 0 人")
    }

    @Test("an object no department can staff is recorded as unstaffed with the reason")
    func unstaffed() async throws {
        let pool = ObjectPool([.init(stratum: "-", objectID: Self.code(1))])
        let inspectors = InspectorPool(entries: [.init(department: "commerce", inspectorID: "1", qualifications: [])], conflicts: [])
        let seed = JointDraw.seed(
            algorithm: .v2, poolDigest: pool.digest, inspectorDigest: inspectors.digest,
            reveals: [.init(department: "commerce", secret: Self.secrets["commerce"]!)], beacon: nil)
        let (selected, _) = JointDraw.select(pool: pool, sizes: ["-": 1], seed: seed)
        let needs = [Self.code(1): JointDraw.needs(originator: "commerce", departments: ["commerce"], qualifications: [:], overrides: [:])]
        let teams = JointDraw.staff(.v2, selected: selected, needs: needs, pool: inspectors, originator: "commerce", cap: nil, seed: seed)
        #expect(teams.first?.members.isEmpty == true)
        #expect(teams.first?.unstaffed?.contains("需派 2 人") == true)
    }

    @Test("a candidate skipped at execution is replaced by the next-ranked one of its stratum")
    func skipping() throws {
        let pool = ObjectPool((0..<40).map { .init(stratum: "A", objectID: Self.code($0)) })
        let seed = String(repeating: "0", count: 64)
        let plain = JointDraw.select(pool: pool, sizes: ["A": 3], seed: seed)
        let first = plain.selected[0].objectID
        let capped = JointDraw.select(pool: pool, sizes: ["A": 3], seed: seed) { $0.objectID == first ? "本年度已被检查 2 次" : nil }
        #expect(capped.selected.count == 3)
        #expect(!capped.selected.map(\.objectID).contains(first))
        #expect(capped.skipped.map(\.objectID) == [first])
        #expect(Array(capped.selected.map(\.objectID).prefix(2)) == Array(plain.selected.map(\.objectID).dropFirst().prefix(2)))
    }

    @Test("a large stratum gives the smallest ranks, however many are skipped, as ranking every candidate by hand does")
    func largeStratum() throws {
        let pool = ObjectPool(
            (0..<3000).map { .init(stratum: "A", objectID: Self.code($0)) }
                + (0..<500).map { .init(stratum: "B", objectID: Self.code(5000 + $0)) })
        let seed = SM3.hex("large stratum")
        let ranked = pool.candidates.map { ($0, JointDraw.objectRank(seed: seed, objectID: $0.objectID)) }.sorted { $0.1 < $1.1 }
        // Nine in ten refused: the first ranks sorted cannot fill the 20 places, the whole stratum is then sorted.
        let refused: (ObjectPool.Candidate) -> Bool = { $0.objectID.utf8.reduce(0) { $0 &+ Int($1) } % 10 != 0 }
        for skipping in [false, true] {
            let drawn = JointDraw.select(pool: pool, sizes: ["A": 20, "B": 5], seed: seed) { skipping && refused($0) ? "本年度已被检查 2 次" : nil }
            let expected = ["A": 20, "B": 5].flatMap { stratum, size in
                ranked.filter { $0.0.stratum == stratum && !(skipping && refused($0.0)) }.prefix(size).map(\.0.objectID)
            }
            #expect(Set(drawn.selected.map(\.objectID)) == Set(expected) && drawn.selected.count == 25)
            #expect(drawn.selected.map(\.rank) == drawn.selected.map(\.rank).sorted())
            // Skipped: the refused ones ranked before the last taken of their stratum.
            let skipped = ["A", "B"].flatMap { stratum in
                let last = drawn.selected.filter { $0.stratum == stratum }.map(\.rank).max()!
                return ranked.filter { $0.0.stratum == stratum && $0.1 < last && skipping && refused($0.0) }.map(\.0.objectID)
            }
            #expect(Set(drawn.skipped.map(\.objectID)) == Set(skipped) && drawn.skipped.count == skipped.count)
            #expect(skipping ? skipped.count > 150 : skipped.isEmpty)
        }
    }

    @Test("staffing hands over each batch of teams as it is made, in the selection's order, and the record has them all")
    func staffedInBatches() async throws {
        let pool = ObjectPool((0..<1100).map { .init(stratum: "-", objectID: Self.code($0)) })
        let reveal = DrawRecord.Reveal(department: "commerce", secret: Self.secrets["commerce"]!)
        let frozen = JointDraw.Frozen(
            parameters: .init(originator: "commerce", participants: ["fire", "samr"], sampling: ["-": .init(ratio: "1.0")]),
            poolDigest: pool.digest, inspectorDigest: Self.inspectors.digest, strata: [.init(stratum: "-", n: 1100, k: 1100)],
            exclusions: [], commitments: [.init(department: "commerce", commitment: JointDraw.commitment(for: reveal.secret))],
            reveals: [reveal], absent: [], beaconValue: nil)
        var batches: [[(DrawRecord.Selected, DrawRecord.Team)]] = []
        let record = await JointDraw.execute(
            .v2, frozen, pool: pool, inspectors: Self.inspectors, needs: { Self.needs($0) },
            staffed: { for await batch in $0 { batches.append(batch) } })
        #expect(batches.map(\.count) == [512, 512, 76], "JointDraw.rankBatch objects at a time")
        #expect(batches.flatMap { $0.map(\.0) } == record.selected && record.selected.count == 1100)
        #expect(batches.flatMap { $0.map(\.1) } == record.teams)
    }

    @Test(
        "verify recomputes the draw by its own algorithm and names a changed pool file, secret, beacon or team",
        arguments: DrawRecord.Algorithm.allCases)
    func verification(_ algorithm: DrawRecord.Algorithm) async throws {
        let record = try await Self.fixture(beacon: "03 07 12", algorithm)
        let pool = Self.pool
        let inspectors = Self.inspectors
        #expect(await DrawVerifier.differences(record: record, objectPoolFile: pool.file).isEmpty)
        #expect(await DrawVerifier.differences(record: record.publicPart, objectPoolFile: pool.file).isEmpty)
        #expect(
            await DrawVerifier.differences(
                record: record, objectPoolFile: pool.file, inspectorFile: inspectors.file,
                conflictFile: inspectors.conflictFile
            ).isEmpty)

        var changedPool = pool.file
        changedPool.removeLast(19)  // the last candidate's line
        let poolProblems = await DrawVerifier.differences(record: record, objectPoolFile: changedPool)
        #expect(poolProblems.contains { $0.hasPrefix("对象池文件摘要不符") })

        var changedSecret = record
        changedSecret.reveals[0].secret = String(repeating: "ff", count: 32)
        #expect(await DrawVerifier.differences(record: changedSecret, objectPoolFile: pool.file).contains { $0.contains("与其承诺值不符") })

        var changedBeacon = record
        changedBeacon.beaconValue = "03 07 13"
        #expect(await DrawVerifier.differences(record: changedBeacon, objectPoolFile: pool.file).contains { $0.hasPrefix("种子不符") })

        var changedSelection = record
        changedSelection.selected[0].objectID = Self.code(999)
        #expect(await DrawVerifier.differences(record: changedSelection, objectPoolFile: pool.file).contains { $0.hasPrefix("抽中对象缺少") })

        var changedTeam = record
        changedTeam.teams![0].members[0].inspectorID = "99"
        #expect(
            await DrawVerifier.differences(
                record: changedTeam, objectPoolFile: pool.file, inspectorFile: inspectors.file,
                conflictFile: inspectors.conflictFile
            ).contains { $0.contains("检查组不符") })
    }

    @Test("a new secret is 64 lowercase hex characters from the random generator, never the same twice")
    func newSecret() throws {
        let first = JointDraw.newSecret()
        let second = JointDraw.newSecret()
        try JointDraw.validate(secret: first)
        #expect(first != second)
        #expect(JointDraw.commitment(for: first).count == 64)
    }

    @Test("a secret is 64 lowercase hex characters; its commitment is SM3 of its text")
    func secrets() throws {
        try JointDraw.validate(secret: Self.secrets["fire"]!)
        #expect(throws: DomainError.self) { try JointDraw.validate(secret: String(repeating: "AB", count: 32)) }
        #expect(throws: DomainError.self) { try JointDraw.validate(secret: "12") }
        #expect(JointDraw.commitment(for: Self.secrets["fire"]!) == SM3.hex(Self.secrets["fire"]!))
    }

    @Test("an outsider's openssl dgst -sm3 gives the same rank")
    func openssl() async throws {
        let path = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let openssl = try #require(path, "the openssl command is part of the documented check")
        let seed = try await Self.fixture().seed
        let (status, text) = try ChildProcess.run(openssl, ["dgst", "-sm3", "-r"], input: Data((seed + "|object|" + Self.code(7)).utf8))
        #expect(status == 0)
        #expect(text.prefix(64) == JointDraw.objectRank(seed: seed, objectID: Self.code(7)))
    }
}
