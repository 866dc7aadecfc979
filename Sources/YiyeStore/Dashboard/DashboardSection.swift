import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// One part of the dashboard: the facts it counts, one row each, and how their aggregates become counts.
///
/// Every section's `facts` select from the scope `p` one row per fact with its `industry` and its department (`dep`), or
/// its departments (`deps`) where a fact is `shared`; sections counted by a code (a category, a state) also give the
/// `code`. `Runner` narrows the facts to the scope and groups them, in one statement, by department (a shared fact
/// counts once for each of its departments), by department within industry, and without department (where a fact
/// counts once): by industry and overall. Facts of one department each are grouped as they are; shared ones are
/// first repeated once per department, which costs several times more. The facts and aggregates are constants of this
/// file, never anything a client sent; they are spliced into the one statement so that every section is grouped the
/// same way, and every value of the scope is a bind.
struct Section: Sendable {
    var name: String
    var shared = false
    var facts: String
    var byCode = false
    var aggregates: String
    var apply: @Sendable (_ cells: Cells, _ code: String?, _ figures: inout DashboardFigures) throws -> Void

    /// The aggregates of one row, in order.
    struct Cells {
        let row: PostgresRandomAccessRow

        func int(_ index: Int) throws -> Int { try row[4 + index].decode(Int.self) }
        func double(_ index: Int) throws -> Double? { try row[4 + index].decode(Double?.self) }
    }

    /// Runs a section over the scope: each row's key, code and aggregates.
    struct Runner {
        /// A shared fact once without department (where it counts once) and once for each of its departments.
        static let repeatedPerDepartment = """
            SELECT NULL::text AS dep, f.* FROM f, p WHERE p.dept IS NULL OR p.dept = ANY(f.deps)
            UNION ALL
            SELECT d, f.* FROM f, p, unnest(f.deps) d WHERE p.dept IS NULL OR d = p.dept
            """

        var scope: DashboardRepository.Scope
        var completed: [Int64]
        var connection: PostgresConnection
        var logger: Logger

        func callAsFunction(_ section: Section) async throws -> [(DashboardKey, String?, Cells)] {
            let problems = ResultCategory.allCases.filter(\.findsProblem).map(\.rawValue)
            var sets = section.shared ? ["dep", "dep, industry"] : ["dep", "dep, industry", "industry", ""]
            if section.byCode { sets = sets.map { $0.isEmpty ? "code" : $0 + ", code" } }
            let groupingSets = sets.map { "(\($0))" }.joined(separator: ", ")
            let period = scope.period
            let today = CalendarDate(chinaDateOf: scope.now).description
            let query: PostgresQuery = """
                WITH p AS (
                    SELECT \(period.first.description)::date AS first, \(period.last.description)::date AS last, \(period.year)::int AS year,
                           \(scope.industries)::text[] AS industries, \(scope.department)::text AS dept, \(scope.region)::text AS region,
                           \(today)::date AS today, \(scope.now)::timestamptz AS now, \(completed)::bigint[] AS completed,
                           \(problems)::text[] AS problems, \(ExclusionReason.inspectionsPerYear)::int AS cap
                ), f AS (
                    SELECT f.* FROM (\(unescaped: section.facts)) f, p WHERE p.industries IS NULL OR f.industry = ANY(p.industries)
                ), a AS (\(unescaped: section.shared ? Self.repeatedPerDepartment : "SELECT f.* FROM f, p WHERE p.dept IS NULL OR f.dep = p.dept"))
                SELECT dep, industry, GROUPING(industry) = 1, \(unescaped: section.byCode ? "code" : "NULL::text"), \(unescaped: section.aggregates)
                FROM a GROUP BY GROUPING SETS (\(unescaped: groupingSets))
                """
            var rows: [(DashboardKey, String?, Cells)] = []
            for try await row in try await connection.query(query, logger: logger) {
                let cells = row.makeRandomAccess()
                let industry = try cells[1].decode(String?.self)
                let allIndustries = try cells[2].decode(Bool.self)
                guard allIndustries || industry != nil else { continue }
                let key = DashboardKey(department: try cells[0].decode(DepartmentCode?.self), industry: allIndustries ? nil : industry)
                rows.append((key, try cells[3].decode(String?.self), Cells(row: cells)))
            }
            return rows
        }
    }
}

extension Section {
    static let all: [Section] = [
        plan, visits, visitsByMonth, businesses, coverage, results, daysToPublish, daysToClose, publishedByMonth, categories,
        timeliness, objections, calls, escalations, clueRoutes, meetings, actionItems, warnings, triggered,
    ]

    /// The results (their facts kept by `sql/0033_dashboard_facts.sql`: the task's industry, the object's region and
    /// shape, the day first published), in the region asked for.
    private static let resultsInScope = "FROM result_facts r CROSS JOIN p"
    private static func inRegion(_ table: String) -> String { "(p.region IS NULL OR \(table).region_code LIKE p.region || '%')" }
    private static let inRegion = inRegion("r")
    /// The counts `n` of the result facts of `kind` (kept by `sql/0035_dashboard_tallies.sql`) in the months of the
    /// period, in the region asked for.
    private static func resultTallies(_ kind: String, joining: String = "") -> String {
        """
        FROM result_tallies t CROSS JOIN p \(joining)
        WHERE t.kind = '\(kind)' AND t.month BETWEEN p.first AND p.last AND t.n <> 0 AND \(inRegion("t"))
        """
    }
    /// The counts `n` of the objects visited in the period (kept by the same file), in the region asked for.
    private static func objectsVisited(joining: String) -> String {
        """
        FROM object_visit_tallies t CROSS JOIN p \(joining)
        WHERE t.first = p.first AND t.last = p.last AND t.n <> 0 AND \(inRegion("t"))
        """
    }
    /// The sum of the counts `n` of the rows where `condition` holds.
    private static func counted(where condition: String = "true") -> String {
        "coalesce(sum(n) FILTER (WHERE \(condition)), 0)::bigint"
    }
    /// Of a published result's tallied key ([resolved, closed, categories…] or [days, resolved, categories…]): whether it
    /// found a problem, and whether it needs a follow-up (a problem, or an investigation resolved).
    private static func problem(_ categories: String) -> String { "(\(categories) && p.problems)" }
    private static func needed(categories: String, resolved: String) -> String { "(\(problem(categories)) OR \(resolved)::boolean)" }
    /// Whether industry `i` is the lead one of `industries` in scope (the first in code order), so that a count over
    /// all industries counts each object once without a DISTINCT.
    private static func lead(_ industries: String) -> String {
        """
        i = (SELECT min(x) FROM unnest(\(industries)) x
             WHERE (p.industries IS NULL OR x = ANY(p.industries)) AND x IN (SELECT code FROM industries))
        """
    }
    /// The counts `n` of objects where `condition` holds, each object once: in each of its industries, and over all
    /// industries in its lead one.
    private static func onceAnObject(where condition: String = "true") -> String {
        "CASE WHEN GROUPING(industry) = 1 THEN \(counted(where: "lead AND \(condition)")) ELSE \(counted(where: condition)) END"
    }

    /// A section that counts its facts by their code into one of the figures' tallies.
    static func tally<Key: Hashable>(
        _ name: String, into tally: any WritableKeyPath<DashboardFigures, [Key: Int]> & Sendable, key: @escaping @Sendable (String) -> Key?,
        counting: String = "count(*)", facts: String
    ) -> Section {
        Section(name: name, facts: facts, byCode: true, aggregates: counting) { cells, code, figures in
            guard let key = code.flatMap(key) else { return }
            figures[keyPath: tally][key] = try cells.int(0)
        }
    }

    static let plan = Section(
        name: "plan",
        shared: true,
        facts: """
            SELECT t.industry_code AS industry, t.participants || t.originator AS deps, d.executed_at IS NOT NULL AS drawn,
                   t.id = ANY(p.completed) AS completed
            FROM tasks t CROSS JOIN p LEFT JOIN draws d ON d.task_id = t.id
            WHERE t.window_start BETWEEN p.first AND p.last
            """,
        aggregates: "count(*), count(*) FILTER (WHERE drawn), count(*) FILTER (WHERE completed)"
    ) { cells, _, figures in
        (figures.tasksPlanned, figures.tasksDrawn, figures.tasksCompleted) = (try cells.int(0), try cells.int(1), try cells.int(2))
    }

    /// Visits (a draw's inspection of an object), counted per department that recorded one; `lead` marks the counts
    /// that stand for the visit where it counts once (without department, unless one department's part is asked for:
    /// then each of its counts is of visits).
    private static let visitFacts = """
        SELECT t.industry, t.department AS dep, t.key[1]::boolean OR p.dept IS NOT NULL AS lead, t.key[2]::int AS departments,
               extract(month FROM t.month)::text AS code, t.n
        \(resultTallies("visit"))
        """
    /// The counts of visits where `condition` holds: all of a department's, the lead ones where a visit counts once.
    private static func onceAVisit(_ counts: String = "n", where condition: String = "true") -> String {
        "coalesce(CASE WHEN GROUPING(dep) = 1 THEN sum(\(counts)) FILTER (WHERE lead AND \(condition)) ELSE sum(\(counts)) FILTER (WHERE \(condition)) END, 0)::bigint"
    }

    static let visits = Section(
        name: "visits", facts: visitFacts,
        aggregates: "\(onceAVisit()), \(onceAVisit(where: "departments > 1")), \(onceAVisit("departments * n"))"
    ) { cells, _, figures in
        (figures.visits, figures.jointVisits, figures.visitDepartments) = (try cells.int(0), try cells.int(1), try cells.int(2))
    }

    static let visitsByMonth = tally("visitsByMonth", into: \.visitsByMonth, key: { Int($0) }, counting: onceAVisit(), facts: visitFacts)

    /// Businesses visited in the period, in each industry they were visited in, with the departments that visited them.
    static let businesses = Section(
        name: "businesses",
        shared: true,
        facts: """
            SELECT i AS industry, t.departments AS deps, \(lead("t.industries")) AS lead, t.visits, t.year_visits >= p.cap AS capped, t.n
            \(objectsVisited(joining: "CROSS JOIN LATERAL unnest(t.industries) i"))
            """,
        aggregates: """
            \(onceAnObject(where: "visits = 1")), \(onceAnObject(where: "visits = 2")), \(onceAnObject(where: "visits >= 3")),
            \(onceAnObject(where: "capped"))
            """
    ) { cells, _, figures in
        figures.businessesByVisits = [1: try cells.int(0), 2: try cells.int(1), 3: try cells.int(2)].filter { $0.value > 0 }
        figures.businessesAtCap = try cells.int(3)
    }

    /// The directory's objects (counted by shape, `directory_shapes`) and the objects inspected in the period, each
    /// once per industry of its that is in scope.
    static let coverage = Section(
        name: "coverage",
        shared: true,
        facts: """
            SELECT i AS industry, s.supervising_departments AS deps, s.risk_class AS code, \(lead("s.industries")) AS lead,
                   s.objects AS listed, 0 AS n
            FROM directory_shapes s CROSS JOIN p CROSS JOIN LATERAL unnest(s.industries) i
            WHERE \(inRegion("s")) AND i IN (SELECT code FROM industries)
            UNION ALL
            SELECT i, t.supervising_departments, t.risk_class, \(lead("t.object_industries")), 0, t.n
            \(objectsVisited(joining: "CROSS JOIN LATERAL unnest(t.object_industries) i")) AND t.listed AND i IN (SELECT code FROM industries)
            """,
        byCode: true,
        aggregates: """
            (CASE WHEN GROUPING(industry) = 1 THEN coalesce(sum(listed) FILTER (WHERE lead), 0) ELSE sum(listed) END)::bigint,
            \(onceAnObject())
            """
    ) { cells, code, figures in
        guard let code else { return }
        figures.directory[code] = try cells.int(0)
        figures.inspected[code] = try cells.int(1)
    }

    /// Results first published in the period.
    private static let publishedFacts = """
        SELECT t.industry, t.department AS dep, extract(month FROM t.month)::text AS code, t.n, \(problem("t.key[3:]")) AS problem,
               \(needed(categories: "t.key[3:]", resolved: "t.key[1]")) AS needed, t.key[2]::boolean AS closed
        \(resultTallies("published"))
        """

    static let results = Section(
        name: "results",
        facts: publishedFacts,
        aggregates: """
            \(counted()), \(counted(where: "problem")), \(counted(where: "needed")), \(counted(where: "needed AND closed"))
            """
    ) { cells, _, figures in
        (figures.resultsPublished, figures.resultsWithProblems) = (try cells.int(0), try cells.int(1))
        (figures.followUpsNeeded, figures.followUpsClosed) = (try cells.int(2), try cells.int(3))
    }

    static let daysToPublish = tally(
        "daysToPublish", into: \.daysToPublish, key: { Int($0) }, counting: counted(),
        facts: "SELECT t.industry, t.department AS dep, t.key[1] AS code, t.n \(resultTallies("publish_days"))")

    static let daysToClose = tally(
        "daysToClose", into: \.daysToClose, key: { Int($0) }, counting: counted(),
        facts: """
            SELECT t.industry, t.department AS dep, t.key[1] AS code, t.n
            \(resultTallies("close_days")) AND \(needed(categories: "t.key[3:]", resolved: "t.key[2]"))
            """)

    static let publishedByMonth = tally(
        "publishedByMonth", into: \.publishedByMonth, key: { Int($0) }, counting: counted(), facts: publishedFacts)

    static let categories = tally(
        "categories", into: \.categories, key: { ResultCategory(rawValue: $0) }, counting: counted(),
        facts:
            "SELECT t.industry, t.department AS dep, c AS code, t.n \(resultTallies("published", joining: "CROSS JOIN LATERAL unnest(t.key[3:]) c"))"
    )

    /// Results whose deadline fell in the period and has passed: counted by month before this one, and one by one from
    /// this month's first day.
    static let timeliness = Section(
        name: "timeliness",
        facts: """
            SELECT t.industry, t.department AS dep, t.key[1]::boolean AS published, t.key[2]::boolean AS on_time, t.n
            \(resultTallies("due")) AND t.month < date_trunc('month', p.today)
            UNION ALL
            SELECT r.industry, r.department, r.published, coalesce(r.first_published <= r.publish_due, false), 1
            \(resultsInScope)
            WHERE r.publish_due BETWEEN greatest(p.first, date_trunc('month', p.today)::date) AND p.last AND r.publish_due < p.today
                  AND \(inRegion)
            """,
        aggregates: "\(counted()), \(counted(where: "published")), \(counted(where: "on_time"))"
    ) { cells, _, figures in
        (figures.resultsDue, figures.resultsDuePublished, figures.resultsPublishedOnTime) =
            (try cells.int(0), try cells.int(1), try cells.int(2))
    }

    static let objections = tally(
        "objections", into: \.objections, key: { $0 },
        facts: """
            SELECT r.industry, j.department AS dep, j.status AS code
            \(resultsInScope) JOIN objections j ON j.result_id = r.result_id
            WHERE j.received_on BETWEEN p.first AND p.last AND \(inRegion)
            """)

    static let calls = Section(
        name: "calls",
        facts: """
            SELECT c.industry_code AS industry, w.department AS dep, w.state IN ('accepted', 'declined') AS answered,
                   extract(epoch FROM w.responded_at - c.created_at) / 3600 AS hours
            FROM whistle_responses w JOIN whistle_calls c ON c.id = w.call_id CROSS JOIN p
            WHERE (c.created_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN p.first AND p.last
            """,
        aggregates: "count(*), count(*) FILTER (WHERE answered), percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) FILTER (WHERE answered)"
    ) { cells, _, figures in
        (figures.callsAddressed, figures.callsAnswered, figures.medianResponseHours) =
            (try cells.int(0), try cells.int(1), try cells.double(2))
    }

    /// Escalations, each with the industry of what was late (kept when it was escalated).
    static let escalations = tally(
        "escalations", into: \.escalations, key: { $0 },
        facts: """
            SELECT e.industry_code AS industry, e.department AS dep, e.kind AS code
            FROM escalations e CROSS JOIN p
            WHERE (e.escalated_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN p.first AND p.last
            """)

    static let clueRoutes = tally(
        "clueRoutes", into: \.clueRoutes, key: { $0 },
        facts: """
            SELECT c.industry_code AS industry, r.department AS dep, r.state AS code
            FROM clue_routes r JOIN clues c ON c.id = r.clue_id CROSS JOIN p
            WHERE (r.routed_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN p.first AND p.last
            """)

    static let meetings = Section(
        name: "meetings",
        shared: true,
        facts: """
            SELECT m.industry_code AS industry, ARRAY(SELECT DISTINCT x FROM unnest(m.invitees || m.convened_by) x) AS deps
            FROM meetings m CROSS JOIN p
            WHERE (m.starts_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN p.first AND p.last AND m.starts_at <= p.now
            """,
        aggregates: "count(*)"
    ) { cells, _, figures in
        figures.meetingsHeld = try cells.int(0)
    }

    static let actionItems = Section(
        name: "actionItems",
        facts: """
            SELECT m.industry_code AS industry, a.owner_department AS dep, a.status = 'open' AS open,
                   a.status = 'open' AND a.due_date < p.today AS overdue
            FROM meeting_action_items a JOIN meetings m ON m.id = a.meeting_id CROSS JOIN p
            WHERE a.due_date BETWEEN p.first AND p.last
            """,
        aggregates: "count(*), count(*) FILTER (WHERE open), count(*) FILTER (WHERE overdue)"
    ) { cells, _, figures in
        (figures.actionItemsDue, figures.actionItemsOpen, figures.actionItemsOverdue) = (
            try cells.int(0), try cells.int(1), try cells.int(2)
        )
    }

    /// Warnings raised in the period, each counted for the industry's originating department (it judges them), in the
    /// region asked for: an object's region, or the region warned about; industry-wide ones only where no region is.
    private static let warningFacts = """
        SELECT w.industry_code AS industry, i.originating_department AS dep, w.state AS code, w.reported, w.task_id
        FROM warnings w JOIN industries i ON i.code = w.industry_code CROSS JOIN p
             LEFT JOIN objects o ON w.scope = 'object' AND o.credit_code = w.subject
        WHERE (w.raised_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN p.first AND p.last
          AND (p.region IS NULL OR coalesce(o.region_code, CASE w.scope WHEN 'region' THEN w.subject END) LIKE p.region || '%')
        """

    static let warnings = Section(
        name: "warnings", facts: warningFacts, byCode: true, aggregates: "count(*), count(*) FILTER (WHERE reported)"
    ) { cells, code, figures in
        guard let state = code.flatMap(RiskWarning.State.init(rawValue:)) else { return }
        figures.warnings[state] = try cells.int(0)
        figures.warningsReported += try cells.int(1)
    }

    /// The published results of the tasks that warnings raised in the period became (触发式检查), and what they found.
    static let triggered = Section(
        name: "triggered",
        facts: """
            SELECT w.industry, w.dep, \(problem("r.categories")) AS problem
            FROM (\(warningFacts)) w CROSS JOIN p JOIN draws d ON d.task_id = w.task_id JOIN result_facts r ON r.draw_id = d.id
            WHERE r.published
            """,
        aggregates: "count(*), count(*) FILTER (WHERE problem)"
    ) { cells, _, figures in
        (figures.triggeredResults, figures.triggeredProblems) = (try cells.int(0), try cells.int(1))
    }
}
