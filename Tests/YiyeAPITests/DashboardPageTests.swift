import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import YiyeContract
import YiyeCore
import YiyeTestSupport

@testable import YiyeAPI

@Suite("统计看板 page: sign-in with a cookie session and CSRF, the figures the API gives, a department's own rows")
struct DashboardPageTests {
    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var text: String

        /// The value of a Set-Cookie of this answer.
        func cookie(_ name: String) -> String? {
            headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
        }

        func cookieValue(_ name: String) -> String? {
            cookie(name).map { String($0.dropFirst(name.count + 1).prefix { $0 != ";" }) }
        }

        /// The value attribute of the hidden field `name`.
        func field(_ name: String) -> String? {
            guard let range = text.range(of: "name=\"\(name)\" value=\"") else { return nil }
            return String(text[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    static func fetch(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, cookies: [String: String] = [:], form: String? = nil
    ) async throws -> Page {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let page = try await client.execute(uri: uri, method: method, headers: headers, body: form.map { ByteBuffer(string: $0) }) {
            Page(status: $0.status, headers: $0.headers, text: String(buffer: $0.body))
        }
        // A value the page did not have is left out, never written as Swift's "nil".
        #expect(!page.text.contains(">nil<") && !page.text.contains("\"nil\""), "\(uri) shows nil")
        return page
    }

    /// Signs in through the page and returns the session cookie's value.
    static func signIn(_ client: any TestClientProtocol, _ username: String) async throws -> String {
        let form = try await fetch(client, .get, "/signin?next=%2Fdashboard%3Fyear%3D2025")
        let csrf = try #require(form.field("csrf"))
        #expect(form.cookieValue("yiye_signin") == csrf)
        let answer = try await fetch(
            client, .post, "/signin", cookies: ["yiye_signin": csrf],
            form: "csrf=\(csrf)&next=%2Fdashboard%3Fyear%3D2025&username=\(username)&password=\(TestDatabase.demoPassword)")
        #expect(answer.status == .found && answer.headers[.location] == "/dashboard?year=2025")
        let cookie = try #require(answer.cookie("yiye_session"))
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
        return try #require(answer.cookieValue("yiye_session"))
    }

    /// The text of a KPI card's value.
    static func kpi(_ page: Page, _ key: String) -> String? {
        guard let card = page.text.range(of: "data-kpi=\"\(key)\"") else { return nil }
        guard let value = page.text[card.upperBound...].range(of: "<div class=\"value\">") else { return nil }
        return String(page.text[value.upperBound...].prefix { $0 != "<" })
    }

    @Test("the office signs in through the page and sees the county's figures as the API counts them, drawn without scripts from elsewhere")
    func officeSeesFigures() async throws {
        try await DashboardAPITests.withCounty { client in
            let unsigned = try await Self.fetch(client, .get, "/dashboard?year=2025")
            #expect(unsigned.status == .found && unsigned.headers[.location]?.hasPrefix("/signin?next=") == true)
            let session = try await Self.signIn(client, "office.office_viewer")
            let page = try await Self.fetch(client, .get, "/dashboard?year=2025", cookies: ["yiye_session": session])
            #expect(page.status == .ok && page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains("（双随机、一公开监管工作领导小组办公室）"), "who is signed in, by department name")
            #expect(page.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("frame-ancestors 'none'") == true)
            // The hand-worked figures of DashboardAPITests, as the page writes them.
            #expect(Self.kpi(page, "completion") == "25.0%")
            #expect(Self.kpi(page, "coverage") == "50.0%")
            #expect(Self.kpi(page, "joint") == "75.0%")
            #expect(Self.kpi(page, "avoided") == "3")
            #expect(Self.kpi(page, "problems") == "40.0%")
            #expect(Self.kpi(page, "timely") == "57.1%")
            #expect(Self.kpi(page, "overdue") == "5")
            #expect(page.text.contains("2025年") && page.text.contains("消防救援大队") && page.text.contains("加油站秋季联合抽查：2 个抽中对象的检查结果公示"))
            // The charts are SVG in the page with their numbers; nothing is loaded from another site.
            #expect(page.text.contains(#"<g data-label="4月" data-value="2">"#))
            #expect(page.text.contains(#"<g data-label="未发现问题" data-value="3">"#))
            #expect(!page.text.contains("src=\"http") && !page.text.contains("href=\"http"))
            #expect(!page.text.contains("<script>"), "no inline script")
            #expect(page.text.contains("打印版") && !page.text.contains(#"download="""#), "the printable report opens, it is not downloaded")
            // Drill-down links keep the period.
            #expect(page.text.contains(#"href="/dashboard?department=fire&amp;year=2025""#))
            let css = try await Self.fetch(client, .get, "/static/yiye.css")
            #expect(css.status == .ok && css.text.contains("@page { size: A4 landscape"))
            #expect(try await Self.fetch(client, .get, "/static/..%2Fsecret.css").status == .notFound)
        }
    }

    @Test("a department's page has its own row only; a bad filter shows the Chinese error on the page")
    func departmentPage() async throws {
        try await DashboardAPITests.withCounty { client in
            let session = try await Self.signIn(client, "fire.inspector")
            let page = try await Self.fetch(client, .get, "/dashboard?year=2025", cookies: ["yiye_session": session])
            let departments = try #require(page.text.range(of: #"<table class="figures" id="departments">"#))
            let table = page.text[departments.upperBound...].components(separatedBy: "</table>")[0]
            #expect(table.contains("消防救援大队") && !table.contains("商务局") && !table.contains("市场监督管理局"))
            #expect(!page.text.contains("药品零售"), "fire takes no part in drug retail")
            #expect(Self.kpi(page, "overdue") == "4")
            let bad = try await Self.fetch(client, .get, "/dashboard?year=2025&quarter=1&month=2", cookies: ["yiye_session": session])
            #expect(bad.status == .badRequest && bad.text.contains("季度与月份只能选择其一"))
        }
    }

    @Test("CSRF: a sign-in without the form's token and a sign-out without the session's are refused; the cookie never writes to the API")
    func csrf() async throws {
        try await DashboardAPITests.withCounty { client in
            let forged = try await Self.fetch(
                client, .post, "/signin", form: "username=office.office_viewer&password=\(TestDatabase.demoPassword)&csrf=x")
            #expect(forged.status == .forbidden && forged.cookie("yiye_session") == nil && forged.text.contains("页面已过期"))
            let form = try await Self.fetch(client, .get, "/signin")
            let token = try #require(form.field("csrf"))
            let wrong = try await Self.fetch(
                client, .post, "/signin", cookies: ["yiye_signin": token],
                form: "username=office.office_viewer&password=wrong&csrf=\(token)")
            #expect(wrong.status == .unauthorized && wrong.text.contains("用户名或密码错误") && wrong.cookie("yiye_session") == nil)
            #expect(WebPages.safeNext("//evil.example/") == nil && WebPages.safeNext("/dashboard") == "/dashboard")

            let session = try await Self.signIn(client, "office.office_admin")
            // The cookie reads (GET) but never writes: a POST to the API with only the cookie is not signed in.
            let read = try await Self.fetch(client, .get, "/api/v1/sessions/current", cookies: ["yiye_session": session])
            #expect(read.status == .ok)
            let write = try await Self.fetch(client, .post, "/api/v1/departments", cookies: ["yiye_session": session])
            #expect(write.status == .unauthorized)
            // Sign-out needs the session's CSRF token.
            let refused = try await Self.fetch(client, .post, "/signout", cookies: ["yiye_session": session], form: "csrf=nope")
            #expect(refused.status == .forbidden)
            #expect(try await Self.fetch(client, .get, "/api/v1/sessions/current", cookies: ["yiye_session": session]).status == .ok)
            let page = try await Self.fetch(client, .get, "/dashboard?year=2025", cookies: ["yiye_session": session])
            let csrf = try #require(page.field("csrf"))
            #expect(csrf == WebSession.csrfToken(session: session))
            let out = try await Self.fetch(client, .post, "/signout", cookies: ["yiye_session": session], form: "csrf=\(csrf)")
            #expect(
                out.status == .found && out.headers[.location] == "/signin" && out.cookie("yiye_session")?.contains("Max-Age=0") == true)
            #expect(
                try await Self.fetch(client, .get, "/api/v1/sessions/current", cookies: ["yiye_session": session]).status == .unauthorized)
        }
    }
}
