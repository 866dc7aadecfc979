import Foundation

/// Peak resident memory of this process so far, in MiB.
public func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Seconds `body` takes.
public func seconds<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let result = try await body()
    return (result, (ContinuousClock.now - start) / .seconds(1))
}
