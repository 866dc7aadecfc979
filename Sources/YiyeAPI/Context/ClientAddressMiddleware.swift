import HTTPTypes
import Hummingbird

/// Behind a reverse proxy every peer is the proxy: for a peer in `trustedProxies` (`--trusted-proxies`; a unix
/// socket's peer counts as one when `"unix"` is listed), the client is the last address of `X-Forwarded-For` that is not
/// itself a trusted proxy. Anyone else's `X-Forwarded-For` is ignored (a client could write anything there).
struct ClientAddressMiddleware: RouterMiddleware {
    let trustedProxies: Set<String>
    static let header = HTTPField.Name("X-Forwarded-For")!

    func handle(
        _ request: Request, context: YiyeRequestContext, next: (Request, YiyeRequestContext) async throws -> Response
    ) async throws -> Response {
        guard !trustedProxies.isEmpty, trustedProxies.contains(context.clientAddress ?? "unix"),
            let forwarded = request.headers[Self.header]
        else { return try await next(request, context) }
        var context = context
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if let client = hops.reversed().first(where: { !trustedProxies.contains($0) }), Self.looksLikeAddress(client) {
            context.clientAddress = client
        }
        return try await next(request, context)
    }

    /// An IPv4 or IPv6 address's characters only, at most 45 of them.
    static func looksLikeAddress(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 45 && text.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" }
    }
}
