// 一公开 at province scale: N published results (default 1,000,000) over N/5 objects, five departments, published
// over one year. Times the public search's first page by credit code and by name prefix (p50/p95 of 200 each,
// against a SELECT 1 round trip measured in the same run), and the open-data export of one month and of the whole
// year through the same paging the API streams (rows/s, peak memory after each).
// Usage: bench/results.sh [results, default 1000000]
import BenchSupport
import Foundation
import Logging
import PostgresNIO
import YiyeCore
import YiyeStore

let logger: Logger = {
    var logger = Logger(label: "result-bench")
    logger.logLevel = .warning
    return logger
}()
let resultCount = CommandLine.arguments.dropFirst().compactMap { Int($0) }.first ?? 1_000_000
let departments: [DepartmentCode] = (1...5).map { DepartmentCode("bench_d\($0)") }
let objectCount = resultCount / departments.count

let scratch = try await ScratchCluster(name: "result-bench", logger: logger)
defer { scratch.remove() }

// What every version publishes, before its object's code and name are set.
let template = PublicResult(
    InspectionResult(
        drawID: 1, creditCode: "", department: "bench_d1",
        items: (1...5).map {
            ItemResult(entry: $0, outcome: $0 == 3 ? .abnormal : .normal, method: .onSite, finding: $0 == 3 ? "基准问题" : "")
        },
        categories: [CategoryFinding(.orderedToCorrect, correctionDue: CalendarDate("2026-12-31"))], remarks: "基准备注",
        enteredBy: "bench", publishDue: CalendarDate("2026-12-31")!),
    object: InspectedObject(
        creditCode: "", name: "", kind: .enterprise, industries: ["bench"], regionCode: "330100", address: "基准路",
        supervisingDepartments: ["bench_d1"]),
    industry: "bench", taskName: "基准联合抽查", windowEnd: CalendarDate("2026-12-31")!, authority: "基准部门",
    entries: Dictionary(
        uniqueKeysWithValues: (1...5).map {
            (
                $0,
                InspectionItem(
                    code: "B-\($0)", project: "基准项目", content: "基准检查内容\($0)", legalBasis: "基准依据", objectKinds: [.enterprise],
                    methods: [.onSite], industries: ["bench"])
            )
        }))
let encoder = JSONEncoder()
encoder.outputFormatting = [.sortedKeys]
let content = String(decoding: try encoder.encode(template), as: UTF8.self)

let (_, setup) = try await seconds {
    try await withTemporaryClient(scratch.owner, logger: logger) { owner in
        for (index, code) in departments.enumerated() {
            _ = try await owner.query(
                "INSERT INTO departments (code, name, kind, region_code) VALUES (\(code), \("基准部门\(index + 1)"), 'regulator', '330100')")
        }
        _ = try await owner.query("INSERT INTO industries (code, name, originating_department) VALUES ('bench', '基准行业', 'bench_d1')")
        _ = try await owner.query(
            """
            INSERT INTO objects (credit_code, name, kind, industries, region_code, supervising_departments)
            SELECT '91330100' || lpad(i::text, 9, '0') || '0', '基准企业' || i, 'enterprise', ARRAY['bench'], '330100', ARRAY['bench_d1']
            FROM generate_series(1, \(objectCount)) i
            """)
        _ = try await owner.query(
            """
            INSERT INTO tasks (industry_code, originator, name, kind, joint_list_version, scope, sampling, window_start, window_end, created_by)
            VALUES ('bench', 'bench_d1', '基准联合抽查', 'annual', 1, '{}', '{}', '2026-01-01', '2026-12-31', 'bench')
            """)
        _ = try await owner.query(
            """
            INSERT INTO draws (task_id, year, parameters, object_pool, inspector_pool, conflict_pool, pool_digest, inspector_digest,
                               strata, exclusions, commit_deadline, reveal_deadline, frozen_by)
            VALUES (1, 2026, '{}', '', '', '', '', '', '[]', '[]', now(), now() + interval '1 day', 'bench')
            """)
        _ = try await owner.query(
            """
            INSERT INTO inspection_results (draw_id, credit_code, department, status, inspected_on, entered_by, publish_due,
                                            deadline_from, deadline_working_days, version)
            SELECT 1, o.credit_code, d, 'published', '2026-06-30', 'bench', '2026-07-28', '2026-06-30', 20, 1
            FROM objects o, unnest(\(departments)) d
            """)
        _ = try await owner.query(
            """
            INSERT INTO published_results (result_id, version, credit_code, object_name, industry_code, department, inspected_on,
                                           published_by, published_at, content)
            SELECT r.id, 1, r.credit_code, o.name, 'bench', r.department, r.inspected_on, 'bench',
                   timestamptz '2026-01-01 00:00:00+08' + (r.id % 365) * interval '1 day' + (r.id % 86400) * interval '1 second',
                   jsonb_set(jsonb_set(jsonb_set(\(content)::jsonb, '{creditCode}', to_jsonb(r.credit_code)),
                                       '{objectName}', to_jsonb(o.name)), '{department}', to_jsonb(r.department))
            FROM inspection_results r JOIN objects o ON o.credit_code = r.credit_code ORDER BY r.id
            """)
        _ = try await owner.query("VACUUM ANALYZE")
    }
}
print(String(format: "setup (not measured): %d published results over %d objects, %.0f s", resultCount, objectCount, setup))

try await withTemporaryClient(scratch.application, logger: logger) { client in
    let results = ResultRepository(client: client, logger: logger)
    func timed(_ body: () async throws -> Void) async throws -> Double {
        try await seconds(body).1 * 1000
    }
    var generator = SystemRandomNumberGenerator()
    var floor: [Double] = []
    var byCode: [Double] = []
    var byName: [Double] = []
    for _ in 0..<200 {
        floor.append(try await timed { for try await _ in try await client.query("SELECT 1", logger: logger).decode(Int.self) {} })
        let n = Int.random(in: 1...objectCount, using: &generator)
        let code = "91330100" + String(repeating: "0", count: 9 - String(n).count) + String(n) + "0"
        byCode.append(try await timed { _ = try await results.published(.init(creditCode: code), before: nil, limit: 21) })
        // A name without its last two digits: 基准企业1234 starts 1234, 12340–12349 and 123400–123499 (111 businesses).
        let prefix = "基准企业\(Int.random(in: min(10_000, objectCount)...objectCount, using: &generator) / 100)"
        byName.append(try await timed { _ = try await results.published(.init(name: prefix), before: nil, limit: 21) })
    }
    func figures(_ label: String, _ values: [Double]) {
        print(String(format: "%@: p50 %.2f ms, p95 %.2f ms", label, percentile(values, 0.5) ?? 0, percentile(values, 0.95) ?? 0))
    }
    figures("SELECT 1 round trip (floor)", floor)
    figures("public search first page by credit code", byCode)
    figures("public search first page by name prefix (about 111 businesses, 555 results)", byName)

    for (label, from, to) in [
        ("one month (January)", CalendarDate("2026-01-01"), CalendarDate("2026-01-31")),
        ("the whole year", nil as CalendarDate?, nil as CalendarDate?),
    ] {
        for jsonLines in [false, true] {
            var (rows, bytes) = (0, 0)
            let (_, elapsed) = try await seconds {
                for try await chunk in ResultExport(results: results, from: from, to: to, jsonLines: jsonLines) {
                    bytes += chunk.count
                    // A CSV row ends with CR LF (its items cell holds bare LFs); a JSON line with LF.
                    let end: UInt8 = jsonLines ? 0x0A : 0x0D
                    rows += chunk.reduce(0) { $0 + ($1 == end ? 1 : 0) }
                }
            }
            if !jsonLines { rows -= 1 }  // the header
            print(
                String(
                    format: "export %@ as %@: %d rows (lines), %.1f MiB in %.1f s, %.0f rows/s; peak memory so far %.0f MiB", label,
                    jsonLines ? "JSON Lines" : "CSV", rows, Double(bytes) / 1_048_576, elapsed, Double(rows) / elapsed, peakMemoryMiB()))
        }
    }
}
