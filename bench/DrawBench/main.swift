// A joint draw at province scale: N objects (risk mix about A 50%, B 30%, C 15%, D 5%), ratios 1/3/10/20%, five
// departments with M inspectors each, 2% of the objects with a conflict declaration. Times freeze, the
// departments' commitments and reveals, and execute (selection, teams, persisting the record, drawn objects and
// teams), with peak memory; then, on the same data, the way existing platforms draw: per stratum
// ORDER BY random() LIMIT k, then one ORDER BY random() LIMIT m query per object and department.
// Usage: bench/draw.sh [objects, default 1000000] [inspectors per department, default 400] [departments, default 5]
// The baseline's inspector queries run for at most BASELINE_SAMPLE objects (default 50,000; 0 skips the baseline) and
// are extrapolated linearly to all drawn objects beyond that: each query costs the same whatever the object.
import BenchSupport
import Foundation
import Logging
import PostgresNIO
import YiyeCore
import YiyeStore

let logger: Logger = {
    var logger = Logger(label: "draw-bench")
    logger.logLevel = .info  // the execution's phases
    return logger
}()
let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let objectCount = arguments.first ?? 1_000_000
let inspectorsPerDepartment = arguments.dropFirst().first ?? 400
let departmentCount = arguments.dropFirst(2).first ?? 5
let baselineSample = ProcessInfo.processInfo.environment["BASELINE_SAMPLE"].flatMap { Int($0) } ?? 50_000
let departments: [DepartmentCode] = (1...departmentCount).map { DepartmentCode("bench_d\($0)") }
let audit = AuditRecord.Entry(actor: "bench", action: "bench")

let scratch = try await ScratchCluster(name: "draw-bench", logger: logger)
defer { scratch.remove() }

// The data, written by SQL (not measured): departments, the industry, objects, inspectors, conflicts.
let (_, setup) = try await seconds {
    try await withTemporaryClient(scratch.owner, logger: logger) { owner in
        for (index, code) in departments.enumerated() {
            _ = try await owner.query(
                "INSERT INTO departments (code, name, kind, region_code) VALUES (\(code), \("基准部门\(index + 1)"), 'regulator', '330100')")
        }
        _ = try await owner.query("INSERT INTO industries (code, name, originating_department) VALUES ('bench', '基准行业', 'bench_d1')")
        _ = try await owner.query("INSERT INTO industry_participants SELECT 'bench', unnest(\(Array(departments.dropFirst())))")
        _ = try await owner.query(
            """
            INSERT INTO objects (credit_code, name, kind, industries, region_code, risk_class, risk_rated_on, supervising_departments)
            SELECT '91330100' || lpad(i::text, 9, '0') || '0', '基准企业' || i, 'enterprise', ARRAY['bench'], '330100',
                   CASE WHEN r < 50 THEN 'A' WHEN r < 80 THEN 'B' WHEN r < 95 THEN 'C' ELSE 'D' END, '2026-01-01', ARRAY['bench_d1']
            FROM (SELECT i, abs(hashtext('risk' || i)) % 100 AS r FROM generate_series(1, \(objectCount)) i) s
            """)
        // Every inspector holds their department's qualification, which its item requires (the draw still checks it).
        _ = try await owner.query(
            """
            INSERT INTO inspectors (department_code, name, certificate_number, level, region_code, qualifications)
            SELECT d, '人员' || d || '-' || i, upper(replace(d, '_', '-')) || '-' || i, 'county', '330100',
                   ARRAY['资质-' || d]
            FROM unnest(\(departments)) d, generate_series(1, \(inspectorsPerDepartment)) i
            """)
        _ = try await owner.query(
            """
            INSERT INTO conflict_declarations (inspector_id, credit_code, reason, valid_from, declared_by)
            SELECT (SELECT min(id) FROM inspectors) + abs(hashtext('who' || credit_code)) % \(departmentCount * inspectorsPerDepartment),
                   credit_code, '基准回避', '2026-01-01', 'bench'
            FROM objects WHERE abs(hashtext(credit_code)) % 50 = 0
            """)
        // As a live database has them: vacuumed (hint bits set, as autovacuum leaves them) and checkpointed, so that
        // neither the setup's writes nor their first reading are timed with the draw.
        _ = try await owner.query("VACUUM ANALYZE")
        _ = try await owner.query("CHECKPOINT")
    }
}
print(
    String(
        format: "setup (not measured): %d objects, %d departments of %d inspectors, conflicts on 2%% of objects, %.0f s",
        objectCount, departmentCount, inspectorsPerDepartment, setup))

try await withTemporaryClient(scratch.application, logger: logger) { client in
    // Each department's one item for the industry, and the joint list.
    let itemLists = ListVersionRepository<ItemList>(client: client, logger: logger)
    var sources: [(department: DepartmentCode, version: Int, list: ItemList)] = []
    for (index, department) in departments.enumerated() {
        let item = InspectionItem(
            code: "B-\(index + 1)", project: "基准项目\(index + 1)", content: "基准检查内容\(index + 1)",
            legalBasis: "基准依据第\(index + 1)条", objectKinds: [.enterprise], methods: [.onSite],
            industries: ["bench"], qualifications: ["资质-\(department)"])
        _ = try await itemLists.createDraft(department.rawValue, note: "", document: ItemList(items: [item]), audit: audit)
        let published = try await itemLists.publishDraft(department.rawValue, audit: audit)
        sources.append((department, published.version, published.document))
    }
    let jointLists = ListVersionRepository<JointList>(client: client, logger: logger)
    let joint = JointList.merge(industry: "bench", originator: "bench_d1", lists: sources, missingDepartments: [])
    _ = try await jointLists.createDraft("bench", note: "", document: joint, audit: audit)
    let jointVersion = try await jointLists.publishDraft("bench", audit: audit)
    let task = try await TaskRepository(client: client, logger: logger).create(
        InspectionTask(
            industry: "bench", originator: "bench_d1", name: "基准抽查", kind: .annual, participants: Array(departments.dropFirst()),
            jointListVersion: jointVersion.version, windowStart: CalendarDate("2026-12-01")!, windowEnd: CalendarDate("2026-12-31")!
        ), audit: audit)

    let draws = DrawRepository(client: client, logger: logger)
    let parameters = DrawRecord.Parameters(
        originator: "bench_d1", participants: Array(departments.dropFirst()), sampling: task.sampling.rules)
    let (id, freeze) = try await seconds {
        try await draws.freeze(
            task: task, parameters: parameters, commitDeadline: Date().addingTimeInterval(3600),
            revealDeadline: Date().addingTimeInterval(7200), at: Date(), audit: audit)
    }
    let (_, randomness) = try await seconds {
        let secrets = departments.map { ($0, SM3.hex("bench secret \($0)")) }
        for (department, secret) in secrets {
            try await draws.commit(id, department: department, commitment: JointDraw.commitment(for: secret), at: Date(), audit: audit)
        }
        for (department, secret) in secrets { try await draws.reveal(id, department: department, secret: secret, at: Date(), audit: audit) }
    }
    let (record, execute) = try await seconds {
        let deadlines = try await CalendarRepository(client: client, logger: logger).executionDeadlines(
            executedOn: CalendarDate(chinaDateOf: Date()), windowEnd: task.windowEnd, resultWorkingDays: 20)
        return try await draws.execute(id, task: task, jointList: jointVersion.document, deadlines: deadlines, at: Date(), audit: audit)
    }
    let teams = record.teams ?? []
    let members = teams.reduce(0) { $0 + $1.members.count }
    print(
        record.algorithm
            + String(
                format:
                    ": freeze %.2f s, commit and reveal (%d departments) %.2f s, execute %.2f s; end to end %.2f s; peak memory %.0f MiB",
                freeze, departmentCount, randomness, execute, freeze + randomness + execute, peakMemoryMiB()))
    print(
        "  \(record.strata.map { "\($0.stratum) \($0.k)/\($0.n)" }.joined(separator: ", ")); \(record.selected.count) objects, "
            + "\(members) inspector places, \(teams.filter { $0.unstaffed != nil }.count) unstaffed")

    guard baselineSample > 0 else { return }
    // The baseline: unseeded ORDER BY random(), one query per object and department for the inspectors.
    let (baselineObjects, baselineSelect) = try await seconds {
        var chosen: [String] = []
        for stratum in record.strata {
            let rows = try await client.query(
                """
                SELECT credit_code FROM objects WHERE industries @> ARRAY['bench'] AND risk_class = \(stratum.stratum)
                  AND status <> 'deregistered' ORDER BY random() LIMIT \(stratum.k)
                """, logger: logger)
            for try await code in rows.decode(String.self) { chosen.append(code) }
        }
        return chosen
    }
    let sample = baselineObjects.prefix(baselineSample)
    let (_, sampleTeams) = try await seconds {
        for object in sample {
            for department in departments {
                let rows = try await client.query(
                    """
                    SELECT id FROM inspectors i WHERE department_code = \(department) AND status = 'active'
                      AND qualifications @> ARRAY[\("资质-\(department)")]
                      AND NOT EXISTS (SELECT 1 FROM conflict_declarations c WHERE c.inspector_id = i.id AND c.credit_code = \(object))
                    ORDER BY random() LIMIT 1
                    """, logger: logger)
                for try await _ in rows {}
            }
        }
    }
    let baselineTeams = sampleTeams * Double(baselineObjects.count) / Double(max(sample.count, 1))
    let baseline = baselineSelect + baselineTeams
    let extrapolated =
        sample.count == baselineObjects.count
        ? "" : String(format: ", extrapolated from %d objects' queries taking %.2f s", sample.count, sampleTeams)
    print(
        String(
            format: "baseline (ORDER BY random()): objects %.2f s, inspectors %.2f s (%d queries",
            baselineSelect, baselineTeams, baselineObjects.count * departments.count)
            + extrapolated + String(format: "); total %.2f s", baseline))
    print(
        record.algorithm
            + String(
                format: " is %.1f× the baseline's speed (baseline %.2f s / ours %.2f s)",
                baseline / (freeze + randomness + execute), baseline, freeze + randomness + execute))
}
