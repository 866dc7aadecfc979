import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("Demo results: 一公开 in every state, entered through the API's own handlers when the server loads the demo")
struct DemoResultsTests {
    @Test(
        "drafts, submitted, returned; every category published; withheld, repaired, resolved, upheld and open objections; visits; late ones escalated"
    )
    func everyState() async throws {
        try await withAppDatabase(sample: true, serveDemo: true) { client, url in try await Self.check(client, url) }
    }

    static func check(_ client: any TestClientProtocol, _ url: DatabaseURL) async throws {
        let office = try await client.signIn("office.office_viewer")
        let tasks = try await client.get("/api/v1/tasks?limit=100", token: office, as: Schemas.TaskPage.self)
        let task = try #require(tasks.items.first { $0.name == DemoCounty.inspectedTaskName })
        #expect(
            tasks.items.count == 14,
            "a December task per industry, the inspected one, eight months of the year, and one started from a risk warning")
        let windowEnd = try #require(CalendarDate(task.windowEnd))
        #expect(windowEnd == CalendarDate(chinaDateOf: Date()).adding(days: -45))

        let (statuses, drawID): ([String: Int], Int64) = try await withClient(url) { db async throws in
            let drawID = try #require(
                try await db.query("SELECT id FROM draws WHERE task_id = \(task.id)").decode(Int64.self).collectFirst())
            var statuses: [String: Int] = [:]
            for try await (status, count) in try await db.query(
                "SELECT status, count(*)::int FROM inspection_results WHERE draw_id = \(drawID) GROUP BY status"
            ).decode((String, Int).self) {
                statuses[status] = count
            }
            return (statuses, drawID)
        }
        #expect(statuses["draft"] == 1 && statuses["submitted"] == 1 && statuses["returned"] == 1)
        #expect(statuses["published"] == 13, "11 categories and two objected to")

        // What the public sees: every category in some version, and every kind of later version but a correction.
        let page = try await client.get("/api/v1/published-results?limit=100", as: Schemas.PublishedResultPage.self)
        let ours = page.items.filter { $0.latest.taskName == DemoCounty.inspectedTaskName }
        #expect(ours.count == 13)
        var categories = Set<String>()
        var changes = Set<Schemas.PublishedResultVersion.ChangePayload>()
        for item in ours {
            let versions = try await client.get("/api/v1/published-results/\(item.id)", as: Schemas.PublishedResult.self).versions
            categories.formUnion(versions.flatMap { $0.categories.map(\.code) })
            changes.formUnion(versions.compactMap(\.change))
        }
        #expect(categories == Set(ResultCategory.allCases.map(\.rawValue)))
        #expect(changes == [.withheld, .followUpResolved, .creditRepaired, .objectionUpheld])
        #expect(ours.filter { $0.latest.underObjection == true }.count == 1)
        #expect(ours.contains { $0.latest.withheld?.scope == .items && $0.latest.withheld?.groundLabel == "涉及商业秘密" })
        #expect(ours.contains { $0.latest.relief?.kindLabel == "信用修复" })

        let objections = try await client.get("/api/v1/objections", token: office, as: Schemas.ObjectionPage.self)
        #expect(Set(objections.items.map(\.status)) == [.reexamining, .upheld])

        // The refusal before a witness, and a signed visit, each with its printable record.
        let visits: [(String, String, String?)] = try await withClient(url) { db async throws in
            try await db.query(
                "SELECT credit_code, confirmation, witness_name FROM site_visits WHERE draw_id = \(drawID) ORDER BY confirmation"
            ).decode((String, String, String?).self).reduce(into: []) { $0.append($1) }
        }
        #expect(visits.map(\.1) == ["refused", "signed"] && visits[0].2 == "李明（社区网格员）")
        let record = try await client.request(
            .get, "/api/v1/draws/\(drawID)/objects/\(visits[0].0)/visit-record", token: try await client.signIn("commerce.dept_head"))
        #expect(record.status == .ok && record.text.contains("拒绝签字") && record.text.contains("李明（社区网格员）"))

        try await checkPersonalData(client, url, office: office)

        // Everything not entered is past its deadline, and escalated once per late department.
        let escalated: Int = try await withClient(url) { db async throws in
            _ = try await EscalationRepository(client: db, logger: quietLogger).sweep(now: Date(), waiting: true)
            return try await db.query(
                "SELECT count(*)::int FROM escalations WHERE kind = 'result_publication' AND subject_id = \(drawID)"
            ).decode(Int.self).collectFirst() ?? 0
        }
        #expect(escalated >= 1)
        #expect(
            try await withClient(url) { db async throws in
                try await DemoCounty.loadInspectedDraw(client: db, now: Date(), logger: quietLogger)
            } == nil, "loaded once")
        try await checkYear(client, url, tasks: tasks.items)

        // 风险预警: fuel retail's warnings in every state, one of them started as a triggered task sampling by grade.
        let warnings = try await client.get(
            "/api/v1/warnings?industry=fuel_retail&limit=200", token: try await client.signIn("commerce.dept_head"),
            as: Items<Schemas.Warning>.self
        ).items
        #expect(Set(warnings.map(\.state)) == [.raised, .dismissed, .onAgenda, .tasked])
        let tasked = try #require(warnings.first { $0.state == .tasked }?.taskId)
        let started = try #require(tasks.items.first { $0.id == tasked })
        #expect(started.trigger?.warningId != nil && started.sampling.basis == .grade)
    }

    /// Phones, objectors' contacts and witnesses' contacts are stored sealed and read in clear; values written in the
    /// clear (an older backup restored) are sealed by the next migration, the append-only tables' guards on again after.
    static func checkPersonalData(_ client: any TestClientProtocol, _ url: DatabaseURL, office: String) async throws {
        let places = ["inspectors.phone", "objections.contact", "site_visits.witness_contact"]
        @Sendable func counts(_ db: PostgresClient) async throws -> [Int] {
            try await db.query(
                """
                SELECT (SELECT count(*)::int FROM inspectors WHERE phone LIKE 'sm4:%'),
                       (SELECT count(*)::int FROM objections WHERE contact LIKE 'sm4:%'),
                       (SELECT count(*)::int FROM site_visits WHERE witness_contact LIKE 'sm4:%'),
                       (SELECT count(*)::int FROM inspectors WHERE phone <> '' AND phone NOT LIKE 'sm4:%')
                       + (SELECT count(*)::int FROM objections WHERE contact NOT LIKE 'sm4:%')
                       + (SELECT count(*)::int FROM site_visits WHERE witness_contact NOT LIKE 'sm4:%')
                """
            ).decode((Int, Int, Int, Int).self).collectFirst().map { [$0.0, $0.1, $0.2, $0.3] } ?? []
        }
        let stored = try await withClient(url) { db async throws in try await counts(db) }
        #expect(stored.count == 4 && stored[0] >= 100 && stored[1] >= 2 && stored[2] >= 1 && stored[3] == 0, "\(places): \(stored)")
        let objections = try await client.get("/api/v1/objections", token: office, as: Schemas.ObjectionPage.self)
        #expect(objections.items.allSatisfy { $0.contact == "王经理 13800000000" })

        let (sealed, after, guards): (Int, [Int], [String]) = try await withClient(url) { db async throws in
            _ = try await db.withTransaction(logger: quietLogger) { connection in
                _ = try await connection.query("SET LOCAL session_replication_role = replica")
                _ = try await connection.query(
                    "UPDATE objections SET contact = '王经理 13800000000' WHERE id = (SELECT min(id) FROM objections)")
                _ = try await connection.query("UPDATE site_visits SET witness_contact = '13900000000' WHERE witness_contact IS NOT NULL")
                _ = try await connection.query("UPDATE inspectors SET phone = '13912345678' WHERE id = (SELECT min(id) FROM inspectors)")
            }
            let keys = try await TestDatabase.personalData(db).keys()
            let sealed = try await PersonalDataMaintenance.sealWrittenInTheClear(owner: db, keys: keys, logger: quietLogger)
            let guards = try await db.query(
                "SELECT tgname || ':' || tgenabled::text FROM pg_trigger WHERE tgname IN ('objections_settled', 'site_visits_append_only') ORDER BY 1"
            ).decode(String.self).reduce(into: [String]()) { $0.append($1) }
            return (sealed, try await counts(db), guards)
        }
        #expect(sealed == 2 + stored[2], "an objection's contact, the witnesses' contacts and a phone")
        #expect(after == stored, "every value sealed again")
        #expect(guards == ["objections_settled:O", "site_visits_append_only:O"], "the guards are on again")
        let reread = try await client.get("/api/v1/objections", token: office, as: Schemas.ObjectionPage.self)
        #expect(reread.items.allSatisfy { $0.contact == "王经理 13800000000" })
    }

    /// The demo's year: eight months before the inspected one, each with a district's task whistled, confirmed,
    /// inspected, published and closed, by a clock of its own days.
    static func checkYear(_ client: any TestClientProtocol, _ url: DatabaseURL, tasks: [Schemas.Task]) async throws {
        let past = tasks.filter { $0.name.contains("辖区") }
        #expect(past.count == 8 && past.allSatisfy { $0.status == .closed })
        let today = CalendarDate(chinaDateOf: Date())
        let months = Set(past.compactMap { CalendarDate($0.windowStart) }.map { $0.year * 12 + $0.month })
        #expect(months == Set((3...10).map { today.year * 12 + today.month - $0 }), "one task in each of the eight months")

        let (unpublished, complete, confirmationsLate, answersBeforeCalls, publishedMonths): (Int, Int, Int, Int, Int) =
            try await withClient(url) { db async throws in
                let ids = past.map(\.id)
                return try await db.query(
                    """
                    SELECT (SELECT count(*)::int FROM inspection_results r JOIN draws d ON d.id = r.draw_id
                             WHERE d.task_id = ANY(\(ids)) AND r.status <> 'published'),
                           (SELECT count(*)::int FROM draw_completion c JOIN draws d ON d.id = c.draw_id
                             WHERE d.task_id = ANY(\(ids)) AND c.complete),
                           (SELECT count(*)::int FROM escalations WHERE kind = 'confirmation'),
                           (SELECT count(*)::int FROM whistle_responses r JOIN whistle_calls c ON c.id = r.call_id
                             WHERE r.responded_at <= c.created_at),
                           (SELECT count(DISTINCT date_trunc('month', f.first_published))::int FROM result_facts f JOIN draws d
                             ON d.id = f.draw_id WHERE d.task_id = ANY(\(ids)))
                    """
                ).decode((Int, Int, Int, Int, Int).self).collectFirst() ?? (-1, -1, -1, -1, -1)
            }
        #expect(unpublished == 0 && complete == 8, "every result of the year published")
        #expect(confirmationsLate == 0, "every department confirmed its assignments in time")
        #expect(answersBeforeCalls == 0, "each answer dated after its call, by the clock of its day")
        #expect(publishedMonths >= 8)

        // The office's dashboard of the year of the oldest month has figures in its months, and answers in hours.
        let oldest = try #require(past.compactMap { CalendarDate($0.windowStart) }.min())
        let board = try await client.get(
            "/api/v1/dashboard?year=\(oldest.year)", token: try await client.signIn("office.office_viewer"), as: Schemas.Dashboard.self)
        #expect(board.total.joint.visitsByMonth.contains { $0.month == oldest.month && $0.count > 0 })
        #expect(board.total.followUp.closed > 0 && board.total.followUp.medianDaysToClose == 21)
        let hours = try #require(board.total.coordination.medianResponseHours)
        #expect(hours >= 1.5 && hours <= 30, "answered within the demo's hours, not at the instant of the call")
    }
}
