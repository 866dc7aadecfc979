import Foundation
import Logging
import ServiceLifecycle
import YiyeCore

/// The deadline service: sweeps for what became overdue every `interval`, the first time as soon as the database is
/// ready, so that whatever fell due while no instance ran is escalated on the next start; and evaluates the warning
/// rules once a day (China), whichever instance comes first. A failed sweep (the database away) is logged and tried
/// again on the next tick.
public struct EscalationService: Service {
    let escalations: EscalationRepository
    let warnings: WarningRepository
    let interval: Duration
    let clock: any WallClock
    let gate: StartupGate
    let logger: Logger

    public init(
        escalations: EscalationRepository, warnings: WarningRepository, interval: Duration, clock: any WallClock, gate: StartupGate,
        logger: Logger
    ) {
        self.escalations = escalations
        self.warnings = warnings
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
                    if let raised = try await warnings.evaluateDaily(today: clock.today) {
                        logger.info("evaluated the warning rules of the day", metadata: ["raised": "\(raised)"])
                    }
                } catch  where !Task.isCancelled {
                    logger.warning("deadline sweep failed; trying again", metadata: ["error": "\(String(describing: error).prefix(300))"])
                } catch {}
                try? await Task.sleep(for: interval)
            }
        }
    }
}
