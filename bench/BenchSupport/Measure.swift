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

/// The `fraction` quantile (0.5 for the median) of `values`, nearest rank; nil when empty.
public func percentile(_ values: [Double], _ fraction: Double) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    return sorted[
        min(
            sorted.count - 1,
            Int((Double(sorted.count) * fraction).rounded(.up)) - 1 < 0
                ? 0
                : Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
}
