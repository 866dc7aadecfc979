// Notification fan-out: a yiye instance serving the demo county on its embedded PostgreSQL, N clients connected
// to /api/v1/notifications/stream as users of one department, then E notifications committed one after another
// (100 ms apart) from a separate database connection. For each (notification, client) pair: the time from just
// before the INSERT was sent (its commit included) to the client having read the event off its socket.
// Clients, server and PostgreSQL share this machine's cores.
// Usage: bench/notify.sh [clients, default 500] [events, default 40]
import AsyncHTTPClient
import BenchSupport
import Foundation
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle
import Synchronization
import YiyeAPI
import YiyeCore
import YiyeStore

let logger: Logger = {
    var logger = Logger(label: "notify-bench")
    logger.logLevel = .warning
    return logger
}()
let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let clientCount = arguments.first ?? 500
let eventCount = arguments.dropFirst().first ?? 40
let port = Int(ProcessInfo.processInfo.environment["NOTIFY_BENCH_PORT"] ?? "") ?? 18_089

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("yiye-notify-bench-\(getpid())")
defer { try? FileManager.default.removeItem(at: directory) }
let app = try await buildApplication(
    AppConfiguration(
        listen: .tcp(host: "127.0.0.1", port: port), database: .embedded(dataDirectory: directory.appendingPathComponent("data")),
        demo: true, logLevel: .warning, auditKey: directory.appendingPathComponent("audit.pem"),
        evidenceDirectory: directory.appendingPathComponent("evidence")
    ))
let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
let server = Task { try await services.run() }

var http = HTTPClient.Configuration()
http.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = clientCount + 16
let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
let base = "http://127.0.0.1:\(port)"

/// GET `path`, or POST `json` to it; the status code and the body.
func exchange(_ path: String, json: String? = nil) async throws -> (UInt, String) {
    var request = HTTPClientRequest(url: base + path)
    if let json {
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
    }
    let response = try await client.execute(request, timeout: .seconds(30))
    return (response.status.code, String(buffer: try await response.body.collect(upTo: 1 << 20)))
}

// Ready (migrations and the demo county loaded), then a session of one fire department user.
let (_, startup) = try await seconds {
    while (try? await exchange("/health/ready"))?.0 != 200 { try await Task.sleep(for: .milliseconds(200)) }
}
let (_, session) = try await exchange(
    "/api/v1/sessions",
    json: #"{"username":"fire.dept_admin","password":"\#(DemoCounty.defaultPassword)"}"#)
guard let token = (try JSONSerialization.jsonObject(with: Data(session.utf8)) as? [String: Any])?["token"] as? String else {
    fatalError("sign-in failed: \(session)")
}

/// When each client read each event, by the event's title.
let received = Mutex<[String: [Double]]>([:])
let connected = Atomic<Int>(0)
let streams = (0..<clientCount).map { _ in
    Task {
        var request = HTTPClientRequest(url: base + "/api/v1/notifications/stream")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await client.execute(request, timeout: .seconds(600))
        connected.add(1, ordering: .relaxed)
        var text = ""
        for try await chunk in response.body {
            let now = Date().timeIntervalSince1970
            text += String(buffer: chunk)
            while let end = text.range(of: "\n\n") {
                let block = text[..<end.lowerBound]
                if let start = block.range(of: #""title":"bench-"#) {
                    let title = "bench-" + block[start.upperBound...].prefix { $0 != "\"" }
                    received.withLock { $0[title, default: []].append(now) }
                }
                text.removeSubrange(..<end.upperBound)
            }
        }
    }
}
let (_, connecting) = try await seconds {
    while connected.load(ordering: .relaxed) < clientCount { try await Task.sleep(for: .milliseconds(50)) }
}

let database = try EmbeddedCluster(dataDirectory: directory.appendingPathComponent("data"), logger: logger).configuration()
let committedAt = try await withTemporaryClient(database.actingAsApplication, logger: logger) { pool in
    let notifications = NotificationRepository(client: pool, logger: logger)
    var committedAt: [String: (sent: Double, committed: Double)] = [:]
    for index in 1...eventCount {
        let title = "bench-\(index)"
        let sent = Date().timeIntervalSince1970
        try await notifications.insert([
            Notice(department: "fire", kind: .callRaised, title: title, subjectType: .call, subjectID: Int64(index))
        ])
        committedAt[title] = (sent, Date().timeIntervalSince1970)
        try await Task.sleep(for: .milliseconds(100))
    }
    return committedAt
}
let deadline = Date().addingTimeInterval(30)
while received.withLock({ $0.values.reduce(0) { $0 + $1.count } }) < clientCount * eventCount, Date() < deadline {
    try await Task.sleep(for: .milliseconds(100))
}

let deliveries = received.withLock { $0 }
let latencies = deliveries.flatMap { title, times in times.map { ($0 - (committedAt[title]?.sent ?? $0)) * 1000 } }
let commits = committedAt.values.map { ($0.committed - $0.sent) * 1000 }
print(String(format: "startup with demo data %.1f s; %d SSE clients connected in %.2f s", startup, clientCount, connecting))
print(
    String(format: "insert + commit (not fan-out): p50 %.2f ms, p99 %.2f ms", percentile(commits, 0.5) ?? 0, percentile(commits, 0.99) ?? 0)
)
print(
    String(
        format: "fan-out, commit → received by each client: %d of %d deliveries, p50 %.1f ms, p99 %.1f ms, max %.1f ms",
        latencies.count, clientCount * eventCount, percentile(latencies, 0.5) ?? 0, percentile(latencies, 0.99) ?? 0,
        latencies.max() ?? 0))
print(String(format: "peak memory %.0f MiB", peakMemoryMiB()))

for stream in streams { stream.cancel() }
try await client.shutdown()
await services.triggerGracefulShutdown()
_ = await server.result
