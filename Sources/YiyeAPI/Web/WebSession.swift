import Foundation
import HTTPTypes
import Hummingbird
import YiyeCore

/// The browser's session (会话): the API's own session, its token carried in a cookie that scripts cannot read
/// (HttpOnly), that other sites' pages never send (SameSite=Strict), and that travels only over TLS when the request
/// came over TLS (Secure). `AuthenticationMiddleware` accepts it for reading (GET and HEAD) only: everything that
/// changes something needs the bearer token, or, for the pages' own forms, the session's CSRF token as well.
enum WebSession {
    static let cookie = "yiye_session"
    /// The sign-in form's own token, compared with the one in its hidden field (double submit): no session yet.
    static let signInCookie = "yiye_signin"

    /// The session token carried by the request's cookie.
    static func token(of request: Request) -> String? {
        request.cookies[cookie]?.value
    }

    /// A session's CSRF token: derived from its token, so that it needs no storage, differs per sign-in, and cannot be
    /// worked out without the cookie that scripts cannot read.
    static func csrfToken(session token: String) -> String {
        SM3.hex("yiye-csrf:" + token)
    }

    /// Whether two tokens are equal, in a time that does not depend on where they differ.
    static func same(_ given: String?, _ expected: String) -> Bool {
        guard let given else { return false }
        let (a, b) = (Array(given.utf8), Array(expected.utf8))
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Whether the browser reached us over TLS, directly or through a proxy that says so.
    static func overTLS(_ request: Request) -> Bool {
        request.uri.scheme == .https || request.headers[values: HTTPField.Name("X-Forwarded-Proto")!].first == "https"
    }

    static func cookie(_ name: String, _ value: String, maxAge: Int, for request: Request) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: overTLS(request), httpOnly: true, sameSite: .strict)
    }
}
