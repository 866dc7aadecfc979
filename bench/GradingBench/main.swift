// 一业一评 and 风险预警 at city scale: 1,000,000 objects of one industry, 1,000,000 published results' facts over the
// last 400 days and 50,000 concluded clues. Times publishing an 8-indicator system twice (each grades every object;
// the second keeps each grade it supersedes in the history), grading the industry again with nothing changed,
// regrading one object as a result's publication does (p50/p95 of 200), and evaluating six warning rules over the million results,
// against a `SELECT 1` round trip in the same run. Targets (issue 15): grading ≤ 10 s, one object ≤ 50 ms p95,
// warnings ≤ 10 s.
// Usage: bench/grading.sh [objects, default 1000000]; `HOLD=1` keeps the cluster running at the end for a closer look.
import BenchSupport
import Foundation
import Logging
import PostgresNIO
import YiyeCore
import YiyeStore

/// Prints a line at once (standard output to a file is buffered otherwise).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let logger: Logger = {
    var logger = Logger(label: "grading-bench")
    logger.logLevel = .warning
    return logger
}()
let objectCount = CommandLine.arguments.dropFirst().compactMap { Int($0) }.first ?? 1_000_000

let scratch = try await ScratchCluster(name: "grading-bench", logger: logger)
defer { scratch.remove() }

let setupStatements: [String] = [
    """
    INSERT INTO departments (code, name, kind, region_code)
    SELECT 'bench_d' || i, '基准部门' || i, 'regulator', '330100' FROM generate_series(1, 3) i
    UNION ALL SELECT 'bench_office', '基准办公室', 'leadership_office', '330100'
    """,
    "INSERT INTO industries (code, name, originating_department) VALUES ('bench_i', '基准行业', 'bench_d1')",
    "INSERT INTO industry_participants (industry_code, department_code) VALUES ('bench_i', 'bench_d2'), ('bench_i', 'bench_d3')",
    // Classes A 50 / B 30 / C 15 / D 5%, scales in turn, 1% abnormal and 0.2% seriously in breach, tags on some.
    """
    INSERT INTO objects (credit_code, name, kind, industries, region_code, scale, risk_class, risk_rated_on, supervising_departments,
                         status, tags)
    SELECT '91330100' || lpad(n::text, 9, '0') || '0', '基准企业' || n, 'enterprise', '{bench_i}', '3301' || lpad((n % 10)::text, 2, '0'),
           (ARRAY['micro', 'small', 'medium', 'large'])[n % 4 + 1],
           CASE WHEN n % 20 < 10 THEN 'A' WHEN n % 20 < 16 THEN 'B' WHEN n % 20 < 19 THEN 'C' ELSE 'D' END, '2026-01-01', '{bench_d1}',
           CASE WHEN n % 500 = 0 THEN 'serious_violation_list' WHEN n % 100 = 0 THEN 'abnormal_list' ELSE 'active' END,
           CASE WHEN n % 10 = 0 THEN '{重点监管}'::text[] WHEN n % 20 = 1 THEN '{储存危险化学品}'::text[] ELSE '{}' END
    FROM generate_series(1, \(objectCount)) n
    """,
    // One draw to hang the results on.
    """
    INSERT INTO tasks (industry_code, originator, name, kind, participants, joint_list_version, scope, sampling, window_start, window_end, created_by)
    VALUES ('bench_i', 'bench_d1', '基准任务', 'annual', '{bench_d2}', 1, '{}', '{"stratified": true, "rules": {}}', '2026-01-05', '2026-02-05', 'bench')
    """,
    """
    INSERT INTO draws (task_id, year, parameters, object_pool, inspector_pool, conflict_pool, pool_digest, inspector_digest, strata, exclusions,
                       commit_deadline, reveal_deadline, record, frozen_by, executed_by, executed_at, team_needs)
    SELECT id, 2026, '{}', '', '', '', '', '', '[]', '[]', '2026-01-03', '2026-01-04', '{}', 'bench', 'bench', '2026-01-05', '[[]]' FROM tasks
    """,
    // A million published results' facts over the last 400 days, on objects in turn: 30% ordered to correct (half of
    // them closed), 5% pending a follow-up, the rest without a problem.
    """
    INSERT INTO result_facts (result_id, draw_id, credit_code, department, industry, published, inspected_on, publish_due, first_published,
                              categories, resolved, closed_on, region_code, object_industries, supervising_departments, risk_class,
                              listed, visit_departments, visit_on, visit_lead)
    SELECT r, (SELECT id FROM draws), '91330100' || lpad((r % \(objectCount) + 1)::text, 9, '0') || '0', 'bench_d' || (r % 3 + 1), 'bench_i',
           true, NULL, current_date, current_date - (r % 400),
           CASE WHEN r % 20 < 6 THEN '{ordered_to_correct}'::text[] WHEN r % 20 = 6 THEN '{pending_follow_up}' ELSE '{no_problem}' END,
           false, CASE WHEN r % 20 < 3 THEN current_date - (r % 400) + 10 END, '3301' || lpad(((r % \(objectCount) + 1) % 10)::text, 2, '0'),
           '{bench_i}', '{bench_d1}', 'A', true, 1, NULL, true
    FROM generate_series(1, \(objectCount)) r
    """,
    """
    INSERT INTO clues (industry_code, source, object_credit_code, description, suspected_violation, found_by, created_by, created_at)
    SELECT 'bench_i', 'complaint', '91330100' || lpad((c * 19 % \(objectCount) + 1)::text, 9, '0') || '0', '基准投诉', '基准违法', 'bench_d1',
           'bench', now() - (c % 300) * interval '1 day'
    FROM generate_series(1, 50000) c
    """,
    """
    INSERT INTO clue_routes (clue_id, department, deadline, state, outcome, routed_by, decided_at, concluded_at)
    SELECT id, 'bench_d2', created_at + interval '10 days', 'routed', NULL, 'bench', NULL, NULL FROM clues
    """,
    "UPDATE clue_routes SET state = 'accepted', decided_at = now()",
    "UPDATE clue_routes SET state = 'concluded', outcome = CASE WHEN id % 2 = 0 THEN 'case_filed' ELSE 'no_case' END, concluded_at = now() - (id % 300) * interval '1 day'",
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

/// Eight indicators weighing 100 and four bands; `credit` weighs the credit class.
func system(credit: Int) -> IndicatorSystem {
    IndicatorSystem(
        indicators: [
            Indicator(
                code: "credit", name: "信用风险分类", kind: .creditClass, weight: credit,
                points: ["A": 0, "B": 30, "C": 70, "D": 100, "unrated": 50]),
            Indicator(
                code: "status", name: "登记状态", kind: .registrationStatus, weight: 10,
                points: ["abnormal_list": 60, "serious_violation_list": 100]),
            Indicator(
                code: "scale", name: "经营规模", kind: .scale, weight: 10, points: ["micro": 10, "small": 30, "medium": 60, "large": 100]),
            Indicator(code: "watched", name: "重点监管", kind: .tag, weight: 5, tag: "重点监管"),
            Indicator(code: "hazard", name: "储存危险化学品", kind: .tag, weight: 5, tag: "储存危险化学品"),
            Indicator(code: "problems", name: "近三年发现问题", kind: .problemResults, weight: 20, years: 3, pointsEach: 50),
            Indicator(code: "clues", name: "近两年线索查实", kind: .concludedClues, weight: 45 - credit, years: 2, pointsEach: 100),
            Indicator(code: "open", name: "未办结后续处置", kind: .openFollowUps, weight: 5, pointsEach: 100),
        ],
        bands: [
            GradeBand(code: "1", name: "一级", minimumScore: 0), GradeBand(code: "2", name: "二级", minimumScore: 20),
            GradeBand(code: "3", name: "三级", minimumScore: 40), GradeBand(code: "4", name: "四级", minimumScore: 60),
        ])
}

try await withTemporaryClient(scratch.application, logger: logger) { client in
    func measure(_ label: String, runs: Int, _ body: (Int) async throws -> Void) async throws {
        try await body(0)  // warm
        var times: [Double] = []
        for run in 1...runs { times.append(try await seconds { try await body(run) }.1 * 1000) }
        say(String(format: "%@: p50 %.1f ms, p95 %.1f ms (%d runs)", label, percentile(times, 0.5)!, percentile(times, 0.95)!, runs))
    }
    func count(_ sql: String) async throws -> Int {
        var value = 0
        for try await n in try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Int.self) { value = n }
        return value
    }

    try await measure("SELECT 1 round trip", runs: 200) { _ in
        for try await _ in try await client.query("SELECT 1", logger: logger).decode(Int.self) {}
    }
    let systems = ListVersionRepository<IndicatorSystem>(client: client, logger: logger)
    let audit = AuditRecord.Entry(actor: "bench", action: "indicator_system.publish", objectType: "indicator_system", objectID: "bench_i")
    for (version, credit) in [(1, 40), (2, 30)] {
        _ = try await systems.createDraft("bench_i", note: "基准", document: system(credit: credit), audit: audit)
        let (_, took) = try await seconds {
            _ = try await systems.publishDraft("bench_i", audit: audit, deadline: GradingRepository.industryDeadline)
        }
        say(String(format: "publishing version %d (grading every object, 8 indicators): %.2f s", version, took))
    }
    say(
        "graded: \(try await count("SELECT count(*)::int FROM object_grades")) objects; history \(try await count("SELECT count(*)::int FROM object_grade_history")) rows"
    )
    var grades: [String] = []
    for try await (grade, n) in try await client.query(
        "SELECT grade, count(*)::int FROM object_grades GROUP BY 1 ORDER BY 1", logger: logger
    )
    .decode((String, Int).self) { grades.append("\(grade): \(n)") }
    say("grades: " + grades.joined(separator: ", "))
    let (_, again) = try await seconds {
        let sql = "SELECT graded::int, changed::int FROM grade_objects('bench_i', NULL, 'regrade')"
        for try await _ in try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode((Int, Int).self) {}
    }
    say(String(format: "grading the industry again, nothing changed: %.2f s", again))
    try await measure("regrading one object (as a publication does)", runs: 200) { run in
        let code = "91330100" + String(format: "%09d", (run * 7919) % objectCount + 1) + "0"
        for try await _ in try await client.query("SELECT 1 FROM regrade_objects(ARRAY[\(code)], 'result')", logger: logger)
            .decode(Int.self)
        {}
    }

    let rules: [(String, String, Int, Int)] = [
        ("repeated_problems", "object", 2, 365), ("clue_volume", "object", 2, 365), ("clue_volume", "region", 4000, 90),
        ("problem_rate", "region", 30, 90), ("rising_problem_rate", "industry", 5, 90), ("grade_worsened", "object", 2, 30),
    ]
    let warnings = WarningRepository(client: client, logger: logger)
    for (kind, scope, threshold, days) in rules {
        _ = try await warnings.createRule(
            WarningRule(
                industry: "bench_i", name: "\(kind) \(scope)", kind: try .init(code: kind), scope: try .init(code: scope),
                threshold: threshold, days: days, minimumResults: 10),
            audit: AuditRecord.Entry(actor: "bench", action: "warning_rule.create"))
    }
    let (raised, took) = try await seconds { try await warnings.evaluate(audit: nil) }
    say(String(format: "evaluating %d warning rules over the results: %.2f s, %d warnings raised", rules.count, took, raised))
    let (_, second) = try await seconds { try await warnings.evaluate(audit: nil) }
    say(String(format: "evaluating again (nothing new to raise): %.2f s", second))
}
if ProcessInfo.processInfo.environment["HOLD"] != nil {
    say("holding the cluster in \(scratch.directory.path) (socket under data/run/, user yiye, database yiye) until interrupted")
    try await Task.sleep(for: .seconds(86_400))
}
say(String(format: "peak memory: %.0f MiB", peakMemoryMiB()))
