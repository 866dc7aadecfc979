import Foundation
import Logging
import ServiceLifecycle
import YiyeCore

/// The deadline service: sweeps for what became overdue every `interval`, the first time as soon as the database is
/// ready, so that whatever fell due while no instance ran is escalated on the next start. A failed sweep (the
/// database away) is logged and tried again on the next tick.
public struct EscalationService: Service {
    let escalations: EscalationRepository
    let interval: Duration
    let clock: any WallClock
    let gate: StartupGate
    let logger: Logger

    public init(escalations: EscalationRepository, interval: Duration, clock: any WallClock, gate: StartupGate, logger: Logger) {
        self.escalations = escalations
        self.interval = interval
        self.clock = clock
        self.gate = gate
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await gate.wait()
            while !Task.isCancelled {
                do {
                    let escalated = try await escalations.sweep(now: clock.now)
                    if !escalated.isEmpty { logger.info("escalated overdue work", metadata: ["count": "\(escalated.count)"]) }
                } catch  where !Task.isCancelled {
                    logger.warning("deadline sweep failed; trying again", metadata: ["error": "\(String(describing: error).prefix(300))"])
                } catch {}
                try? await Task.sleep(for: interval)
            }
        }
    }
}
