import Testing
import YiyeContract

@Suite("Industries API")
struct IndustryAPITests {
    @Test("the demo industries come with their originator and participants")
    func listDemo() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let page = try await client.request(.get, "/api/v1/industries", token: admin)
            #expect(page.status == .ok)
            #expect((try page.decode(Schemas.IndustryPage.self).items.count) >= 3)
            let fuel = try await client.request(.get, "/api/v1/industries/fuel_retail", token: admin)
            #expect((try fuel.decode(Schemas.Industry.self).name) == "成品油零售（加油站）")
            let departments = try fuel.decode(Schemas.Industry.self).departments
            #expect(departments?.originator == "commerce")
            #expect(departments?.participants == ["eco", "emergency", "fire", "samr"])
        }
    }

    @Test("the department filter keeps industries it originates or joins")
    func filterByDepartment() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let health = try await client.request(.get, "/api/v1/industries?department=health", token: admin)
            #expect((try health.decode(Schemas.IndustryPage.self).items.map(\.code)) == ["catering", "drug_retail"])
            let commerce = try await client.request(.get, "/api/v1/industries?department=commerce", token: admin)
            #expect((try commerce.decode(Schemas.IndustryPage.self).items.map(\.code)) == ["fuel_retail"])
            let paged = try await client.request(.get, "/api/v1/industries?limit=1", token: admin)
            #expect((try paged.decode(Schemas.IndustryPage.self).items.count) == 1)
            #expect(try paged.decode(Schemas.IndustryPage.self).nextCursor != nil)
        }
    }

    @Test("create, then assign departments; the answer shows them sorted")
    func createAndAssign() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let created = try await client.request(
                .post, "/api/v1/industries", json: ["code": "lpg_retail", "name": "瓶装液化气经营", "gbtCode": "F5265"], token: admin)
            #expect(created.status == .created)
            #expect(try created.decode(Schemas.Industry.self).departments == nil)

            let assigned = try await client.request(
                .put, "/api/v1/industries/lpg_retail/departments",
                json: [
                    "originator": "emergency", "participants": ["samr", "fire"],
                ], token: admin)
            #expect(assigned.status == .ok)
            let departments = try assigned.decode(Schemas.Industry.self).departments
            #expect(departments?.originator == "emergency")
            #expect(departments?.participants == ["fire", "samr"])

            let replaced = try await client.request(
                .put, "/api/v1/industries/lpg_retail/departments",
                json: [
                    "originator": "commerce", "participants": [String](),
                ], token: admin)
            #expect((try replaced.decode(Schemas.Industry.self).departments?.participants) == [])
            let read = try await client.request(.get, "/api/v1/industries/lpg_retail", token: admin)
            #expect((try read.decode(Schemas.Industry.self).departments?.originator) == "commerce")
        }
    }

    @Test(
        "assignments that break a rule are 422 and leave the old assignment in place",
        arguments: [
            (["originator": "office", "participants": ["samr"]], "department_not_regulator", "originator"),
            (["originator": "commerce", "participants": ["office"]], "department_not_regulator", "participants"),
            (["originator": "tax", "participants": ["samr"]], "unknown_department", "originator"),
            (["originator": "commerce", "participants": ["samr", "ghost"]], "unknown_department", "participants"),
            (["originator": "commerce", "participants": ["samr", "samr"]], "duplicate_participant", "participants"),
            (["originator": "commerce", "participants": ["commerce"]], "originator_also_participant", "participants"),
        ] as [([String: any Sendable], String, String)])
    func invalidAssignment(body: [String: any Sendable], code: String, field: String) async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let response = try await client.request(.put, "/api/v1/industries/fuel_retail/departments", json: body, token: admin)
            #expect(response.status == .unprocessableContent)
            #expect(response.errorCode == code)
            #expect(response.errorField == field)
            let fuel = try await client.request(.get, "/api/v1/industries/fuel_retail", token: admin)
            #expect((try fuel.decode(Schemas.Industry.self).departments?.originator) == "commerce")
            #expect((try fuel.decode(Schemas.Industry.self).departments?.participants) == ["eco", "emergency", "fire", "samr"])
        }
    }

    @Test("a NUL byte in a filter or a name is a 400, never a 500")
    func nulBytes() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let filter = try await client.request(.get, "/api/v1/industries?department=%00x", token: admin)
            #expect(filter.status == .badRequest)
            #expect(filter.errorCode == "invalid_input")
            let body = try await client.request(.patch, "/api/v1/industries/catering", json: #"{"name": "餐饮\u0000服务"}"#, token: admin)
            #expect(body.status.code < 500)
            #expect(try await client.get("/api/v1/industries/catering", token: admin, as: Schemas.Industry.self).name == "餐饮服务")
        }
    }

    @Test("unknown industries are 404 for read, patch and assignment")
    func unknown() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            #expect(try await client.request(.get, "/api/v1/industries/mining", token: admin).status == .notFound)
            #expect(try await client.request(.patch, "/api/v1/industries/mining", json: ["name": "采矿"], token: admin).status == .notFound)
            let put = try await client.request(
                .put, "/api/v1/industries/mining/departments", json: ["originator": "samr", "participants": [String]()], token: admin)
            #expect(put.status == .notFound)
            #expect(put.errorCode == "not_found")
        }
    }

    @Test("duplicates are 409; bad codes are 422; malformed bodies are 400")
    func createFailures() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let duplicate = try await client.request(.post, "/api/v1/industries", json: ["code": "catering", "name": "餐饮"], token: admin)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.errorCode == "already_exists")
            let badCode = try await client.request(.post, "/api/v1/industries", json: ["code": "餐饮", "name": "餐饮"], token: admin)
            #expect(badCode.errorCode == "invalid_code")
            let badGBT = try await client.request(
                .post, "/api/v1/industries", json: ["code": "bakery", "name": "糕点店", "gbtCode": "Z99"], token: admin)
            #expect(badGBT.status == .unprocessableContent)
            #expect(badGBT.errorCode == "invalid_gbt_industry_code")
            let broken = try await client.request(.post, "/api/v1/industries", json: "[1, 2", token: admin)
            #expect(broken.status == .badRequest)
            let missing = try await client.request(
                .put, "/api/v1/industries/catering/departments", json: ["originator": "samr"], token: admin)
            #expect(missing.status == .badRequest)
            #expect(try await client.request(.get, "/api/v1/industries/bakery", token: admin).status == .notFound)
        }
    }

    @Test("patch renames and clears the GB/T code with an empty string")
    func patch() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let renamed = try await client.request(
                .patch, "/api/v1/industries/catering", json: ["name": "餐饮服务（含网络餐饮）", "gbtCode": ""], token: admin)
            #expect(renamed.status == .ok)
            #expect((try renamed.decode(Schemas.Industry.self).name) == "餐饮服务（含网络餐饮）")
            #expect(try renamed.decode(Schemas.Industry.self).gbtCode == nil)
            let invalid = try await client.request(.patch, "/api/v1/industries/catering", json: ["gbtCode": "h62"], token: admin)
            #expect(invalid.errorCode == "invalid_gbt_industry_code")
        }
    }
}
