import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import YiyeAPI
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("Outbound webhooks")
struct WebhookAPITests {
    /// What the receiver saw: the signature headers and the body of each POST.
    struct Received: Sendable {
        var delivery: String, timestamp: String, signature: String, body: String
    }

    @Test("a department's notifications are POSTed signed with HMAC-SM3, retried after a failure, every attempt logged")
    func delivery() async throws {
        let received = Mutex<[Received]>([])
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let count = received.withLock {
                $0.append(
                    Received(
                        delivery: request.headers[HTTPField.Name("X-Yiye-Delivery")!] ?? "",
                        timestamp: request.headers[HTTPField.Name("X-Yiye-Timestamp")!] ?? "",
                        signature: request.headers[HTTPField.Name("X-Yiye-Signature")!] ?? "", body: body))
                return $0.count
            }
            return count == 1 ? .internalServerError : .ok
        }
        router.post("/down") { _, _ -> HTTPResponse.Status in .serviceUnavailable }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await receiver.test(.live) { hook in
            let port = try #require(hook.port)
            try await TestDatabase.shared.withDatabase(demo: true) { url in
                let app = try await buildApplication(
                    AppConfiguration(
                        database: .url(url), migrate: false, logLevel: .error, auditKey: TestDatabase.auditKeyURL,
                        checkpointInterval: .seconds(3600),
                        webhookInterval: .milliseconds(50), webhookRetryBase: .milliseconds(50),
                        evidenceDirectory: scratchEvidenceDirectory(), webhookAllowPrivate: true
                    ))
                try await app.test(.router) { client in
                    let fire = try await client.signIn("fire.dept_admin")
                    #expect(
                        try await client.request(.post, "/api/v1/webhooks", json: ["url": "ftp://example.org/x"], token: fire).errorField
                            == "url")
                    #expect(
                        try await client.request(
                            .post, "/api/v1/webhooks", json: ["url": "http://127.0.0.1/x"],
                            token: try await client.signIn("fire.dept_head")
                        ).status == .forbidden)
                    let created = try await client.request(
                        .post, "/api/v1/webhooks", json: ["url": "http://127.0.0.1:\(port)/hook"], token: fire)
                    #expect(created.status == .created)
                    let webhook = try created.decode(Schemas.Webhook.self)
                    let secret = try #require(webhook.secret)
                    let webhookID = webhook.id
                    #expect(secret.count == 64)
                    #expect(
                        try await client.get("/api/v1/webhooks", token: fire, as: Schemas.WebhookPage.self).items.first?.secret == nil,
                        "the secret is shown once")

                    // samr's receiver is down: six attempts, then the delivery counts as failed.
                    let samr = try await client.signIn("samr.dept_admin")
                    let down = try await client.request(
                        .post, "/api/v1/webhooks", json: ["url": "http://127.0.0.1:\(port)/down"], token: samr)
                    let downID = try down.decode(Schemas.Webhook.self).id

                    let commerce = try await client.signIn("commerce.dept_head")
                    _ = try await client.request(.post, "/api/v1/calls", json: CallAPITests.call, token: commerce)
                    for _ in 0..<100 where received.withLock({ $0.count }) < 2 { try await Task.sleep(for: .milliseconds(100)) }
                    let posts = received.withLock { $0 }
                    #expect(posts.count == 2, "the 500 is retried once, then delivered")
                    #expect(Set(posts.map(\.delivery)).count == 1 && Set(posts.map(\.body)).count == 1)
                    for post in posts {
                        let expected = Webhook.signature(secret: secret, timestamp: Int(post.timestamp) ?? 0, body: Array(post.body.utf8))
                        #expect(post.signature == expected)
                        #expect(
                            post.signature
                                != Webhook.signature(secret: "other", timestamp: Int(post.timestamp) ?? 0, body: Array(post.body.utf8)))
                    }
                    // The posted notice: the notification's fields, without the per-user read flag.
                    struct Posted: Decodable {
                        var kind: Schemas.Notification.KindPayload
                        var department: String
                    }
                    let body = try JSONDecoder.contract.decode(Posted.self, from: Data(posts[0].body.utf8))
                    #expect(body.kind == .callRaised && body.department == "fire")

                    // The receiver answers before the sender records the attempt: wait for the record.
                    func deliveries(_ id: Int64, _ token: String) async throws -> [Schemas.WebhookDeliveryPage.ItemsPayloadPayload] {
                        try await client.get("/api/v1/webhooks/\(id)/deliveries", token: token, as: Schemas.WebhookDeliveryPage.self).items
                    }
                    var log: [Schemas.WebhookDeliveryPage.ItemsPayloadPayload] = []
                    for _ in 0..<100 {
                        log = try await deliveries(webhookID, fire)
                        if log.first?.status == .delivered { break }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    #expect(log.first?.status == .delivered)
                    #expect(log.first?.attempts.map(\.statusCode) == [500, 200])
                    #expect(
                        try await client.request(.get, "/api/v1/webhooks/\(webhookID)/deliveries", token: samr).status == .notFound,
                        "another department's log")
                    var failed: [Schemas.WebhookDeliveryPage.ItemsPayloadPayload] = []
                    for _ in 0..<100 {
                        failed = try await deliveries(downID, samr)
                        if failed.first?.status == .failed { break }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    #expect(failed.first?.status == .failed)
                    #expect(failed.first?.attempts.map(\.statusCode) == Array(repeating: 503, count: 6))

                    // Stopped: nothing more is sent.
                    #expect(try await client.request(.delete, "/api/v1/webhooks/\(webhookID)", token: fire).status == .noContent)
                    _ = try await client.request(.post, "/api/v1/calls", json: CallAPITests.call, token: commerce)
                    try await Task.sleep(for: .milliseconds(500))
                    #expect(received.withLock { $0.count } == 2)
                }
            }
        }
    }

    @Test(
        "unless allowed, a webhook to this machine, a link-local or a private network is refused when saved and not sent when due (SSRF)"
    )
    func privateTargets() async throws {
        let received = Mutex(0)
        let router = Router()
        router.post("/hook") { _, _ -> HTTPResponse.Status in
            received.withLock { $0 += 1 }
            return .ok
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await receiver.test(.live) { hook in
            let port = try #require(hook.port)
            try await TestDatabase.shared.withDatabase(demo: true) { url in
                let app = try await buildApplication(
                    AppConfiguration(
                        database: .url(url), migrate: false, logLevel: .error, auditKey: TestDatabase.auditKeyURL,
                        checkpointInterval: .seconds(3600), webhookInterval: .milliseconds(50), webhookRetryBase: .milliseconds(50),
                        evidenceDirectory: scratchEvidenceDirectory()
                    ))
                try await app.test(.router) { client in
                    let fire = try await client.signIn("fire.dept_admin")
                    let refusals = [
                        "http://127.0.0.1:\(port)/hook": "本机回环地址", "http://localhost:\(port)/hook": "本机回环地址",
                        "http://[::1]:\(port)/hook": "本机回环地址", "http://169.254.169.254/latest/meta-data": "链路本地地址",
                        "http://10.1.2.3/hook": "内网地址", "https://192.168.0.8/hook": "内网地址", "http://172.20.0.1/hook": "内网地址",
                        "http://[fd00::1]/hook": "内网地址", "http://0.0.0.0/hook": "未指定地址",
                        "http://no-such-host.invalid/hook": "无法解析",
                    ]
                    for (target, kind) in refusals {
                        let refused = try await client.request(.post, "/api/v1/webhooks", json: ["url": target], token: fire)
                        #expect(refused.status == .unprocessableContent, "\(target)")
                        #expect(refused.errorCode == "webhook_target_not_public" && refused.errorField == "url", "\(target)")
                        #expect(refused.errorMessage?.contains(kind) == true, "\(target): \(refused.errorMessage ?? "")")
                    }
                    #expect(try await client.get("/api/v1/webhooks", token: fire, as: Schemas.WebhookPage.self).items.isEmpty)

                    // One saved while private targets were allowed: due, it is not sent, and the log says why.
                    let saved = try await withClient(url) { db in
                        try await WebhookRepository(client: db, logger: quietLogger).create(
                            Webhook(department: "fire", url: "http://127.0.0.1:\(port)/hook"), secret: "s",
                            audit: AuditRecord.Entry(actor: "test", action: "webhook.create"))
                    }
                    _ = try await client.request(
                        .post, "/api/v1/calls", json: CallAPITests.call, token: try await client.signIn("commerce.dept_head"))
                    var log: [Schemas.WebhookDeliveryPage.ItemsPayloadPayload] = []
                    for _ in 0..<100 {
                        log = try await client.get(
                            "/api/v1/webhooks/\(saved)/deliveries", token: fire, as: Schemas.WebhookDeliveryPage.self
                        )
                        .items
                        if log.first?.attempts.isEmpty == false { break }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    let attempt = try #require(log.first?.attempts.first)
                    #expect(attempt.statusCode == nil && attempt.error.contains("本机回环地址"))
                    #expect(received.withLock { $0 } == 0)
                }
            }
        }
    }

    @Test("retry pauses double from the base and stop at an hour; six attempts in all")
    func backoff() {
        #expect(Webhook.retryDelay(afterAttempt: 1, base: .seconds(30)) == .seconds(30))
        #expect(Webhook.retryDelay(afterAttempt: 3, base: .seconds(30)) == .seconds(120))
        #expect(Webhook.retryDelay(afterAttempt: 40, base: .seconds(30)) == .seconds(3600))
        #expect(Webhook.maximumAttempts == 6)
    }
}
