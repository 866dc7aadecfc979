import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import YiyeCore
import YiyeStore

/// Sends queued webhook deliveries: claims what is due (several instances share the queue without sending one
/// delivery twice at once), POSTs each notification as JSON with its HMAC-SM3 signature, and logs the attempt; a
/// failed one is retried after a pause that doubles each time.
struct WebhookService: Service {
    let webhooks: WebhookRepository
    /// How long to wait when nothing is due.
    let interval: Duration
    /// The pause before the first retry.
    let retryBase: Duration
    /// Checked again before each delivery: a name may resolve elsewhere than when the webhook was saved.
    let targets: WebhookTargets
    let clock: any WallClock
    let gate: StartupGate
    let logger: Logger

    func run() async throws {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        await cancelWhenGracefulShutdown {
            await gate.wait()
            while !Task.isCancelled {
                var jobs: [WebhookRepository.Job] = []
                do {
                    jobs = try await webhooks.claim(limit: 20, lease: .seconds(120), now: clock.now)
                } catch  where !Task.isCancelled {
                    logger.warning(
                        "webhook queue unavailable; trying again", metadata: ["error": "\(String(describing: error).prefix(300))"])
                } catch {}
                await withTaskGroup(of: Void.self) { group in
                    for job in jobs { group.addTask { await deliver(job, with: http) } }
                }
                if jobs.isEmpty { try? await Task.sleep(for: interval) }
            }
        }
        try? await http.shutdown()
    }

    private func deliver(_ job: WebhookRepository.Job, with http: HTTPClient) async {
        let body = Array(job.notice.json.utf8)
        let timestamp = Int(clock.now.timeIntervalSince1970)
        var request = HTTPClientRequest(url: job.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "User-Agent", value: "yiye-webhook")
        request.headers.add(name: "X-Yiye-Delivery", value: String(job.deliveryID))
        request.headers.add(name: "X-Yiye-Timestamp", value: String(timestamp))
        request.headers.add(name: "X-Yiye-Signature", value: Webhook.signature(secret: job.secret, timestamp: timestamp, body: body))
        request.body = .bytes(ByteBuffer(bytes: body))
        var statusCode: Int?
        var failure = ""
        do {
            try await targets.check(job.url)
            let response = try await http.execute(request, timeout: .seconds(15))
            statusCode = Int(response.status.code)
            _ = try? await response.body.collect(upTo: 64 * 1024)
        } catch let refused as DomainError {
            failure = refused.message
        } catch {
            failure = String(describing: error)
        }
        do {
            try await webhooks.record(
                job, statusCode: statusCode, error: failure,
                retryAfter: Webhook.retryDelay(afterAttempt: job.attempts + 1, base: retryBase), now: clock.now)
        } catch {
            // The lease runs out and the delivery is attempted again.
            logger.warning("webhook attempt not recorded", metadata: ["delivery": "\(job.deliveryID)", "error": "\(error)"])
        }
    }
}
