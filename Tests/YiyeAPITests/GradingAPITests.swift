import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("一业一评: the fuel-retail indicator system, grades worked out by hand, a published result moving a grade")
struct GradingAPITests {
    static let industry = "/api/v1/industries/fuel_retail"
    static let hazard = "储存危险化学品"

    /// Seven indicators weighing 100 and four bands (docs/GRADING.md).
    static var system: [String: Any] {
        [
            "note": "首版",
            "indicators": [
                [
                    "code": "credit", "name": "信用风险分类", "kind": "credit_class", "weight": 40,
                    "points": ["A": 0, "B": 30, "C": 70, "D": 100, "unrated": 50],
                ],
                [
                    "code": "status", "name": "登记状态", "kind": "registration_status", "weight": 10,
                    "points": ["abnormal_list": 60, "serious_violation_list": 100],
                ],
                [
                    "code": "scale", "name": "经营规模", "kind": "scale", "weight": 10,
                    "points": ["large": 100, "medium": 60, "small": 30, "micro": 10, "unknown": 50],
                ],
                ["code": "hazard", "name": "储存危险化学品", "kind": "tag", "weight": 10, "tag": hazard],
                ["code": "problems", "name": "近三年发现问题", "kind": "problem_results", "weight": 20, "years": 3, "pointsEach": 50],
                ["code": "clues", "name": "近两年线索查实", "kind": "concluded_clues", "weight": 5, "years": 2, "pointsEach": 100],
                ["code": "open", "name": "未办结后续处置", "kind": "open_follow_ups", "weight": 5, "pointsEach": 100],
            ],
            "bands": [
                ["code": "1", "name": "一级", "minimumScore": 0], ["code": "2", "name": "二级", "minimumScore": 25],
                ["code": "3", "name": "三级", "minimumScore": 50], ["code": "4", "name": "四级", "minimumScore": 75],
            ],
        ]
    }

    static func publishSystem(_ client: any TestClientProtocol, _ body: [String: Any] = system) async throws
        -> Schemas.IndicatorSystemVersion
    {
        let commerce = try await client.signIn("commerce.dept_admin")
        let saved = try await client.request(.put, "\(industry)/indicator-system/draft", json: body, token: commerce)
        guard saved.status == .ok else { throw TestFailure("draft: \(saved.text)") }
        return try await client.request(.post, "\(industry)/indicator-system/draft/publish", token: commerce)
            .decode(Schemas.IndicatorSystemVersion.self)
    }

    static func grade(_ client: any TestClientProtocol, _ object: String, as user: String = "fire.dept_admin") async throws
        -> Schemas.ObjectGradeDetail
    {
        try await client.get("\(industry)/grades/\(object)", token: try await client.signIn(user), as: Schemas.ObjectGradeDetail.self)
    }

    @Test(
        "a crafted object's grade equals the one worked out by hand, indicator by indicator; a published problem result moves it up a band")
    func handWorked() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let target = try await ResultAPITests.target(client)
            // The object fire inspects in draw 1: class C, large, storing hazardous goods, nothing published about it yet.
            try await DashboardAPITests.run(
                [
                    "UPDATE objects SET risk_class = 'C', risk_rated_on = '2026-01-01', scale = 'large', tags = '{\(Self.hazard)}', status = 'active' WHERE credit_code = '\(target.object)'"
                ],
                on: url)
            // The demo published version 1; this is version 2.
            let published = try await Self.publishSystem(client)
            #expect(published.version == 2 && published.status == .published)

            // 70 × 40 + 0 × 10 + 100 × 10 + 100 × 10 + 0 + 0 + 0 = 4800: 48.00, at least 25 and under 50: 二级.
            let before = try await Self.grade(client, target.object)
            #expect(before.grade.score == "48.00")
            #expect(before.grade.grade == "2" && before.grade.gradeName == "二级" && before.grade.level == 2)
            #expect(before.contributions.map(\.input) == ["C", "active", "large", "true", "0", "0", "0"])
            #expect(before.contributions.map(\.points) == [70, 0, 100, 100, 0, 0, 0])
            #expect(before.contributions.map(\.contribution) == ["28.00", "0.00", "10.00", "10.00", "0.00", "0.00", "0.00"])
            #expect(before.contributions[0].basis == "信用风险分类：较高风险（C类），得 70 分 × 权重 40% = 28.00")
            #expect(before.history.first?.cause == .system && before.history.first?.systemVersion == 2)

            // fire publishes a result ordering a correction: one problem (50 × 20) and one open follow-up (100 × 5).
            try await FollowUpAPITests.published(
                client, target, categories: [["category": "ordered_to_correct", "correctionDue": "2099-12-31"]])
            let after = try await Self.grade(client, target.object)
            #expect(after.grade.score == "63.00")
            #expect(after.grade.grade == "3" && after.grade.level == 3)
            #expect(after.contributions.map(\.input) == ["C", "active", "large", "true", "1", "0", "1"])
            #expect(after.contributions.map(\.contribution) == ["28.00", "0.00", "10.00", "10.00", "10.00", "0.00", "5.00"])
            #expect(after.history.prefix(2).map(\.cause) == [.result, .system])
            #expect(after.history.first?.previousGrade == "2" && after.history.first?.causeLabel == "检查结果公示或处置")

            // The list holds it among the 三级 objects; the distribution counts every graded object once.
            let page = try await client.get(
                "\(Self.industry)/grades?grade=3&limit=200", token: try await client.signIn("commerce.dept_head"),
                as: Schemas.ObjectGradePage.self)
            #expect(page.items.contains { $0.creditCode == target.object && $0.score == "63.00" })
            #expect(page.items.allSatisfy { $0.grade == "3" })
            let listed = try await withClient(url) { db in
                try await db.query(
                    "SELECT count(*)::int FROM objects WHERE 'fuel_retail' = ANY (industries) AND status <> 'deregistered'",
                    logger: quietLogger
                ).decode(Int.self).collectFirst() ?? -1
            }
            #expect(page.distribution.map(\.grade) == ["1", "2", "3", "4"])
            #expect(page.distribution.reduce(0) { $0 + $1.objects } == listed)
        }
    }

    @Test("a new version grades again; a changed object is graded in its own write; deregistered it keeps no grade")
    func followsItsInputs() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let target = try await ResultAPITests.target(client)
            try await DashboardAPITests.run(
                [
                    "UPDATE objects SET risk_class = 'A', risk_rated_on = '2026-01-01', scale = 'micro', tags = '{}', status = 'active' WHERE credit_code = '\(target.object)'"
                ],
                on: url)
            _ = try await Self.publishSystem(client)
            // 0 + 0 + 10 × 10 + 0 = 100: 1.00, 一级.
            #expect(try await Self.grade(client, target.object).grade.score == "1.00")

            try await DashboardAPITests.run(
                ["UPDATE objects SET risk_class = 'D', status = 'serious_violation_list' WHERE credit_code = '\(target.object)'"], on: url)
            // 100 × 40 + 100 × 10 + 10 × 10 = 5100: 51.00, 三级.
            let changed = try await Self.grade(client, target.object)
            #expect(changed.grade.score == "51.00" && changed.grade.grade == "3")
            #expect(changed.history.prefix(2).map(\.cause) == [.object, .system])

            // Version 3 weighs the credit class alone (100): D gives 100 points, 四级.
            var second = Self.system
            second["indicators"] = [
                ["code": "credit", "name": "信用风险分类", "kind": "credit_class", "weight": 100, "points": ["D": 100]]
            ]
            let version = try await Self.publishSystem(client, second)
            #expect(version.version == 3)
            let regraded = try await Self.grade(client, target.object)
            #expect(regraded.grade.systemVersion == 3 && regraded.grade.score == "100.00" && regraded.grade.grade == "4")
            #expect(regraded.contributions.map(\.indicator) == ["credit"])
            #expect(regraded.history.first?.cause == .system && regraded.history.first?.systemVersion == 3)
            // Newest first: the grade now, then those it held before, each with the one it replaced.
            #expect(regraded.history.prefix(3).map(\.grade) == ["4", "3", "1"])
            #expect(regraded.history.prefix(2).map(\.previousGrade) == ["3", "1"])

            // Regrading with nothing changed changes nothing.
            let report = try await client.request(
                .post, "\(Self.industry)/regrade", token: try await client.signIn("commerce.dept_head")
            ).decode(Schemas.RegradeReport.self)
            #expect(report.graded > 0 && report.changed == 0)

            try await DashboardAPITests.run(["UPDATE objects SET status = 'deregistered' WHERE credit_code = '\(target.object)'"], on: url)
            let gone = try await client.request(
                .get, "\(Self.industry)/grades/\(target.object)", token: try await client.signIn("fire.dept_admin"))
            #expect(gone.status == .notFound)
            // The grade it lost is kept in its history.
            let kept = try await withClient(url) { db in
                try await db.query(
                    "SELECT count(*)::int FROM object_grade_history WHERE credit_code = \(target.object) AND system_version = 3 AND grade = '4'",
                    logger: quietLogger
                ).decode(Int.self).collectFirst() ?? -1
            }
            #expect(kept == 1)

            // An object imported into the industry is graded in its own write; were it deleted, its grade goes with it.
            let code = "913301000000000998"
            func grades() async throws -> Int {
                try await withClient(url) { db in
                    try await db.query("SELECT count(*)::int FROM object_grades WHERE credit_code = \(code)", logger: quietLogger)
                        .decode(Int.self).collectFirst() ?? -1
                }
            }
            try await DashboardAPITests.run(
                [
                    """
                    INSERT INTO objects (credit_code, name, kind, industries, region_code, supervising_departments)
                    VALUES ('\(code)', '删除测试加油站', 'enterprise', '{fuel_retail}', '330205', '{commerce}')
                    """
                ], on: url)
            #expect(try await grades() == 1)
            try await DashboardAPITests.run(["DELETE FROM objects WHERE credit_code = '\(code)'"], on: url)
            #expect(try await grades() == 0)
        }
    }

    @Test("refusals: only the originator writes, weights add up to 100, values exist; another department sees none of it")
    func refusals() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await ResultAPITests.target(client)
            let commerce = try await client.signIn("commerce.dept_admin")
            let draft = "\(Self.industry)/indicator-system/draft"

            let participant = try await client.request(.put, draft, json: Self.system, token: try await client.signIn("fire.dept_admin"))
            #expect(participant.status == .forbidden)
            #expect(participant.errorMessage == "只有该行业的发起部门可以维护一业一评指标体系")

            var unknownValue = Self.system
            var indicators = try #require(Self.system["indicators"] as? [[String: Any]])
            indicators[0]["points"] = ["E": 10]
            unknownValue["indicators"] = indicators
            let badValue = try await client.request(.put, draft, json: unknownValue, token: commerce)
            #expect(badValue.status == .unprocessableContent)
            #expect(badValue.errorField == "indicators[0].points.E")

            var light = Self.system
            indicators = try #require(Self.system["indicators"] as? [[String: Any]])
            indicators[0]["weight"] = 35
            light["indicators"] = indicators
            #expect(try await client.request(.put, draft, json: light, token: commerce).status == .ok)
            let unbalanced = try await client.request(.post, "\(draft)/publish", token: commerce)
            #expect(unbalanced.status == .unprocessableContent)
            #expect(unbalanced.errorField == "indicators" && unbalanced.errorMessage == "各指标权重之和须为 100，现为 95")
            // Still the demo's version 1.
            #expect(
                try await client.get("\(Self.industry)/indicator-system", token: commerce, as: Schemas.IndicatorSystemVersion.self).version
                    == 1)

            var unordered = Self.system
            unordered["bands"] = [["code": "1", "name": "一级", "minimumScore": 0], ["code": "2", "name": "二级", "minimumScore": 0]]
            let bands = try await client.request(.put, draft, json: unordered, token: commerce)
            #expect(bands.status == .unprocessableContent && bands.errorField == "bands[1].minimumScore")

            _ = try await Self.publishSystem(client)
            let outsider = try await client.signIn("health.dept_admin")
            for path in ["/indicator-system", "/indicator-system/versions", "/grades", "/grades/\(target.object)"] {
                let response = try await client.request(.get, "\(Self.industry)\(path)", token: outsider)
                #expect(response.status == .notFound, "\(path)")
            }
            #expect(try await client.request(.post, "\(Self.industry)/regrade", token: outsider).status == .notFound)
            let office = try await Self.grade(client, target.object, as: "office.office_viewer")
            #expect(office.grade.creditCode == target.object)
        }
    }

    @Test("a task sampling by grade draws from the grades' strata: each candidate in its grade's, k = ceil(n × ratio); bad rules refused")
    func samplingByGrade() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let ratios = ["1": (5, 100), "2": (10, 100), "3": (20, 100), "4": (1, 2), "-": (5, 100)]
            let rules = ratios.mapValues { ["ratio": "\(Double($0.0) / Double($0.1))"] }
            let draw = try await DrawAPITests.frozenDraw(client, task: ["sampling": ["basis": "grade", "rules": rules]])
            let token = try await client.signIn("commerce.dept_admin")
            let status = try await client.get("/api/v1/draws/\(draw)", token: token, as: Schemas.DrawStatus.self)
            let pool = try await client.request(.get, "/api/v1/draws/\(draw)/pool.txt").text
            let lines = pool.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
            let grades = try await withClient(url) { db in
                var grades: [String: String] = [:]
                for try await (code, grade) in try await db.query(
                    "SELECT credit_code, grade FROM object_grades WHERE industry_code = 'fuel_retail'", logger: quietLogger
                ).decode((String, String).self) { grades[code] = grade }
                return grades
            }
            #expect(!lines.isEmpty && lines.allSatisfy { $0.count == 2 && $0[0] == (grades[$0[1]] ?? "-") })
            #expect(Set(status.strata.map(\.stratum)) == Set(lines.map { $0[0] }))
            #expect(Set(status.strata.map(\.stratum)).count >= 2, "the demo's objects fall in several grades")
            for stratum in status.strata {
                let (numerator, denominator) = try #require(ratios[stratum.stratum])
                #expect(stratum.n == lines.filter { $0[0] == stratum.stratum }.count)
                #expect(stratum.k == (stratum.n * numerator + denominator - 1) / denominator, "\(stratum.stratum)")
            }

            let commerce = try await client.signIn("commerce.dept_head")
            for (sampling, field) in [
                (["basis": "grade"], "sampling.rules"),
                (["basis": "grade", "rules": ["9": ["ratio": "0.1"]]], "sampling.rules"),
                (["basis": "grade", "stratified": false, "rules": ["-": ["ratio": "0.1"]]], "sampling.basis"),
            ] as [([String: Any], String)] {
                let refused = try await client.request(
                    .post, "/api/v1/tasks", json: TestTasks.body("按等级抽查", ["sampling": sampling]), token: commerce)
                #expect(
                    refused.status == .unprocessableContent && refused.errorCode == "invalid_sampling" && refused.errorField == field,
                    "\(sampling)")
            }
        }
    }
}
