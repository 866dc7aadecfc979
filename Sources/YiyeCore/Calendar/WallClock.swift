import Foundation
import Synchronization

/// The one source of "now". The application is given a clock (the system's unless told otherwise) and passes `now`
/// down: the rules in Core take it as an argument, the store is told it, and tests set it by hand instead of sleeping.
public protocol WallClock: Sendable {
    var now: Date { get }
}

extension WallClock {
    /// Today in China, where every deadline and date of the domain is counted.
    public var today: CalendarDate { CalendarDate(chinaDateOf: now) }
}

/// The system's clock.
public struct SystemClock: WallClock {
    public init() {}

    public var now: Date { Date() }
}

/// A clock that moves only when told to: for tests of deadlines, phases and retries.
public final class ManualClock: WallClock {
    private let current: Mutex<Date>

    public init(_ start: Date) {
        current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    public func advance(by interval: TimeInterval) {
        current.withLock { $0 += interval }
    }
}
