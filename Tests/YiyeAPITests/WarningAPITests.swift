import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("风险预警: each rule fires at its threshold and not below; a warning judged once, into a triggered task drawn by grade")
struct WarningAPITests {
    /// A region no demo object is in.
    static let region = "330199"

    /// The crafted part of fuel retail, all in `region` (today and the period before, of 30 days each):
    /// - A: two problem results published today (fire 责令改正, samr 待后续处理) and three clues reported today;
    /// - B: one result without a problem published today; C: two results published 45 days ago, one a problem (不合格);
    /// - E: a new object graded 一级 (1.00 on the fuel-retail system of GradingAPITests), then moved to 三级 (60.00).
    /// The region's rate today: 2 of 3 (66.67%); before: 1 of 2 (50%); its rise: 33.33% of the earlier rate.
    struct County {
        var a: String, b: String, c: String, e: String
    }

    static func craft(_ client: any TestClientProtocol, _ url: DatabaseURL) async throws -> County {
        _ = try await GradingAPITests.publishSystem(client)
        let codes = try await withClient(url) { db in
            var codes: [String] = []
            for try await code in try await db.query(
                """
                SELECT credit_code FROM objects
                WHERE 'fuel_retail' = ANY (industries) AND status = 'active'
                  AND credit_code NOT IN (SELECT credit_code FROM drawn_objects)
                ORDER BY credit_code LIMIT 3
                """, logger: quietLogger
            ).decode(String.self) { codes.append(code) }
            return codes
        }
        let county = County(a: codes[0], b: codes[1], c: codes[2], e: "91330199MA0000000E")
        var statements = [
            "UPDATE objects SET region_code = '\(region)' WHERE credit_code IN ('\(county.a)', '\(county.b)', '\(county.c)')",
            """
            INSERT INTO objects (credit_code, name, kind, industries, region_code, scale, risk_class, risk_rated_on, supervising_departments, status)
            VALUES ('\(county.e)', '预警测试加油站', 'enterprise', '{fuel_retail}', '\(region)', 'micro', 'A', '2026-01-01', '{commerce}', 'active')
            """,
        ]
        statements += published(county.a, "fire", "ordered_to_correct", daysAgo: 0)
        statements += published(county.a, "samr", "pending_follow_up", daysAgo: 0)
        statements += published(county.b, "fire", "no_problem", daysAgo: 0)
        statements += published(county.c, "fire", "fail", daysAgo: 45)
        statements += published(county.c, "samr", "no_problem", daysAgo: 45)
        for index in 1...3 {
            statements.append(
                """
                INSERT INTO clues (industry_code, source, object_credit_code, description, suspected_violation, found_by, created_by)
                VALUES ('fuel_retail', 'complaint', '\(county.a)', '群众投诉 \(index)', '疑似销售不合格油品', 'commerce', 't')
                """)
        }
        try await DashboardAPITests.run(statements, on: url)
        try await DashboardAPITests.run(
            ["UPDATE objects SET risk_class = 'D', status = 'serious_violation_list', scale = 'large' WHERE credit_code = '\(county.e)'"],
            on: url)
        return county
    }

    /// A result of `draw` by `department` about `object` with `category`, taken through draft, submission, approval and
    /// publication as the server does, published `daysAgo` days ago.
    static func published(_ object: String, _ department: String, _ category: String, daysAgo: Int, draw: Int64 = 1) -> [String] {
        let result =
            "(SELECT id FROM inspection_results WHERE draw_id = \(draw) AND credit_code = '\(object)' AND department = '\(department)')"
        return [
            """
            INSERT INTO inspection_results (draw_id, credit_code, department, status, inspected_on, entered_by, publish_due,
                                            deadline_from, deadline_working_days)
            VALUES (\(draw), '\(object)', '\(department)', 'draft', current_date - \(daysAgo + 1), 't', current_date + 20, current_date, 20)
            """,
            "INSERT INTO result_categories (result_id, position, category, finding) VALUES (\(result), 1, '\(category)', '{}')",
            "UPDATE inspection_results SET status = 'submitted' WHERE id = \(result)",
            "UPDATE inspection_results SET status = 'approved' WHERE id = \(result)",
            """
            INSERT INTO published_results (result_id, version, credit_code, object_name, industry_code, department, inspected_on,
                                           published_by, published_at, content)
            SELECT id, 1, credit_code, '测试', 'fuel_retail', department, inspected_on, 't', now() - interval '\(daysAgo) days', '{}'
            FROM inspection_results WHERE id = \(result)
            """,
            "UPDATE inspection_results SET status = 'published', version = 1 WHERE id = \(result)",
        ]
    }

    static func rule(
        _ client: any TestClientProtocol, _ kind: String, _ scope: String, _ threshold: Int, as user: String = "commerce.dept_admin",
        industry: String? = "fuel_retail"
    ) async throws -> Int64 {
        var body: [String: Any] = [
            "name": "\(kind) \(scope) \(threshold)", "kind": kind, "scope": scope, "threshold": threshold, "days": 30,
        ]
        if let industry { body["industry"] = industry }
        let created = try await client.request(.post, "/api/v1/warning-rules", json: body, token: try await client.signIn(user))
        guard created.status == .created else { throw TestFailure("rule: \(created.text)") }
        return try created.decode(Schemas.WarningRule.self).id
    }

    static func warnings(_ client: any TestClientProtocol, as user: String = "commerce.dept_admin") async throws -> [Schemas.Warning] {
        try await client.get(
            "/api/v1/warnings?industry=fuel_retail&limit=200", token: try await client.signIn(user),
            as: Items<Schemas.Warning>.self
        ).items
    }

    @Test("each rule fires at its threshold with its figure and evidence, and not one step above it")
    func thresholds() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let county = try await Self.craft(client, url)
            // Each rule with the crafted subject it watches and the figure it finds there, or nil when one step too high.
            let rules: [(kind: String, scope: String, threshold: Int, subject: String, measured: String?)] = [
                ("repeated_problems", "object", 2, county.a, "2"), ("repeated_problems", "object", 3, county.a, nil),
                ("clue_volume", "object", 3, county.a, "3"), ("clue_volume", "object", 4, county.a, nil),
                ("clue_volume", "region", 3, Self.region, "3"), ("clue_volume", "region", 4, Self.region, nil),
                ("problem_rate", "region", 66, Self.region, "66.67"), ("problem_rate", "region", 67, Self.region, nil),
                ("rising_problem_rate", "region", 33, Self.region, "33.33"), ("rising_problem_rate", "region", 34, Self.region, nil),
                ("grade_worsened", "object", 2, county.e, "2"), ("grade_worsened", "object", 3, county.e, nil),
            ]
            var ids: [Int64] = []
            for rule in rules { ids.append(try await Self.rule(client, rule.kind, rule.scope, rule.threshold)) }
            let office = try await client.signIn("office.office_admin")
            #expect(try await client.request(.post, "/api/v1/warnings/evaluation", token: office).status == .ok)
            let raised = try await Self.warnings(client)
            for (rule, id) in zip(rules, ids) {
                // Only the crafted subject: the demo's own data may raise others elsewhere.
                let mine = raised.filter { $0.ruleId == id && $0.subject == rule.subject }
                #expect(mine.map(\.measured) == (rule.measured.map { [$0] } ?? []), "\(rule)")
                #expect(mine.allSatisfy { $0.state == .raised && $0.reported == (rule.scope != "object") })
            }
            let repeated = try #require(raised.first { $0.ruleId == ids[0] && $0.subject == county.a })
            #expect(repeated.evidence.resultIds?.count == 2 && repeated.kindLabel == "同一对象多次发现问题")
            let rate = try #require(raised.first { $0.ruleId == ids[8] && $0.subject == Self.region })
            #expect(
                rate.evidence.results == 3 && rate.evidence.problems == 2 && rate.evidence.previousResults == 2
                    && rate.evidence.previousProblems == 1)
            let graded = try #require(raised.first { $0.ruleId == ids[10] && $0.subject == county.e })
            #expect(graded.evidence.levelBefore == 1 && graded.evidence.levelNow == 3 && graded.evidence.grade == "3")

            // A second evaluation raises nothing again; the originator was notified of each, the office of the regional ones.
            struct Raised: Decodable { var raised: Int }
            #expect(try await client.request(.post, "/api/v1/warnings/evaluation", token: office).decode(Raised.self).raised == 0)
            let told = try await withClient(url) { db in
                var told: [(String, Int64)] = []
                for try await row in try await db.query(
                    "SELECT department, subject_id FROM notifications WHERE kind = 'warning_raised' ORDER BY id", logger: quietLogger
                ).decode((String, Int64).self) { told.append(row) }
                return told
            }
            #expect(told.filter { $0.1 == repeated.id }.map(\.0) == ["commerce"])
            #expect(told.filter { $0.1 == rate.id }.map(\.0).sorted() == ["commerce", "office"])
        }
    }

    @Test("judged once: dismissed with a reason, put on an agenda, or started as a triggered task drawn by grade; outsiders see none")
    func judgement() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let county = try await Self.craft(client, url)
            let repeated = try await Self.rule(client, "repeated_problems", "object", 2)
            let clues = try await Self.rule(client, "clue_volume", "object", 3)
            let rate = try await Self.rule(client, "problem_rate", "region", 66)
            let commerce = try await client.signIn("commerce.dept_admin")
            _ = try await client.request(.post, "/api/v1/warnings/evaluation", token: commerce)
            let raised = try await Self.warnings(client)
            let toTask = try #require(raised.first { $0.ruleId == repeated && $0.subject == county.a })
            let toDismiss = try #require(raised.first { $0.ruleId == clues && $0.subject == county.a })
            let toAgenda = try #require(raised.first { $0.ruleId == rate && $0.subject == Self.region })
            func judge(_ id: Int64, _ body: [String: Any], as user: String = "commerce.dept_admin") async throws -> JSONResponse {
                try await client.request(.post, "/api/v1/warnings/\(id)/judgement", json: body, token: try await client.signIn(user))
            }

            let participant = try await judge(toDismiss.id, ["decision": "dismiss", "reason": "已核实"], as: "fire.dept_admin")
            #expect(participant.status == .forbidden && participant.errorMessage == "只有该行业的发起部门可以研判风险预警")
            let unreasoned = try await judge(toDismiss.id, ["decision": "dismiss"])
            #expect(unreasoned.status == .unprocessableContent && unreasoned.errorField == "reason")
            let dismissed = try await judge(toDismiss.id, ["decision": "dismiss", "reason": "投诉系同一事项重复举报，已合并办理"]).decode(
                Schemas.Warning.self)
            #expect(dismissed.state == .dismissed && dismissed.stateLabel == "研判后排除" && dismissed.judgedBy == "commerce.dept_admin")
            let again = try await judge(toDismiss.id, ["decision": "dismiss", "reason": "再次"])
            #expect(again.status == .conflict && again.errorCode == "warning_state")

            let meeting = try await client.request(
                .post, "/api/v1/meetings",
                json: [
                    "industry": "fuel_retail", "kind": "ad_hoc", "title": "风险研判会商",
                    "startsAt": "\(TestTasks.today.adding(days: 7))T02:00:00Z", "location": "商务局",
                    "agenda": ["通报预警"], "invitees": ["fire", "samr"],
                ], token: try await client.signIn("commerce.dept_head")
            ).decode(Schemas.Meeting.self)
            let agenda = try await judge(toAgenda.id, ["decision": "agenda", "meetingId": meeting.id]).decode(Schemas.Warning.self)
            #expect(agenda.state == .onAgenda && agenda.meetingId == meeting.id)
            let withItem = try await client.get("/api/v1/meetings/\(meeting.id)", token: commerce, as: Schemas.Meeting.self)
            #expect(withItem.agenda.last == "研判风险预警 #\(toAgenda.id)：\(toAgenda.ruleName)（\(toAgenda.subjectName)）")

            let rules = ["1": ["ratio": "1"], "2": ["ratio": "1"], "3": ["ratio": "1"], "4": ["ratio": "1"], "-": ["ratio": "1"]]
            let task: [String: Any] = [
                "name": "预警触发的加油站专项检查", "windowStart": TestTasks.windowStart, "windowEnd": TestTasks.windowEnd,
                "sampling": ["basis": "grade", "rules": rules],
            ]
            let tasked = try await judge(toTask.id, ["decision": "task", "task": task]).decode(Schemas.Warning.self)
            #expect(tasked.state == .tasked)
            let taskID = try #require(tasked.taskId)
            let created = try await client.get("/api/v1/tasks/\(taskID)", token: commerce, as: Schemas.Task.self)
            #expect(created.kind == .triggered && created.trigger?.source == .riskSignal && created.trigger?.warningId == toTask.id)
            #expect(created.scope.objects == [county.a] && created.sampling.basis == .grade)
            let frozen = try await client.request(.post, "/api/v1/tasks/\(taskID)/draw", json: [String: Any](), token: commerce).decode(
                Schemas.DrawStatus.self)
            let grade = try await GradingAPITests.grade(client, county.a).grade.grade
            #expect(frozen.strata.map(\.stratum) == [grade] && frozen.strata.first?.k == 1)
            let forged = try await client.request(
                .post, "/api/v1/tasks",
                json: TestTasks.body("冒用预警", ["trigger": ["source": "risk_signal", "description": "x", "warningId": toTask.id]]),
                token: commerce)
            #expect(forged.status == .unprocessableContent && forged.errorField == "trigger.warningId")

            // The office's dashboard: the warnings raised today by their state now (one judged each way, the rest
            // waiting), and what the triggered task found: fire's 责令改正 and samr's 无问题 on its draw, 1 problem of 2.
            try await DashboardAPITests.run(
                Self.published(county.a, "fire", "ordered_to_correct", daysAgo: 0, draw: frozen.id)
                    + Self.published(county.a, "samr", "no_problem", daysAgo: 0, draw: frozen.id), on: url)
            let year = TestTasks.today.year
            let board = try await DashboardAPITests.dashboard(client, "year=\(year)&industry=fuel_retail", as: "office.office_viewer")
            let risk = try #require(board.industries.first { $0.industry == "fuel_retail" }).figures.risk
            #expect(risk.raised == raised.count && risk.reported == raised.filter(\.reported).count && risk.reported >= 1)
            #expect(risk.dismissed == 1 && risk.onAgenda == 1 && risk.tasked == 1 && risk.pending == raised.count - 3)
            #expect(risk.triggeredResults == 2 && risk.triggeredProblems == 1 && risk.triggeredProblemRate == 0.5)
            #expect(board.total.risk == risk)
            let grades = try #require(board.industries.first { $0.industry == "fuel_retail" }).grades
            let listed = try await client.get(
                "/api/v1/industries/fuel_retail/grades?limit=1", token: commerce, as: Schemas.ObjectGradePage.self)
            #expect(grades == listed.distribution && grades.map(\.name) == ["一级", "二级", "三级", "四级"])
            let graded = try await withClient(url) { db in
                var count = 0
                for try await n in try await db.query(
                    "SELECT count(*)::int FROM object_grades WHERE industry_code = 'fuel_retail'", logger: quietLogger
                ).decode(Int.self) { count = n }
                return count
            }
            #expect(graded > 4 && grades.reduce(0) { $0 + $1.objects } == graded)
            let inRegion = try await DashboardAPITests.dashboard(
                client, "year=\(year)&industry=fuel_retail&region=\(Self.region)", as: "office.office_viewer")
            let regional = try #require(inRegion.industries.first { $0.industry == "fuel_retail" })
            // In the crafted region: A, B, C and E are graded; the warnings about A and the region itself are there.
            #expect(regional.grades.reduce(0) { $0 + $1.objects } == 4)
            #expect(
                regional.figures.risk.raised
                    == raised.filter { [county.a, county.b, county.c, county.e, Self.region].contains($0.subject) }.count)

            let outsider = try await client.signIn("health.dept_admin")
            #expect(try await client.request(.get, "/api/v1/warnings/\(toTask.id)", token: outsider).status == .notFound)
            #expect(try await judge(toTask.id, ["decision": "dismiss", "reason": "x"], as: "health.dept_admin").status == .notFound)
            let seen = try await client.get("/api/v1/warnings?limit=200", token: outsider, as: Items<Schemas.Warning>.self).items
            #expect(!seen.contains { $0.industry == "fuel_retail" })
            #expect(try await client.request(.get, "/api/v1/warnings?industry=fuel_retail", token: outsider).status == .notFound)
            let globalByDepartment = try await client.request(
                .post, "/api/v1/warning-rules",
                json: ["name": "全域", "kind": "problem_rate", "scope": "industry", "threshold": 50, "days": 30],
                token: commerce)
            #expect(globalByDepartment.status == .forbidden)
            let badScope = try await client.request(
                .post, "/api/v1/warning-rules",
                json: ["industry": "fuel_retail", "name": "错", "kind": "repeated_problems", "scope": "region", "threshold": 2, "days": 30],
                token: commerce)
            #expect(badScope.status == .unprocessableContent && badScope.errorField == "scope")
            #expect(try await Self.rule(client, "problem_rate", "industry", 50, as: "office.office_admin", industry: nil) > 0)
        }
    }
}
