import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("许可证: imported by CSV by the issuing department, read by a grading indicator, refused where it is not theirs")
struct LicenceAPITests {
    static let licence = "成品油零售经营批准证书"
    static let header = "统一社会信用代码,许可证名称,许可证编号,有效期至,状态\n"

    /// GradingAPITests' fuel-retail system with its hazard tag (weight 10) replaced by the licence: valid 0, expiring
    /// 30, expired 80, suspended 90, revoked 100, none 100 points.
    static var system: [String: Any] {
        var system = GradingAPITests.system
        var indicators = system["indicators"] as! [[String: Any]]
        indicators[3] = [
            "code": "licence", "name": "成品油零售经营批准证书", "kind": "licence", "weight": 10, "licence": licence,
            "points": ["valid": 0, "expiring": 30, "expired": 80, "suspended": 90, "revoked": 100, "none": 100],
        ]
        system["indicators"] = indicators
        return system
    }

    static func upload(_ client: any TestClientProtocol, _ csv: String, as user: String = "commerce.dept_admin") async throws
        -> JSONResponse
    {
        try await client.request(
            .post, "/api/v1/licences/import", json: csv, token: try await client.signIn(user), contentType: "text/csv")
    }

    /// The licence's input and points in an object's fuel-retail grade.
    static func licenceGrade(_ client: any TestClientProtocol, _ object: String) async throws -> (String, Int, String) {
        let grade = try await GradingAPITests.grade(client, object)
        let contribution = grade.contributions[3]
        return (contribution.input, contribution.points, contribution.inputLabel)
    }

    @Test("each state of the licence gives the points the system sets; a renewal regrades the object with cause 许可证信息变更")
    func graded() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let (ours, others) = try await withClient(url) { db in
                var ours: [String] = []
                for try await code in try await db.query(
                    """
                    SELECT credit_code FROM objects
                    WHERE 'fuel_retail' = ANY (industries) AND 'commerce' = ANY (supervising_departments) AND status = 'active'
                    ORDER BY credit_code LIMIT 5
                    """, logger: quietLogger
                ).decode(String.self) { ours.append(code) }
                var others: [String] = []
                for try await code in try await db.query(
                    "SELECT credit_code FROM objects WHERE NOT 'commerce' = ANY (supervising_departments) ORDER BY credit_code LIMIT 1",
                    logger: quietLogger
                ).decode(String.self) { others.append(code) }
                return (ours, others)
            }
            try #require(ours.count == 5 && others.count == 1)
            let published = try await GradingAPITests.publishSystem(client, Self.system)
            #expect(published.status == .published)
            // Before any import, no object holds the licence: none, 100 points.
            #expect(try await Self.licenceGrade(client, ours[0]) == ("none", 100, "无此许可证"))

            let today = TestTasks.today
            let unknown = ObjectAPITests.code(99_999, region: "330199")
            let csv =
                Self.header + "\(ours[0]),\(Self.licence),浙成品油零售〔2024〕001号,\(today.adding(days: 90)),有效\n"
                + "\(ours[1]),\(Self.licence),浙成品油零售〔2024〕002号,\(today.adding(days: 89)),\n"
                + "\(ours[2]),\(Self.licence),浙成品油零售〔2024〕003号,\(today.adding(days: -1)),有效\n"
                + "\(ours[3]),\(Self.licence),浙成品油零售〔2024〕004号,,吊销\n"
                + "\(unknown),\(Self.licence),浙成品油零售〔2024〕005号,,\n"
                + "\(others[0]),\(Self.licence),浙成品油零售〔2024〕006号,,\n"
                + "\(ours[0]),\(Self.licence),浙成品油零售〔2024〕007号,,\n"
                + "\(ours[4]),\(Self.licence),浙成品油零售〔2024〕008号,2026-13-01,\n"
            let report = try await Self.upload(client, csv).decode(Schemas.ImportReport.self)
            #expect(report.rows == 8 && report.inserted == 4 && report.updated == 0 && report.rejected == 4)
            #expect(report.errors.map(\.line) == [6, 7, 8, 9])
            #expect(
                report.errors.map(\.reason) == [
                    "统一社会信用代码不在检查对象名录中", "不在本部门监管范围内（监管部门须包含 commerce）", "同一对象的同名许可证与第 2 行重复",
                    "「有效期至」须为 YYYY-MM-DD",
                ])

            // Each state and its points, as the system sets them; ours[4] holds none. Expiring means ending within 90
            // days: the last day 89 days away is, 90 days away is not.
            #expect(try await Self.licenceGrade(client, ours[0]) == ("valid", 0, "有效"))
            #expect(try await Self.licenceGrade(client, ours[1]) == ("expiring", 30, "即将到期（90 日内）"))
            #expect(try await Self.licenceGrade(client, ours[2]) == ("expired", 80, "已过期"))
            #expect(try await Self.licenceGrade(client, ours[3]) == ("revoked", 100, "吊销"))
            #expect(try await Self.licenceGrade(client, ours[4]) == ("none", 100, "无此许可证"))
            // The licence's 10 × 80 is the difference between ours[2]'s score and the same object's with a valid one.
            let expired = try await GradingAPITests.grade(client, ours[2])
            let detail = try await client.get(
                "/api/v1/objects/\(ours[1])", token: try await client.signIn("commerce.dept_admin"), as: Schemas.ObjectDetail.self)
            #expect(detail.licences.map(\.number) == ["浙成品油零售〔2024〕002号"] && detail.licences.first?.state == .expiring)
            #expect(
                detail.licences.first?.validUntil == today.adding(days: 89).description && detail.licences.first?.issuedBy == "commerce")
            let valid = try await client.get(
                "/api/v1/objects/\(ours[0])", token: try await client.signIn("commerce.dept_admin"), as: Schemas.ObjectDetail.self)
            #expect(valid.licences.first?.state == .valid && valid.licences.first?.stateLabel == "有效")

            // The renewal of ours[2] regrades it: 800 hundredths fewer, logged as a licence change; the same row again
            // for ours[0] changes nothing.
            let renewal =
                Self.header + "\(ours[2]),\(Self.licence),浙成品油零售〔2026〕003号,\(today.adding(days: 700)),有效\n"
                + "\(ours[0]),\(Self.licence),浙成品油零售〔2024〕001号,\(today.adding(days: 90)),有效\n"
            let renewed = try await Self.upload(client, renewal).decode(Schemas.ImportReport.self)
            #expect(renewed.inserted == 0 && renewed.updated == 1 && renewed.rejected == 0)
            let after = try await GradingAPITests.grade(client, ours[2])
            #expect(after.contributions[3].input == "valid" && after.contributions[3].points == 0)
            #expect(Self.hundredths(expired.grade.score) - Self.hundredths(after.grade.score) == 800)
            // Newest first: the renewal, the first import (none → expired), the system's publication.
            #expect(after.history.prefix(3).map(\.cause) == [.licence, .licence, .system])
            #expect(after.history.first?.causeLabel == "许可证信息变更")

            // Another department may not replace commerce's licence, even the office.
            let office = try await Self.upload(
                client, Self.header + "\(ours[0]),\(Self.licence),冒名,,\n", as: "office.office_admin"
            ).decode(Schemas.ImportReport.self)
            #expect(office.inserted == 0 && office.updated == 0 && office.errors.map(\.reason) == ["该对象的同名许可证由其他部门核发，不能替换"])
        }
    }

    @Test(
        "refusals: an inspector may not import, a file without 许可证编号, a licence indicator without its licence or with a state that does not exist"
    )
    func refusals() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let inspector = try await Self.upload(client, Self.header, as: "commerce.inspector")
            #expect(inspector.status == .forbidden)
            let noNumber = try await Self.upload(client, "统一社会信用代码,许可证名称\n")
            #expect(noNumber.status.code / 100 == 4 && noNumber.errorField == "header")
            #expect(noNumber.errorMessage == "第 1 行：缺少必填列「许可证编号」（number）")

            let commerce = try await client.signIn("commerce.dept_admin")
            var system = Self.system
            var indicators = system["indicators"] as! [[String: Any]]
            indicators[3]["licence"] = nil
            system["indicators"] = indicators
            let unnamed = try await client.request(
                .put, "\(GradingAPITests.industry)/indicator-system/draft", json: system, token: commerce)
            #expect(unnamed.status == .unprocessableContent && unnamed.errorField == "indicators[3].licence")
            indicators[3]["licence"] = Self.licence
            indicators[3]["points"] = ["soon": 50]
            system["indicators"] = indicators
            let badState = try await client.request(
                .put, "\(GradingAPITests.industry)/indicator-system/draft", json: system, token: commerce)
            #expect(badState.status == .unprocessableContent && badState.errorField == "indicators[3].points.soon")
        }
    }

    static func hundredths(_ score: String) -> Int {
        let parts = score.split(separator: ".")
        return Int(parts[0])! * 100 + Int(parts[1])!
    }
}
