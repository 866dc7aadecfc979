import Foundation
import Logging
import ServiceLifecycle
import YiyeCore

/// Removes evidence nobody refers to: uploads older than `retention` that no item result names, and files a crash
/// left without a record. Runs every `interval`.
public struct EvidenceSweepService: Service {
    let evidence: EvidenceRepository
    let store: EvidenceStore
    let interval: Duration
    let retention: TimeInterval
    let clock: any WallClock
    let gate: StartupGate
    let logger: Logger

    public init(
        evidence: EvidenceRepository, store: EvidenceStore, interval: Duration, retention: TimeInterval = 86_400, clock: any WallClock,
        gate: StartupGate, logger: Logger
    ) {
        self.evidence = evidence
        self.store = store
        self.interval = interval
        self.retention = retention
        self.clock = clock
        self.gate = gate
        self.logger = logger
    }

    /// One sweep; returns the digests whose files were removed.
    @discardableResult
    public static func sweep(evidence: EvidenceRepository, store: EvidenceStore, before cutoff: Date) async throws -> [String] {
        let removable = try await evidence.sweep(before: cutoff, files: store.files(writtenBefore: cutoff))
        for digest in removable { store.remove(digest) }
        return removable
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await gate.wait()
            while !Task.isCancelled {
                do {
                    let removed = try await Self.sweep(evidence: evidence, store: store, before: clock.now.addingTimeInterval(-retention))
                    if !removed.isEmpty { logger.info("removed unreferenced evidence files", metadata: ["count": "\(removed.count)"]) }
                } catch  where !Task.isCancelled {
                    logger.warning("evidence sweep failed; trying again", metadata: ["error": "\(String(describing: error).prefix(300))"])
                } catch {}
                try? await Task.sleep(for: interval)
            }
        }
    }
}
