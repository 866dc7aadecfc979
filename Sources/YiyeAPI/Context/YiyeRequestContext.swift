import Hummingbird
import Logging
import NIOCore
import YiyeCore

/// The router's request context: Hummingbird's core storage plus what every handler needs to know about the
/// request: its id, the peer, and who is signed in.
public struct YiyeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `RequestIDMiddleware` before anything else runs.
    public var requestID: String = ""
    /// The client's address, for the audit trail and the sign-in limit: the peer's, or, from a trusted reverse
    /// proxy, the one it forwarded (`ClientAddressMiddleware`); nil on a unix socket without a proxy's word.
    public var clientAddress: String?
    /// Set by `AuthenticationMiddleware`.
    public var credentials: Credentials = .none

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// JSON bodies above this are refused with 413 before decoding.
    public static let maxJSONBody = 2 * 1024 * 1024
    public var maxUploadSize: Int { Self.maxJSONBody }
}

/// What the request's bearer token amounted to.
public enum Credentials: Sendable, Equatable {
    /// No Authorization header.
    case none
    /// A token that is unknown, ended, timed out, or of a disabled user.
    case invalid
    /// A live session.
    case session(actor: Actor, tokenHash: String)

    var actor: Actor? {
        if case .session(let actor, _) = self { return actor }
        return nil
    }
}

/// What the OpenAPI handlers know about the request being served; the generated handlers receive only their
/// typed input, so the context travels beside them in a task-local.
public struct RequestScope: Sendable {
    public var requestID: String
    public var clientAddress: String?
    public var credentials: Credentials
    public var logger: Logger

    @TaskLocal public static var current = RequestScope(
        requestID: "-", clientAddress: nil, credentials: .none, logger: Logger(label: "yiye"))
}

/// Puts the request's context into `RequestScope.current` for the OpenAPI handlers; the innermost middleware.
struct RequestScopeMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: YiyeRequestContext,
        next: (Request, YiyeRequestContext) async throws -> Response
    ) async throws -> Response {
        let scope = RequestScope(
            requestID: context.requestID, clientAddress: context.clientAddress,
            credentials: context.credentials, logger: context.logger
        )
        return try await RequestScope.$current.withValue(scope) {
            try await next(request, context)
        }
    }
}
