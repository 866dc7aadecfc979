import Foundation
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeTestSupport

@Suite("Object directory: CSV import and search")
struct ObjectAPITests {
    static func code(_ serial: Int, region: String = "330110") -> String {
        let body = "91\(region)MA2B" + String(format: "%05d", serial)
        return body + String(CreditCode.checkCharacter(for: body)!)
    }

    static let header = "统一社会信用代码,名称,类型,行业,行政区划代码,地址,规模,信用风险分类,评级日期,监管部门,状态,标签\n"

    static func row(
        _ serial: Int, name: String, risk: String = "B", rated: String = "2026-01-10", region: String = "330110",
        industry: String = "fuel_retail", supervisors: String = "commerce;samr", status: String = "存续"
    ) -> String {
        "\(code(serial, region: region.count == 6 ? region : "330110")),\(name),企业,\(industry),\(region),示范县某路 \(serial) 号,小型,\(risk),\(rated),\(supervisors),\(status),加油站\n"
    }

    func upload(_ client: any TestClientProtocol, _ csv: String, token: String) async throws -> JSONResponse {
        try await client.request(.post, "/api/v1/objects/import", json: csv, token: token, contentType: "text/csv")
    }

    @Test("bad rows are reported by line and reason; good rows are imported")
    func badRows() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let csv =
                Self.header
                + Self.row(1, name: "示范第一加油站")
                + "91330110MA2B000019,校验位错误加油站,企业,fuel_retail,330110,,,,,commerce,存续,\n"
                + Self.row(2, name: "示范第二加油站", region: "3301")
                + Self.row(3, name: "示范第三加油站")
                + Self.row(1, name: "重复的第一加油站")
            let report = try await upload(client, csv, token: admin)
            #expect(report.status == .ok)
            #expect((try report.decode(Schemas.ImportReport.self).rows) == 5)
            #expect((try report.decode(Schemas.ImportReport.self).inserted) == 2)
            #expect((try report.decode(Schemas.ImportReport.self).rejected) == 3)
            let errors = try report.decode(Schemas.ImportReport.self).errors
            #expect(errors.map(\.line) == [3, 4, 6])
            #expect(errors.first?.reason.contains("校验位") == true)
            #expect(errors.last?.reason.contains("第 2 行重复") == true)
            let list = try await client.request(.get, "/api/v1/objects?industry=fuel_retail", token: admin)
            #expect(try list.decode(Schemas.ObjectPage.self).items.map(\.name).sorted() == ["示范第一加油站", "示范第三加油站"])
        }
    }

    @Test("backslashes, quotes, tabs and line breaks survive the trip through COPY")
    func specialCharacters() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let csv =
                Self.header
                + "\(Self.code(7)),\"C:\\油站 \"\"一号\"\"\",企业,fuel_retail,330110,\"一楼\t\n二楼\\后门\",小型,,,commerce,存续,\"标\\签;带\"\"引号\"\"\"\n"
            let report = try await upload(client, csv, token: admin)
            #expect((try report.decode(Schemas.ImportReport.self).inserted) == 1, "\(report.text)")
            let object = try await client.get("/api/v1/objects/\(Self.code(7))", token: admin, as: Schemas.ObjectDetail.self).object
            #expect(object.name == "C:\\油站 \"一号\"")
            #expect(object.address == "一楼\t\n二楼\\后门")
            #expect(object.tags == ["标\\签", "带\"引号\""])
        }
    }

    @Test("a second import upserts by credit code and keeps the risk-class history")
    func upsertAndHistory() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            _ = try await upload(client, Self.header + Self.row(1, name: "示范加油站", risk: "B", rated: "2025-06-01"), token: admin)
            let second = try await upload(
                client,
                Self.header + Self.row(1, name: "示范加油站（更名）", risk: "D", rated: "2026-03-01")
                    + Self.row(2, name: "新加油站"), token: admin)
            #expect((try second.decode(Schemas.ImportReport.self).inserted) == 1)
            #expect((try second.decode(Schemas.ImportReport.self).updated) == 1)
            let detail = try await client.get("/api/v1/objects/\(Self.code(1))", token: admin, as: Schemas.ObjectDetail.self)
            #expect(detail.object.name == "示范加油站（更名）")
            #expect(detail.object.riskClass == .d)
            let history = detail.riskHistory.map { "\($0.riskClass.rawValue)@\($0.ratedOn)" }
            #expect(history == ["B@2025-06-01", "D@2026-03-01"])
        }
    }

    @Test("when the database fails mid-import, nothing is written")
    func nothingHalfWritten() async throws {
        try await withAppDatabase { client, url in
            try await withClient(url) { db async throws in
                _ = try await db.query(
                    """
                    CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN IF NEW.name = '故障加油站' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END; $$
                    """)
                _ = try await db.query(
                    "CREATE TRIGGER refuse_poison BEFORE INSERT ON objects FOR EACH ROW EXECUTE FUNCTION refuse_poison()")
            }
            let admin = try await client.signIn("office.office_admin")
            let csv = Self.header + Self.row(1, name: "正常加油站") + Self.row(2, name: "故障加油站") + Self.row(3, name: "另一正常加油站")
            let response = try await upload(client, csv, token: admin)
            #expect(response.status == .internalServerError)
            #expect(try await client.get("/api/v1/objects", token: admin, as: Schemas.ObjectPage.self).items.isEmpty)
            let history = try await withClient(url) { db async throws in
                try await db.query("SELECT count(*) FROM object_risk_history").decode(Int.self).collectFirst() ?? -1
            }
            #expect(history == 0)
        }
    }

    @Test("an empty file or a bad header is a 422 and writes nothing; a department admin imports only what it supervises")
    func refusals() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            #expect(try await upload(client, "", token: admin).errorCode == "missing_column")
            #expect(try await upload(client, "名称,类型\n某公司,企业\n", token: admin).errorCode == "missing_column")
            let samr = try await client.signIn("samr.dept_admin")
            let report = try await upload(
                client,
                Self.header + Self.row(1, name: "市场监管对象", supervisors: "samr")
                    + Self.row(2, name: "消防对象", supervisors: "fire"), token: samr)
            #expect((try report.decode(Schemas.ImportReport.self).inserted) == 1)
            #expect(try report.decode(Schemas.ImportReport.self).errors.first?.reason.contains("监管范围") == true)
            let inspector = try await client.signIn("samr.inspector")
            #expect(try await upload(client, Self.header, token: inspector).status == .forbidden)
            #expect(
                try await client.request(.post, "/api/v1/objects/import", json: Self.header, contentType: "text/csv").status
                    == .unauthorized)
        }
    }

    @Test("search filters by region prefix, risk class, status and name; a department sees only its objects")
    func searchAndVisibility() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let csv =
                Self.header
                + Self.row(1, name: "西湖加油站", risk: "A", region: "330106")
                + Self.row(2, name: "余杭加油站", risk: "C", region: "330110")
                + Self.row(3, name: "余杭大药房", risk: "C", region: "330110", industry: "drug_retail", supervisors: "samr;health", status: "注销")
            _ = try await upload(client, csv, token: admin)
            func names(_ query: String, token: String) async throws -> [String] {
                try await client.get("/api/v1/objects?\(query)", token: token, as: Schemas.ObjectPage.self).items.map(\.name).sorted()
            }
            #expect(try await names("region=3301", token: admin).count == 3)
            #expect(try await names("region=330106", token: admin) == ["西湖加油站"])
            #expect(try await names("riskClass=C", token: admin) == ["余杭加油站", "余杭大药房"].sorted())
            #expect(try await names("status=deregistered", token: admin) == ["余杭大药房"])
            #expect(try await names("name=%E4%BD%99%E6%9D%AD", token: admin) == ["余杭加油站", "余杭大药房"].sorted())
            #expect(try await names("name=%25", token: admin).isEmpty)

            let health = try await client.signIn("health.inspector")
            #expect(try await names("", token: health) == ["余杭大药房"])
            #expect(try await client.request(.get, "/api/v1/objects/\(Self.code(1, region: "330106"))", token: health).status == .notFound)
            let fire = try await client.signIn("fire.inspector")
            #expect(try await names("", token: fire) == ["西湖加油站", "余杭加油站"].sorted())
            #expect(try await client.request(.get, "/api/v1/objects?riskClass=E", token: admin).status == .badRequest)
        }
    }
}

extension AsyncSequence {
    func collectFirst() async throws -> Element? {
        for try await element in self { return element }
        return nil
    }
}
