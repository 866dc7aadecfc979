import Foundation
import HTTPTypes
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("Sign-in, sessions and lockout")
struct SessionAPITests {
    @Test("sign in returns a 256-bit bearer token; the server keeps only its SM3 hash")
    func signIn() async throws {
        try await withAppDatabase { client, url in
            let response = try await client.request(
                .post, "/api/v1/sessions", json: ["username": "samr.inspector", "password": TestDatabase.demoPassword])
            #expect(response.status == .created)
            let session = try response.decode(Schemas.Session.self)
            let token = session.token
            #expect(token.count >= 43)  // 32 bytes in base64url
            #expect(session.user.department == "samr")
            #expect(session.idleTimeoutSeconds == 1800)
            let current = try await client.request(.get, "/api/v1/sessions/current", token: token)
            let me = try current.decode(Schemas.User.self)
            #expect(me.username == "samr.inspector")
            #expect(me.roles == [.inspector])
            #expect(!current.text.contains("password"), "no password hash is ever served")

            let stored = try await withClient(url) { db async throws in
                var hashes: [String] = []
                for try await hash in try await db.query("SELECT token_hash FROM sessions").decode(String.self) { hashes.append(hash) }
                return hashes
            }
            #expect(stored == [SM3.hex(token)])
        }
    }

    @Test("sign-out ends the token; a made-up token is refused the same way")
    func signOut() async throws {
        try await withApp { client in
            let token = try await client.signIn("fire.dept_admin")
            #expect(try await client.request(.delete, "/api/v1/sessions/current", token: token).status == .noContent)
            let after = try await client.request(.get, "/api/v1/departments", token: token)
            #expect(after.status == .unauthorized)
            #expect(after.errorCode == "session_invalid")
            let madeUp = try await client.request(.get, "/api/v1/departments", token: String(repeating: "A", count: 43))
            #expect(madeUp.errorCode == "session_invalid")
            let none = try await client.request(.get, "/api/v1/departments")
            #expect(none.status == .unauthorized)
            #expect(none.errorCode == "unauthenticated")
        }
    }

    @Test("a wrong password and an unknown user get the same answer")
    func noHintOfExistence() async throws {
        try await withApp { client in
            let wrong = try await client.request(
                .post, "/api/v1/sessions", json: ["username": "samr.inspector", "password": "Wrong-Pass-1"])
            let unknown = try await client.request(
                .post, "/api/v1/sessions", json: ["username": "nobody.here", "password": "Wrong-Pass-1"])
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.errorCode == "invalid_credentials")
            #expect(unknown.errorCode == wrong.errorCode)
            #expect(unknown.errorMessage == wrong.errorMessage)
        }
    }

    @Test("five failures lock the account for 15 minutes, even against the right password; unknown names lock too")
    func lockout() async throws {
        try await withApp { client in
            for attempt in 1...5 {
                let response = try await client.request(
                    .post, "/api/v1/sessions", json: ["username": "eco.reviewer", "password": "Wrong-Pass-\(attempt)"])
                #expect(response.errorCode == (attempt < 5 ? "invalid_credentials" : "account_locked"))
            }
            let right = try await client.request(
                .post, "/api/v1/sessions", json: ["username": "eco.reviewer", "password": TestDatabase.demoPassword])
            #expect(right.status == .unauthorized)
            #expect(right.errorCode == "account_locked")
            // Other accounts are not affected.
            _ = try await client.signIn("eco.inspector")
            for attempt in 1...5 {
                _ = try await client.request(
                    .post, "/api/v1/sessions", json: ["username": "ghost.user", "password": "Wrong-Pass-\(attempt)"])
            }
            let ghost = try await client.request(.post, "/api/v1/sessions", json: ["username": "ghost.user", "password": "Wrong-Pass-9"])
            #expect(ghost.errorCode == "account_locked")
        }
    }

    @Test("twelve guesses at once check five passwords: the lockout counts each attempt before its password is checked")
    func concurrentGuesses() async throws {
        try await withAppDatabase { client, url in
            let codes = try await withThrowingTaskGroup(of: String?.self) { group in
                for attempt in 1...12 {
                    group.addTask {
                        try await client.request(
                            .post, "/api/v1/sessions", json: ["username": "eco.reviewer", "password": "Wrong-Pass-\(attempt)"]
                        ).errorCode
                    }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            // Four refused, the fifth locks, the other seven are refused as locked without their password checked.
            #expect(codes.filter { $0 == "invalid_credentials" }.count == 4)
            #expect(codes.filter { $0 == "account_locked" }.count == 8)
            let (checked, refusedLocked) = try await withClient(url) { db in
                try await db.query(
                    """
                    SELECT count(*) FILTER (WHERE outcome = 'failure')::int, count(*) FILTER (WHERE outcome = 'denied')::int
                    FROM audit_log WHERE action = 'session.login' AND object_id = 'eco.reviewer'
                    """, logger: quietLogger
                ).decode((Int, Int).self).collectFirst() ?? (-1, -1)
            }
            #expect(checked == 5 && refusedLocked == 7)
            let right = try await client.request(
                .post, "/api/v1/sessions", json: ["username": "eco.reviewer", "password": TestDatabase.demoPassword])
            #expect(right.errorCode == "account_locked")
        }
    }

    @Test(
        "thirty failures from one address, whatever the names, stop that address signing in; others go on; a client's own X-Forwarded-For counts for nothing"
    )
    func addressLimit() async throws {
        try await withAppDatabase(trustedProxies: ["unix"]) { client, _ in
            func attempt(_ user: String, _ password: String, from address: String) async throws -> JSONResponse {
                try await client.request(
                    .post, "/api/v1/sessions", json: ["username": user, "password": password],
                    headers: [HTTPField.Name("X-Forwarded-For")!: "198.51.100.9, \(address)"])
            }
            for n in 1...30 {
                let refused = try await attempt("sprayed.user\(n)", "Wrong-Pass-1", from: "203.0.113.7")
                #expect(refused.errorCode == "invalid_credentials")
            }
            let limited = try await attempt("samr.inspector", TestDatabase.demoPassword, from: "203.0.113.7")
            #expect(limited.status == .tooManyRequests && limited.errorCode == "too_many_attempts")
            #expect(limited.errorMessage?.contains("15 分钟") == true)
            #expect(try await attempt("samr.inspector", TestDatabase.demoPassword, from: "203.0.113.8").status == .created)
        }
        // Not from a trusted proxy: the header is ignored, and the test client's peer (none) has no address to limit.
        try await withAppDatabase { client, _ in
            for n in 1...31 {
                _ = try await client.request(
                    .post, "/api/v1/sessions", json: ["username": "sprayed.user\(n)", "password": "Wrong-Pass-1"],
                    headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.7"])
            }
            let signedIn = try await client.request(
                .post, "/api/v1/sessions", json: ["username": "samr.inspector", "password": TestDatabase.demoPassword],
                headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.7"])
            #expect(signedIn.status == .created)
        }
    }

    @Test("users change their own password: the current one checked as a sign-in, the new one by the rules; every session ends")
    func ownPassword() async throws {
        try await withAppDatabase { client, url in
            let token = try await client.signIn("samr.inspector")
            func change(_ current: String, _ new: String) async throws -> JSONResponse {
                try await client.request(
                    .post, "/api/v1/sessions/password",
                    json: ["username": "samr.inspector", "currentPassword": current, "newPassword": new])
            }
            #expect(try await change("Wrong-Pass-1", "Neuer-Pass-2026").errorCode == "invalid_credentials")
            let weak = try await change(TestDatabase.demoPassword, "short")
            #expect(weak.status == .unprocessableContent && weak.errorCode == "weak_password" && weak.errorField == "newPassword")
            #expect(try await change(TestDatabase.demoPassword, "samr.inspector-X1").errorField == "newPassword", "contains the username")
            #expect(try await change(TestDatabase.demoPassword, TestDatabase.demoPassword).errorMessage == "新密码不能与当前密码相同")
            #expect(try await change(TestDatabase.demoPassword, "Neuer-Pass-2026").status == .noContent)
            #expect(try await client.request(.get, "/api/v1/sessions/current", token: token).status == .unauthorized, "sessions end")
            let old = try await client.request(
                .post, "/api/v1/sessions", json: ["username": "samr.inspector", "password": TestDatabase.demoPassword])
            #expect(old.errorCode == "invalid_credentials")
            let new = try await client.request(
                .post, "/api/v1/sessions", json: ["username": "samr.inspector", "password": "Neuer-Pass-2026"])
            #expect(new.status == .created)
            // The change is in the audit trail under the user's own name.
            let audited = try await withClient(url) { db in
                try await db.query(
                    "SELECT count(*)::int FROM audit_log WHERE action = 'user.password_change' AND actor = 'samr.inspector'",
                    logger: quietLogger
                ).decode(Int.self).collectFirst() ?? -1
            }
            #expect(audited == 1)
        }
    }

    @Test("a password older than the maximum age signs in no more until its user changes it; changed, it signs in")
    func passwordAge() async throws {
        let later = ManualClock(Date().addingTimeInterval(91 * 86_400))
        try await withAppDatabase(signIn: SignInPolicy(), clock: later) { client, _ in
            let expired = try await client.request(
                .post, "/api/v1/sessions", json: ["username": "fire.inspector", "password": TestDatabase.demoPassword])
            #expect(expired.status == .forbidden && expired.errorCode == "password_expired")
            #expect(expired.errorMessage?.contains("90 天") == true)
            let changed = try await client.request(
                .post, "/api/v1/sessions/password",
                json: ["username": "fire.inspector", "currentPassword": TestDatabase.demoPassword, "newPassword": "Neuer-Pass-2026"])
            #expect(changed.status == .noContent)
            let signedIn = try await client.request(
                .post, "/api/v1/sessions", json: ["username": "fire.inspector", "password": "Neuer-Pass-2026"])
            #expect(signedIn.status == .created)
        }
        // With no maximum age, an old password still signs in.
        try await withAppDatabase(signIn: .testing, clock: later) { client, _ in
            _ = try await client.signIn("fire.inspector")
        }
    }

    @Test("the 修改密码 page: mismatched or weak new passwords shown beside the form, a forged form refused, a change done")
    func passwordPage() async throws {
        try await withAppDatabase { client, _ in
            let form = try await DashboardPageTests.fetch(client, .get, "/password?username=eco.inspector")
            let csrf = try #require(form.field("csrf"))
            #expect(form.text.contains("value=\"eco.inspector\"") && form.text.contains("修改密码"))
            func post(_ fields: String, csrf cookie: String = csrf) async throws -> DashboardPageTests.Page {
                try await DashboardPageTests.fetch(
                    client, .post, "/password", cookies: ["yiye_signin": cookie], form: "csrf=\(csrf)&username=eco.inspector&" + fields)
            }
            let demo = TestDatabase.demoPassword
            let mismatched = try await post("current=\(demo)&new=Neuer-Pass-2026&repeated=Neuer-Pass-2027")
            #expect(mismatched.status == .unprocessableContent && mismatched.text.contains("两次输入的新密码不一致"))
            #expect(mismatched.text.contains("aria-invalid=\"true\""))
            let weak = try await post("current=\(demo)&new=short&repeated=short")
            #expect(weak.status == .unprocessableContent && weak.text.contains("至少三类"))
            #expect(try await post("current=\(demo)&new=Neuer-Pass-2026&repeated=Neuer-Pass-2026", csrf: "forged").status == .forbidden)
            let done = try await post("current=\(demo)&new=Neuer-Pass-2026&repeated=Neuer-Pass-2026")
            #expect(done.status == .ok && done.text.contains("密码已修改") && done.text.contains("href=\"/signin\""))
            #expect(
                try await client.request(.post, "/api/v1/sessions", json: ["username": "eco.inspector", "password": "Neuer-Pass-2026"])
                    .status == .created)
        }
    }

    @Test("a success clears the failure count")
    func successResets() async throws {
        try await withApp { client in
            for attempt in 1...4 {
                _ = try await client.request(
                    .post, "/api/v1/sessions", json: ["username": "health.inspector", "password": "Wrong-Pass-\(attempt)"])
            }
            _ = try await client.signIn("health.inspector")
            let again = try await client.request(
                .post, "/api/v1/sessions", json: ["username": "health.inspector", "password": "Wrong-Pass-5"])
            #expect(again.errorCode == "invalid_credentials")
        }
    }

    /// Moves a session's clocks back, as if time had passed, through a superuser connection.
    func age(_ url: DatabaseURL, _ token: String, _ assignments: String) async throws {
        let sql = "UPDATE sessions SET \(assignments) WHERE token_hash = '\(SM3.hex(token))'"
        try await withClient(url) { db async throws in
            _ = try await db.query(PostgresQuery(unsafeSQL: sql))
        }
    }

    @Test("a session unused for 30 minutes ends; one used 29 minutes ago goes on")
    func idleTimeout() async throws {
        try await withAppDatabase { client, url in
            let token = try await client.signIn("samr.reviewer")
            try await age(url, token, "last_seen_at = now() - interval '29 minutes'")
            #expect(try await client.request(.get, "/api/v1/sessions/current", token: token).status == .ok)
            try await age(url, token, "last_seen_at = now() - interval '31 minutes'")
            let stale = try await client.request(.get, "/api/v1/sessions/current", token: token)
            #expect(stale.status == .unauthorized)
            #expect(stale.errorCode == "session_invalid")
            // Ended for good: refreshing the clock afterwards does not revive it.
            try await age(url, token, "last_seen_at = now()")
            #expect(try await client.request(.get, "/api/v1/sessions/current", token: token).status == .unauthorized)
        }
    }

    @Test("a request within a minute of the last recorded one leaves the idle clock as it is; a later one moves it")
    func idleClockResolution() async throws {
        try await withAppDatabase { client, url in
            let token = try await client.signIn("samr.reviewer")
            @Sendable func secondsSinceSeen() async throws -> Double {
                try await withClient(url) { db async throws in
                    try await db.query(
                        "SELECT extract(epoch FROM now() - last_seen_at)::float8 FROM sessions WHERE token_hash = \(SM3.hex(token))"
                    ).decode(Double.self).collectFirst() ?? -1
                }
            }
            try await age(url, token, "last_seen_at = now() - interval '50 seconds'")
            #expect(try await client.request(.get, "/api/v1/sessions/current", token: token).status == .ok)
            #expect(try await secondsSinceSeen() >= 50, "read, not written")
            try await age(url, token, "last_seen_at = now() - interval '70 seconds'")
            #expect(try await client.request(.get, "/api/v1/sessions/current", token: token).status == .ok)
            #expect(try await secondsSinceSeen() < 10, "touched")
        }
    }

    @Test("a session lasts 12 hours at most, however active")
    func absoluteLifetime() async throws {
        try await withAppDatabase { client, url in
            let response = try await client.request(
                .post, "/api/v1/sessions", json: ["username": "samr.reviewer", "password": TestDatabase.demoPassword])
            let session = try response.decode(Schemas.Session.self)
            let token = session.token
            #expect(abs(session.expiresAt.timeIntervalSinceNow - 12 * 3600) < 120)
            try await age(url, token, "created_at = now() - interval '12 hours', expires_at = now() - interval '1 second'")
            #expect(try await client.request(.get, "/api/v1/sessions/current", token: token).status == .unauthorized)
        }
    }

    @Test("shorter configured timeouts are honoured")
    func configuredTimeouts() async throws {
        try await withAppDatabase(signIn: SignInPolicy(idleTimeout: .seconds(300), absoluteLifetime: .seconds(3600))) { client, url in
            let response = try await client.request(
                .post, "/api/v1/sessions", json: ["username": "samr.reviewer", "password": TestDatabase.demoPassword])
            let session = try response.decode(Schemas.Session.self)
            #expect(session.idleTimeoutSeconds == 300)
            let token = session.token
            try await age(url, token, "last_seen_at = now() - interval '6 minutes'")
            #expect(try await client.request(.get, "/api/v1/sessions/current", token: token).status == .unauthorized)
        }
    }

    @Test("disabling a user ends all its sessions and refuses new sign-ins")
    func disablingEndsSessions() async throws {
        try await withApp { client in
            let first = try await client.signIn("fire.inspector")
            let second = try await client.signIn("fire.inspector")
            let admin = try await client.signIn("fire.dept_admin")
            let disabled = try await client.request(.patch, "/api/v1/users/fire.inspector", json: ["disabled": true], token: admin)
            #expect(disabled.status == .ok)
            #expect(try disabled.decode(Schemas.User.self).disabled)
            for token in [first, second] {
                #expect(try await client.request(.get, "/api/v1/sessions/current", token: token).status == .unauthorized)
            }
            let again = try await client.request(
                .post, "/api/v1/sessions", json: ["username": "fire.inspector", "password": TestDatabase.demoPassword])
            #expect(again.errorCode == "invalid_credentials")
        }
    }

    @Test("an unauthenticated write is refused with 401 and changes nothing")
    func unauthenticatedWrite() async throws {
        try await withApp { client in
            let response = try await client.request(
                .post, "/api/v1/departments", json: ["code": "tax", "name": "税务局", "kind": "regulator", "regionCode": "330110"])
            #expect(response.status == .unauthorized)
            let admin = try await client.signIn("office.office_admin")
            #expect(try await client.request(.get, "/api/v1/departments/tax", token: admin).status == .notFound)
        }
    }
}
