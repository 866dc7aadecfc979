import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("领导驾驶舱: the dashboard's figures against a small county whose every figure is worked out by hand")
struct DashboardAPITests {
    /// 2025-12-20 10:00 in China.
    static let now = Date(timeIntervalSince1970: 1_766_196_000)

    /// The crafted county of 2025, in the demo's departments and industries (docs/DASHBOARD.md defines each figure):
    /// - objects O1–O5 and O7 in the directory, O6 deregistered; O1, O5 fuel retail (O5 catering too), O4 catering,
    ///   O7 drug retail; risk classes A, C, unrated, B, D, B;
    /// - T1 (fuel, Q2, commerce with fire and samr) drawn as D1: O1 by commerce+fire, O2 by commerce+samr, all four
    ///   results published; T2 (fuel, Q3, commerce with fire) drawn as D2: O1 by commerce+fire, O3 by fire, only
    ///   commerce's published; T3 (catering) and T5 (drug retail) planned, not drawn;
    /// - two calls, three clue routes, a meeting with two action items, two objections, two escalations; the deadline
    ///   sweep, by the county's clock, escalates what is overdue besides: action item 902, clue route 903, objection y.
    static let county: [String] = [
        """
        INSERT INTO inspectors (id, department_code, name, certificate_number, level, region_code) OVERRIDING SYSTEM VALUE
        VALUES (901, 'commerce', '甲', 'DASH-0901', 'county', '330100'), (902, 'fire', '乙', 'DASH-0902', 'county', '330100'),
               (903, 'samr', '丙', 'DASH-0903', 'county', '330100')
        """,
        """
        INSERT INTO objects (credit_code, name, kind, industries, region_code, risk_class, risk_rated_on, supervising_departments, status)
        VALUES ('913301000000000001', '一号加油站', 'enterprise', '{fuel_retail}', '330102', 'A', '2025-01-01', '{commerce,fire}', 'active'),
               ('913301000000000002', '二号加油站', 'enterprise', '{fuel_retail}', '330102', 'C', '2025-01-01', '{commerce}', 'active'),
               ('913301000000000003', '三号加油站', 'enterprise', '{fuel_retail}', '330205', NULL, NULL, '{fire}', 'active'),
               ('913301000000000004', '四号餐馆', 'enterprise', '{catering}', '330102', 'B', '2025-01-01', '{samr,health}', 'active'),
               ('913301000000000005', '五号服务区', 'enterprise', '{fuel_retail,catering}', '330205', 'D', '2025-01-01', '{samr}', 'active'),
               ('913301000000000006', '六号加油站', 'enterprise', '{fuel_retail}', '330102', 'A', '2025-01-01', '{commerce}', 'deregistered'),
               ('913301000000000007', '七号药店', 'enterprise', '{drug_retail}', '330102', 'B', '2025-01-01', '{health}', 'active')
        """,
        """
        INSERT INTO tasks (id, industry_code, originator, name, kind, participants, joint_list_version, scope, sampling,
                           window_start, window_end, created_by) OVERRIDING SYSTEM VALUE
        VALUES (901, 'fuel_retail', 'commerce', '加油站春季联合抽查', 'annual', '{fire,samr}', 1, '{}', '{}', '2025-04-10', '2025-05-31', 't'),
               (902, 'fuel_retail', 'commerce', '加油站秋季联合抽查', 'annual', '{fire}', 1, '{}', '{}', '2025-09-01', '2025-09-30', 't'),
               (903, 'catering', 'samr', '餐饮联合抽查', 'annual', '{health}', 1, '{}', '{}', '2025-05-01', '2025-06-30', 't'),
               (905, 'drug_retail', 'samr', '药店联合抽查', 'annual', '{health}', 1, '{}', '{}', '2025-06-01', '2025-06-30', 't')
        """,
        """
        INSERT INTO draws (id, task_id, year, parameters, object_pool, inspector_pool, conflict_pool, pool_digest, inspector_digest,
                           strata, exclusions, commit_deadline, reveal_deadline, record, frozen_by, executed_by, executed_at, team_needs)
        OVERRIDING SYSTEM VALUE
        VALUES (901, 901, 2025, '{}', '', '', '', '', '', '{}', '{}', '2025-04-08 10:00+08', '2025-04-09 10:00+08', '{}', 't', 't',
                '2025-04-10 10:00+08', '[[]]'),
               (902, 902, 2025, '{}', '', '', '', '', '', '{}', '{}', '2025-08-28 10:00+08', '2025-08-29 10:00+08', '{}', 't', 't',
                '2025-09-01 10:00+08', '[[]]')
        """,
        """
        INSERT INTO drawn_objects (draw_id, credit_code, year, stratum, rank, needs_set, team_inspectors, team_departments, team_ranks, team_leader)
        VALUES (901, '913301000000000001', 2025, 'A', '01', 0, '{901,902}', '{commerce,fire}', decode(repeat('00', 64), 'hex'), 0),
               (901, '913301000000000002', 2025, 'C', '02', 0, '{901,903}', '{commerce,samr}', decode(repeat('00', 64), 'hex'), 0),
               (902, '913301000000000001', 2025, 'A', '01', 0, '{901,902}', '{commerce,fire}', decode(repeat('00', 64), 'hex'), 0),
               (902, '913301000000000003', 2025, '-', '02', 0, '{902}', '{fire}', decode(repeat('00', 32), 'hex'), 0)
        """,
        """
        INSERT INTO result_deadlines (draw_id, due, deadline_from, deadline_working_days)
        VALUES (901, '2025-05-14', '2025-04-16', 20), (902, '2025-10-15', '2025-09-10', 20)
        """,
        """
        INSERT INTO inspection_results (id, draw_id, credit_code, department, status, inspected_on, entered_by, publish_due,
                                        deadline_from, deadline_working_days, version) OVERRIDING SYSTEM VALUE
        VALUES (901, 901, '913301000000000001', 'commerce', 'published', '2025-04-15', 't', '2025-05-13', '2025-04-15', 20, 1),
               (902, 901, '913301000000000001', 'fire', 'published', '2025-04-15', 't', '2025-05-13', '2025-04-15', 20, 1),
               (903, 901, '913301000000000002', 'commerce', 'published', '2025-04-16', 't', '2025-05-14', '2025-04-16', 20, 1),
               (904, 901, '913301000000000002', 'samr', 'published', '2025-04-16', 't', '2025-05-14', '2025-04-16', 20, 1),
               (905, 902, '913301000000000001', 'commerce', 'published', '2025-09-10', 't', '2025-10-15', '2025-09-10', 20, 1),
               (906, 902, '913301000000000001', 'fire', 'approved', '2025-09-10', 't', '2025-10-15', '2025-09-10', 20, 0),
               (907, 902, '913301000000000003', 'fire', 'draft', '2025-09-11', 't', '2025-10-16', '2025-09-11', 20, 0)
        """,
        """
        INSERT INTO published_results (result_id, version, credit_code, object_name, industry_code, department, inspected_on,
                                       published_by, published_at, content)
        VALUES (901, 1, '913301000000000001', '一号加油站', 'fuel_retail', 'commerce', '2025-04-15', 't', '2025-04-20 10:00+08', '{}'),
               (902, 1, '913301000000000001', '一号加油站', 'fuel_retail', 'fire', '2025-04-15', 't', '2025-05-20 10:00+08', '{}'),
               (903, 1, '913301000000000002', '二号加油站', 'fuel_retail', 'commerce', '2025-04-16', 't', '2025-04-26 10:00+08', '{}'),
               (904, 1, '913301000000000002', '二号加油站', 'fuel_retail', 'samr', '2025-04-16', 't', '2025-04-30 10:00+08', '{}'),
               (905, 1, '913301000000000001', '一号加油站', 'fuel_retail', 'commerce', '2025-09-10', 't', '2025-09-15 10:00+08', '{}')
        """,
        // Categories are written before publication; here the results are born published.
        "ALTER TABLE result_categories DISABLE TRIGGER result_categories_editable",
        """
        INSERT INTO result_categories (result_id, position, category, finding)
        VALUES (901, 1, 'no_problem', '{}'), (902, 1, 'ordered_to_correct', '{}'), (903, 1, 'no_problem', '{}'),
               (904, 1, 'falsified_info', '{}'), (905, 1, 'no_problem', '{}')
        """,
        "ALTER TABLE result_categories ENABLE TRIGGER result_categories_editable",
        "INSERT INTO follow_up_actions (result_id, kind, acted_on, recorded_by) VALUES (902, 'closed', '2025-06-19', 't')",
        """
        INSERT INTO objections (check_code_digest, result_id, department, version, channel, credit_code, business_name, contact,
                                grounds, received_on, reexamine_due, status, decided_by, decided_on, feedback_due, feedback_on)
        VALUES ('x', 904, 'samr', 1, 'online', '913301000000000002', '二号加油站', '联系人', '理由', '2025-05-10', '2025-06-07',
                'maintained', 't', '2025-05-20', '2025-06-10', '2025-06-01'),
               ('y', 902, 'fire', 1, 'online', '913301000000000001', '一号加油站', '联系人', '理由', '2025-12-01', '2025-12-12',
                'reexamining', NULL, NULL, NULL, NULL)
        """,
        """
        INSERT INTO whistle_calls (id, industry_code, stage, title, content, action_required, raised_by, deadline, status,
                                   created_by, created_at) OVERRIDING SYSTEM VALUE
        VALUES (901, 'fuel_retail', 'planning', '春季计划会商', '内容', '派员', 'commerce', '2025-03-05 10:00+08', 'closed', 't',
                '2025-03-01 10:00+08'),
               (902, 'fuel_retail', 'publication', '秋季结果公示', '内容', '公示', 'commerce', '2025-12-15 10:00+08', 'open', 't',
                '2025-12-10 10:00+08')
        """,
        """
        INSERT INTO whistle_responses (call_id, department, state, responded_at)
        VALUES (901, 'fire', 'accepted', '2025-03-01 16:00+08'), (901, 'samr', 'accepted', '2025-03-02 10:00+08'),
               (901, 'eco', 'declined', '2025-03-01 12:00+08'), (902, 'fire', 'unread', NULL),
               (902, 'emergency', 'accepted', '2025-12-11 10:00+08')
        """,
        """
        INSERT INTO clues (id, industry_code, source, description, suspected_violation, found_by, created_by, created_at)
        OVERRIDING SYSTEM VALUE
        VALUES (901, 'fuel_retail', 'inspection', '储罐区违规动火', '违规动火', 'fire', 't', '2025-06-01 10:00+08'),
               (902, 'fuel_retail', 'inspection', '油品质量可疑', '销售不合格油品', 'commerce', 't', '2025-11-01 10:00+08')
        """,
        """
        INSERT INTO clue_routes (id, clue_id, department, deadline, state, reason, outcome, routed_by, routed_at, decided_at, concluded_at)
        OVERRIDING SYSTEM VALUE
        VALUES (901, 901, 'commerce', '2025-06-20 10:00+08', 'concluded', '', 'case_filed', 't', '2025-06-01 10:00+08',
                '2025-06-02 10:00+08', '2025-06-10 10:00+08'),
               (902, 901, 'samr', '2025-06-20 10:00+08', 'returned', '不属于本部门职责', NULL, 't', '2025-06-01 10:00+08',
                '2025-06-02 10:00+08', NULL),
               (903, 902, 'fire', '2025-11-20 10:00+08', 'accepted', '', NULL, 't', '2025-11-01 10:00+08', '2025-11-02 10:00+08', NULL)
        """,
        """
        INSERT INTO meetings (id, industry_code, kind, title, starts_at, convened_by, invitees, created_by) OVERRIDING SYSTEM VALUE
        VALUES (901, 'fuel_retail', 'regular', '年中会商', '2025-07-01 10:00+08', 'commerce', '{fire,samr}', 't'),
               (902, 'fuel_retail', 'regular', '年度总结', '2026-01-10 10:00+08', 'commerce', '{fire,samr}', 't')
        """,
        """
        INSERT INTO meeting_action_items (id, meeting_id, description, owner_department, due_date, status, completed_by, completed_at)
        OVERRIDING SYSTEM VALUE
        VALUES (901, 901, '排查储罐区', 'fire', '2025-07-15', 'done', 't', '2025-07-14 10:00+08'),
               (902, 901, '核查经营许可', 'samr', '2025-12-01', 'open', NULL, NULL)
        """,
        """
        INSERT INTO escalations (kind, subject_id, department, due, escalated_at, industry_code)
        VALUES ('call_response', 902, 'fire', '2025-12-15 10:00+08', '2025-12-16 10:00+08', 'fuel_retail'),
               ('result_publication', 902, 'fire', '2025-10-16 00:00+08', '2025-10-17 10:00+08', 'fuel_retail')
        """,
    ]

    static func withCounty(
        adding more: [String] = [], _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await withAppDatabase(clock: ManualClock(now)) { client, url in
            try await run(county + more, on: url)
            // The server's sweep runs on its own schedule; one sweep by the same clock, waited for, makes it settled.
            _ = try await withClient(url) { db async throws in
                try await EscalationRepository(client: db, logger: quietLogger).sweep(now: now, waiting: true)
            }
            try await body(client)
        }
    }

    /// Runs `statements` in one transaction: the server's deadline sweep, running meanwhile, sees them whole or not at all.
    static func run(_ statements: [String], on url: DatabaseURL) async throws {
        try await withClient(url) { database in
            try await database.withTransaction(logger: quietLogger) { connection in
                for statement in statements {
                    do {
                        _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: quietLogger)
                    } catch {
                        throw TestFailure("\(statement.prefix(60)): \(String(reflecting: error))")
                    }
                }
            }
        }
    }

    static func dashboard(_ client: any TestClientProtocol, _ query: String = "year=2025", as user: String = "office.office_viewer")
        async throws -> Schemas.Dashboard
    {
        try await client.get("/api/v1/dashboard?\(query)", token: try await client.signIn(user), as: Schemas.Dashboard.self)
    }

    @Test("the office's year: every figure of the total equals the one worked out by hand")
    func officeTotals() async throws {
        try await Self.withCounty { client in
            let board = try await Self.dashboard(client)
            let total = board.total
            #expect(board.period.label == "2025年" && board.period.from == "2025-01-01" && board.period.to == "2025-12-31")
            // Plan: T1, T2, T3, T5 start in 2025; D1 and D2 executed; only D1 owes nothing unpublished.
            #expect(total.plan.tasksPlanned == 4 && total.plan.tasksDrawn == 2 && total.plan.tasksCompleted == 1)
            #expect(total.plan.completionRate == 0.25)
            // Coverage: six objects in the directory (O6 is deregistered); O1, O2, O3 were inspected.
            #expect(total.coverage.directory == 6 && total.coverage.inspected == 3 && total.coverage.rate == 0.5 && total.coverage.floorMet)
            let byClass = Dictionary(
                uniqueKeysWithValues: total.coverage.byRiskClass.map { ($0.riskClass?.rawValue ?? "-", ($0.directory, $0.inspected)) })
            #expect(byClass["A"]! == (1, 1) && byClass["B"]! == (2, 0) && byClass["C"]! == (1, 1) && byClass["D"]! == (1, 0))
            #expect(byClass["-"]! == (1, 1))
            // Joint mode: visits D1/O1 (commerce, fire), D1/O2 (commerce, samr), D2/O1 (commerce, fire), D2/O3 (fire).
            #expect(total.joint.visits == 4 && total.joint.jointVisits == 3 && total.joint.jointShare == 0.75)
            #expect(total.joint.departmentsPerVisit == 1.75 && total.joint.visitsAvoided == 3)
            // O1 was visited twice (and reached the cap of two draws a year), O2 and O3 once.
            #expect(total.joint.businessesInspected == 3 && total.joint.businessesAtCap == 1)
            #expect(total.joint.businessesByVisits.map { [$0.visits, $0.businesses] } == [[1, 2], [2, 1]])
            #expect(total.joint.visitsByMonth.map { [$0.month, $0.count] } == [[4, 2], [9, 2]])
            // Results first published in 2025: five, two of them with a problem; days to publish 5, 35, 10, 14, 5.
            #expect(total.results.published == 5 && total.results.withProblems == 2 && total.results.problemRate == 0.4)
            #expect(total.results.medianDaysToPublish == 10)
            #expect(total.results.publishedByMonth.map { [$0.month, $0.count] } == [[4, 3], [5, 1], [9, 1]])
            #expect(
                total.results.categories.map { "\($0.category):\($0.count)" }.sorted()
                    == ["falsified_info:1", "no_problem:3", "ordered_to_correct:1"])
            #expect(total.results.categories.first { $0.category == "no_problem" }?.label == "未发现问题")
            // Timeliness: seven entered results were due by now; five published, four of them by the deadline.
            #expect(total.timeliness.due == 7 && total.timeliness.published == 5 && total.timeliness.onTime == 4)
            #expect(total.timeliness.publicationRate == 5.0 / 7 && total.timeliness.timelyRate == 4.0 / 7)
            // Follow-up: fire's and samr's problem results need one; fire's closed 30 days after publication.
            #expect(total.followUp.needed == 2 && total.followUp.closed == 1 && total.followUp.open == 1)
            #expect(total.followUp.closureRate == 0.5 && total.followUp.medianDaysToClose == 30)
            let objections = total.followUp.objections
            #expect(objections.received == 2 && objections.reexamining == 1 && objections.maintained == 1 && objections.upheld == 0)
            // Coordination: five responses owed, four given after 6, 24, 2 and 24 hours (median 15).
            let coordination = total.coordination
            #expect(coordination.callsAddressed == 5 && coordination.callsAnswered == 4 && coordination.responseRate == 0.8)
            #expect(coordination.medianResponseHours == 15)
            #expect(
                coordination.escalations.map { "\($0.kind.rawValue):\($0.count)" }
                    == ["call_response:1", "action_item:1", "clue_route:1", "result_publication:1", "objection_reexamination:1"])
            #expect(
                coordination.clueRoutes.routed == 3 && coordination.clueRoutes.concluded == 1 && coordination.clueRoutes.returned == 1
                    && coordination.clueRoutes.accepted == 1 && coordination.clueRoutes.pending == 0)
            #expect(coordination.meetingsHeld == 1)
            #expect(coordination.actionItemsDue == 2 && coordination.actionItemsOpen == 1 && coordination.actionItemsOverdue == 1)
        }
    }

    @Test("per department and per industry: a joint visit counts for each department in it, once in its industry")
    func rows() async throws {
        try await Self.withCounty { client in
            let board = try await Self.dashboard(client)
            let departments = Dictionary(uniqueKeysWithValues: board.departments.map { ($0.department, $0.figures) })
            let industries = Dictionary(uniqueKeysWithValues: board.industries.map { ($0.industry, $0.figures) })
            #expect(board.departments.first { $0.department == "fire" }?.name == "消防救援大队")
            // fire: T1, T2; visits D1/O1, D2/O1, D2/O3 (two joint); directory O1, O3; results 902 (published), 906, 907.
            let fire = try #require(departments["fire"])
            #expect(fire.plan.tasksPlanned == 2 && fire.plan.tasksCompleted == 1)
            #expect(fire.joint.visits == 3 && fire.joint.jointVisits == 2 && fire.joint.visitsAvoided == 2)
            #expect(fire.coverage.directory == 2 && fire.coverage.inspected == 2)
            #expect(fire.results.published == 1 && fire.results.withProblems == 1 && fire.results.problemRate == 1)
            #expect(fire.timeliness.due == 3 && fire.timeliness.published == 1 && fire.timeliness.onTime == 0)
            #expect(fire.coordination.callsAddressed == 2 && fire.coordination.callsAnswered == 1)
            #expect(fire.coordination.clueRoutes.routed == 1 && fire.coordination.meetingsHeld == 1)
            let commerce = try #require(departments["commerce"])
            #expect(commerce.timeliness.due == 3 && commerce.timeliness.onTime == 3 && commerce.timeliness.timelyRate == 1)
            #expect(commerce.results.published == 3 && commerce.results.problemRate == 0)
            // health takes part in T3 and T5 and supervises O4 and O7.
            let health = try #require(departments["health"])
            #expect(health.plan.tasksPlanned == 2 && health.coverage.directory == 2 && health.joint.visits == 0)
            // Industries: O5 is in both fuel retail and catering's directories, once in the total.
            let fuel = try #require(industries["fuel_retail"])
            #expect(fuel.coverage.directory == 4 && fuel.coverage.inspected == 3 && fuel.joint.visits == 4)
            #expect(fuel.plan.tasksPlanned == 2 && fuel.coordination.callsAddressed == 5)
            #expect(
                fuel.coordination.escalations.map { "\($0.kind.rawValue):\($0.count)" }
                    == ["call_response:1", "action_item:1", "clue_route:1", "result_publication:1", "objection_reexamination:1"])
            #expect(industries["catering"]?.coordination.escalations.isEmpty == true)
            #expect(industries["catering"]?.coverage.directory == 2 && industries["catering"]?.plan.tasksPlanned == 1)
            #expect(industries["drug_retail"]?.coverage.directory == 1)
            #expect(board.industries.first { $0.industry == "fuel_retail" }?.name == "成品油零售（加油站）")
            // The drill-down: fire within fuel retail.
            let cell = try #require(board.cells.first { $0.department == "fire" && $0.industry == "fuel_retail" })
            #expect(cell.figures.joint.visits == 3 && cell.figures.coverage.directory == 2)
        }
    }

    @Test(
        "the kept facts follow every write: an object moved, rerated, deregistered, added and removed; a result published, resolved, categorised"
    )
    func keptFacts() async throws {
        try await withAppDatabase(clock: ManualClock(Self.now)) { client, url in
            try await Self.run(Self.county, on: url)
            try await Self.run(
                [
                    "UPDATE objects SET region_code = '330205', risk_class = 'B' WHERE credit_code = '913301000000000002'",
                    "UPDATE objects SET status = 'deregistered' WHERE credit_code = '913301000000000003'",
                    """
                    INSERT INTO objects (credit_code, name, kind, industries, region_code, supervising_departments)
                    VALUES ('913301000000000008', '八号加油站', 'enterprise', '{fuel_retail}', '330205', '{commerce}')
                    """,
                    "DELETE FROM objects WHERE credit_code = '913301000000000008'",
                    """
                    INSERT INTO published_results (result_id, version, credit_code, object_name, industry_code, department, inspected_on,
                                                   published_by, published_at, content)
                    VALUES (906, 1, '913301000000000001', '一号加油站', 'fuel_retail', 'fire', '2025-09-10', 't', '2025-10-20 10:00+08', '{}')
                    """,
                    "UPDATE inspection_results SET status = 'published', version = 1 WHERE id = 906",
                    "INSERT INTO follow_up_actions (result_id, kind, acted_on, recorded_by) VALUES (901, 'resolved', '2025-05-01', 't')",
                    "INSERT INTO result_categories (result_id, position, category, finding) VALUES (907, 1, 'refused_inspection', '{}')",
                    "INSERT INTO result_categories (result_id, position, category, finding) VALUES (907, 2, 'other', '{}')",
                    "DELETE FROM result_categories WHERE result_id = 907 AND position = 2",
                ], on: url)
            // What is kept equals what its definition works out from scratch.
            try await withClient(url) { database in
                #expect(try await Self.keptDiffering(database) == 0)
                let categories = try await database.query("SELECT categories FROM result_facts WHERE result_id = 907", logger: quietLogger)
                    .decode([String].self).collectFirst()
                #expect(categories == ["refused_inspection"])
            }
            // By hand: O3 deregistered leaves five objects; O2 (now class B, in 330205) joins O5 there, O3 no longer counts.
            let board = try await Self.dashboard(client)
            #expect(board.total.coverage.directory == 5 && board.total.coverage.inspected == 2)
            let byClass = Dictionary(
                uniqueKeysWithValues: board.total.coverage.byRiskClass.map { ($0.riskClass?.rawValue ?? "-", ($0.directory, $0.inspected)) }
            )
            #expect(byClass["B"]! == (3, 1) && byClass["C"]! == (0, 0) && byClass["-"]! == (0, 0))
            // R906 is now published (six results), R901's investigation resolved makes three follow-ups needed.
            #expect(board.total.results.published == 6 && board.total.followUp.needed == 3)
            let region = try await Self.dashboard(client, "year=2025&region=330205")
            #expect(region.total.coverage.directory == 2 && region.total.coverage.inspected == 1)
            #expect(region.total.joint.visits == 2 && region.total.results.published == 2)
        }
    }

    /// How many rows of the kept facts and tallies differ from what their definitions work out from scratch.
    static func keptDiffering(_ database: PostgresClient) async throws -> Int? {
        // Rows in one and not in the other, both ways.
        func differing(_ kept: String, _ worked: String) -> String {
            "(SELECT count(*) FROM (\(kept) EXCEPT \(worked)) x) + (SELECT count(*) FROM (\(worked) EXCEPT \(kept)) x)"
        }
        let counts = [
            differing("SELECT * FROM result_facts", "SELECT * FROM result_facts_source"),
            differing(
                "SELECT industries, supervising_departments, region_code, risk_class, objects FROM directory_shapes",
                """
                SELECT industries, supervising_departments, region_code, coalesce(risk_class, '-'), count(*)
                FROM objects WHERE status <> 'deregistered' GROUP BY 1, 2, 3, 4
                """),
            differing(
                "SELECT kind, month, industry, department, region_code, key, n FROM result_tallies WHERE n <> 0",
                """
                SELECT e.kind, e.month, f.industry, f.department, f.region_code, e.key, count(*)
                FROM result_facts f CROSS JOIN LATERAL result_tally_entries(f) e GROUP BY 1, 2, 3, 4, 5, 6
                """),
            differing("SELECT * FROM object_visit_periods", "SELECT * FROM object_visit_periods_source"),
            differing(
                "SELECT * FROM object_visit_tallies WHERE n <> 0",
                """
                SELECT first, last, region_code, industries, departments, least(visits, 3), year_visits, object_industries,
                       supervising_departments, risk_class, listed, count(*)
                FROM object_visit_periods GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
                """),
        ]
        return try await database.query(
            PostgresQuery(unsafeSQL: "SELECT " + counts.joined(separator: " + ")), logger: quietLogger
        ).decode(Int.self).collectFirst()
    }

    @Test("two departments recording one visit at once: each result counts the other's department")
    func concurrentVisit() async throws {
        try await withAppDatabase(clock: ManualClock(Self.now)) { _, url in
            try await Self.run(Self.county, on: url)
            // O3 in D2 was visited by fire (R907); commerce and samr record it too, in transactions that overlap.
            func record(_ department: String, holdingFor pause: Duration) async throws {
                try await withClient(url) { database in
                    try await database.withTransaction(logger: quietLogger) { connection in
                        _ = try await connection.query(
                            """
                            INSERT INTO inspection_results (draw_id, credit_code, department, inspected_on, entered_by, publish_due,
                                                            deadline_from, deadline_working_days)
                            VALUES (902, '913301000000000003', \(department), '2025-09-11', 't', '2025-10-16', '2025-09-11', 20)
                            """, logger: quietLogger)
                        try await Task.sleep(for: pause)
                    }
                }
            }
            async let first: Void = record("commerce", holdingFor: .milliseconds(600))
            try await Task.sleep(for: .milliseconds(200))
            async let second: Void = record("samr", holdingFor: .zero)
            _ = try await (first, second)
            try await withClient(url) { database in
                let visit = try await database.query(
                    """
                    SELECT string_agg(department || ':' || visit_departments || ':' || visit_lead, ',' ORDER BY department)
                    FROM result_facts WHERE draw_id = 902 AND credit_code = '913301000000000003'
                    """, logger: quietLogger
                ).decode(String.self).collectFirst()
                #expect(visit == "commerce:3:true,fire:3:false,samr:3:false")
                #expect(try await Self.keptDiffering(database) == 0)
            }
        }
    }

    @Test("a quarter, a month, a department's part and a region narrow what is counted")
    func filters() async throws {
        try await Self.withCounty { client in
            let second = try await Self.dashboard(client, "year=2025&quarter=2")
            #expect(second.period.label == "2025年第二季度" && second.period.from == "2025-04-01" && second.period.to == "2025-06-30")
            // T1, T3, T5 start in Q2; D1's two visits; R901–R904 first published in Q2.
            #expect(second.total.plan.tasksPlanned == 3 && second.total.joint.visits == 2 && second.total.results.published == 4)
            let september = try await Self.dashboard(client, "year=2025&month=9")
            #expect(september.period.label == "2025年9月" && september.period.to == "2025-09-30")
            #expect(september.total.joint.visits == 2 && september.total.results.published == 1 && september.total.plan.tasksPlanned == 1)
            // fire's part: the visits fire made, its results.
            let fire = try await Self.dashboard(client, "year=2025&department=fire")
            #expect(fire.total.joint.visits == 3 && fire.total.results.published == 1)
            #expect(fire.departments.map(\.department) == ["fire"])
            #expect(Set(fire.overdue.map(\.kind)) == [.resultPublication, .clueRoute, .objectionReexamination, .callResponse])
            // Region 330205: O3 and O5.
            let region = try await Self.dashboard(client, "year=2025&region=330205")
            #expect(region.total.coverage.directory == 2 && region.total.joint.visits == 1 && region.total.results.published == 0)
            // Catering alone.
            let catering = try await Self.dashboard(client, "year=2025&industry=catering")
            #expect(catering.industries.map(\.industry) == ["catering"] && catering.total.coverage.directory == 2)
            #expect(catering.total.joint.visits == 0 && catering.overdue.isEmpty)
        }
    }

    @Test("overdue right now: five things, longest overdue first, each with who is late and where to look")
    func overdue() async throws {
        try await Self.withCounty { client in
            let overdue = try await Self.dashboard(client).overdue
            #expect(
                overdue.map { "\($0.kind.rawValue):\($0.department)" } == [
                    "result_publication:fire", "clue_route:fire", "action_item:samr", "objection_reexamination:fire", "call_response:fire",
                ])
            let late = try #require(overdue.first)
            #expect(late.about == "加油站秋季联合抽查：2 个抽中对象的检查结果公示" && late.kindLabel == "检查结果公示逾期")
            #expect(late.departmentName == "消防救援大队" && late.waitingDepartment == "commerce" && late.href == "/api/v1/draws/902")
            #expect(late.due == CalendarDate("2025-10-15")!.endOfDayInChina)
            #expect(overdue.last?.href == "/api/v1/calls/902" && overdue[2].href == "/api/v1/meetings/901")
            #expect(try await Self.dashboard(client).overdueTotal == 5)
        }
    }

    @Test("a long overdue list: the board and the page show the 100 longest overdue and count them all")
    func longOverdue() async throws {
        // 120 more calls, due on 1 December 2025, each unanswered by fire: 125 things overdue on 20 December.
        let calls = [
            """
            INSERT INTO whistle_calls (id, industry_code, stage, title, content, action_required, raised_by, deadline, status,
                                       created_by, created_at) OVERRIDING SYSTEM VALUE
            SELECT 1000 + i, 'fuel_retail', 'inspection', '补充吹哨' || i, '内容', '派员', 'commerce', '2025-12-01 10:00+08', 'open', 't',
                   '2025-11-28 10:00+08'
            FROM generate_series(1, 120) i
            """,
            "INSERT INTO whistle_responses (call_id, department, state) SELECT 1000 + i, 'fire', 'unread' FROM generate_series(1, 120) i",
        ]
        try await Self.withCounty(adding: calls) { client in
            let board = try await Self.dashboard(client)
            #expect(board.overdueTotal == 125 && board.overdue.count == 100)
            // The two overdue before 1 December first, then calls 1001 … 1098; calls 1099 … 1120, the action item, the
            // objection and call 902 (later) are left out.
            #expect(board.overdue.prefix(2).map(\.kind.rawValue) == ["result_publication", "clue_route"])
            #expect(board.overdue[2].href == "/api/v1/calls/1001" && board.overdue.last?.href == "/api/v1/calls/1098")
            let page = try await client.request(.get, "/dashboard?year=2025", token: try await client.signIn("office.office_viewer"))
            let html = String(decoding: page.body, as: UTF8.self)
            #expect(html.contains("仅列出逾期最久的 100 项，另有 25 项未列出。"))
            #expect(html.components(separatedBy: "<a href=\"/api/v1/calls/").count - 1 == 98)
        }
    }

    @Test("a department sees its own row and its industries; asking for another department's part gets nothing")
    func departmentView() async throws {
        try await Self.withCounty { client in
            let fire = try await Self.dashboard(client, as: "fire.inspector")
            #expect(fire.departments.map(\.department) == ["fire"])
            #expect(Set(fire.cells.map(\.department)) == ["fire"])
            // fire takes no part in drug retail: its task and O7 are not counted.
            #expect(fire.industries.map(\.industry) == ["catering", "fuel_retail"])
            #expect(fire.total.plan.tasksPlanned == 3 && fire.total.coverage.directory == 5)
            #expect(fire.overdue.map(\.kind.rawValue) == ["result_publication", "clue_route", "objection_reexamination", "call_response"])
            let samr = try await Self.dashboard(client, as: "samr.dept_head")
            #expect(samr.overdue.map(\.kind.rawValue) == ["action_item"])
            let other = try await Self.dashboard(client, "year=2025&department=commerce", as: "fire.inspector")
            #expect(other.departments.isEmpty && other.industries.isEmpty && other.overdue.isEmpty)
            #expect(other.total.plan.tasksPlanned == 0 && other.total.coverage.directory == 0)
            let hidden = try await client.request(
                .get, "/api/v1/dashboard?year=2025&industry=drug_retail", token: try await client.signIn("fire.inspector"))
            #expect(hidden.status == .notFound)
        }
    }

    @Test("bad filters are refused with the field named: a quarter with a month, an unknown industry or department, a bad region")
    func refusals() async throws {
        try await Self.withCounty { client in
            let token = try await client.signIn("office.office_viewer")
            let both = try await client.request(.get, "/api/v1/dashboard?year=2025&quarter=1&month=2", token: token)
            #expect(both.status == .unprocessableContent && both.errorCode == "invalid_period" && both.errorField == "month")
            let early = try await client.request(.get, "/api/v1/dashboard?year=1999", token: token)
            #expect(early.status == .badRequest && early.errorField == "year")
            let region = try await client.request(.get, "/api/v1/dashboard?region=0", token: token)
            #expect(region.status == .badRequest && region.errorField == "region")
            #expect(try await client.request(.get, "/api/v1/dashboard?industry=nothing", token: token).status == .notFound)
            let department = try await client.request(.get, "/api/v1/dashboard?department=nobody", token: token)
            #expect(department.status == .notFound && department.errorMessage?.contains("部门") == true)
            #expect(try await client.request(.get, "/api/v1/dashboard").status == .unauthorized)
        }
    }

    /// Reads a workbook back as a spreadsheet program would: its parts, and each cell of its sheet with its style.
    static let workbookReader = #"""
        import json, sys, zipfile, xml.etree.ElementTree as ET
        ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
        book = zipfile.ZipFile(sys.stdin.buffer)
        assert book.testzip() is None
        types = ET.fromstring(book.read("[Content_Types].xml"))
        sheet = ET.fromstring(book.read("xl/worksheets/sheet1.xml"))
        ET.fromstring(book.read("xl/styles.xml")); ET.fromstring(book.read("xl/workbook.xml"))
        cells = {}
        for c in sheet.iter("{%s}c" % ns["m"]):
            text = c.find("m:is/m:t", ns)
            value = c.find("m:v", ns)
            cells[c.get("r")] = [text.text if text is not None else float(value.text), c.get("s")]
        print(json.dumps({"parts": sorted(book.namelist()), "sheet": ET.fromstring(book.read("xl/workbook.xml")).find("m:sheets/m:sheet", ns).get("name"), "cells": cells}))
        """#

    struct Workbook: Decodable {
        var parts: [String]
        var sheet: String
        var cells: [String: [Cell]]

        enum Cell: Decodable, Equatable {
            case text(String)
            case number(Double)
            case style(String?)

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let number = try? container.decode(Double.self) {
                    self = .number(number)
                } else if container.decodeNil() {
                    self = .style(nil)
                } else {
                    let text = try container.decode(String.self)
                    self = .text(text)
                }
            }
        }
    }

    @Test(
        "汇总上报: the workbook opens as XLSX with the hand-worked figures, numbers as numbers and shares as percentages; CSV and HTML say the same"
    )
    func report() async throws {
        try await Self.withCounty { client in
            let token = try await client.signIn("office.office_viewer")
            let xlsx = try await client.request(.get, "/api/v1/dashboard/report?year=2025", token: token)
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let read = try ChildProcess.run("/usr/bin/env", ["python3", "-c", Self.workbookReader], input: xlsx.body)
            #expect(read.status == 0, "\(read.output)")
            let book = try JSONDecoder().decode(Workbook.self, from: Data(read.output.utf8))
            #expect(book.parts.contains("xl/worksheets/sheet1.xml") && book.sheet == "汇总")
            #expect(book.cells["A1"]?.first == .text("“双随机、一公开”联合抽查工作汇总表"))
            #expect(book.cells["A3"]?.first == .text("统计对象") && book.cells["B3"]?.first == .text("计划任务数"))
            #expect(book.cells["E3"]?.first == .text("计划完成率"))
            // Row 4 is the total: 4 tasks planned, 1 completed, 25% (a number, shown as a percentage).
            #expect(book.cells["A4"]?.first == .text("合计"))
            #expect(book.cells["B4"] == [.number(4), .text("2")])
            #expect(book.cells["D4"] == [.number(1), .text("2")])
            #expect(book.cells["E4"] == [.number(0.25), .text("3")])
            #expect(book.cells["I4"] == [.number(4), .text("2")], "visits")
            #expect(book.cells.values.contains { $0.first == .text("部门：消防救援大队") })
            #expect(book.cells.values.contains { $0.first == .text("行业：成品油零售（加油站）") })

            let csv = try await client.request(.get, "/api/v1/dashboard/report?year=2025&format=csv", token: token)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true && csv.body.starts(with: [0xEF, 0xBB, 0xBF]))
            let lines = csv.text.components(separatedBy: "\r\n")
            #expect(lines[2].hasPrefix("统计对象,计划任务数,已抽取任务数,已完成任务数,计划完成率"))
            // … median response 15.0 hours, five escalations (two inserted, three by the sweep), three clue routes, …
            #expect(
                lines[3].hasPrefix("合计,4,2,1,25.0%,6,3,50.0%,4,3,75.0%,3,5,2,40.0%,7,5,71.4%,4,57.1%,2,1,50.0%,2,5,4,80.0%,15.0,5,3,1,1"))
            let html = try await client.request(.get, "/api/v1/dashboard/report?year=2025&format=html&industry=catering", token: token)
            #expect(html.text.contains("<h1>“双随机、一公开”联合抽查工作汇总表</h1>") && html.text.contains("行业：餐饮服务"))
            #expect(!html.text.contains("部门：卫生健康委员会") || html.text.contains("2025年"))
            let fire = try await client.request(
                .get, "/api/v1/dashboard/report?year=2025&format=csv", token: try await client.signIn("fire.inspector"))
            #expect(fire.text.contains("部门：消防救援大队") && !fire.text.contains("部门：商务局") && !fire.text.contains("药品零售"))
            let bad = try await client.request(.get, "/api/v1/dashboard/report?format=pdf", token: token)
            #expect(bad.status == .badRequest && bad.errorField == "format")
        }
    }
}
