import Foundation
import Logging
import ServiceLifecycle

/// The deadline service: sweeps for what became overdue every `interval`, starting at once, so that whatever fell
/// due while no instance ran is escalated on the next start. A failed sweep (the database away, migrations not yet
/// applied) is logged and tried again on the next tick.
public struct EscalationService: Service {
    let escalations: EscalationRepository
    let interval: Duration
    let logger: Logger

    public init(escalations: EscalationRepository, interval: Duration, logger: Logger) {
        self.escalations = escalations
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let escalated = try await escalations.sweep(now: Date())
                    if !escalated.isEmpty { logger.info("escalated overdue work", metadata: ["count": "\(escalated.count)"]) }
                } catch where !Task.isCancelled {
                    logger.warning("deadline sweep failed; trying again", metadata: ["error": "\(error)"])
                } catch {}
                try? await Task.sleep(for: interval)
            }
        }
    }
}
