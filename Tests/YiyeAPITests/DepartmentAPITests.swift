import Testing
import YiyeContract

@Suite("Departments API")
struct DepartmentAPITests {
    @Test("the demo county lists its office and six regulators in code order")
    func listDemo() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let page = try await client.get("/api/v1/departments", token: admin, as: Schemas.DepartmentPage.self)
            #expect(page.items.map(\.code) == ["commerce", "eco", "emergency", "fire", "health", "office", "samr"])
            #expect(page.items.first { $0.code == "office" }?.kind == .leadershipOffice)
            #expect(page.nextCursor == nil)
        }
    }

    @Test("pages follow the cursor to the end without repeats, and kind filters")
    func paging() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            var seen: [String] = []
            var uri = "/api/v1/departments?limit=3"
            while true {
                let page = try await client.get(uri, token: admin, as: Schemas.DepartmentPage.self)
                #expect(page.items.count <= 3)
                seen += page.items.map(\.code)
                guard let cursor = page.nextCursor else { break }
                uri = "/api/v1/departments?limit=3&cursor=\(cursor)"
            }
            #expect(seen == ["commerce", "eco", "emergency", "fire", "health", "office", "samr"])
            let offices = try await client.get("/api/v1/departments?kind=leadership_office", token: admin, as: Schemas.DepartmentPage.self)
            #expect(offices.items.map(\.code) == ["office"])
        }
    }

    @Test(
        "bad paging parameters are 400 with a stable code",
        arguments: [
            "limit=0", "limit=201", "cursor=not-a-cursor", "limit=ten", "kind=ministry",
        ])
    func badPaging(query: String) async throws {
        try await withApp(demo: false) { client in
            let admin = try await client.signIn("office.office_admin")
            let response = try await client.request(.get, "/api/v1/departments?\(query)", token: admin)
            #expect(response.status == .badRequest)
            #expect(["invalid_parameter", "malformed_request"].contains(response.errorCode))
        }
    }

    @Test("create answers 201 with the department, then the department can be read")
    func create() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let created = try await client.request(
                .post, "/api/v1/departments",
                json: [
                    "code": "transport", "name": "交通运输局", "kind": "regulator", "regionCode": "330110",
                ], token: admin)
            #expect(created.status == .created)
            #expect((try created.decode(Schemas.Department.self).name) == "交通运输局")
            let read = try await client.request(.get, "/api/v1/departments/transport", token: admin)
            #expect(read.status == .ok)
            #expect((try read.decode(Schemas.Department.self).regionCode) == "330110")
        }
    }

    @Test("a taken code is 409 and the original is unchanged")
    func duplicate() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let response = try await client.request(
                .post, "/api/v1/departments",
                json: [
                    "code": "samr", "name": "冒名部门", "kind": "regulator", "regionCode": "330110",
                ], token: admin)
            #expect(response.status == .conflict)
            #expect(response.errorCode == "already_exists")
            let original = try await client.request(.get, "/api/v1/departments/samr", token: admin)
            #expect((try original.decode(Schemas.Department.self).name) == "市场监督管理局")
        }
    }

    @Test(
        "invalid fields are 422 naming the rule and the field, and nothing is written",
        arguments: [
            (["code": "Transport", "name": "交通运输局", "kind": "regulator", "regionCode": "330110"], "invalid_code", "code"),
            (["code": "transport", "name": " ", "kind": "regulator", "regionCode": "330110"], "invalid_name", "name"),
            (["code": "transport", "name": "交通运输局", "kind": "regulator", "regionCode": "3301"], "invalid_region_code", "regionCode"),
        ])
    func invalid(body: [String: String], code: String, field: String) async throws {
        try await withApp(demo: false) { client in
            let admin = try await client.signIn("office.office_admin")
            let response = try await client.request(.post, "/api/v1/departments", json: body, token: admin)
            #expect(response.status == .unprocessableContent)
            #expect(response.errorCode == code)
            #expect(response.errorField == field)
            let list = try await client.get("/api/v1/departments", token: admin, as: Schemas.DepartmentPage.self)
            #expect(list.items.map(\.code) == ["office"])
        }
    }

    @Test("malformed bodies are 400: broken JSON, missing field, unknown field, unknown kind, wrong type")
    func malformed() async throws {
        try await withApp(demo: false) { client in
            let admin = try await client.signIn("office.office_admin")
            let bodies: [Any] = [
                "{\"code\": ",
                ["code": "transport", "name": "交通运输局", "kind": "regulator"],
                ["code": "transport", "name": "交通运输局", "kind": "regulator", "regionCode": "330110", "owner": "x"],
                ["code": "transport", "name": "交通运输局", "kind": "ministry", "regionCode": "330110"],
                ["code": 7, "name": "交通运输局", "kind": "regulator", "regionCode": "330110"],
            ]
            for body in bodies {
                let response = try await client.request(.post, "/api/v1/departments", json: body, token: admin)
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.errorCode == "malformed_request")
                #expect(response.error?.requestId == response.headers[.init("X-Request-Id")!])
            }
        }
    }

    @Test("a body that is not JSON is 415")
    func wrongContentType() async throws {
        try await withApp(demo: false) { client in
            let admin = try await client.signIn("office.office_admin")
            let response = try await client.request(
                .post, "/api/v1/departments", json: "code=transport", token: admin, contentType: "text/plain")
            #expect(response.status == .unsupportedMediaType)
            #expect(response.errorCode == "unsupported_media_type")
        }
    }

    @Test("an unknown department is 404")
    func unknown() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let read = try await client.request(.get, "/api/v1/departments/tax", token: admin)
            #expect(read.status == .notFound)
            #expect(read.errorCode == "not_found")
            let patch = try await client.request(.patch, "/api/v1/departments/tax", json: ["name": "税务局"], token: admin)
            #expect(patch.status == .notFound)
        }
    }

    @Test("patch changes name and region; code and kind cannot be patched")
    func patch() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let patched = try await client.request(
                .patch, "/api/v1/departments/fire", json: ["name": "消防救援大队（示范县）", "regionCode": "330111"], token: admin)
            #expect(patched.status == .ok)
            #expect((try patched.decode(Schemas.Department.self).name) == "消防救援大队（示范县）")
            #expect((try patched.decode(Schemas.Department.self).regionCode) == "330111")
            let read = try await client.request(.get, "/api/v1/departments/fire", token: admin)
            #expect((try read.decode(Schemas.Department.self).name) == "消防救援大队（示范县）")

            let kind = try await client.request(.patch, "/api/v1/departments/fire", json: ["kind": "leadership_office"], token: admin)
            #expect(kind.status == .badRequest)
            let invalid = try await client.request(.patch, "/api/v1/departments/fire", json: ["regionCode": "abc"], token: admin)
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.errorCode == "invalid_region_code")
            let unchanged = try await client.request(.get, "/api/v1/departments/fire", token: admin)
            #expect((try unchanged.decode(Schemas.Department.self).regionCode) == "330111")
            #expect((try unchanged.decode(Schemas.Department.self).kind.rawValue) == "regulator")
        }
    }
}
