import Foundation

/// A department's outbound webhook: each of its notifications is POSTed as JSON to `url`, signed with HMAC-SM3
/// under the webhook's secret, and retried with growing pauses until the receiver answers 2xx or the attempts run out.
public struct Webhook: Sendable, Equatable {
    public var id: Int64?
    public var department: DepartmentCode
    public var url: String
    public var active: Bool

    public init(id: Int64? = nil, department: DepartmentCode, url: String, active: Bool = true) {
        self.id = id
        self.department = department
        self.url = url
        self.active = active
    }

    /// An absolute http(s) URL with a host, at most 500 characters.
    public static func validate(url: String) throws(DomainError) {
        guard url.count <= 500, let components = URLComponents(string: url),
            ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
            let host = components.host, !host.isEmpty, components.user == nil
        else { throw DomainError(.invalidValue, "Webhook 地址须为 http 或 https 的完整地址（不含用户名密码），不超过 500 个字符", field: "url") }
    }

    /// Attempts before a delivery counts as failed.
    public static let maximumAttempts = 6

    /// The pause before attempt `attempt + 1`: `base`, then doubling, at most an hour.
    public static func retryDelay(afterAttempt attempt: Int, base: Duration) -> Duration {
        min(base * (1 << min(max(attempt - 1, 0), 20)), .seconds(3600))
    }

    /// The signature header's value: `hmac-sm3=` and the hex HMAC-SM3 of `timestamp.body` under `secret`.
    public static func signature(secret: String, timestamp: Int, body: [UInt8]) -> String {
        let message = Array("\(timestamp).".utf8) + body
        return "hmac-sm3=" + Hex.encode(HMACSM3.authenticationCode(for: message, key: Array(secret.utf8)))
    }
}
