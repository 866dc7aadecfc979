// The leadership office's dashboard at county-to-city scale: 1,000,000 objects in four industries and five
// departments, 200 executed draws with 100,000 published results (each object visited by two departments), 5,000
// whistle calls with 15,000 responses, clue routes, meetings and escalations. Times the dashboard's figures for the
// office's year (p50/p95 of 20, each part's share), for one department and for one quarter, and the overdue list,
// against a `SELECT 1` round trip in the same run; then, through a yiye server on the same cluster (the demo county
// loaded beside), `GET /api/v1/dashboard` and the `/dashboard` page of the office's year as its viewer. `HOLD=1` keeps the cluster running at the end (its directory is
// printed) for a look at the plans with psql, until interrupted.
// Usage: bench/dashboard.sh [objects, default 1000000]
import AsyncHTTPClient
import BenchSupport
import Foundation
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle
import YiyeAPI
import YiyeCore
import YiyeStore

/// Prints a line at once (standard output to a file is buffered otherwise).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let logger: Logger = {
    var logger = Logger(label: "dashboard-bench")
    logger.logLevel = .warning
    return logger
}()
let objectCount = CommandLine.arguments.dropFirst().compactMap { Int($0) }.first ?? 1_000_000
let drawCount = 200
let perDraw = 250  // objects per draw, each visited by two departments: 100,000 results

let scratch = try await ScratchCluster(name: "dashboard-bench", logger: logger)
defer { scratch.remove() }

let setupStatements: [String] = [
    """
    INSERT INTO departments (code, name, kind, region_code)
    SELECT 'bench_d' || i, '基准部门' || i, 'regulator', '330100' FROM generate_series(1, 5) i
    """,
    """
    INSERT INTO industries (code, name, originating_department)
    SELECT 'bench_i' || i, '基准行业' || i, 'bench_d' || i FROM generate_series(1, 4) i
    """,
    """
    INSERT INTO industry_participants (industry_code, department_code)
    SELECT 'bench_i' || i, 'bench_d' || d FROM generate_series(1, 4) i, generate_series(1, 5) d WHERE d <> i
    """,
    """
    INSERT INTO inspectors (department_code, name, certificate_number, level, region_code)
    SELECT 'bench_d' || i, '基准检查员' || i, 'BENCH-' || i, 'county', '330100' FROM generate_series(1, 5) i
    """,
    """
    INSERT INTO objects (credit_code, name, kind, industries, region_code, risk_class, risk_rated_on, supervising_departments)
    SELECT '91330100' || lpad(n::text, 9, '0') || '0', '基准企业' || n, 'enterprise', ARRAY['bench_i' || (n % 4 + 1)],
           '3301' || lpad((n % 10)::text, 2, '0'),
           CASE WHEN n % 20 < 10 THEN 'A' WHEN n % 20 < 16 THEN 'B' WHEN n % 20 < 19 THEN 'C' ELSE 'D' END, '2026-01-01',
           ARRAY['bench_d' || (n % 5 + 1), 'bench_d' || ((n + 1) % 5 + 1)]
    FROM generate_series(1, \(objectCount)) n
    """,
    // 200 tasks, 50 per industry, starting across the year; each a draw of 250 objects by its originator and the next.
    """
    INSERT INTO tasks (industry_code, originator, name, kind, participants, joint_list_version, scope, sampling,
                       window_start, window_end, created_by)
    SELECT 'bench_i' || (t % 4 + 1), 'bench_d' || (t % 4 + 1), '基准任务' || t, 'annual', ARRAY['bench_d5'], 1, '{}', '{"stratified": true, "rules": {}}',
           date '2026-01-05' + (t * 360 / \(drawCount)), date '2026-01-05' + (t * 360 / \(drawCount)) + 30, 'bench'
    FROM generate_series(0, \(drawCount - 1)) t
    """,
    """
    INSERT INTO draws (task_id, year, parameters, object_pool, inspector_pool, conflict_pool, pool_digest, inspector_digest,
                       strata, exclusions, commit_deadline, reveal_deadline, record, frozen_by, executed_by, executed_at, team_needs)
    SELECT id, 2026, '{}', '', '', '', '', '', '[]', '[]', window_start - 2, window_start - 1, '{}', 'bench', 'bench',
           window_start, '[[]]'
    FROM tasks
    """,
    // Draw k takes the objects of its industry numbered k·250 … within that industry (no object drawn twice).
    """
    INSERT INTO drawn_objects (draw_id, credit_code, year, stratum, rank, needs_set, team_inspectors, team_departments,
                               team_ranks, team_leader)
    SELECT d.id, '91330100' || lpad((((d.id - 1) / 4 * \(perDraw) + j) * 4 + ((d.id - 1) % 4) + 4)::text, 9, '0') || '0', 2026, 'A',
           lpad(j::text, 4, '0'), 0, ARRAY[(d.id - 1) % 4 + 1, 5]::bigint[], ARRAY[t.originator, 'bench_d5'],
           decode(repeat('00', 64), 'hex'), 0
    FROM draws d JOIN tasks t ON t.id = d.task_id, generate_series(0, \(perDraw - 1)) j
    """,
    """
    INSERT INTO result_deadlines (draw_id, due, deadline_from, deadline_working_days)
    SELECT d.id, t.window_end + 28, t.window_end, 20 FROM draws d JOIN tasks t ON t.id = d.task_id
    """,
    // Every drawn object inspected by both departments, nine in ten results published, one in twelve late.
    """
    INSERT INTO inspection_results (draw_id, credit_code, department, status, inspected_on, entered_by, publish_due,
                                    deadline_from, deadline_working_days, version)
    SELECT o.draw_id, o.credit_code, dep, CASE WHEN hashtext(o.credit_code || dep) % 10 = 0 THEN 'approved' ELSE 'published' END,
           t.window_start + (hashtext(o.credit_code) & 15), 'bench', t.window_start + (hashtext(o.credit_code) & 15) + 28,
           t.window_start + (hashtext(o.credit_code) & 15), 20, CASE WHEN hashtext(o.credit_code || dep) % 10 = 0 THEN 0 ELSE 1 END
    FROM drawn_objects o JOIN draws d ON d.id = o.draw_id JOIN tasks t ON t.id = d.task_id, unnest(o.team_departments) dep
    """,
    """
    INSERT INTO published_results (result_id, version, credit_code, object_name, industry_code, department, inspected_on,
                                   published_by, published_at, content)
    SELECT r.id, 1, r.credit_code, '基准企业', t.industry_code, r.department, r.inspected_on, 'bench',
           (r.inspected_on + CASE WHEN r.id % 12 = 0 THEN 29 + (hashtext(r.id::text) & 15) ELSE 3 + (hashtext(r.id::text) & 15) END)::timestamp
               AT TIME ZONE 'Asia/Shanghai', '{}'
    FROM inspection_results r JOIN draws d ON d.id = r.draw_id JOIN tasks t ON t.id = d.task_id WHERE r.status = 'published'
    """,
    "ALTER TABLE result_categories DISABLE TRIGGER result_categories_editable",
    """
    INSERT INTO result_categories (result_id, position, category, finding)
    SELECT id, 1, CASE WHEN id % 10 < 7 THEN 'no_problem' WHEN id % 10 < 9 THEN 'ordered_to_correct' ELSE 'falsified_info' END, '{}'
    FROM inspection_results
    """,
    "ALTER TABLE result_categories ENABLE TRIGGER result_categories_editable",
    """
    INSERT INTO follow_up_actions (result_id, kind, acted_on, recorded_by)
    SELECT r.id, 'closed', r.inspected_on + 45 + (hashtext(r.credit_code) & 31), 'bench' FROM inspection_results r
    WHERE r.status = 'published' AND r.id % 10 >= 7 AND r.id % 3 = 0
    """,
    """
    INSERT INTO whistle_calls (industry_code, stage, title, content, action_required, raised_by, deadline, status, created_by, created_at)
    SELECT 'bench_i' || (c % 4 + 1), 'inspection', '基准吹哨' || c, '内容', '派员', 'bench_d' || (c % 4 + 1),
           timestamp '2026-01-02 10:00' + (c * interval '100 minutes') + interval '3 days', 'open', 'bench',
           timestamp '2026-01-02 10:00' + (c * interval '100 minutes')
    FROM generate_series(1, 5000) c
    """,
    """
    INSERT INTO whistle_responses (call_id, department, state, responded_at)
    SELECT c.id, 'bench_d' || ((c.id + k) % 5 + 1), CASE WHEN (c.id + k) % 4 = 0 THEN 'unread' ELSE 'accepted' END,
           CASE WHEN (c.id + k) % 4 = 0 THEN NULL ELSE c.created_at + (k * interval '5 hours') END
    FROM whistle_calls c, generate_series(1, 3) k
    """,
    """
    INSERT INTO clues (industry_code, source, description, suspected_violation, found_by, created_by, created_at)
    SELECT 'bench_i' || (c % 4 + 1), 'inspection', '基准线索' || c, '违法', 'bench_d' || (c % 5 + 1), 'bench',
           timestamp '2026-01-03' + c * interval '4 hours'
    FROM generate_series(1, 2000) c
    """,
    """
    INSERT INTO clue_routes (clue_id, department, deadline, state, outcome, routed_by, routed_at, decided_at, concluded_at)
    SELECT id, 'bench_d' || (id % 5 + 1), created_at + interval '10 days',
           (ARRAY['routed', 'accepted', 'returned', 'concluded'])[id % 4 + 1], CASE WHEN id % 4 = 3 THEN 'case_filed' END, 'bench',
           created_at, CASE WHEN id % 4 > 0 THEN created_at + interval '1 day' END, CASE WHEN id % 4 = 3 THEN created_at + interval '5 days' END
    FROM clues
    """,
    """
    INSERT INTO meetings (industry_code, kind, title, starts_at, convened_by, invitees, created_by)
    SELECT 'bench_i' || (m % 4 + 1), 'regular', '基准会商' || m, timestamp '2026-01-10 09:30' + m * interval '36 hours',
           'bench_d' || (m % 4 + 1), ARRAY['bench_d5'], 'bench'
    FROM generate_series(1, 200) m
    """,
    """
    INSERT INTO meeting_action_items (meeting_id, description, owner_department, due_date, status)
    SELECT m.id, '基准事项' || k, 'bench_d' || (k + 1), (m.starts_at AT TIME ZONE 'Asia/Shanghai')::date + 14, 'open'
    FROM meetings m, generate_series(1, 3) k
    """,
    """
    INSERT INTO escalations (kind, subject_id, department, due, escalated_at, industry_code)
    SELECT 'call_response', r.call_id, r.department, c.deadline, c.deadline + interval '1 hour', c.industry_code
    FROM whistle_responses r JOIN whistle_calls c ON c.id = r.call_id WHERE r.state = 'unread' AND c.id % 4 = 0
    """,
    "VACUUM ANALYZE",
    "CHECKPOINT",
]

let (_, setup) = try await seconds {
    try await withTemporaryClient(scratch.owner, logger: logger) { owner in
        for statement in setupStatements {
            _ = try await owner.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }
}
say(String(format: "setup: %.1f s", setup))

try await withTemporaryClient(scratch.application, logger: logger) { client in
    var counts = (0, 0, 0, 0)
    for try await row in try await client.query(
        """
        SELECT (SELECT count(*) FROM objects), (SELECT count(*) FROM inspection_results WHERE status = 'published'),
               (SELECT count(*) FROM whistle_calls), (SELECT count(*) FROM whistle_responses)
        """, logger: logger
    ).decode((Int, Int, Int, Int).self) { counts = row }
    say("data: \(counts.0) objects, \(counts.1) published results, \(counts.2) calls with \(counts.3) responses, \(drawCount) draws")
    let dashboard = DashboardRepository(client: client, logger: logger)
    let escalations = EscalationRepository(client: client, logger: logger)
    let now = Date(timeIntervalSince1970: 1_798_000_000)  // 2026-12-23
    let year = try DashboardPeriod(year: 2026)

    func measure(_ label: String, runs: Int, _ body: () async throws -> Void) async throws -> [Double] {
        try await body()  // warm
        var times: [Double] = []
        for _ in 0..<runs { times.append(try await seconds(body).1 * 1000) }
        say(String(format: "%@: p50 %.1f ms, p95 %.1f ms (%d runs)", label, percentile(times, 0.5)!, percentile(times, 0.95)!, runs))
        return times
    }

    _ = try await measure("SELECT 1 round trip", runs: 200) {
        for try await _ in try await client.query("SELECT 1", logger: logger).decode(Int.self) {}
    }
    // The first pass prints each part as it ends: a store call gives up after 15 s.
    do {
        let (_, took) = try await seconds {
            try await dashboard.figures(.init(period: year, industries: nil, department: nil, region: nil, now: now)) { part, took in
                say(String(format: "  %@: %.1f ms", part, took / .milliseconds(1)))
            }
        }
        say(String(format: "figures, the office's year, first pass: %.1f ms", took * 1000))
    } catch {
        say("figures, the office's year: gave up (\(error)); the parts above ended in time")
        exit(0)
    }
    _ = try await measure("figures, the office's year", runs: 10) {
        _ = try await dashboard.figures(.init(period: year, industries: nil, department: nil, region: nil, now: now))
    }
    _ = try await measure("figures, one department's year (its industries)", runs: 10) {
        _ = try await dashboard.figures(
            .init(
                period: year, industries: ["bench_i1", "bench_i2", "bench_i3", "bench_i4"], department: "bench_d2", region: nil, now: now))
    }
    _ = try await measure("figures, the office's second quarter", runs: 10) {
        _ = try await dashboard.figures(
            .init(period: try DashboardPeriod(year: 2026, quarter: 2), industries: nil, department: nil, region: nil, now: now))
    }
    _ = try await measure("overdue now", runs: 10) { _ = try await escalations.overdue(now: now) }
}
// The same through HTTP: a yiye server on this cluster, signed in as the office's viewer.
do {
    let port = Int(ProcessInfo.processInfo.environment["DASHBOARD_BENCH_PORT"] ?? "") ?? 18_090
    let app = try await buildApplication(
        AppConfiguration(
            listen: .tcp(host: "127.0.0.1", port: port), database: .url(scratch.url), demo: true, logLevel: .warning,
            auditKey: scratch.directory.appendingPathComponent("audit.pem"),
            evidenceDirectory: scratch.directory.appendingPathComponent("evidence")))
    let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
    let server = Task {
        do { try await services.run() } catch { say("the server stopped: \(error)") }
    }
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    let base = "http://127.0.0.1:\(port)"
    func exchange(_ path: String, token: String? = nil, json: String? = nil) async throws -> (UInt, String) {
        var request = HTTPClientRequest(url: base + path)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        return (response.status.code, String(buffer: try await response.body.collect(upTo: 1 << 24)))
    }
    for wait in 0... {
        if (try? await exchange("/health/ready"))?.0 == 200 { break }
        guard wait < 600 else { fatalError("the server was not ready in two minutes") }
        try await Task.sleep(for: .milliseconds(200))
    }
    let (_, session) = try await exchange(
        "/api/v1/sessions", json: #"{"username":"office.office_viewer","password":"\#(DemoCounty.defaultPassword)"}"#)
    guard let token = (try JSONSerialization.jsonObject(with: Data(session.utf8)) as? [String: Any])?["token"] as? String else {
        fatalError("sign-in failed: \(session)")
    }
    for (label, path) in [
        ("GET /api/v1/dashboard?year=2026", "/api/v1/dashboard?year=2026"), ("GET /dashboard?year=2026", "/dashboard?year=2026"),
    ] {
        let (status, body) = try await exchange(path, token: token)
        guard status == 200 else { fatalError("\(path): \(status) \(body.prefix(300))") }
        var times: [Double] = []
        for _ in 0..<20 { times.append(try await seconds { _ = try await exchange(path, token: token) }.1 * 1000) }
        say(
            String(
                format: "%@ (the office's viewer, %d bytes): p50 %.1f ms, p95 %.1f ms (20 runs)", label, body.utf8.count,
                percentile(times, 0.5)!, percentile(times, 0.95)!))
    }
    try await client.shutdown()
    await services.triggerGracefulShutdown()
    _ = await server.result
}
if ProcessInfo.processInfo.environment["HOLD"] != nil {
    say("holding the cluster in \(scratch.directory.path) (socket under run/, user yiye, database yiye) until interrupted")
    try await Task.sleep(for: .seconds(86_400))
}
say(String(format: "peak memory: %.0f MiB", peakMemoryMiB()))
