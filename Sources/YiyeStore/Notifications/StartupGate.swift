import Synchronization

/// Opened once the database is ready (migrations applied, demo loaded): the background services wait for it, so
/// that on a fresh database they do not query tables that are about to be created.
public final class StartupGate: Sendable {
    private let opened = Atomic<Bool>(false)

    public init() {}

    public func open() {
        opened.store(true, ordering: .releasing)
    }

    /// Returns once the gate is open, or when the task is cancelled (shutdown before startup finished).
    public func wait() async {
        while !opened.load(ordering: .acquiring), !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
