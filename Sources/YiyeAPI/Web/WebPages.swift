import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import YiyeContract
import YiyeCore
import YiyeStore

/// The web pages (网页): sign-in, sign-out and the office's dashboard, rendered on the server from the templates in
/// `Web/Templates` with one layout, their stylesheet and script served from `Web/Static`; nothing is loaded from
/// elsewhere, for intranets without the internet. A page checks who may see it exactly as the API does
/// (`AccessMiddleware.admit` with the operation it shows) and every form carries a CSRF token.
struct WebPages: Sendable {
    let handlers: APIHandlers
    let library: MustacheLibrary
    let audit: AuditTrail

    /// The templates and assets, as resources of this module.
    static func load() async throws -> MustacheLibrary {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw StoreError.unexpected("the web templates are missing from the build")
        }
        return try await MustacheLibrary(directory: directory.path)
    }

    func register(on router: Router<YiyeRequestContext>) {
        router.get("/") { _, _ in Response.redirect(to: "/work", type: .normal) }
        router.get("/signin") { request, _ in try signInPage(request, error: nil, status: .ok) }
        router.post("/signin") { request, _ in try await signIn(request) }
        router.post("/signout") { request, _ in try await signOut(request) }
        router.get("/password") { request, _ in passwordPage(request, error: nil, status: .ok) }
        router.post("/password") { request, _ in try await changePassword(request) }
        router.get("/dashboard") { request, _ in try await dashboardPage(request) }
        router.get("/work") { request, _ in try await workPage(request) }
        registerCallPages(on: router)
        registerDrawPages(on: router)
        registerResultPages(on: router)
        registerCluePages(on: router)
        registerMeetingPages(on: router)
        registerTaskPages(on: router)
        registerPlanPages(on: router)
        router.get("/static/{name}") { _, context in try staticFile(context.parameters.get("name") ?? "") }
    }

    // MARK: sign-in and sign-out

    struct SignInForm: Decodable {
        var username: String?
        var password: String?
        var csrf: String?
        var next: String?
    }

    func signInPage(_ request: Request, error: String?, status: HTTPResponse.Status, username: String = "") throws -> Response {
        let next = Self.safeNext(request.uri.queryParameters.get("next")) ?? "/work"
        return signedOutForm("signin", ["title": "登录", "next": next, "username": username, "error": error], status: status, for: request)
    }

    /// A form for one who is not signed in (sign-in, 修改密码): its CSRF token in the form and in a short cookie.
    func signedOutForm(_ template: String, _ context: [String: Any?], status: HTTPResponse.Status, for request: Request) -> Response {
        let token = Base64URL.encode(SecureRandom.bytes(24))
        var context = context
        context["csrf"] = token
        var response = page(template, context.compactMapValues { $0 }, status: status)
        response.setCookie(WebSession.cookie(WebSession.signInCookie, token, maxAge: 3600, for: request))
        return response
    }

    func signIn(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 16_384)
        let form = (try? URLEncodedFormDecoder().decode(SignInForm.self, from: String(buffer: body))) ?? SignInForm()
        guard WebSession.same(form.csrf, request.cookies[WebSession.signInCookie]?.value ?? "") else {
            return try signInPage(request, error: "页面已过期，请重新登录", status: .forbidden)
        }
        do {
            let (token, expiresAt, _) = try await handlers.signIn(username: form.username ?? "", password: form.password ?? "")
            var response = Response.redirect(to: Self.safeNext(form.next) ?? "/work", type: .found)
            let maxAge = max(60, Int(expiresAt.timeIntervalSince(handlers.clock.now)))
            response.setCookie(WebSession.cookie(WebSession.cookie, token, maxAge: maxAge, for: request))
            response.setCookie(WebSession.cookie(WebSession.signInCookie, "", maxAge: 0, for: request))
            return response
        } catch let error as APIError {
            return try signInPage(request, error: error.message, status: error.status, username: form.username ?? "")
        }
    }

    struct PasswordForm: Decodable {
        var username: String?
        var current: String?
        var new: String?
        var repeated: String?
        var csrf: String?
    }

    /// 修改密码: one's own, with the current one, also when it has expired (then signing in says so and links here).
    func passwordPage(
        _ request: Request, error: String?, status: HTTPResponse.Status, username: String? = nil, field: String? = nil
    ) -> Response {
        signedOutForm(
            "password",
            [
                "title": "修改密码", "username": username ?? request.uri.queryParameters.get("username") ?? "",
                "minimum": PasswordPolicy.minimumLength, "error": error, "newInvalid": field == "newPassword" ? true : nil,
            ], status: status, for: request)
    }

    func changePassword(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 16_384)
        let form = (try? URLEncodedFormDecoder().decode(PasswordForm.self, from: String(buffer: body))) ?? PasswordForm()
        let username = form.username ?? ""
        guard WebSession.same(form.csrf, request.cookies[WebSession.signInCookie]?.value ?? "") else {
            return passwordPage(request, error: "页面已过期，请重新填写", status: .forbidden, username: username)
        }
        guard form.new == form.repeated else {
            return passwordPage(request, error: "两次输入的新密码不一致", status: .unprocessableContent, username: username, field: "newPassword")
        }
        do {
            try await handlers.changeOwnPassword(username: username, current: form.current ?? "", new: form.new ?? "")
        } catch let error as APIError {
            return passwordPage(request, error: error.message, status: error.status, username: username)
        } catch let error as DomainError {
            return passwordPage(request, error: error.message, status: .unprocessableContent, username: username, field: error.field)
        }
        return page(
            "message", ["title": "密码已修改", "message": "密码已修改，原有登录已全部退出。请用新密码登录。", "link": "/signin", "linkText": "去登录"],
            status: .ok)
    }

    func signOut(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 4_096)
        let form = (try? URLEncodedFormDecoder().decode(SignInForm.self, from: String(buffer: body))) ?? SignInForm()
        if let token = WebSession.token(of: request), WebSession.same(form.csrf, WebSession.csrfToken(session: token)) {
            let tokenHash = SM3.hex(token)
            if let actor = try await handlers.sessions.actor(tokenHash: tokenHash, policy: handlers.signIn) {
                try await handlers.sessions.end(
                    tokenHash: tokenHash, audit: handlers.entry(actor, "session.logout", "user", actor.username))
            }
        } else if WebSession.token(of: request) != nil {
            return page("message", ["title": "无法退出", "message": "页面已过期，请刷新后再退出。"], status: .forbidden)
        }
        var response = Response.redirect(to: "/signin", type: .found)
        response.setCookie(WebSession.cookie(WebSession.cookie, "", maxAge: 0, for: request))
        return response
    }

    // MARK: the dashboard

    func dashboardPage(_ request: Request) async throws -> Response {
        try await view(request, "getDashboard") { actor in
            // Empty fields of the filter form are left out, as if not sent.
            let parameters = Dictionary(
                request.uri.queryParameters.compactMap { key, value in
                    ["year", "quarter", "month", "industry", "department", "region"].contains(String(key)) && !value.isEmpty
                        ? (String(key), String(value)) : nil
                }, uniquingKeysWith: { first, _ in first })
            var context = try await frame(request, actor, title: "统计看板", current: "dashboard")
            do {
                let query = try Self.dashboardQuery(parameters)
                let board = try await handlers.dashboardBoard(query, actor: actor)
                context["board"] = DashboardView(board: board, actor: actor, query: parameters)
                return page("dashboard", context, status: .ok)
            } catch let error as DomainError {
                context["error"] = error.message
            } catch let error as APIError where error.status == .notFound {
                context["error"] = error.message
            }
            return page("dashboard", context, status: .badRequest)
        }
    }

    /// The page's filters as the API's: a number that is not one is refused as the API refuses it.
    static func dashboardQuery(_ parameters: [String: String]) throws -> Operations.GetDashboard.Input.Query {
        func number(_ name: String, _ label: String) throws -> Int? {
            guard let text = parameters[name] else { return nil }
            guard let value = Int(text) else { throw DomainError(.invalidPeriod, "\(label)应为数字", field: name) }
            return value
        }
        if let region = parameters["region"],
            !(2...6).contains(region.count) || !region.allSatisfy { $0.isASCII && $0.isNumber } || region.first == "0"
        {
            throw DomainError(.invalidRegionCode, "地区代码应为 2 至 6 位数字（行政区划代码的开头）", field: "region")
        }
        return .init(
            year: try number("year", "年度"), quarter: try number("quarter", "季度"), month: try number("month", "月份"),
            industry: parameters["industry"], department: parameters["department"], region: parameters["region"])
    }

    // MARK: rendering

    func page(_ template: String, _ context: [String: Any], status: HTTPResponse.Status) -> Response {
        let html = library.render(Self.present(context) ?? [:], withTemplate: template) ?? ""
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The context as the templates read it: a value that is absent (nil) or an empty text is left out, so that
    /// `{{#name}}` shows only what is there (Mustache would show both, and write nil as "nil").
    static func present(_ value: Any) -> Any? {
        switch value {
        case let text as String: return text.isEmpty ? nil : text
        case let dictionary as [String: Any]: return dictionary.compactMapValues(present)
        case let list as [[String: Any]]: return list.map { $0.compactMapValues(present) }
        default:
            let mirror = Mirror(reflecting: value)
            guard mirror.displayStyle == .optional else { return value }
            return mirror.children.first.flatMap { present($0.value) }
        }
    }

    func staticFile(_ name: String) throws -> Response {
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"]
        let parts = name.split(separator: ".")
        guard parts.count == 2, parts[0].allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }),
            let type = types[String(parts[1])],
            let url = Bundle.module.url(forResource: String(parts[0]), withExtension: String(parts[1]), subdirectory: "Static"),
            let data = FileManager.default.contents(atPath: url.path)
        else { throw APIError.notFound("文件") }
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "max-age=3600"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Where to go after signing in: a path of this site only, never another site's address.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next.count <= 500 else { return nil }
        return next
    }

    static func escapedNext(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/dashboard"
    }
}
