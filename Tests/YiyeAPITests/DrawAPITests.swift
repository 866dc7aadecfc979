import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("Tasks and verifiable joint draws through the API")
struct DrawAPITests {
    static let contributors = ["commerce", "eco", "emergency", "fire", "samr"]

    static func secret(_ department: String, _ salt: String = "") -> String {
        SM3.hex("secret of \(department) \(salt)")
    }

    /// Creates a fuel-retail task as commerce and freezes its draw; returns the draw id.
    static func frozenDraw(_ client: any TestClientProtocol, task: [String: Any] = [:], freeze: [String: Any] = [:]) async throws -> Int {
        let originator = try await client.signIn("commerce.dept_head")
        let body = TestTasks.body("加油站联合抽查", task)
        let created = try await client.request(.post, "/api/v1/tasks", json: body, token: originator)
        guard created.status == .created else { throw TestFailure("task: \(created.text)") }
        let id = try created.decode(Schemas.Task.self).id
        let frozen = try await client.request(.post, "/api/v1/tasks/\(id)/draw", json: freeze, token: originator)
        guard frozen.status == .created else { throw TestFailure("freeze: \(frozen.text)") }
        return Int(try frozen.decode(Schemas.DrawStatus.self).id)
    }

    /// Every department in `departments` commits, then reveals.
    static func commitAndReveal(_ client: any TestClientProtocol, draw: Int, departments: [String], salt: String = "") async throws {
        for department in departments {
            let token = try await client.signIn("\(department).dept_head")
            let committed = try await client.request(
                .post, "/api/v1/draws/\(draw)/commitments",
                json: ["commitment": SM3.hex(secret(department, salt))], token: token)
            guard committed.status == .ok else { throw TestFailure("commit \(department): \(committed.text)") }
        }
        try await revealAll(client, draw: draw, departments: departments, salt: salt)
    }

    /// Every department in `departments` reveals its secret.
    static func revealAll(_ client: any TestClientProtocol, draw: Int, departments: [String] = contributors, salt: String = "") async throws
    {
        for department in departments {
            let token = try await client.signIn("\(department).dept_admin")
            let revealed = try await client.request(
                .post, "/api/v1/draws/\(draw)/reveals", json: ["secret": secret(department, salt)], token: token)
            guard revealed.status == .ok else { throw TestFailure("reveal \(department): \(revealed.text)") }
        }
    }

    static func withDemoData(
        clock: any WallClock = SystemClock(), _ body: @escaping @Sendable (any TestClientProtocol, DatabaseURL) async throws -> Void
    ) async throws {
        try await withAppDatabase(sample: true, clock: clock) { client, url in try await body(client, url) }
    }

    @Test("a task that chooses no entries names every included entry of its joint list, not []")
    func taskEntriesSpelledOut() async throws {
        try await Self.withDemoData { client, _ in
            let commerce = try await client.signIn("commerce.dept_head")
            let joint = try await client.request(.get, "/api/v1/joint-lists/fuel_retail").decode(Schemas.JointListVersion.self)
            let included = joint.entries.filter(\.included).map(\.number)
            #expect(included.count >= 3)
            let body = TestTasks.body("条目测试")
            let all = try await client.request(.post, "/api/v1/tasks", json: body, token: commerce)
            #expect(try all.decode(Schemas.Task.self).entries == included)
            var some = body
            some["entries"] = [included[1]]
            let chosen = try await client.request(.post, "/api/v1/tasks", json: some, token: commerce).decode(Schemas.Task.self)
            #expect(chosen.entries == [included[1]])
            // The demo's own tasks, made before this rule, read the same way.
            let demo = try await client.request(.get, "/api/v1/tasks/1", token: commerce).decode(Schemas.Task.self)
            #expect(!demo.entries.isEmpty)
        }
    }

    /// A fuel-retail draw frozen, committed and revealed by every contributor, and executed by commerce.
    static func executedDraw(_ client: any TestClientProtocol) async throws -> (draw: Int, status: Schemas.DrawStatus) {
        let draw = try await frozenDraw(client)
        try await commitAndReveal(client, draw: draw, departments: contributors)
        let originator = try await client.signIn("commerce.dept_admin")
        let executed = try await client.request(.post, "/api/v1/draws/\(draw)/execute", token: originator)
        guard executed.status == .ok else { throw TestFailure("execute: \(executed.text)") }
        return (draw, try executed.decode())
    }

    @Test("a frozen draw takes k = ceil(n × ratio) of each stratum, by the default ratios")
    func frozenStrata() async throws {
        try await Self.withDemoData { client, _ in
            let draw = try await Self.frozenDraw(client)
            let token = try await client.signIn("commerce.dept_admin")
            let frozen = try await client.request(.get, "/api/v1/draws/\(draw)", token: token).decode(Schemas.DrawStatus.self)
            #expect(frozen.phase == .committing)
            #expect(!frozen.strata.isEmpty)
            for stratum in frozen.strata {
                let ratio = try #require(["A": 1, "B": 3, "C": 10, "D": 20, "-": 3][stratum.stratum])
                #expect(stratum.k == (stratum.n * ratio + 99) / 100, "k = ceil(n × ratio) for \(stratum)")
            }
        }
    }

    @Test("only the originator executes, only after the reveals; reveals wait for the commit phase; outsiders and inspectors are refused")
    func phaseRefusals() async throws {
        try await Self.withDemoData { client, _ in
            let draw = try await Self.frozenDraw(client)
            let originator = try await client.signIn("commerce.dept_admin")
            #expect(try await client.request(.post, "/api/v1/draws/\(draw)/execute", token: originator).errorCode == "draw_phase")
            let fire = try await client.signIn("fire.dept_admin")
            #expect(try await client.request(.post, "/api/v1/draws/\(draw)/execute", token: fire).status == .forbidden)
            let early = try await client.request(.post, "/api/v1/draws/\(draw)/reveals", json: ["secret": Self.secret("fire")], token: fire)
            #expect(early.errorCode == "draw_phase")
            let commitment = ["commitment": SM3.hex("x")]
            let health = try await client.signIn("health.dept_admin")
            #expect(
                try await client.request(.post, "/api/v1/draws/\(draw)/commitments", json: commitment, token: health).status == .notFound,
                "health is not in the industry")
            let inspector = try await client.signIn("fire.inspector")
            #expect(
                try await client.request(.post, "/api/v1/draws/\(draw)/commitments", json: commitment, token: inspector).status
                    == .forbidden)
            try await Self.commitAndReveal(client, draw: draw, departments: Self.contributors)
            let again = try await client.request(.post, "/api/v1/draws/\(draw)/reveals", json: ["secret": Self.secret("fire")], token: fire)
            #expect(again.errorCode == "draw_phase", "a second reveal is refused")
        }
    }

    @Test("an executed draw staffs each team with at least two inspectors, led by the originator's")
    func executedTeams() async throws {
        try await Self.withDemoData { client, _ in
            let (_, status) = try await Self.executedDraw(client)
            #expect(status.phase == .executed)
            let record = try #require(status.record)
            let teams = try #require(record.teams)
            #expect(!record.selected.isEmpty && teams.count == record.selected.count)
            for team in teams where team.unstaffed == nil {
                #expect(team.members.count >= 2)
                #expect(team.members.filter(\.leader).map(\.department) == ["commerce"])
            }
        }
    }

    @Test("the public record has no inspectors and anyone recomputes it from the pool file; the full one from the inspector files")
    func recordVerifies() async throws {
        try await Self.withDemoData { client, _ in
            let (draw, _) = try await Self.executedDraw(client)
            let record = try await client.request(.get, "/api/v1/draws/\(draw)/record")
            #expect(record.status == .ok)
            #expect(try record.decode(Schemas.DrawRecord.self).teams == nil)
            let pool = try await client.request(.get, "/api/v1/draws/\(draw)/pool.txt")
            #expect(SM3.hex(Array(pool.text.utf8)) == (try record.decode(Schemas.DrawRecord.self).poolDigest))
            let publicRecord = try JSONDecoder().decode(DrawRecord.self, from: record.body)
            #expect(await DrawVerifier.differences(record: publicRecord, objectPoolFile: Array(pool.text.utf8)).isEmpty)
            // The verifier reads the record exactly as served, in its own type.
            struct Served: Decodable { var record: DrawRecord }
            let fire = try await client.signIn("fire.dept_admin")
            let served = try await client.request(.get, "/api/v1/draws/\(draw)", token: fire)
            let fullRecord = try JSONDecoder().decode(Served.self, from: served.body).record
            let inspectors = try await client.request(.get, "/api/v1/draws/\(draw)/inspector-pool.txt", token: fire)
            let conflicts = try await client.request(.get, "/api/v1/draws/\(draw)/conflicts.txt", token: fire)
            #expect(
                await DrawVerifier.differences(
                    record: fullRecord, objectPoolFile: Array(pool.text.utf8),
                    inspectorFile: Array(inspectors.text.utf8), conflictFile: Array(conflicts.text.utf8)
                ).isEmpty)
            // The independent script agrees, on the public part and on the full record with the inspector files.
            let outside = try IndependentDrawCheck.verify(record: record.body, pool: Array(pool.text.utf8))
            #expect(outside.status == 0 && outside.output.hasPrefix("ok yiye-draw-v2"), "\(outside.output)")
            let inside = try IndependentDrawCheck.verify(
                record: served.body, pool: Array(pool.text.utf8), inspectors: Array(inspectors.text.utf8),
                conflicts: Array(conflicts.text.utf8))
            #expect(inside.status == 0 && inside.output.contains("teams checked"), "\(inside.output)")
            #expect(try await client.request(.get, "/api/v1/draws/\(draw)/inspector-pool.txt").status == .unauthorized)
        }
    }

    @Test("an executed draw cannot be altered through any endpoint, nor in the database")
    func executedDrawImmutable() async throws {
        try await Self.withDemoData { client, url in
            let (draw, status) = try await Self.executedDraw(client)
            let before = try await client.request(.get, "/api/v1/draws/\(draw)/record")
            let originator = try await client.signIn("commerce.dept_admin")
            #expect(try await client.request(.post, "/api/v1/draws/\(draw)/execute", token: originator).errorCode == "draw_phase")
            #expect(
                try await client.request(
                    .post, "/api/v1/draws/\(draw)/commitments",
                    json: ["commitment": SM3.hex("y")], token: originator
                ).errorCode == "draw_phase")
            #expect(
                try await client.request(.put, "/api/v1/draws/\(draw)/beacon", json: ["value": "1"], token: originator).status
                    == .unprocessableContent)
            #expect(
                try await client.request(.post, "/api/v1/tasks/\(status.taskId)/draw", json: [:], token: originator).status == .conflict)
            try await withClient(url) { db async throws in
                await #expect(throws: PSQLError.self) { _ = try await db.query("UPDATE draws SET beacon_value = 'x' WHERE id = \(draw)") }
                await #expect(throws: PSQLError.self) { _ = try await db.query("DELETE FROM drawn_objects WHERE draw_id = \(draw)") }
                await #expect(throws: PSQLError.self) {
                    _ = try await db.query("UPDATE drawn_objects SET team_leader = NULL WHERE draw_id = \(draw)")
                }
                // The references of drawn objects and their teams, checked per statement, and kept from removal.
                func refusal(_ sql: String) async -> String? {
                    do {
                        _ = try await db.query(PostgresQuery(unsafeSQL: sql))
                        return nil
                    } catch let error as PSQLError {
                        return error.serverInfo?[.message]
                    } catch { return "\(error)" }
                }
                let (code, inspector) = try #require(
                    try await db.query(
                        """
                        SELECT credit_code, team_inspectors[1] FROM drawn_objects
                        WHERE draw_id = \(draw) AND cardinality(team_inspectors) > 0 LIMIT 1
                        """
                    ).decode((String, Int64).self).collectFirst())
                let undrawn = try #require(
                    try await db.query(
                        "SELECT credit_code FROM objects WHERE credit_code NOT IN (SELECT credit_code FROM drawn_objects) LIMIT 1"
                    ).decode(String.self).collectFirst())
                func insert(draw: String, object: String, inspector: String) -> String {
                    """
                    INSERT INTO drawn_objects (draw_id, credit_code, year, stratum, rank, needs_set, team_inspectors, team_departments,
                                               team_ranks)
                    VALUES (\(draw), '\(object)', 2026, 'A', 'r', 0, '{\(inspector)}', '{fire}', decode(repeat('ab', 32), 'hex'))
                    """
                }
                #expect(
                    await refusal(insert(draw: "\(draw)", object: undrawn, inspector: "987654"))?.contains("不存在的执法检查人员") == true)
                #expect(await refusal(insert(draw: "987654", object: undrawn, inspector: "\(inspector)"))?.contains("不存在的抽取") == true)
                #expect(
                    await refusal(insert(draw: "\(draw)", object: "NO-SUCH-OBJECT", inspector: "\(inspector)"))?.contains("不存在的检查对象")
                        == true)
                #expect(await refusal("DELETE FROM inspectors WHERE id = \(inspector)")?.contains("已被抽中") == true)
                #expect(
                    await refusal("UPDATE objects SET credit_code = 'X' || credit_code WHERE credit_code = '\(code)'")?.contains("已被抽中")
                        == true)
                #expect(await refusal("UPDATE objects SET address = address WHERE credit_code = '\(code)'") == nil)
            }
            let after = try await client.request(.get, "/api/v1/draws/\(draw)/record")
            #expect(after.text == before.text)
        }
    }

    @Test("a department that does not commit or reveal in time is recorded absent; a wrong secret is refused")
    func absentDepartments() async throws {
        let clock = ManualClock(Date())
        try await Self.withDemoData(clock: clock) { client, _ in
            let commerce = try await client.signIn("commerce.dept_head")
            let fire = try await client.signIn("fire.dept_head")
            let samr = try await client.signIn("samr.dept_head")
            let window: TimeInterval = 3600
            let now = clock.now
            let formatter = ISO8601DateFormatter()
            let draw = try await Self.frozenDraw(
                client,
                freeze: [
                    "commitDeadline": formatter.string(from: now.addingTimeInterval(window)),
                    "revealDeadline": formatter.string(from: now.addingTimeInterval(2 * window)),
                ])
            let committed = [
                try await client.request(
                    .post, "/api/v1/draws/\(draw)/commitments", json: ["commitment": SM3.hex(Self.secret("commerce"))], token: commerce),
                try await client.request(
                    .post, "/api/v1/draws/\(draw)/commitments", json: ["commitment": SM3.hex(Self.secret("fire"))], token: fire),
            ]
            #expect(committed.allSatisfy { $0.status == .ok }, "commitments within the window")
            clock.advance(by: window + 1)
            let late = try await client.request(
                .post, "/api/v1/draws/\(draw)/commitments",
                json: ["commitment": SM3.hex(Self.secret("samr"))], token: samr)
            #expect(late.errorCode == "draw_phase")
            let mismatch = try await client.request(
                .post, "/api/v1/draws/\(draw)/reveals", json: ["secret": Self.secret("other")], token: fire)
            #expect(mismatch.errorCode == "invalid_secret")
            _ = try await client.request(.post, "/api/v1/draws/\(draw)/reveals", json: ["secret": Self.secret("commerce")], token: commerce)
            // Fire committed but has not revealed: execution waits for it (or for the reveal deadline).
            #expect(try await client.request(.post, "/api/v1/draws/\(draw)/execute", token: commerce).errorCode == "draw_phase")
            _ = try await client.request(.post, "/api/v1/draws/\(draw)/reveals", json: ["secret": Self.secret("fire")], token: fire)
            let executed = try await client.request(.post, "/api/v1/draws/\(draw)/execute", token: commerce)
            let record = try #require(try executed.decode(Schemas.DrawStatus.self).record)
            #expect(record.absent == ["eco", "emergency", "samr"])
            #expect(record.reveals.map(\.department) == ["commerce", "fire"])
        }
    }

    @Test("the annual cap of two inspections holds when two draws execute at the same moment")
    func concurrentCap() async throws {
        try await Self.withDemoData { client, url in
            let objects = try await withClient(url) { db async throws in
                var codes: [String] = []
                for try await code in try await db.query(
                    """
                    SELECT credit_code FROM objects WHERE industries @> ARRAY['fuel_retail'] AND status = 'active'
                      AND credit_code NOT IN (SELECT credit_code FROM drawn_objects)
                    ORDER BY credit_code LIMIT 10
                    """
                ).decode(String.self) { codes.append(code) }
                return codes
            }
            let task: [String: Any] = [
                "participants": [], "scope": ["objects": objects],
                "sampling": ["stratified": false, "rules": ["-": ["ratio": "1.0"]]],
            ]
            let first = try await Self.frozenDraw(client, task: task)
            try await Self.commitAndReveal(client, draw: first, departments: ["commerce"], salt: "1")
            let commerce = try await client.signIn("commerce.dept_admin")
            #expect(try await client.request(.post, "/api/v1/draws/\(first)/execute", token: commerce).status == .ok)
            // While the first task is open its objects are left out of other draws; once closed, two more tasks draw
            // the same ten objects, frozen before either executes.
            let firstTask = try await client.request(.get, "/api/v1/draws/\(first)", token: commerce).decode(Schemas.DrawStatus.self).taskId
            let blocked = try await Self.frozenDraw(client, task: task)
            let blockedStatus = try await client.request(.get, "/api/v1/draws/\(blocked)", token: commerce).decode(Schemas.DrawStatus.self)
            #expect(blockedStatus.exclusions.contains { $0.reason == .openTask && $0.count == 10 })
            #expect(
                try await client.request(.post, "/api/v1/tasks/\(firstTask)/closure", token: try await client.signIn("fire.dept_head"))
                    .status
                    == .forbidden)
            let closed = try await client.request(.post, "/api/v1/tasks/\(firstTask)/closure", token: commerce)
            #expect(try closed.decode(Schemas.Task.self).status == .closed)
            #expect(try await client.request(.post, "/api/v1/tasks/\(firstTask)/closure", token: commerce).errorCode == "task_closed")
            let second = try await Self.frozenDraw(client, task: task)
            let third = try await Self.frozenDraw(client, task: task)
            try await Self.commitAndReveal(client, draw: second, departments: ["commerce"], salt: "2")
            try await Self.commitAndReveal(client, draw: third, departments: ["commerce"], salt: "3")
            async let a = client.request(.post, "/api/v1/draws/\(second)/execute", token: commerce)
            async let b = client.request(.post, "/api/v1/draws/\(third)/execute", token: commerce)
            let results = try await [a, b]
            #expect(results.allSatisfy { $0.status == .ok })
            let records = try results.compactMap { try $0.decode(Schemas.DrawStatus.self).record }
            #expect(records.map(\.selected.count).sorted() == [0, 10], "one draw takes all ten; the other finds them at the cap")
            let skipped = records.flatMap(\.skipped)
            #expect(skipped.count == 10 && skipped.allSatisfy { $0.reason.contains("2 次") })
            let most = try await withClient(url) { db async throws in
                var most: Int?
                for try await value in try await db.query(
                    """
                    SELECT max(c)::integer FROM (SELECT count(*) AS c FROM drawn_objects GROUP BY credit_code, year) t
                    """
                ).decode(Int.self) { most = value }
                return most
            }
            #expect(most == 2)
            // A fourth task's freeze now leaves them out with the reason.
            let fourth = try await Self.frozenDraw(
                client,
                task: [
                    "scope": ["objects": objects],
                    "sampling": ["stratified": false, "rules": ["-": ["ratio": "1.0"]]],
                ])
            let status = try await client.request(.get, "/api/v1/draws/\(fourth)", token: commerce).decode(Schemas.DrawStatus.self)
            #expect(status.exclusions.contains { $0.reason == .annualCap && $0.count == 10 })
            // They are also in the open task that drew them: each is left out once, for the first reason that applies.
            #expect(status.exclusions.map(\.count).reduce(0, +) == 10, "\(status.exclusions)")
        }
    }

    @Test("tasks: only the originator creates them, on a published joint list, within the 3% minimum unless a reason is given")
    func taskRules() async throws {
        try await withApp { client in
            let commerce = try await client.signIn("commerce.dept_head")
            let body = TestTasks.body("专项")
            #expect(try await client.request(.post, "/api/v1/tasks", json: body, token: commerce).errorCode == "no_joint_list")
            #expect(
                try await client.request(.post, "/api/v1/tasks", json: body, token: try await client.signIn("fire.dept_head")).status
                    == .forbidden)
        }
        try await Self.withDemoData { client, _ in
            let commerce = try await client.signIn("commerce.dept_head")
            var body = TestTasks.body("专项", ["windowStart": TestTasks.windowEnd, "windowEnd": TestTasks.windowStart])
            #expect(try await client.request(.post, "/api/v1/tasks", json: body, token: commerce).errorCode == "invalid_period")
            body = TestTasks.body("专项")
            let trigger = body["trigger"]
            body["participants"] = ["health"]
            #expect(try await client.request(.post, "/api/v1/tasks", json: body, token: commerce).errorCode == "unknown_department")
            body["participants"] = nil
            body["trigger"] = ["source": "complaint", "description": " "]
            #expect(try await client.request(.post, "/api/v1/tasks", json: body, token: commerce).errorCode == "invalid_text")
            body["trigger"] = trigger
            body["sampling"] = [
                "rules": [
                    "A": ["ratio": "0.001"], "B": ["ratio": "0.001"], "C": ["ratio": "0.001"], "D": ["ratio": "0.001"],
                    "-": ["ratio": "0.001"],
                ]
            ]
            let low = try await client.request(.post, "/api/v1/tasks", json: body, token: commerce)
            let id = try low.decode(Schemas.Task.self).id
            #expect(
                try await client.request(.post, "/api/v1/tasks/\(id)/draw", json: [:], token: commerce).errorCode
                    == "sampling_below_minimum")
            var reasoned = body
            reasoned["sampling"] = ["rules": ["A": ["ratio": "0.001"], "D": ["count": 2]], "belowMinimumReason": "本季度已完成专项整治，仅作抽样复核"]
            reasoned["scope"] = ["kinds": ["enterprise"], "regions": ["3301"]]
            let allowed = try await client.request(.post, "/api/v1/tasks", json: reasoned, token: commerce)
            let allowedID = try allowed.decode(Schemas.Task.self).id
            // The task as every later read shows it: what was given, the defaults filled in.
            let shown: Schemas.Task = try await client.request(.get, "/api/v1/tasks/\(allowedID)", token: commerce).decode()
            #expect(shown.trigger?.source == .complaint && shown.trigger?.description == "群众举报加油站存在安全隐患")
            #expect(shown.trigger?.warningId == nil && shown.trigger?.lateRecordReason == nil)
            #expect(shown.scope.kinds == [.enterprise] && shown.scope.regions == ["3301"] && shown.scope.objects == [])
            #expect(shown.sampling.stratified == true && shown.sampling.basis == .riskClass)
            #expect(
                shown.sampling.rules?.additionalProperties.mapValues { "\($0.ratio ?? "")/\($0.count ?? -1)" } == [
                    "A": "0.001/-1", "D": "/2",
                ])
            #expect(shown.sampling.belowMinimumReason == "本季度已完成专项整治，仅作抽样复核")
            #expect(try await client.request(.post, "/api/v1/tasks/\(allowedID)/draw", json: [:], token: commerce).status == .created)
            #expect(
                try await client.request(.get, "/api/v1/tasks/\(allowedID)", token: try await client.signIn("health.dept_admin")).status
                    == .notFound)
        }
    }
}

@Suite("After a draw: changes need a head's approval; departments confirm their assignments")
struct DrawChangeAPITests {
    typealias Team = Schemas.DrawStatus.TeamsPayloadPayload
    typealias Member = Team.MembersPayloadPayload

    static func hasFire(_ team: Team) -> Bool { !ids(team.members, of: "fire").isEmpty }

    /// Inspector ids of `members`, of one department or all.
    static func ids(_ members: [Member], of department: String?) -> [String] {
        members.filter { department == nil || $0.department == department }.map(\.inspectorID)
    }

    static func members(of object: String, in status: Schemas.DrawStatus) -> [Member] {
        status.teams?.first { $0.objectID == object }?.members ?? []
    }

    static func status(_ client: any TestClientProtocol, _ token: String, draw: Int = 1) async throws -> Schemas.DrawStatus {
        try await client.request(.get, "/api/v1/draws/\(draw)", token: token).decode()
    }

    @Test("an inspector replacement takes effect only when the head of the inspector's department approves it")
    func inspectorReplacement() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let office = try await client.signIn("office.office_viewer")
            let status = try await Self.status(client, office)
            let team = try #require(status.teams?.first(where: Self.hasFire))
            let object = team.objectID
            let replaced = try #require(Self.ids(team.members, of: "fire").first)
            let roster = try await client.request(.get, "/api/v1/inspectors?department=fire&status=active&limit=200", token: office)
            let onTeam = Set(Self.ids(team.members, of: nil))
            let replacement = try #require(
                try roster.decode(Schemas.InspectorPage.self).items.map { String($0.id) }.first { !onTeam.contains($0) })
            let samr = try await client.request(.get, "/api/v1/inspectors?department=samr&limit=1", token: office)
            let other = try #require(try samr.decode(Schemas.InspectorPage.self).items.first?.id)

            let fireAdmin = try await client.signIn("fire.dept_admin")
            var body: [String: Any] = [
                "kind": "replace_inspector", "objectId": object, "replacedInspector": replaced,
                "replacementInspector": String(other), "reasonKind": "conflict_of_interest", "reason": "近亲属在该站任职",
            ]
            #expect(
                try await client.request(.post, "/api/v1/draws/1/changes", json: body, token: fireAdmin).errorField
                    == "replacementInspector",
                "a replacement comes from the same department")
            body["replacementInspector"] = replacement
            body["reason"] = " "
            #expect(try await client.request(.post, "/api/v1/draws/1/changes", json: body, token: fireAdmin).errorCode == "invalid_text")
            body["reason"] = "近亲属在该站任职"
            let requested = try await client.request(.post, "/api/v1/draws/1/changes", json: body, token: fireAdmin)
            #expect(requested.status == .created, "\(requested.text)")
            let pendingChange = try requested.decode(Schemas.DrawChange.self)
            #expect(pendingChange.status == .pending)
            #expect(pendingChange.department == "fire")
            let change = pendingChange.id

            // Pending: no effect. Not the head, or another department's head: refused.
            let pending = try await Self.status(client, office)
            #expect(Self.ids(Self.members(of: object, in: pending), of: nil).contains(replaced))
            #expect(
                try await client.request(.post, "/api/v1/draws/1/changes/\(change)/decision", json: ["approve": true], token: fireAdmin)
                    .status == .forbidden)
            let commerceHead = try await client.signIn("commerce.dept_head")
            #expect(
                try await client.request(.post, "/api/v1/draws/1/changes/\(change)/decision", json: ["approve": true], token: commerceHead)
                    .status == .forbidden)
            let fireHead = try await client.signIn("fire.dept_head")
            let approved = try await client.request(
                .post, "/api/v1/draws/1/changes/\(change)/decision",
                json: ["approve": true, "note": "同意回避"], token: fireHead)
            #expect(try approved.decode(Schemas.DrawChange.self).status == .approved)
            #expect(
                try await client.request(.post, "/api/v1/draws/1/changes/\(change)/decision", json: ["approve": false], token: fireHead)
                    .errorCode == "draw_phase", "decided once")

            let after = try await Self.status(client, office)
            let now = Self.members(of: object, in: after)
            #expect(Self.ids(now.filter(\.appointed), of: nil) == [replacement])
            #expect(!Self.ids(now, of: nil).contains(replaced))
            // The record itself is unchanged; the change is appended, and the database refuses to edit it.
            let recorded = after.record?.teams?.first { $0.objectID == object }?.members.map(\.inspectorID) ?? []
            #expect(recorded.contains(replaced))
            #expect(after.changes?.count == 1)
            let refused = try await withClient(url) { db async throws -> Int in
                var refusals = 0
                for statement in ["UPDATE draw_changes SET reason = 'x'", "DELETE FROM draw_changes"] {
                    do { _ = try await db.query(PostgresQuery(unsafeSQL: statement)) } catch { refusals += 1 }
                }
                return refusals
            }
            #expect(refused == 2)
        }
    }

    @Test("an object replacement comes from the frozen pool, needs the originator's head, counts against the cap and releases the replaced")
    func objectReplacement() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let commerce = try await client.signIn("commerce.dept_admin")
            let status = try await Self.status(client, commerce)
            let object = try #require(status.teams?.first?.objectID)
            let pool = try await client.request(.get, "/api/v1/draws/1/pool.txt")
            let selected = Set(status.record?.selected.map(\.objectID) ?? [])
            let candidate = try #require(
                pool.text.split(separator: "\n").map { String($0.split(separator: "\t")[1]) }.first { !selected.contains($0) })
            var body: [String: Any] = [
                "kind": "replace_object", "objectId": object, "replacementObject": ObjectAPITests.code(999),
                "reasonKind": "other", "reason": "该站已停业整顿",
            ]
            #expect(
                try await client.request(.post, "/api/v1/draws/1/changes", json: body, token: commerce).errorField == "replacementObject")
            body["replacementObject"] = candidate
            let requested = try await client.request(.post, "/api/v1/draws/1/changes", json: body, token: commerce)
            let change = try requested.decode(Schemas.DrawChange.self)
            #expect(change.department == "commerce")
            let head = try await client.signIn("commerce.dept_head")
            _ = try await client.request(.post, "/api/v1/draws/1/changes/\(change.id)/decision", json: ["approve": true], token: head)
            #expect(try await Self.status(client, commerce).teams?.first?.objectID == candidate)
            // The replacement counts against its annual cap; the object it replaced no longer does (docs/DRAW-SPEC.md §6).
            let counted = try await withClient(url) { db async throws in
                var counts: [String: Int] = [:]
                for try await (code, count) in try await db.query(
                    """
                    SELECT o.code, (SELECT count(*)::integer FROM counted_inspections c WHERE c.credit_code = o.code)
                    FROM unnest(ARRAY[\(object), \(candidate)]) AS o (code)
                    """
                ).decode((String, Int).self) { counts[code] = count }
                return counts
            }
            #expect(counted == [object: 0, candidate: 1])
            // The results the draw still owes follow the teams: the replacement's are owed, the replaced object's no more.
            let outstanding = try await withClient(url) { db async throws in
                var counts: [String: Int] = [:]
                for try await (code, count) in try await db.query(
                    "SELECT credit_code, count(*)::int FROM draw_outstanding WHERE draw_id = 1 GROUP BY credit_code"
                ).decode((String, Int).self) { counts[code] = count }
                return counts
            }
            let after = try await Self.status(client, commerce)
            #expect(outstanding[object] == nil)
            #expect(outstanding[candidate] == Set(Self.members(of: candidate, in: after).map(\.department)).count)
            let task = try await client.get("/api/v1/tasks/\(after.taskId)", token: commerce, as: Schemas.Task.self)
            #expect(outstanding.values.reduce(0, +) == task.results?.owed)
        }
    }

    @Test("the originator appoints an external expert to a team at once; others may not, and only experts qualify")
    func expertAppointment() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let office = try await client.signIn("office.office_viewer")
            let object = try #require(try await Self.status(client, office).teams?.first?.objectID)
            let experts = try await client.request(.get, "/api/v1/inspectors?department=samr&expert=true", token: office)
            let expert = try #require(try experts.decode(Schemas.InspectorPage.self).items.first?.id)
            let officers = try await client.request(.get, "/api/v1/inspectors?department=samr&expert=false&limit=1", token: office)
            let officer = try #require(try officers.decode(Schemas.InspectorPage.self).items.first?.id)
            var body: [String: Any] = [
                "kind": "appoint_expert", "objectId": object, "replacementInspector": String(officer),
                "reasonKind": "other", "reason": "需压力容器专业支持",
            ]
            let commerce = try await client.signIn("commerce.dept_head")
            #expect(
                try await client.request(.post, "/api/v1/draws/1/changes", json: body, token: commerce).errorField == "replacementInspector"
            )
            body["replacementInspector"] = String(expert)
            #expect(
                try await client.request(.post, "/api/v1/draws/1/changes", json: body, token: try await client.signIn("samr.dept_head"))
                    .status == .forbidden)
            let appointed = try await client.request(.post, "/api/v1/draws/1/changes", json: body, token: commerce)
            #expect(try appointed.decode(Schemas.DrawChange.self).status == .approved)
            let members = Self.members(of: object, in: try await Self.status(client, office))
            #expect(members.contains { $0.inspectorID == String(expert) && $0.appointed })
        }
    }

    @Test("each sending department confirms its assignments once, due the next working day")
    func confirmations() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let fire = try await client.signIn("fire.dept_admin")
            let confirmations = try await Self.status(client, fire).confirmations ?? []
            #expect(Set(confirmations.map(\.department)) == ["commerce", "eco", "emergency", "fire", "samr"])
            let today = CalendarDate(chinaDateOf: Date()).description
            let due = try await client.request(.get, "/api/v1/calendar/deadline?from=\(today)&workingDays=1").decode(Schemas.Deadline.self)
            #expect(confirmations.allSatisfy { $0.deadline == due.date && !$0.overdue })
            let confirmed = try await client.request(.post, "/api/v1/draws/1/confirmation", token: fire).decode(Schemas.DrawStatus.self)
            let fireRow = confirmed.confirmations?.first { $0.department == "fire" }
            #expect(fireRow?.confirmedBy == "fire.dept_admin")
            let twice = try await client.request(.post, "/api/v1/draws/1/confirmation", token: fire)
            #expect(twice.status == .conflict)
            #expect(twice.errorCode == "already_confirmed")
            #expect(
                try await client.request(.post, "/api/v1/draws/1/confirmation", token: try await client.signIn("health.dept_admin"))
                    .status == .notFound)
            #expect(
                try await client.request(.post, "/api/v1/draws/1/confirmation", token: try await client.signIn("fire.inspector"))
                    .status == .forbidden)
        }
    }
}

@Suite("一企一表 and 一次告知 for drawn objects")
struct JointSheetAPITests {
    @Test("no item is listed twice on any sheet or notice of the demo: a merged item once, under its lead, 配合 named")
    func mergedItemsOnce() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let token = try await client.signIn("commerce.dept_admin")
            let tasks = try await client.request(.get, "/api/v1/tasks", token: token).decode(Schemas.TaskPage.self).items
            var sheets = 0
            for task in tasks {
                let draw = try #require(task.drawId)
                let status = try await DrawChangeAPITests.status(client, token, draw: Int(draw))
                for team in status.teams ?? [] where team.unstaffed == nil {
                    let object = team.objectID
                    let sheet = try await client.request(.get, "/api/v1/draws/\(draw)/objects/\(object)/sheet", token: token)
                        .decode(Schemas.JointInspectionSheet.self)
                    let entries = sheet.sections.flatMap(\.entries)
                    let items = entries.map(\.item)
                    let numbers = entries.map(\.number)
                    #expect(Set(numbers).count == numbers.count, "draw \(draw), \(object): an entry twice in \(numbers)")
                    #expect(!items.isEmpty)
                    let html = try await client.request(.get, "/api/v1/draws/\(draw)/objects/\(object)/sheet.html", token: token).text
                    let notice = try await client.request(.get, "/api/v1/draws/\(draw)/objects/\(object)/notice.html", token: token).text
                    for content in Set(items.map(\.content)) {
                        let listed = items.filter { $0.content == content }.count
                        #expect(html.components(separatedBy: content).count - 1 == listed, "sheet of \(object): \(content)")
                        #expect(notice.components(separatedBy: content).count - 1 == listed, "notice to \(object): \(content)")
                    }
                    sheets += 1
                }
            }
            #expect(sheets >= 2, "the demo's draws staff teams for several objects")
            // The merged fire-safety item of fuel_retail, on the sheet of one of its objects, reads 牵头 and 配合.
            let fuel = try #require(tasks.first { $0.industry == "fuel_retail" }?.drawId)
            let team = try #require(
                try await DrawChangeAPITests.status(client, token, draw: Int(fuel)).teams?.first { $0.unstaffed == nil })
            let notice = try await client.request(.get, "/api/v1/draws/\(fuel)/objects/\(team.objectID)/notice.html", token: token).text
            #expect(notice.contains("<td>消防救援大队</td><td>应急管理局</td>"), "fire leads XF-01, emergency co-operates")
        }
    }

    @Test("the sheet lists each team department's applicable items, the team with its leader, and the notice what to prepare")
    func sheets() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let fire = try await client.signIn("fire.inspector")
            let team = try #require(try await DrawChangeAPITests.status(client, fire).teams?.first { $0.unstaffed == nil })
            let object = team.objectID
            let sheet = try await client.request(.get, "/api/v1/draws/1/objects/\(object)/sheet", token: fire)
                .decode(Schemas.JointInspectionSheet.self)
            let departments = sheet.sections.map(\.department)
            #expect(departments.first == "commerce", "the originator's items first")
            #expect(Set(departments).isSubset(of: ["commerce", "eco", "emergency", "fire", "samr"]))
            // Fire safety is one merged item: once, under fire (its lead), with emergency co-operating.
            let entries = sheet.sections.flatMap { section in section.entries.map { (section.department, $0) } }
            let fireSafety = entries.filter { $0.1.item.code == "XF-01" }
            #expect(fireSafety.count == 1)
            #expect(fireSafety.first?.0 == "fire")
            #expect(fireSafety.first?.1.coDepartments == ["emergency"])
            #expect(sheet.team.count >= 2)
            #expect(sheet.team.filter(\.leader).map(\.department) == ["commerce"])
            #expect(sheet.team.allSatisfy { !$0.name.isEmpty })
            let html = try await client.request(.get, "/api/v1/draws/1/objects/\(object)/sheet.html", token: fire)
            #expect(html.text.contains("部门联合抽查检查表（一企一表）"))
            #expect(html.text.contains(object))
            let notice = try await client.request(.get, "/api/v1/draws/1/objects/\(object)/notice.html", token: fire)
            #expect(notice.text.contains("请提前准备"))
            #expect(notice.text.contains("成品油零售经营批准证书"))
            #expect(!notice.text.contains("执法证号"), "the notice to the business names no certificate numbers")
            #expect(try await client.request(.get, "/api/v1/draws/1/objects/\(object)/sheet").status == .unauthorized)
            #expect(
                try await client.request(.get, "/api/v1/draws/1/objects/\(ObjectAPITests.code(5))/sheet", token: fire).status == .notFound)
            let outsider = try await client.signIn("health.dept_admin")
            #expect(try await client.request(.get, "/api/v1/draws/1/objects/\(object)/sheet", token: outsider).status == .notFound)
        }
    }
}
