import Foundation
import Testing
import YiyeCore
import YiyeTestSupport

/// The golden vectors under `Tests/Fixtures/draw`: a pool, inspector and conflict files and, per version, the inputs
/// (parameters, reveals, beacon, each candidate's needs) and the draw computed from them by `scripts/draw-check.py`, an
/// independent program using nothing of Yiye's (Python's hashlib SM3).
@Suite("Golden vectors: Yiye's draw equals the independent script's, for v1 and v2, and the script checks Yiye's records")
struct DrawGoldenVectorTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/draw")

    struct Input: Decodable {
        var algorithm: DrawRecord.Algorithm
        var parameters: DrawRecord.Parameters
        var reveals: [DrawRecord.Reveal]
        var beaconValue: String?
        var needs: [String: [DrawRecord.Need]]
    }

    struct Expected: Decodable {
        var poolDigest: String
        var inspectorDigest: String
        var strata: [DrawRecord.Stratum]
        var seed: String
        var selected: [DrawRecord.Selected]
        var teams: [DrawRecord.Team]
    }

    static func file(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The fixture's draw, executed by Yiye's pipeline.
    static func yiyeDraw(_ version: String) async throws -> DrawRecord {
        let input = try JSONDecoder().decode(Input.self, from: Data(try file("input-\(version).json")))
        let pool = try #require(ObjectPool(file: try file("pool.txt")))
        let inspectors = try #require(InspectorPool(file: try file("inspector-pool.txt"), conflictFile: try file("conflicts.txt")))
        let counts = pool.counts
        let sizes = try JointDraw.sizes(counts: counts, sampling: input.parameters.sampling)
        let frozen = JointDraw.Frozen(
            parameters: input.parameters, poolDigest: SM3.hex(try file("pool.txt")),
            inspectorDigest: SM3.hex(try file("inspector-pool.txt") + file("conflicts.txt")),
            strata: counts.keys.sorted().map { .init(stratum: $0, n: counts[$0] ?? 0, k: sizes[$0] ?? 0) }, exclusions: [],
            commitments: input.reveals.map { .init(department: $0.department, commitment: JointDraw.commitment(for: $0.secret)) },
            reveals: input.reveals, absent: [], beaconValue: input.beaconValue)
        return await JointDraw.execute(input.algorithm, frozen, pool: pool, inspectors: inspectors) { selected in
            Dictionary(uniqueKeysWithValues: selected.map { ($0.objectID, input.needs[$0.objectID] ?? []) })
        }
    }

    @Test("Yiye's pipeline gives the script's seed, strata, selection with ranks, and teams", arguments: ["v1", "v2"])
    func sameDraw(_ version: String) async throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(try Self.file("expected-\(version).json")))
        let record = try await Self.yiyeDraw(version)
        #expect(record.algorithm == "yiye-draw-\(version)")
        #expect(record.poolDigest == expected.poolDigest && record.inspectorDigest == expected.inspectorDigest)
        #expect(record.strata == expected.strata && record.strata.map(\.k) == [7, 4], "ceil(20 × 0.33) = 7 in A, 4 in B")
        #expect(record.seed == expected.seed)
        #expect(record.selected == expected.selected && record.selected.count == 11)
        #expect(record.teams == expected.teams)
    }

    @Test("v2's qualified-only cap staffs what v1's cap over the whole pool could not (the fixture's samr: 2 of 6 hold 计量)")
    func capDifference() async throws {
        let v1 = try await Self.yiyeDraw("v1")
        let v2 = try await Self.yiyeDraw("v2")
        #expect(v1.teams?.filter { $0.unstaffed != nil }.count == 1)
        #expect(v2.teams?.allSatisfy { $0.unstaffed == nil } == true)
    }

    @Test("the script verifies Yiye's records of both versions, and names a changed team, secret or selection", arguments: ["v1", "v2"])
    func scriptVerifies(_ version: String) async throws {
        let record = try await Self.yiyeDraw(version)
        func check(_ record: DrawRecord, teams: Bool = true) throws -> (status: Int32, output: String) {
            try IndependentDrawCheck.verify(
                record: try JSONEncoder().encode(record), pool: try Self.file("pool.txt"),
                inspectors: teams ? try Self.file("inspector-pool.txt") : nil, conflicts: teams ? try Self.file("conflicts.txt") : nil)
        }
        let whole = try check(record)
        #expect(whole.status == 0 && whole.output.contains("teams checked"), "\(whole.output)")
        let publicPart = try check(record.publicPart, teams: false)
        #expect(publicPart.status == 0 && publicPart.output.contains("teams not checked"), "\(publicPart.output)")

        var team = record
        let staffed = try #require(team.teams?.firstIndex { $0.unstaffed == nil })
        team.teams?[staffed].members[0].inspectorID = "999"
        #expect(try check(team).output.contains("team of \(record.selected[staffed].objectID) differs"))
        var secret = record
        secret.reveals[0].secret = String(repeating: "ff", count: 32)
        let changed = try check(secret)
        #expect(changed.status == 1 && changed.output.contains("does not match its commitment") && changed.output.contains("seed differs"))
        var selection = record
        selection.selected.swapAt(0, 1)
        #expect(try check(selection).output.contains("selection differs"))
    }

    @Test("a busy v2 draw (caps reached, conflicts, two inspectors from one department) is what the script recomputes")
    func busyDraw() async throws {
        let pool = ObjectPool((0..<120).map { .init(stratum: "-", objectID: JointDrawTests.code($0)) })
        let entries =
            (1...8).map { InspectorPool.Entry(department: "commerce", inspectorID: "\(100 + $0)", qualifications: []) }
            + (1...5).map { InspectorPool.Entry(department: "fire", inspectorID: "\(200 + $0)", qualifications: []) }
            + (1...6).map { InspectorPool.Entry(department: "samr", inspectorID: "\(300 + $0)", qualifications: $0 <= 3 ? ["计量"] : []) }
        // Every third object is in conflict with one commerce and one fire inspector.
        let conflicts = stride(from: 0, to: 120, by: 3).flatMap { serial in
            [
                InspectorPool.Conflict(objectID: JointDrawTests.code(serial), inspectorID: "\(101 + serial % 8)"),
                InspectorPool.Conflict(objectID: JointDrawTests.code(serial), inspectorID: "\(201 + serial % 5)"),
            ]
        }
        let inspectors = InspectorPool(entries: entries, conflicts: conflicts)
        let reveals = [DrawRecord.Reveal(department: "commerce", secret: String(repeating: "5e", count: 32))]
        let frozen = JointDraw.Frozen(
            parameters: .init(
                originator: "commerce", participants: ["fire", "samr"], sampling: ["-": .init(ratio: "1")],
                inspectorsPerDepartment: ["fire": 2]),
            poolDigest: pool.digest, inspectorDigest: inspectors.digest, strata: [.init(stratum: "-", n: 120, k: 120)],
            exclusions: [], commitments: [.init(department: "commerce", commitment: JointDraw.commitment(for: reveals[0].secret))],
            reveals: reveals, absent: ["fire", "samr"], beaconValue: nil)
        let record = await JointDraw.execute(.v2, frozen, pool: pool, inspectors: inspectors) { selected in
            // samr's metrology item applies to objects of even serial.
            Dictionary(
                uniqueKeysWithValues: selected.map { object in
                    let even = Int(object.objectID.dropLast().suffix(5))! % 2 == 0
                    return (
                        object.objectID,
                        JointDraw.needs(
                            originator: "commerce", departments: even ? ["commerce", "fire", "samr"] : ["commerce", "fire"],
                            qualifications: ["samr": ["计量"]], overrides: ["fire": 2])
                    )
                })
        }
        let teams = try #require(record.teams)
        let members = teams.flatMap(\.members)
        // Caps: commerce ceil(120 / 8) = 15, fire ceil(240 / 5) = 48, samr ceil(60 / 3 holders of 计量) = 20.
        let load = Dictionary(grouping: members, by: \.inspectorID).mapValues(\.count)
        #expect(load.filter { $0.key.hasPrefix("1") }.values.max() == 15)
        #expect(load.filter { $0.key.hasPrefix("3") }.values.max() == 20 && load.keys.filter { $0.hasPrefix("3") }.count == 3)
        #expect(teams.filter { $0.unstaffed == nil }.allSatisfy { $0.members.filter { $0.department == "fire" }.count == 2 })
        let conflicted = Set(conflicts.map { "\($0.objectID)|\($0.inspectorID)" })
        #expect(teams.allSatisfy { team in team.members.allSatisfy { !conflicted.contains("\(team.objectID)|\($0.inspectorID)") } })
        let check = try IndependentDrawCheck.verify(
            record: Data(try record.json()), pool: pool.file, inspectors: inspectors.file, conflicts: inspectors.conflictFile)
        #expect(check.status == 0 && check.output.contains("teams checked"), "\(check.output)")
    }
}
