import Foundation
import Synchronization
import YiyeCore

/// This instance's connected listeners, by department. The listener service publishes what PostgreSQL announces;
/// each open stream receives its department's notices.
public final class NoticeHub: Sendable {
    private struct Subscriber {
        var department: DepartmentCode
        var continuation: AsyncStream<Notice>.Continuation
    }

    private let subscribers = Mutex<(next: Int, all: [Int: Subscriber], closed: Bool)>((0, [:], false))

    public init() {}

    /// Notices for `department` from now on, until the caller stops iterating or the hub closes.
    public func subscribe(department: DepartmentCode) -> AsyncStream<Notice> {
        let (stream, continuation) = AsyncStream.makeStream(of: Notice.self, bufferingPolicy: .bufferingNewest(1000))
        let id: Int? = subscribers.withLock { state in
            guard !state.closed else { return nil }
            state.next += 1
            state.all[state.next] = Subscriber(department: department, continuation: continuation)
            return state.next
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.all.removeValue(forKey: id) }
        }
        return stream
    }

    public func publish(_ notice: Notice) {
        let targets = subscribers.withLock { state in state.all.values.filter { $0.department == notice.department }.map(\.continuation) }
        for continuation in targets { continuation.yield(notice) }
    }

    public var subscriberCount: Int { subscribers.withLock { $0.all.count } }

    /// Ends every stream (at shutdown) and refuses new ones.
    public func close() {
        let all = subscribers.withLock { state in
            state.closed = true
            defer { state.all = [:] }
            return state.all.values.map(\.continuation)
        }
        for continuation in all { continuation.finish() }
    }
}
