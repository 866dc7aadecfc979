import BenchSupport
// How many audit records per second the SM3 hash chain sustains under concurrent writers.
//
// Each record is appended in its own transaction, the way a state-changing request appends its record: take the
// chain's advisory lock, read the head, hash, insert, commit. A private, durable PostgreSQL cluster (fsync on) is
// started in a temporary directory. It also times one password hash (the sign-in work factor).
// Usage: bench/audit.sh [seconds per level]
import Foundation
import Logging
import PostgresNIO
import YiyeCore
import YiyeStore

let logger: Logger = {
    var logger = Logger(label: "audit-bench")
    logger.logLevel = .warning
    return logger
}()
let seconds = Double(CommandLine.arguments.dropFirst().first ?? "") ?? 5
let levels = [1, 4, 16, 64]

let scratch = try await ScratchCluster(name: "audit-bench", logger: logger)
defer { scratch.remove() }

// The password work factor first: one PBKDF2-HMAC-SM3 hash as signing in computes it.
let hashStart = ContinuousClock.now
let rounds = 5
for _ in 0..<rounds { _ = PasswordHash(password: "Bench-Pass-2026") }
print(
    String(
        format: "password hash (PBKDF2-HMAC-SM3, %u iterations): %.1f ms each",
        PasswordHash.defaultIterations, (ContinuousClock.now - hashStart) / .milliseconds(1) / Double(rounds)))

print("audit chain append, one transaction per record, durable cluster, \(seconds) s per level")
print("writers  records  records/s  p50 ms  p99 ms")
var configuration = scratch.application
configuration.options.maximumConnections = 70
try await withTemporaryClient(configuration, logger: logger) { client in
    let trail = AuditTrail(client: client, logger: logger)
    for writers in levels {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var samples: [Double] = []
                    var index = 0
                    while ContinuousClock.now < deadline {
                        let begin = ContinuousClock.now
                        try await trail.record(
                            AuditRecord.Entry(
                                actor: "bench.writer\(writer)", department: "samr", role: "inspector", action: "bench.append",
                                objectType: "bench", objectID: "\(writer)-\(index)", clientAddress: "127.0.0.1",
                                requestID: "bench-\(writer)-\(index)", details: "基准测试记录"
                            ))
                        samples.append((ContinuousClock.now - begin) / .milliseconds(1))
                        index += 1
                    }
                    return samples
                }
            }
            return try await group.reduce(into: [Double]()) { $0 += $1 }.sorted()
        }
        let elapsed = (ContinuousClock.now - started) / .seconds(1)
        let p50 = latencies[latencies.count / 2]
        let p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
        print(String(format: "%7d  %7d  %9.0f  %6.2f  %6.2f", writers, latencies.count, Double(latencies.count) / elapsed, p50, p99))
    }
    let key = try SM2.PrivateKey()
    try await trail.checkpoint(key: key)
    let begin = ContinuousClock.now
    let report = try await trail.verify(key: key.publicKey)
    let verifySeconds = (ContinuousClock.now - begin) / .seconds(1)
    print(
        String(
            format: "verify: %lld records in %.2f s (%.0f records/s), intact: %@", report.recordsChecked, verifySeconds,
            Double(report.recordsChecked) / verifySeconds, report.isIntact ? "yes" : "NO"))
}
