import Logging
import ServiceLifecycle
import YiyeCore

/// Signs the audit chain's head every `interval` (when it moved), and once more on shutdown.
public struct AuditCheckpointService: Service {
    let trail: AuditTrail
    let key: SM2.PrivateKey
    let interval: Duration
    let logger: Logger

    public init(trail: AuditTrail, key: SM2.PrivateKey, interval: Duration, logger: Logger) {
        self.trail = trail
        self.key = key
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            await checkpoint()
        }
    }

    private func checkpoint() async {
        do {
            if let checkpoint = try await trail.checkpoint(key: key) {
                logger.info("audit checkpoint signed", metadata: ["seq": "\(checkpoint.seq)"])
            }
        } catch {
            logger.error("audit checkpoint failed", metadata: ["error": .string(String(reflecting: error))])
        }
    }
}
