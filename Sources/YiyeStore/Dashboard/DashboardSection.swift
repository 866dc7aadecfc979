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
        plan, visits, visitsByMonth, businesses, coverage, results, publishedByMonth, categories, timeliness, objections, calls,
        escalations, clueRoutes, meetings,
        actionItems,
    ]

    /// The results (their facts kept by `sql/0033_dashboard_facts.sql`: the task's industry, the object's region and
    /// shape, the day first published), in the region asked for.
    private static let resultsInScope = "FROM result_facts r CROSS JOIN p"
    private static func inRegion(_ table: String) -> String { "(p.region IS NULL OR \(table).region_code LIKE p.region || '%')" }
    private static let inRegion = inRegion("r")
    private static let publishedInPeriod = "r.first_published BETWEEN p.first AND p.last AND \(inRegion)"
    /// Whether a published result found a problem, and whether it needs a follow-up (a problem, or an investigation
    /// resolved).
    private static let problem = "r.categories && p.problems"
    private static let needed = "(r.categories && p.problems OR r.resolved)"
    /// Whether industry `i` is the lead one of `industries` in scope (the first in code order), so that a count over
    /// all industries counts each object once without a DISTINCT.
    private static func lead(_ industries: String) -> String {
        """
        i = (SELECT min(x) FROM unnest(\(industries)) x
             WHERE (p.industries IS NULL OR x = ANY(p.industries)) AND x IN (SELECT code FROM industries))
        """
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

    /// Visits (a draw's inspection of an object), one row per department that recorded one; `lead` marks the row that
    /// stands for the visit where it counts once (without department, unless one department's part is asked for: then
    /// each of its rows is one visit).
    private static let visitFacts = """
        SELECT r.industry, r.department AS dep, r.visit_lead OR p.dept IS NOT NULL AS lead, r.visit_departments AS departments,
               extract(month FROM r.visit_on)::text AS code
        \(resultsInScope) WHERE r.inspected_on IS NOT NULL AND r.visit_on BETWEEN p.first AND p.last AND \(inRegion)
        """
    /// `aggregate` over a visit's rows: all of a department's, the lead ones where a visit counts once.
    private static func onceAVisit(_ aggregate: String, where condition: String = "true") -> String {
        "CASE WHEN GROUPING(dep) = 1 THEN \(aggregate) FILTER (WHERE lead AND \(condition)) ELSE \(aggregate) FILTER (WHERE \(condition)) END"
    }

    static let visits = Section(
        name: "visits", facts: visitFacts,
        aggregates: """
            \(onceAVisit("count(*)")), \(onceAVisit("count(*)", where: "departments > 1")),
            coalesce(\(onceAVisit("sum(departments)")), 0)::bigint
            """
    ) { cells, _, figures in
        (figures.visits, figures.jointVisits, figures.visitDepartments) = (try cells.int(0), try cells.int(1), try cells.int(2))
    }

    static let visitsByMonth = tally(
        "visitsByMonth", into: \.visitsByMonth, key: { Int($0) }, counting: onceAVisit("count(*)"), facts: visitFacts)

    static let businesses = Section(
        name: "businesses",
        shared: true,
        facts: """
            SELECT r.industry, r.credit_code, array_agg(DISTINCT r.department) AS deps,
                   sum(count(DISTINCT r.draw_id)) OVER (PARTITION BY r.credit_code) AS visits, coalesce(max(c.n), 0) >= p.cap AS capped
            \(resultsInScope)
                 LEFT JOIN (SELECT c.credit_code, count(*) AS n FROM counted_inspections c, p WHERE c.year = p.year GROUP BY c.credit_code) c
                        ON c.credit_code = r.credit_code
            WHERE r.inspected_on BETWEEN p.first AND p.last AND \(inRegion)
            GROUP BY r.industry, r.credit_code, p.cap
            """,
        aggregates: """
            count(DISTINCT credit_code) FILTER (WHERE visits = 1), count(DISTINCT credit_code) FILTER (WHERE visits = 2),
            count(DISTINCT credit_code) FILTER (WHERE visits >= 3), count(DISTINCT credit_code) FILTER (WHERE capped)
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
                   s.objects AS listed, 0 AS inspected
            FROM directory_shapes s CROSS JOIN p CROSS JOIN LATERAL unnest(s.industries) i
            WHERE \(inRegion("s")) AND i IN (SELECT code FROM industries)
            UNION ALL
            SELECT i, v.supervising_departments, v.risk_class, \(lead("v.object_industries")), 0, 1
            FROM (SELECT DISTINCT ON (r.credit_code) r.object_industries, r.supervising_departments, r.risk_class
                  \(resultsInScope) WHERE r.inspected_on BETWEEN p.first AND p.last AND r.listed AND \(inRegion)) v
                 CROSS JOIN p CROSS JOIN LATERAL unnest(v.object_industries) i
            WHERE i IN (SELECT code FROM industries)
            """,
        byCode: true,
        aggregates: """
            (CASE WHEN GROUPING(industry) = 1 THEN coalesce(sum(listed) FILTER (WHERE lead), 0) ELSE sum(listed) END)::bigint,
            (CASE WHEN GROUPING(industry) = 1 THEN coalesce(sum(inspected) FILTER (WHERE lead), 0) ELSE sum(inspected) END)::bigint
            """
    ) { cells, code, figures in
        guard let code else { return }
        figures.directory[code] = try cells.int(0)
        figures.inspected[code] = try cells.int(1)
    }

    static let results = Section(
        name: "results",
        facts: """
            SELECT r.industry, r.department AS dep, r.first_published AS first, r.first_published - r.inspected_on AS days,
                   \(needed) AS needed, \(problem) AS problem, r.closed_on
            \(resultsInScope) WHERE r.published AND \(publishedInPeriod)
            """,
        aggregates: """
            count(*), count(*) FILTER (WHERE problem), percentile_cont(0.5) WITHIN GROUP (ORDER BY days),
            count(*) FILTER (WHERE needed), count(*) FILTER (WHERE needed AND closed_on IS NOT NULL),
            percentile_cont(0.5) WITHIN GROUP (ORDER BY closed_on - first) FILTER (WHERE needed AND closed_on IS NOT NULL)
            """
    ) { cells, _, figures in
        (figures.resultsPublished, figures.resultsWithProblems, figures.medianDaysToPublish) =
            (try cells.int(0), try cells.int(1), try cells.double(2))
        (figures.followUpsNeeded, figures.followUpsClosed, figures.medianDaysToClose) =
            (try cells.int(3), try cells.int(4), try cells.double(5))
    }

    static let publishedByMonth = tally(
        "publishedByMonth", into: \.publishedByMonth, key: { Int($0) },
        facts: """
            SELECT r.industry, r.department AS dep, extract(month FROM r.first_published)::text AS code
            \(resultsInScope) WHERE r.published AND \(publishedInPeriod)
            """)

    static let categories = tally(
        "categories", into: \.categories, key: { ResultCategory(rawValue: $0) },
        facts: """
            SELECT r.industry, r.department AS dep, c AS code
            \(resultsInScope) CROSS JOIN LATERAL unnest(r.categories) c WHERE r.published AND \(publishedInPeriod)
            """)

    static let timeliness = Section(
        name: "timeliness",
        facts: """
            SELECT r.industry, r.department AS dep, r.published, r.first_published <= r.publish_due AS on_time
            \(resultsInScope)
            WHERE r.publish_due BETWEEN p.first AND p.last AND r.publish_due < p.today AND \(inRegion)
            """,
        aggregates: "count(*), count(*) FILTER (WHERE published), count(*) FILTER (WHERE on_time)"
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
}
