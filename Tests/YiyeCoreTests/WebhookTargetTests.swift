import Testing
import YiyeCore

@Suite("Where a webhook may send (SSRF)")
struct WebhookTargetTests {
    @Test("public addresses pass; loopback, link-local, private, carrier-grade, unspecified and multicast do not")
    func kinds() {
        for address in ["8.8.8.8", "114.114.114.114", "172.32.0.1", "100.128.0.1", "2400:3200::1", "::ffff:8.8.8.8"] {
            #expect(WebhookTarget.nonPublicKind(of: address) == nil, "\(address)")
        }
        let refused: [String: String] = [
            "127.0.0.1": "本机回环地址", "127.255.0.9": "本机回环地址", "::1": "本机回环地址", "169.254.169.254": "链路本地地址",
            "fe80::1": "链路本地地址", "10.0.0.1": "内网地址", "172.16.0.1": "内网地址", "172.31.255.255": "内网地址",
            "192.168.1.1": "内网地址", "fd12::1": "内网地址", "::ffff:10.0.0.1": "内网地址", "100.64.0.1": "运营商内网地址",
            "0.0.0.0": "未指定地址", "::": "未指定地址", "224.0.0.1": "组播或保留地址", "ff02::1": "组播地址", "fe80::1%eth0": "无法识别的地址",
        ]
        for (address, kind) in refused {
            #expect(WebhookTarget.nonPublicKind(of: address) == kind, "\(address)")
        }
    }

    @Test("a host is refused when any of its addresses is not public, or when it resolves to none")
    func hosts() {
        #expect(throws: Never.self) { try WebhookTarget.check(host: "hooks.example.cn", addresses: ["8.8.8.8"]) }
        #expect(throws: DomainError.self) { try WebhookTarget.check(host: "mixed.example.cn", addresses: ["8.8.8.8", "10.0.0.1"]) }
        #expect(throws: DomainError.self) { try WebhookTarget.check(host: "gone.example.cn", addresses: []) }
    }
}
