import Testing
import YiyeContract
import YiyeTestSupport

@Suite("Users API")
struct UserAPITests {
    @Test("an admin creates a user who can then sign in; the password never comes back")
    func createAndSignIn() async throws {
        try await withApp { client in
            let admin = try await client.signIn("emergency.dept_admin")
            let created = try await client.request(
                .post, "/api/v1/users",
                json: [
                    "username": "li.emergency", "displayName": "李强", "department": "emergency", "roles": ["inspector", "reviewer"],
                    "password": "Anquan-2026!",
                ], token: admin)
            #expect(created.status == .created)
            #expect(try created.decode(Schemas.User.self).roles == [.reviewer, .inspector])
            #expect(!created.text.contains("password"), "the password is never served back")
            let token = try await client.signIn("li.emergency", password: "Anquan-2026!")
            #expect(try await client.get("/api/v1/sessions/current", token: token, as: Schemas.User.self).displayName == "李强")
        }
    }

    @Test("weak passwords, bad usernames, empty roles, unknown departments and duplicates are refused")
    func refusals() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            func create(_ fields: [String: Any]) async throws -> JSONResponse {
                var body: [String: Any] = [
                    "username": "zhao.samr", "displayName": "赵敏", "department": "samr", "roles": ["inspector"], "password": "Strong-Pass-1",
                ]
                body.merge(fields) { $1 }
                return try await client.request(.post, "/api/v1/users", json: body, token: admin)
            }
            #expect(try await create(["password": "short1A"]).errorCode == "weak_password")
            #expect(try await create(["password": "alllowercaseletters"]).errorCode == "weak_password")
            #expect(try await create(["password": "Zhao.samr-2026"]).errorCode == "weak_password")
            #expect(try await create(["username": "Zhao"]).errorCode == "invalid_username")
            #expect(try await create(["roles": [String]()]).errorCode == "no_roles")
            #expect(try await create(["department": "tax"]).errorCode == "unknown_department")
            #expect(try await create(["roles": ["chief"]]).status == .badRequest)
            #expect(try await create([:]).status == .created)
            #expect(try await create([:]).status == .conflict)
        }
    }

    @Test("an admin resets a password: old sessions end, the new password works")
    func resetPassword() async throws {
        try await withApp { client in
            let old = try await client.signIn("commerce.reviewer")
            let admin = try await client.signIn("commerce.dept_admin")
            let reset = try await client.request(
                .patch, "/api/v1/users/commerce.reviewer", json: ["password": "Shangwu-New-9"], token: admin)
            #expect(reset.status == .ok)
            #expect(try await client.request(.get, "/api/v1/sessions/current", token: old).status == .unauthorized)
            _ = try await client.signIn("commerce.reviewer", password: "Shangwu-New-9")
            let weak = try await client.request(.patch, "/api/v1/users/commerce.reviewer", json: ["password": "weak"], token: admin)
            #expect(weak.errorCode == "weak_password")
        }
    }

    @Test("an admin cannot disable their own account")
    func cannotDisableSelf() async throws {
        try await withApp { client in
            let admin = try await client.signIn("health.dept_admin")
            let response = try await client.request(.patch, "/api/v1/users/health.dept_admin", json: ["disabled": true], token: admin)
            #expect(response.errorCode == "cannot_disable_self")
            #expect(try await client.request(.get, "/api/v1/sessions/current", token: admin).status == .ok)
        }
    }
}
