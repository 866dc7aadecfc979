import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
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
        guard created.status == .created, let id = created["id"] as? Int else { throw TestFailure("task: \(created.json ?? "")") }
        let frozen = try await client.request(.post, "/api/v1/tasks/\(id)/draw", json: freeze, token: originator)
        guard frozen.status == .created, let draw = frozen["id"] as? Int else { throw TestFailure("freeze: \(frozen.json ?? "")") }
        return draw
    }

    /// Every department in `departments` commits, then reveals.
    static func commitAndReveal(_ client: any TestClientProtocol, draw: Int, departments: [String], salt: String = "") async throws {
        for department in departments {
            let token = try await client.signIn("\(department).dept_head")
            let committed = try await client.request(
                .post, "/api/v1/draws/\(draw)/commitments",
                json: ["commitment": SM3.hex(secret(department, salt))], token: token)
            guard committed.status == .ok else { throw TestFailure("commit \(department): \(committed.json ?? "")") }
        }
        for department in departments {
            let token = try await client.signIn("\(department).dept_admin")
            let revealed = try await client.request(
                .post, "/api/v1/draws/\(draw)/reveals", json: ["secret": secret(department, salt)], token: token)
            guard revealed.status == .ok else { throw TestFailure("reveal \(department): \(revealed.json ?? "")") }
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
            let joint = try await client.request(.get, "/api/v1/joint-lists/fuel_retail")
            let included = (joint["entries"] as? [[String: Any]] ?? [])
                .filter { $0["included"] as? Bool == true }.compactMap { $0["number"] as? Int }
            #expect(included.count >= 3)
            let body = TestTasks.body("条目测试")
            let all = try await client.request(.post, "/api/v1/tasks", json: body, token: commerce)
            #expect(all["entries"] as? [Int] == included)
            var some = body
            some["entries"] = [included[1]]
            #expect(try await client.request(.post, "/api/v1/tasks", json: some, token: commerce)["entries"] as? [Int] == [included[1]])
            // The demo's own tasks, made before this rule, read the same way.
            let demo = try await client.request(.get, "/api/v1/tasks/1", token: commerce)
            #expect((demo["entries"] as? [Int])?.isEmpty == false)
        }
    }

    @Test("freeze, commit, reveal, execute: the record is public without inspectors and anyone recomputes it from the pool file")
    func fullDraw() async throws {
        try await Self.withDemoData { client, url in
            let draw = try await Self.frozenDraw(client)
            let originator = try await client.signIn("commerce.dept_admin")
            let frozen = try await client.request(.get, "/api/v1/draws/\(draw)", token: originator)
            #expect(frozen["phase"] as? String == "committing")
            let strata = frozen["strata"] as? [[String: Any]] ?? []
            #expect(!strata.isEmpty)
            for stratum in strata {
                let n = stratum["n"] as? Int ?? 0
                let ratio = ["A": 1, "B": 3, "C": 10, "D": 20, "-": 3][stratum["stratum"] as? String ?? ""] ?? 0
                #expect(stratum["k"] as? Int == (n * ratio + 99) / 100, "k = ceil(n × ratio) for \(stratum)")
            }
            // Only the originator executes, and only once the reveals are in.
            #expect(try await client.request(.post, "/api/v1/draws/\(draw)/execute", token: originator).errorCode == "draw_phase")
            let fire = try await client.signIn("fire.dept_admin")
            #expect(try await client.request(.post, "/api/v1/draws/\(draw)/execute", token: fire).status == .forbidden)
            // A reveal during the commit phase, a department outside the industry, an inspector: refused.
            #expect(
                try await client.request(.post, "/api/v1/draws/\(draw)/reveals", json: ["secret": Self.secret("fire")], token: fire)
                    .errorCode == "draw_phase")
            let health = try await client.signIn("health.dept_admin")
            #expect(
                try await client.request(
                    .post, "/api/v1/draws/\(draw)/commitments",
                    json: ["commitment": SM3.hex("x")], token: health
                ).status == .notFound)
            let inspector = try await client.signIn("fire.inspector")
            #expect(
                try await client.request(
                    .post, "/api/v1/draws/\(draw)/commitments",
                    json: ["commitment": SM3.hex("x")], token: inspector
                ).status == .forbidden)
            try await Self.commitAndReveal(client, draw: draw, departments: Self.contributors)
            let wrong = try await client.request(.post, "/api/v1/draws/\(draw)/reveals", json: ["secret": Self.secret("fire")], token: fire)
            #expect(wrong.errorCode == "draw_phase", "a second reveal is refused")

            let executed = try await client.request(.post, "/api/v1/draws/\(draw)/execute", token: originator)
            #expect(executed["phase"] as? String == "executed", "\(executed.json ?? "")")
            let full = try #require(executed["record"] as? [String: Any])
            let teams = full["teams"] as? [[String: Any]] ?? []
            let selected = full["selected"] as? [[String: Any]] ?? []
            #expect(!selected.isEmpty && teams.count == selected.count)
            for team in teams where team["unstaffed"] == nil {
                let members = team["members"] as? [[String: Any]] ?? []
                #expect(members.count >= 2)
                #expect(members.filter { $0["leader"] as? Bool == true }.compactMap { $0["department"] as? String } == ["commerce"])
            }

            // The public record has no inspectors; with the public pool file it verifies.
            let record = try await client.request(.get, "/api/v1/draws/\(draw)/record")
            #expect(record.status == .ok)
            #expect(record["teams"] == nil)
            let pool = try await client.request(.get, "/api/v1/draws/\(draw)/pool.txt")
            #expect(SM3.hex(Array(pool.text.utf8)) == record["poolDigest"] as? String)
            let publicRecord = try JSONDecoder().decode(DrawRecord.self, from: Data(record.text.utf8))
            #expect(DrawVerifier.differences(record: publicRecord, objectPoolFile: Array(pool.text.utf8)).isEmpty)
            let fullRecord = try JSONDecoder().decode(DrawRecord.self, from: JSONSerialization.data(withJSONObject: full))
            let inspectors = try await client.request(.get, "/api/v1/draws/\(draw)/inspector-pool.txt", token: fire)
            let conflicts = try await client.request(.get, "/api/v1/draws/\(draw)/conflicts.txt", token: fire)
            #expect(
                DrawVerifier.differences(
                    record: fullRecord, objectPoolFile: Array(pool.text.utf8),
                    inspectorFile: Array(inspectors.text.utf8), conflictFile: Array(conflicts.text.utf8)
                ).isEmpty)
            #expect(try await client.request(.get, "/api/v1/draws/\(draw)/inspector-pool.txt").status == .unauthorized)

            // An executed draw cannot be altered through any endpoint, nor in the database.
            #expect(try await client.request(.post, "/api/v1/draws/\(draw)/execute", token: originator).errorCode == "draw_phase")
            #expect(
                try await client.request(
                    .post, "/api/v1/draws/\(draw)/commitments",
                    json: ["commitment": SM3.hex("y")], token: originator
                ).errorCode == "draw_phase")
            #expect(
                try await client.request(.put, "/api/v1/draws/\(draw)/beacon", json: ["value": "1"], token: originator).status
                    == .unprocessableContent)
            let task = try #require(executed["taskId"] as? Int)
            #expect(try await client.request(.post, "/api/v1/tasks/\(task)/draw", json: [:], token: originator).status == .conflict)
            try await withClient(url) { db async throws in
                await #expect(throws: PSQLError.self) { _ = try await db.query("UPDATE draws SET beacon_value = 'x' WHERE id = \(draw)") }
                await #expect(throws: PSQLError.self) { _ = try await db.query("DELETE FROM drawn_objects WHERE draw_id = \(draw)") }
                await #expect(throws: PSQLError.self) {
                    _ = try await db.query("UPDATE team_members SET leader = false WHERE draw_id = \(draw)")
                }
            }
            let again = try await client.request(.get, "/api/v1/draws/\(draw)/record")
            #expect(again.text == record.text)
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
            let record = try #require(executed["record"] as? [String: Any])
            #expect(record["absent"] as? [String] == ["eco", "emergency", "samr"])
            #expect((record["reveals"] as? [[String: Any]])?.compactMap { $0["department"] as? String } == ["commerce", "fire"])
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
            let firstTask = try #require(try await client.request(.get, "/api/v1/draws/\(first)", token: commerce)["taskId"] as? Int)
            let blocked = try await Self.frozenDraw(client, task: task)
            let blockedStatus = try await client.request(.get, "/api/v1/draws/\(blocked)", token: commerce)
            #expect(
                (blockedStatus["exclusions"] as? [[String: Any]])?.contains {
                    $0["reason"] as? String == "open_task" && $0["count"] as? Int == 10
                } == true)
            #expect(
                try await client.request(.post, "/api/v1/tasks/\(firstTask)/closure", token: try await client.signIn("fire.dept_head"))
                    .status
                    == .forbidden)
            let closed = try await client.request(.post, "/api/v1/tasks/\(firstTask)/closure", token: commerce)
            #expect(closed["status"] as? String == "closed")
            #expect(try await client.request(.post, "/api/v1/tasks/\(firstTask)/closure", token: commerce).errorCode == "task_closed")
            let second = try await Self.frozenDraw(client, task: task)
            let third = try await Self.frozenDraw(client, task: task)
            try await Self.commitAndReveal(client, draw: second, departments: ["commerce"], salt: "2")
            try await Self.commitAndReveal(client, draw: third, departments: ["commerce"], salt: "3")
            async let a = client.request(.post, "/api/v1/draws/\(second)/execute", token: commerce)
            async let b = client.request(.post, "/api/v1/draws/\(third)/execute", token: commerce)
            let results = try await [a, b]
            #expect(results.allSatisfy { $0.status == .ok })
            let records = results.compactMap { $0["record"] as? [String: Any] }
            let selectedCounts = records.map { ($0["selected"] as? [Any])?.count ?? -1 }.sorted()
            #expect(selectedCounts == [0, 10], "one draw takes all ten; the other finds them at the cap")
            let skipped = records.flatMap { $0["skipped"] as? [[String: Any]] ?? [] }
            #expect(skipped.count == 10 && skipped.allSatisfy { ($0["reason"] as? String)?.contains("2 次") == true })
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
            let status = try await client.request(.get, "/api/v1/draws/\(fourth)", token: commerce)
            let exclusions = status["exclusions"] as? [[String: Any]] ?? []
            #expect(exclusions.contains { $0["reason"] as? String == "annual_cap" && $0["count"] as? Int == 10 })
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
            let id = try #require(low["id"] as? Int)
            #expect(
                try await client.request(.post, "/api/v1/tasks/\(id)/draw", json: [:], token: commerce).errorCode
                    == "sampling_below_minimum")
            var reasoned = body
            reasoned["sampling"] = ["rules": ["A": ["ratio": "0.001"]], "belowMinimumReason": "本季度已完成专项整治，仅作抽样复核"]
            let allowed = try await client.request(.post, "/api/v1/tasks", json: reasoned, token: commerce)
            let allowedID = try #require(allowed["id"] as? Int)
            #expect(try await client.request(.post, "/api/v1/tasks/\(allowedID)/draw", json: [:], token: commerce).status == .created)
            #expect(
                try await client.request(.get, "/api/v1/tasks/\(allowedID)", token: try await client.signIn("health.dept_admin")).status
                    == .notFound)
        }
    }
}

@Suite("After a draw: changes need a head's approval; departments confirm their assignments")
struct DrawChangeAPITests {
    static func hasFire(_ team: [String: Any]) -> Bool {
        !ids(team["members"] as? [[String: Any]] ?? [], of: "fire").isEmpty
    }

    /// Inspector ids of `members`, of one department or all.
    static func ids(_ members: [[String: Any]], of department: String?) -> [String] {
        members.filter { department == nil || $0["department"] as? String == department }.compactMap { $0["inspectorID"] as? String }
    }

    static func members(of object: String, in teams: Any?) -> [[String: Any]] {
        let team = (teams as? [[String: Any]] ?? []).first { $0["objectID"] as? String == object }
        return team?["members"] as? [[String: Any]] ?? []
    }

    @Test("an inspector replacement takes effect only when the head of the inspector's department approves it")
    func inspectorReplacement() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let office = try await client.signIn("office.office_viewer")
            let status = try await client.request(.get, "/api/v1/draws/1", token: office)
            let teams = status["teams"] as? [[String: Any]] ?? []
            let team = try #require(teams.first(where: Self.hasFire))
            let object = try #require(team["objectID"] as? String)
            let members = team["members"] as? [[String: Any]] ?? []
            let replaced = try #require(Self.ids(members, of: "fire").first)
            let roster = try await client.request(.get, "/api/v1/inspectors?department=fire&status=active&limit=200", token: office)
            let onTeam = Set(Self.ids(members, of: nil))
            let replacement = try #require(roster.items.compactMap { $0["id"] as? Int }.map(String.init).first { !onTeam.contains($0) })
            let samr = try await client.request(.get, "/api/v1/inspectors?department=samr&limit=1", token: office)
            let other = try #require(samr.items.first?["id"] as? Int)

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
            #expect(requested.status == .created, "\(requested.json ?? "")")
            #expect(requested["status"] as? String == "pending")
            #expect(requested["department"] as? String == "fire")
            let change = try #require(requested["id"] as? Int)

            // Pending: no effect. Not the head, or another department's head: refused.
            let pending = try await client.request(.get, "/api/v1/draws/1", token: office)
            #expect(Self.ids(Self.members(of: object, in: pending["teams"]), of: nil).contains(replaced))
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
            #expect(approved["status"] as? String == "approved")
            #expect(
                try await client.request(.post, "/api/v1/draws/1/changes/\(change)/decision", json: ["approve": false], token: fireHead)
                    .errorCode == "draw_phase", "decided once")

            let after = try await client.request(.get, "/api/v1/draws/1", token: office)
            let now = Self.members(of: object, in: after["teams"])
            let appointed = now.filter { $0["appointed"] as? Bool == true }
            #expect(Self.ids(appointed, of: nil) == [replacement])
            #expect(!Self.ids(now, of: nil).contains(replaced))
            // The record itself is unchanged; the change is appended, and the database refuses to edit it.
            let recordTeams = (after["record"] as? [String: Any])?["teams"]
            let recorded = Self.ids(Self.members(of: object, in: recordTeams), of: nil)
            #expect(recorded.contains(replaced))
            #expect((after["changes"] as? [[String: Any]])?.count == 1)
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

    @Test("an object replacement comes from the frozen pool, needs the originator's head, and counts against the cap")
    func objectReplacement() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let commerce = try await client.signIn("commerce.dept_admin")
            let status = try await client.request(.get, "/api/v1/draws/1", token: commerce)
            let object = try #require((status["teams"] as? [[String: Any]])?.first?["objectID"] as? String)
            let pool = try await client.request(.get, "/api/v1/draws/1/pool.txt")
            let selected = Set(
                ((status["record"] as? [String: Any])?["selected"] as? [[String: Any]] ?? []).compactMap { $0["objectID"] as? String })
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
            let change = try #require(requested["id"] as? Int)
            #expect(requested["department"] as? String == "commerce")
            let head = try await client.signIn("commerce.dept_head")
            _ = try await client.request(.post, "/api/v1/draws/1/changes/\(change)/decision", json: ["approve": true], token: head)
            let after = try await client.request(.get, "/api/v1/draws/1", token: commerce)
            #expect((after["teams"] as? [[String: Any]])?.first?["objectID"] as? String == candidate)
            let counted = try await withClient(url) { db async throws in
                var count = 0
                for try await value in try await db.query("SELECT count(*)::integer FROM drawn_objects WHERE credit_code = \(candidate)")
                    .decode(Int.self)
                { count = value }
                return count
            }
            #expect(counted == 1)
        }
    }

    @Test("the originator appoints an external expert to a team at once; others may not, and only experts qualify")
    func expertAppointment() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let office = try await client.signIn("office.office_viewer")
            let status = try await client.request(.get, "/api/v1/draws/1", token: office)
            let object = try #require((status["teams"] as? [[String: Any]])?.first?["objectID"] as? String)
            let experts = try await client.request(.get, "/api/v1/inspectors?department=samr&expert=true", token: office)
            let expert = try #require(experts.items.first?["id"] as? Int)
            let officers = try await client.request(.get, "/api/v1/inspectors?department=samr&expert=false&limit=1", token: office)
            let officer = try #require(officers.items.first?["id"] as? Int)
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
            #expect(appointed["status"] as? String == "approved")
            let after = try await client.request(.get, "/api/v1/draws/1", token: office)
            let members = Self.members(of: object, in: after["teams"])
            #expect(members.contains { $0["inspectorID"] as? String == String(expert) && $0["appointed"] as? Bool == true })
        }
    }

    @Test("each sending department confirms its assignments once, due the next working day")
    func confirmations() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let fire = try await client.signIn("fire.dept_admin")
            let status = try await client.request(.get, "/api/v1/draws/1", token: fire)
            let confirmations = status["confirmations"] as? [[String: Any]] ?? []
            #expect(Set(confirmations.compactMap { $0["department"] as? String }) == ["commerce", "eco", "emergency", "fire", "samr"])
            let today = CalendarDate(chinaDateOf: Date()).description
            let due = try await client.request(.get, "/api/v1/calendar/deadline?from=\(today)&workingDays=1")
            #expect(confirmations.allSatisfy { $0["deadline"] as? String == due["date"] as? String && $0["overdue"] as? Bool == false })
            let confirmed = try await client.request(.post, "/api/v1/draws/1/confirmation", token: fire)
            let fireRow = (confirmed["confirmations"] as? [[String: Any]])?.first { $0["department"] as? String == "fire" }
            #expect(fireRow?["confirmedBy"] as? String == "fire.dept_admin")
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
            let tasks = try await client.request(.get, "/api/v1/tasks", token: token)["items"] as? [[String: Any]] ?? []
            var sheets = 0
            for task in tasks {
                let draw = try #require(task["drawId"] as? Int)
                let status = try await client.request(.get, "/api/v1/draws/\(draw)", token: token)
                for team in (status["teams"] as? [[String: Any]] ?? []) where team["unstaffed"] == nil {
                    let object = try #require(team["objectID"] as? String)
                    let sheet = try await client.request(.get, "/api/v1/draws/\(draw)/objects/\(object)/sheet", token: token)
                    let entries = (sheet["sections"] as? [[String: Any]] ?? []).flatMap { $0["entries"] as? [[String: Any]] ?? [] }
                    let items = entries.compactMap { $0["item"] as? [String: Any] }
                    let numbers = entries.compactMap { $0["number"] as? Int }
                    #expect(Set(numbers).count == numbers.count, "draw \(draw), \(object): an entry twice in \(numbers)")
                    #expect(!items.isEmpty)
                    let html = try await client.request(.get, "/api/v1/draws/\(draw)/objects/\(object)/sheet.html", token: token).text
                    let notice = try await client.request(.get, "/api/v1/draws/\(draw)/objects/\(object)/notice.html", token: token).text
                    for content in Set(items.compactMap { $0["content"] as? String }) {
                        let listed = items.filter { $0["content"] as? String == content }.count
                        #expect(html.components(separatedBy: content).count - 1 == listed, "sheet of \(object): \(content)")
                        #expect(notice.components(separatedBy: content).count - 1 == listed, "notice to \(object): \(content)")
                    }
                    sheets += 1
                }
            }
            #expect(sheets >= 2, "the demo's draws staff teams for several objects")
            // The merged fire-safety item of fuel_retail, on the sheet of one of its objects, reads 牵头 and 配合.
            let fuel = try #require(tasks.first { $0["industry"] as? String == "fuel_retail" }?["drawId"] as? Int)
            let team = try #require(
                ((try await client.request(.get, "/api/v1/draws/\(fuel)", token: token))["teams"] as? [[String: Any]])?
                    .first { $0["unstaffed"] == nil })
            let notice = try await client.request(
                .get, "/api/v1/draws/\(fuel)/objects/\(team["objectID"] as? String ?? "")/notice.html",
                token: token
            ).text
            #expect(notice.contains("<td>消防救援大队</td><td>应急管理局</td>"), "fire leads XF-01, emergency co-operates")
        }
    }

    @Test("the sheet lists each team department's applicable items, the team with its leader, and the notice what to prepare")
    func sheets() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let fire = try await client.signIn("fire.inspector")
            let status = try await client.request(.get, "/api/v1/draws/1", token: fire)
            let team = try #require((status["teams"] as? [[String: Any]])?.first { $0["unstaffed"] == nil })
            let object = try #require(team["objectID"] as? String)
            let sheet = try await client.request(.get, "/api/v1/draws/1/objects/\(object)/sheet", token: fire)
            #expect(sheet.status == .ok, "\(sheet.json ?? "")")
            let sections = sheet["sections"] as? [[String: Any]] ?? []
            let departments = sections.compactMap { $0["department"] as? String }
            #expect(departments.first == "commerce", "the originator's items first")
            #expect(Set(departments).isSubset(of: ["commerce", "eco", "emergency", "fire", "samr"]))
            // Fire safety is one merged item: once, under fire (its lead), with emergency co-operating.
            let entries = sections.flatMap { section in
                (section["entries"] as? [[String: Any]] ?? []).map { (section["department"] as? String, $0) }
            }
            let fireSafety = entries.filter { ($0.1["item"] as? [String: Any])?["code"] as? String == "XF-01" }
            #expect(fireSafety.count == 1)
            #expect(fireSafety.first?.0 == "fire")
            #expect(fireSafety.first?.1["coDepartments"] as? [String] == ["emergency"])
            let members = sheet["team"] as? [[String: Any]] ?? []
            #expect(members.count >= 2)
            #expect(members.filter { $0["leader"] as? Bool == true }.compactMap { $0["department"] as? String } == ["commerce"])
            #expect(members.allSatisfy { ($0["name"] as? String)?.isEmpty == false })
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
