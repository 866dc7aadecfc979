import Foundation
import HTTPTypes
import Hummingbird
import YiyeCore
import YiyeStore

/// Resolves `Authorization: Bearer <token>` (or, for reading, the web session's cookie) to a session. It refuses nothing itself: each operation decides,
/// through `OperationAccess`, whether it needs a signed-in user.
struct AuthenticationMiddleware: RouterMiddleware {
    let sessions: SessionRepository
    let policy: SignInPolicy

    func handle(
        _ request: Request, context: YiyeRequestContext,
        next: (Request, YiyeRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        // The web pages' cookie counts for reading only (WebSession); a bearer token, when sent, decides.
        let cookie = [.get, .head].contains(request.method) ? WebSession.token(of: request) : nil
        if let presented = request.headers[.authorization].map(Self.bearerToken) ?? cookie.map(Optional.some) {
            context.credentials = .invalid
            if let token = presented, (20...200).contains(token.utf8.count) {
                let tokenHash = SM3.hex(token)
                if let actor = try await sessions.actor(tokenHash: tokenHash, policy: policy) {
                    context.credentials = .session(actor: actor, tokenHash: tokenHash)
                    context.logger[metadataKey: "user"] = .string(actor.username)
                }
            }
        }
        return try await next(request, context)
    }

    static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return (20...200).contains(token.utf8.count) ? token : nil
    }
}
