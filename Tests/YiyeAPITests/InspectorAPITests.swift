import Foundation
import HummingbirdTesting
import Testing
import YiyeContract
import YiyeCore
import YiyeTestSupport

@Suite("Inspector roster: entries, personal data, CSV import, user links, conflict declarations")
struct InspectorAPITests {
    static let header = "执法证号,姓名,职务,执法岗位,联系电话,层级,行政区划代码,执法门类,资质,专业特长,状态,外部专家,所属机构\n"

    static func create(_ client: any TestClientProtocol, token: String, _ fields: [String: Any]) async throws -> JSONResponse {
        var body: [String: Any] = [
            "name": "王强", "certificateNumber": "XF-0001", "level": "county", "regionCode": "330110",
            "phone": "13812345678", "qualifications": ["消防监督"],
        ]
        body.merge(fields) { $1 }
        return try await client.request(.post, "/api/v1/inspectors", json: body, token: token)
    }

    @Test("phones are shown to the own department and the office, masked for everyone else")
    func personalData() async throws {
        try await withApp { client in
            let fire = try await client.signIn("fire.dept_admin")
            let created = try await Self.create(client, token: fire, [:])
            #expect(created.status == .created)
            let id = try created.decode(Schemas.Inspector.self).id
            let fireInspector = try await client.signIn("fire.inspector")
            #expect(
                try await client.get("/api/v1/inspectors/\(id)", token: fireInspector, as: Schemas.Inspector.self).phone == "13812345678")
            let office = try await client.signIn("office.office_viewer")
            #expect(try await client.get("/api/v1/inspectors/\(id)", token: office, as: Schemas.Inspector.self).phone == "13812345678")
            let samr = try await client.signIn("samr.dept_head")
            let seen = try await client.request(.get, "/api/v1/inspectors/\(id)", token: samr)
            #expect((try seen.decode(Schemas.Inspector.self).phone) == "138****5678")
            #expect((try seen.decode(Schemas.Inspector.self).phoneMasked) == true)
            let listed = try await client.request(.get, "/api/v1/inspectors?department=fire", token: samr)
            #expect(try listed.decode(Schemas.InspectorPage.self).items.map(\.phone) == ["138****5678"])
            #expect(!listed.text.contains("13812345678"))
            #expect(try await client.request(.get, "/api/v1/inspectors").status == .unauthorized)
        }
    }

    @Test("a department admin keeps its own roster; certificate numbers are unique; bad fields are refused")
    func authority() async throws {
        try await withApp { client in
            let fire = try await client.signIn("fire.dept_admin")
            let samr = try await client.signIn("samr.dept_admin")
            #expect(try await Self.create(client, token: samr, ["department": "fire"]).status == .forbidden)
            let id = try await Self.create(client, token: fire, [:]).decode(Schemas.Inspector.self).id
            let taken = try await Self.create(client, token: fire, ["name": "李明"])
            #expect(taken.status == .conflict)
            #expect(
                try await Self.create(client, token: fire, ["certificateNumber": "XF-0002", "phone": "123"]).errorCode == "invalid_phone")
            #expect(
                try await Self.create(client, token: fire, ["certificateNumber": "XF-0003", "isExpert": true]).errorField == "institution")
            #expect(
                try await client.request(.patch, "/api/v1/inspectors/\(id)", json: ["status": "on_leave"], token: samr).status
                    == .forbidden)
            let changed = try await client.request(.patch, "/api/v1/inspectors/\(id)", json: ["status": "on_leave"], token: fire)
            #expect((try changed.decode(Schemas.Inspector.self).status.rawValue) == "on_leave")
            let office = try await client.signIn("office.office_admin")
            #expect(
                try await Self.create(client, token: office, ["department": "office", "certificateNumber": "XF-0004"]).errorCode
                    == "department_not_regulator")
            #expect(try await client.request(.get, "/api/v1/inspectors/999999", token: fire).status == .notFound)
        }
    }

    @Test("an inspector user links to one roster entry of its own department")
    func userLink() async throws {
        try await withApp { client in
            let fire = try await client.signIn("fire.dept_admin")
            let created = try await Self.create(client, token: fire, ["username": "fire.inspector"])
            #expect((try created.decode(Schemas.Inspector.self).username) == "fire.inspector")
            let twice = try await Self.create(client, token: fire, ["certificateNumber": "XF-0009", "username": "fire.inspector"])
            #expect(twice.status == .conflict, "one user, one entry")
            let notInspector = try await Self.create(client, token: fire, ["certificateNumber": "XF-0010", "username": "fire.dept_head"])
            #expect(notInspector.errorCode == "user_not_inspector")
            let foreign = try await Self.create(client, token: fire, ["certificateNumber": "XF-0011", "username": "samr.inspector"])
            #expect(foreign.errorCode == "user_not_inspector")
            let id = try created.decode(Schemas.Inspector.self).id
            let unlinked = try await client.request(.patch, "/api/v1/inspectors/\(id)", json: ["username": ""], token: fire)
            #expect(try unlinked.decode(Schemas.Inspector.self).username == nil)
        }
    }

    @Test("CSV import: bad rows reported by line, good rows upserted by 执法证号, another department's number refused")
    func csvImport() async throws {
        try await withApp { client in
            let samr = try await client.signIn("samr.dept_admin")
            _ = try await Self.create(client, token: samr, ["certificateNumber": "SC-0001", "name": "赵敏"])
            let fire = try await client.signIn("fire.dept_admin")
            let csv =
                Self.header
                + "XF-1001,王强,科员,防火监督,13812345678,县级,330110,消防,消防监督;建筑防火,电气,在岗,否,\n"
                + "XF-1002,李明,,,,县级,330110,,,,,否,\n"
                + "XF-1003,,,,,县级,330110,,,,,否,\n"
                + "XF-1004,张华,,,12345,县级,330110,,,,,否,\n"
                + "SC-0001,冒用,,,,县级,330110,,,,,否,\n"
                + "XF-1001,王强重复,,,,县级,330110,,,,,否,\n"
                + "ZJ-2001,陈工,,,,市级,330100,,特种设备,,在岗,是,市特种设备检测院\n"
            let report = try await client.request(.post, "/api/v1/inspectors/import", json: csv, token: fire, contentType: "text/csv")
            #expect(report.status == .ok, "\(report.text)")
            #expect((try report.decode(Schemas.ImportReport.self).rows) == 7)
            #expect((try report.decode(Schemas.ImportReport.self).inserted) == 3)
            #expect((try report.decode(Schemas.ImportReport.self).rejected) == 4)
            let errors = try report.decode(Schemas.ImportReport.self).errors
            #expect(errors.map(\.line) == [4, 5, 6, 7])
            #expect(errors[2].reason.contains("其他部门"))
            #expect(errors[3].reason.contains("第 2 行重复"))
            let roster = try await client.request(.get, "/api/v1/inspectors?department=fire", token: fire)
            #expect(try roster.decode(Schemas.InspectorPage.self).items.map(\.name) == ["王强", "李明", "陈工"])
            let experts = try await client.request(.get, "/api/v1/inspectors?department=fire&expert=true", token: fire)
            #expect(try experts.decode(Schemas.InspectorPage.self).items.first?.institution == "市特种设备检测院")
            let qualified = try await client.request(
                .get, "/api/v1/inspectors?qualification=%E5%BB%BA%E7%AD%91%E9%98%B2%E7%81%AB", token: fire)
            #expect(try qualified.decode(Schemas.InspectorPage.self).items.map(\.name) == ["王强"])
            // The same file again updates instead of inserting; a bad header writes nothing.
            let again = try await client.request(.post, "/api/v1/inspectors/import", json: csv, token: fire, contentType: "text/csv")
            #expect((try again.decode(Schemas.ImportReport.self).updated) == 3)
            let badHeader = try await client.request(
                .post, "/api/v1/inspectors/import", json: "姓名,电话\n王五,1\n", token: fire,
                contentType: "text/csv")
            #expect(badHeader.errorCode == "missing_column")
            let office = try await client.signIn("office.office_admin")
            let unnamed = try await client.request(.post, "/api/v1/inspectors/import", json: csv, token: office, contentType: "text/csv")
            #expect(unnamed.status == .badRequest)
            #expect(
                try await client.get("/api/v1/inspectors?department=fire", token: fire, as: Schemas.InspectorPage.self).items.count == 3)
        }
    }

    @Test("conflicts: an inspector declares for themself, heads for their department; others are refused")
    func conflicts() async throws {
        try await withApp { client in
            let office = try await client.signIn("office.office_admin")
            let code = ObjectAPITests.code(41)
            _ = try await client.request(
                .post, "/api/v1/objects/import",
                json: ObjectAPITests.header
                    + ObjectAPITests.row(
                        41, name: "关联加油站",
                        supervisors: "fire"), token: office, contentType: "text/csv")
            let fire = try await client.signIn("fire.dept_admin")
            let id = try await Self.create(client, token: fire, ["username": "fire.inspector"]).decode(Schemas.Inspector.self).id
            let declaration: [String: Any] = ["creditCode": code, "reason": "近亲属任该企业负责人", "from": "2026-01-01", "until": "2026-12-31"]
            let me = try await client.signIn("fire.inspector")
            let declared = try await client.request(.post, "/api/v1/inspectors/\(id)/conflicts", json: declaration, token: me)
            #expect(declared.status == .created, "\(declared.text)")
            #expect((try declared.decode(Schemas.ConflictDeclaration.self).declaredBy) == "fire.inspector")
            let otherHead = try await client.signIn("samr.dept_head")
            #expect(
                try await client.request(.post, "/api/v1/inspectors/\(id)/conflicts", json: declaration, token: otherHead).status
                    == .forbidden)
            #expect(try await client.request(.get, "/api/v1/inspectors/\(id)/conflicts", token: otherHead).status == .forbidden)
            let head = try await client.signIn("fire.dept_head")
            var reversed = declaration
            reversed["until"] = "2025-12-31"
            #expect(
                try await client.request(.post, "/api/v1/inspectors/\(id)/conflicts", json: reversed, token: head).errorCode
                    == "invalid_period")
            var unknown = declaration
            unknown["creditCode"] = ObjectAPITests.code(42)
            #expect(
                try await client.request(.post, "/api/v1/inspectors/\(id)/conflicts", json: unknown, token: head).errorCode
                    == "unknown_object")
            var badDate = declaration
            badDate["from"] = "2026-02-30"
            #expect(try await client.request(.post, "/api/v1/inspectors/\(id)/conflicts", json: badDate, token: head).status == .badRequest)
            let listed = try await client.request(.get, "/api/v1/inspectors/\(id)/conflicts", token: head)
            #expect(try listed.decode(Schemas.ConflictList.self).items.map(\.creditCode) == [code])
        }
    }
}
