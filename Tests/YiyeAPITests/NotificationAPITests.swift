import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeAPI
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("Notifications, live streams and escalation")
struct NotificationAPITests {
    @Test("a call lands in each addressed department's inbox, read per user; a response lands in the raiser's")
    func inbox() async throws {
        try await withApp { client in
            let commerce = try await client.signIn("commerce.dept_head")
            let call = try await client.request(.post, "/api/v1/calls", json: CallAPITests.call, token: commerce)
            let callID = try call.decode(Schemas.Call.self).id
            let fireAdmin = try await client.signIn("fire.dept_admin")
            let fireInspector = try await client.signIn("fire.inspector")
            func inbox(_ token: String, _ query: String = "") async throws -> Schemas.NotificationPage {
                try await client.get("/api/v1/notifications\(query)", token: token, as: Schemas.NotificationPage.self)
            }
            let page = try await inbox(fireAdmin)
            let first = try #require(page.items.first)
            #expect(first.kind == .callRaised && first.subjectId == callID && !first.read)
            #expect(first.title.contains("请参加12月联合抽取"))
            #expect(page.unreadCount == 1)
            let id = first.id

            // Another department cannot mark it; the admin reading it leaves it unread for a colleague.
            let samr = try await client.signIn("samr.dept_head")
            #expect(try await client.request(.post, "/api/v1/notifications/\(id)/read", token: samr).status == .notFound)
            #expect(try await client.request(.post, "/api/v1/notifications/\(id)/read", token: fireAdmin).status == .noContent)
            #expect(try await inbox(fireAdmin, "?unread=true").items.isEmpty)
            #expect(try await inbox(fireInspector).unreadCount == 1)
            struct Marked: Decodable { var marked: Int }
            #expect(try await client.request(.post, "/api/v1/notifications/read-all", token: fireInspector).decode(Marked.self).marked == 1)
            #expect(try await client.request(.get, "/api/v1/notifications/999999/read", token: fireAdmin).status == .methodNotAllowed)

            // Responses and questions reach the raiser; reading does not.
            _ = try await client.request(.post, "/api/v1/calls/\(callID)/actions", json: ["action": "read"], token: fireAdmin)
            _ = try await client.request(
                .post, "/api/v1/calls/\(callID)/actions", json: ["action": "accept", "text": "已安排两人"], token: fireAdmin)
            let raiser = try await inbox(commerce).items
            #expect(raiser.map(\.kind) == [.callResponded])
            #expect(raiser.first?.title.contains("已响应") == true)
            // The office is told nothing until something is late.
            #expect(try await inbox(try await client.signIn("office.office_viewer")).items.isEmpty)
            // Paging: newest first, with a cursor.
            let one = try await inbox(samr, "?limit=1")
            #expect(one.items.count == 1 && one.nextCursor == nil)
            #expect(try await client.request(.get, "/api/v1/notifications?cursor=!!", token: samr).status == .badRequest)
            let resume = try await client.execute(
                uri: "/api/v1/notifications/stream", method: .get,
                headers: [.authorization: "Bearer \(samr)", HTTPField.Name("Last-Event-ID")!: "abc"])
            #expect(resume.status == .badRequest, "an unreadable Last-Event-ID")
        }
    }

    @Test("deadlines in working days skip the National Day holiday; overdue work escalates once under concurrent sweeps")
    func escalationAcrossHoliday() async throws {
        try await TestDatabase.shared.withDatabase(demo: true) { url in
            try await withClient(url) { client in
                let calendar = CalendarRepository(client: client, logger: quietLogger)
                // Tuesday 29 September 2026 + 3 working days: 30 September, then 8 and 9 October (1–7 October are off).
                let due = try await calendar.adding(workingDays: 3, to: try #require(CalendarDate("2026-09-29")))
                #expect(due.description == "2026-10-09")
                let calls = WhistleRepository(client: client, logger: quietLogger)
                let call = WhistleCall(
                    industry: "fuel_retail", stage: .inspection, title: "国庆后联合检查", content: "请派员", actionRequired: "确认人员",
                    raisedBy: "commerce", raisedAt: Date(), deadline: due.endOfDayInChina,
                    responses: [.init(department: "fire"), .init(department: "samr")])
                let id = try await calls.create(call, audit: .init(actor: "commerce.dept_head", action: "call.raise")) { _ in [] }
                _ = try await calls.update(
                    id, department: "samr", action: "accept", text: "好", at: Date(), audit: .init(action: "call.accept")
                ) {
                    try $0.act(.accept, by: "samr", text: "好", at: Date())
                    return []
                }
                let escalations = EscalationRepository(client: client, logger: quietLogger)
                func at(_ text: String) throws -> Date {
                    try #require(try? Date(text + "+08:00", strategy: .iso8601))
                }
                #expect(try await escalations.sweep(now: try at("2026-10-08T12:00:00"), waiting: true).isEmpty, "not yet due")
                #expect(try await escalations.sweep(now: try at("2026-10-09T23:59:00"), waiting: true).isEmpty, "due at the end of the 9th")

                // Two instances sweeping at once, many times: fire (which never answered) is escalated exactly once.
                let late = try at("2026-10-10T00:30:00")
                let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<10 {
                        group.addTask { try await escalations.sweep(now: late).count }
                        group.addTask {
                            try await withClient(url) { other in
                                try await EscalationRepository(client: other, logger: quietLogger).sweep(now: late).count
                            }
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(counts.reduce(0, +) == 1)
                let rows = try await client.query("SELECT kind, department FROM escalations WHERE subject_id = \(id)", logger: quietLogger)
                    .decode((String, String).self).collected()
                #expect(rows.map(\.0) == ["call_response"] && rows.map(\.1) == ["fire"])
                let notified = try await client.query(
                    """
                    SELECT department FROM notifications WHERE kind = 'call_escalated' AND subject_id = \(id) ORDER BY department
                    """, logger: quietLogger
                ).decode(String.self).collected()
                #expect(notified == ["commerce", "fire", "office"], "the office, the raiser and the late department, once each")
                let history = try await calls.history(id).map(\.action)
                #expect(history.filter { $0 == "escalate" }.count == 1)
                // The record of an escalation cannot be removed.
                await #expect(throws: (any Error).self) {
                    _ = try await client.query("DELETE FROM escalations", logger: quietLogger)
                }
            }
        }
    }

    /// A yiye instance on `url` that sweeps for overdue work every 100 ms.
    static func instance(_ url: DatabaseURL) async throws -> some ApplicationProtocol {
        try await buildApplication(
            AppConfiguration(
                listen: .tcp(host: "127.0.0.1", port: 0), database: .url(url), migrate: false, logLevel: .error,
                auditKey: TestDatabase.auditKeyURL, checkpointInterval: .seconds(3600), escalationInterval: .milliseconds(100),
                streamKeepAlive: .milliseconds(200), evidenceDirectory: scratchEvidenceDirectory()
            ))
    }

    @Test(
        "two instances on one database: a call raised on one is pushed live to a department connected to the other, resumable by Last-Event-ID, and escalated once"
    )
    func twoInstances() async throws {
        try await TestDatabase.shared.withDatabase(demo: true) { url in
            let first = try await Self.instance(url)
            let second = try await Self.instance(url)
            try await first.test(.live) { one in
                try await second.test(.live) { two in
                    let onePort = try #require(one.port)
                    let twoPort = try #require(two.port)
                    let commerce = try await two.signIn("commerce.dept_head")
                    let fire = try await one.signIn("fire.dept_admin")
                    let live = try await receiveEvents(port: onePort, token: fire, count: 1) {
                        _ = try await two.request(.post, "/api/v1/calls", json: CallAPITests.call, token: commerce)
                    }
                    let event = try #require(live.first)
                    let callID = try #require(event.data["subjectId"].flatMap { Int($0) })
                    let call = try await one.get("/api/v1/calls/\(callID)", token: fire, as: Schemas.Call.self)
                    #expect(event.event == "call_raised" && event.data["department"] == "fire" && call.raisedBy == "commerce")

                    // Missed while disconnected: delivered first on reconnecting (to the other instance), without repeating
                    // what was already received.
                    var second = CallAPITests.call
                    second["title"] = "第二次吹哨"
                    _ = try await two.request(.post, "/api/v1/calls", json: second, token: commerce)
                    let resumed = try await receiveEvents(port: twoPort, token: fire, lastEventID: event.id, count: 1)
                    #expect(resumed.map(\.event) == ["call_raised"] && resumed[0].id > event.id)
                    #expect(resumed[0].data["title"]?.contains("第二次吹哨") == true)

                    // Past the deadline: both instances sweep every 100 ms, the office hears once per late department.
                    let office = try await one.signIn("office.office_viewer")
                    let escalated = try await receiveEvents(port: onePort, token: office, count: 2) {
                        try await withClient(url) { client in
                            _ = try await client.query(
                                "UPDATE whistle_calls SET deadline = now() - interval '1 minute' WHERE id = \(callID)",
                                logger: quietLogger)
                        }
                    }
                    #expect(Set(escalated.map(\.event)) == ["call_escalated"])
                    try await Task.sleep(for: .milliseconds(600))
                    try await withClient(url) { client in
                        let rows = try await client.query(
                            "SELECT department FROM escalations WHERE subject_id = \(callID) ORDER BY 1",
                            logger: quietLogger
                        ).decode(String.self).collected()
                        #expect(rows == ["fire", "samr"])
                        let notices = try await client.query(
                            """
                            SELECT count(*) FROM notifications WHERE kind = 'call_escalated' AND department = 'office' AND subject_id = \(callID)
                            """, logger: quietLogger
                        ).decode(Int.self).collected()
                        #expect(notices == [2])
                    }
                    // Without a session there is no stream; signing out ends an open one.
                    await #expect(throws: TestFailure.self) { _ = try await receiveEvents(port: onePort, token: "nope", count: 1) }
                    let leaving = try await one.signIn("fire.dept_head")
                    await #expect(throws: TestFailure.self, "the stream ends with its session") {
                        _ = try await receiveEvents(port: onePort, token: leaving, count: 1) {
                            _ = try await one.request(.delete, "/api/v1/sessions/current", token: leaving)
                        }
                    }
                }
            }
        }
    }

    @Test("an executed draw asks each sending department to confirm; an unconfirmed one is escalated once after its working day")
    func confirmations() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let fire = try await client.signIn("fire.dept_admin")
            let asked = try await client.get("/api/v1/notifications", token: fire, as: Schemas.NotificationPage.self).items.filter {
                $0.kind == .assignmentToConfirm
            }
            #expect(!asked.isEmpty && asked.allSatisfy { $0.subjectType == .draw })
            let drawID = try #require(asked.map(\.subjectId).min())
            #expect(try await client.request(.post, "/api/v1/draws/\(drawID)/confirmation", token: fire).status == .ok)
            try await withClient(url) { db in
                let later = Date().addingTimeInterval(20 * 86_400)
                let escalated = try await EscalationRepository(client: db, logger: quietLogger).sweep(now: later, waiting: true)
                    .filter { $0.kind == .confirmation && $0.subjectID == Int64(drawID) }
                let unconfirmed = try await db.query(
                    """
                    SELECT department FROM draw_confirmations WHERE draw_id = \(drawID) AND confirmed_at IS NULL ORDER BY 1
                    """, logger: quietLogger
                ).decode(DepartmentCode.self).collected()
                #expect(!unconfirmed.isEmpty && escalated.map(\.department).sorted() == unconfirmed)
                #expect(!escalated.contains { $0.department == "fire" }, "fire confirmed in time")
                #expect(try await EscalationRepository(client: db, logger: quietLogger).sweep(now: later, waiting: true).isEmpty)
            }
        }
    }

    @Test("when the listening connection is lost, what was committed meanwhile still reaches open streams")
    func listenerReconnects() async throws {
        try await TestDatabase.shared.withDatabase(demo: true) { url in
            let app = try await Self.instance(url)
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let fire = try await client.signIn("fire.dept_admin")
                let commerce = try await client.signIn("commerce.dept_head")
                let admin = try await TestDatabase.shared.superuserURL(for: url.database)
                let events = try await receiveEvents(port: port, token: fire, count: 1) {
                    try await withClient(admin) { db in
                        let ended = try await db.query(
                            """
                            SELECT count(pg_terminate_backend(pid))::bigint FROM pg_stat_activity
                            WHERE datname = \(url.database) AND pid <> pg_backend_pid() AND query LIKE '%coalesce(max(id), 0) FROM notifications%'
                            """, logger: quietLogger
                        ).decode(Int.self).collected()
                        #expect(ended == [1], "the instance's listening connection, whose last statement read the newest id")
                    }
                    // Committed while the instance is not listening.
                    _ = try await client.request(.post, "/api/v1/calls", json: CallAPITests.call, token: commerce)
                }
                #expect(events.map(\.event) == ["call_raised"])
            }
        }
    }
}
