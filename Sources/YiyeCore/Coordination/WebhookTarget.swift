#if canImport(Glibc)
    import Glibc
#endif

/// Where a webhook may send (SSRF, 等保 access control): a receiver on the public internet, unless the server was told
/// that its county's own network is fine. Checked when the webhook is saved and again before every delivery (a name
/// may resolve elsewhere by then).
public enum WebhookTarget {
    /// The kind of network a numeric IPv4 or IPv6 `address` is in, in Chinese, when it is not a public one.
    public static func nonPublicKind(of address: String) -> String? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            let bytes = withUnsafeBytes(of: v4.s_addr) { Array($0) }
            return kind(ipv4: bytes)
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return "无法识别的地址" }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return kind(ipv4: Array(bytes[12..<16]))  // ::ffff:a.b.c.d
        }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) { return bytes[15] == 1 ? "本机回环地址" : "未指定地址" }
        if bytes[0] == 0xfe, bytes[1] & 0xc0 == 0x80 { return "链路本地地址" }
        if bytes[0] & 0xfe == 0xfc { return "内网地址" }
        if bytes[0] == 0xff { return "组播地址" }
        return nil
    }

    private static func kind(ipv4 b: [UInt8]) -> String? {
        switch (b[0], b[1]) {
        case (127, _): "本机回环地址"
        case (169, 254): "链路本地地址"
        case (10, _), (192, 168): "内网地址"
        case (172, let second) where (16...31).contains(second): "内网地址"
        case (100, let second) where (64...127).contains(second): "运营商内网地址"
        case (0, _): "未指定地址"
        case (198, let second) where second == 18 || second == 19: "保留地址"
        case (192, 0) where b[2] == 0: "保留地址"
        case (let first, _) where first >= 224: "组播或保留地址"
        default: nil
        }
    }

    /// Refuses `host` when it resolves to nothing, or to any address that is not public.
    public static func check(host: String, addresses: [String]) throws(DomainError) {
        guard !addresses.isEmpty else {
            throw DomainError(.webhookTargetNotPublic, "无法解析 Webhook 地址的主机名「\(host)」", field: "url")
        }
        for address in addresses {
            if let kind = nonPublicKind(of: address) {
                throw DomainError(
                    .webhookTargetNotPublic,
                    "Webhook 地址「\(host)」指向\(kind)（\(address)），为防止服务端请求伪造不予发送；确需发往本单位内网的，由系统管理员以 --webhook-allow-private 启动",
                    field: "url")
            }
        }
    }
}
