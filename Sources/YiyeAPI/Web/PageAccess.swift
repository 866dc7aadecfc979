import Foundation
import HTTPTypes
import Hummingbird
import YiyeCore
import YiyeStore

/// How every page decides who may see it and who may send its forms: through the API's own access check
/// (`AccessMiddleware.admit` with the operation the page shows or performs) and the API's own handlers, so that a
/// page never allows what the API refuses. A refusal is a page in Chinese with the API's status.
extension WebPages {
    /// A page for a signed-in user who may call `operation`; anyone else is sent to sign in first.
    func view(_ request: Request, _ operation: String, _ body: (Actor) async throws -> Response) async throws -> Response {
        guard RequestScope.current.credentials.actor != nil else { return signInFirst(request.uri.description) }
        do {
            guard let actor = try await AccessMiddleware.admit(operation, audit: audit) else { throw APIError.internal }
            return try await body(actor)
        } catch {
            return try refusal(error)
        }
    }

    /// A page's form, posted with the session's cookie: its CSRF token must be the session's, then `operation` runs
    /// as the signed-in user exactly as the API runs it. A refusal is recorded in the audit trail as the API's are
    /// and handed to `refused`, which shows the form again with the message next to its field.
    func submit(
        _ request: Request, _ operation: String, back: String,
        _ body: (WebForm, Actor) async throws -> Response,
        refused: (WebForm, APIError) async throws -> Response
    ) async throws -> Response {
        let form = try await WebForm.read(request)
        return try await asSignedIn(request, operation, csrf: form["csrf"]) { actor in
            try await body(form, actor)
        } refused: { error in
            // A refusal of the user, not of what they typed, is not shown as a form to correct.
            if [.unauthorized, .forbidden, .notFound].contains(error.status) { return try refusal(error) }
            return try await refused(form, error)
        } signedOut: {
            signInFirst(back)
        }
    }

    /// A page script's request (an evidence file from the camera): the CSRF token in the `X-CSRF-Token` header, the
    /// answer and any refusal as JSON in the API's error envelope.
    func scripted(_ request: Request, _ operation: String, _ body: (Actor) async throws -> Response) async throws -> Response {
        try await asSignedIn(request, operation, csrf: request.headers[HTTPField.Name("X-CSRF-Token")!]) { actor in
            try await body(actor)
        } refused: { error in
            ErrorMiddleware.response(for: error, requestID: RequestScope.current.requestID)
        } signedOut: {
            ErrorMiddleware.response(
                for: APIError(.unauthorized, "unauthenticated", "请先登录"), requestID: RequestScope.current.requestID)
        }
    }

    /// Runs `operation` as the user of the request's cookie session when `csrf` is that session's token, through the
    /// API's access check; a refusal (any 4xx) is recorded in the audit trail as the API's are.
    private func asSignedIn(
        _ request: Request, _ operation: String, csrf: String?, _ body: (Actor) async throws -> Response,
        refused: (APIError) async throws -> Response, signedOut: () -> Response
    ) async throws -> Response {
        guard let token = WebSession.token(of: request),
            let actor = try await handlers.sessions.actor(tokenHash: SM3.hex(token), policy: handlers.signIn)
        else { return signedOut() }
        guard WebSession.same(csrf, WebSession.csrfToken(session: token)) else {
            return try await refused(APIError(.forbidden, "csrf_mismatch", "页面已过期或不是从本系统打开的，请刷新页面后重新提交。"))
        }
        var scope = RequestScope.current
        scope.credentials = .session(actor: actor, tokenHash: SM3.hex(token))
        return try await RequestScope.$current.withValue(scope) {
            do {
                guard let admitted = try await AccessMiddleware.admit(operation, audit: audit) else { throw APIError.internal }
                return try await body(admitted)
            } catch {
                let apiError = APIError.from(error, logger: scope.logger)
                guard apiError.status.code < 500 else { throw error }
                if !apiError.audited {
                    try await audit.record(
                        ErrorMiddleware.failure(
                            apiError, route: "POST \(request.uri.path)", actor: actor, clientAddress: scope.clientAddress,
                            requestID: scope.requestID))
                }
                return try await refused(apiError)
            }
        }
    }

    /// A form that does one step on a page and comes back to it (`path`): `step` runs as `operation`; a refusal is
    /// shown on the page `show` draws, with the error and its status.
    func step(
        _ request: Request, _ operation: String, returningTo path: String,
        show: @escaping (Actor, APIError) async throws -> Response,
        _ step: (WebForm, Actor) async throws -> Void
    ) async throws -> Response {
        try await submit(request, operation, back: path) { form, actor in
            try await step(form, actor)
            return Response.redirect(to: path, type: .normal)
        } refused: { _, error in
            try await show(try handlers.admittedActor(), error)
        }
    }

    /// The positive whole number in the path's `id`; anything else is the page of a `what` that does not exist.
    static func pathID(_ context: YiyeRequestContext, _ what: String, name: String = "id") throws -> Int64 {
        guard let id = context.parameters.get(name).flatMap(Int64.init), id > 0 else { throw APIError.notFound(what) }
        return id
    }

    /// What the API's refusal says, as a page; server errors go on to the error middleware.
    func refusal(_ error: any Error) throws -> Response {
        let apiError = APIError.from(error, logger: RequestScope.current.logger)
        guard apiError.status.code < 500 else { throw error }
        let title = apiError.status == .notFound ? "未找到" : apiError.status == .forbidden ? "无权操作" : "无法办理"
        return message(title, apiError.message, status: apiError.status)
    }

    /// The API's refusal of a form: next to its field when the form has that field (a dotted field as `a_b`, since
    /// templates read dots as nesting), above the form otherwise.
    static func formError(_ error: APIError?, fields: Set<String>) -> [String: Any] {
        guard let error else { return [:] }
        if let field = error.field, fields.contains(field) {
            return ["at": [field.replacingOccurrences(of: ".", with: "_"): error.message]]
        }
        return ["general": error.message]
    }

    func message(_ title: String, _ text: String, status: HTTPResponse.Status) -> Response {
        page("message", ["title": title, "message": text], status: status)
    }

    func signInFirst(_ path: String) -> Response {
        Response.redirect(to: "/signin?next=" + Self.escapedNext(path), type: .found)
    }

    /// What every signed-in page shows around its body: who is signed in, the navigation, the CSRF token of the
    /// session's forms, and how many things wait for the user (待办).
    func frame(_ request: Request, _ actor: Actor, title: String, current: String) async throws -> [String: Any] {
        let user = try await handlers.users.find(actor.username)
        let names = try await handlers.departments.names()
        let navigation: [[String: Any]] = [
            ("work", "我的待办"), ("plans", "年度计划"), ("tasks", "抽查任务"), ("calls", "吹哨响应"), ("clues", "问题线索"), ("meetings", "议事会商"),
            ("dashboard", "统计看板"),
        ].map {
            ["href": "/" + $0.0, "label": $0.1, "current": current == $0.0]
        }
        return [
            "title": title,
            "user": ["name": user?.displayName ?? actor.username, "department": names[name: actor.department]],
            "navigation": navigation,
            "csrf": WebSession.token(of: request).map(WebSession.csrfToken(session:)) ?? "",
        ]
    }
}
