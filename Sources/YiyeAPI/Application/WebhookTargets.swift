import Foundation
import YiyeCore

#if canImport(Glibc)
    import Glibc
#endif

/// The server's rule for webhook receivers (`WebhookTarget`), with the names resolved as the sender would.
struct WebhookTargets: Sendable {
    /// `--webhook-allow-private`: a county's receivers on its own network.
    let allowPrivate: Bool

    /// Refuses `url` unless its host resolves to public addresses only (or private ones are allowed).
    func check(_ url: String) async throws(DomainError) {
        guard !allowPrivate, let host = URLComponents(string: url)?.host else { return }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        try WebhookTarget.check(host: bare, addresses: await Self.addresses(of: bare))
    }

    /// The numeric addresses `host` resolves to (itself when numeric), none when it does not resolve.
    static func addresses(of host: String) async -> [String] {
        await Task.detached {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
            defer { freeaddrinfo(first) }
            var found: [String] = []
            var entry: UnsafeMutablePointer<addrinfo>? = first
            while let current = entry {
                var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST)
                    == 0
                {
                    found.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
                }
                entry = current.pointee.ai_next
            }
            return found
        }.value
    }
}
