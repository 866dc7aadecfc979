import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("现场确认: the visit recorded once, its rules, and the printable 联合检查记录表 with its SM3 digest")
struct SiteVisitAPITests {
    /// Moves `clock` to 10:00 China time on the second day of the demo task's window, if it is earlier.
    static func intoWindow(_ client: any TestClientProtocol, _ clock: ManualClock) async throws -> Date {
        let task = try await client.get("/api/v1/tasks/1", token: try await client.signIn("commerce.dept_admin"), as: Schemas.Task.self)
        let start = try #require(CalendarDate(task.windowStart)).adding(days: 1)
        let visit = start.endOfDayInChina.addingTimeInterval(-14 * 3600)
        if clock.now < visit.addingTimeInterval(3600) { clock.advance(by: visit.addingTimeInterval(3600).timeIntervalSince(clock.now)) }
        return visit
    }

    @Test("a refusal with a witness: recorded once; the record lists those present, each department's results, and its digest")
    func refusedWithWitness() async throws {
        let clock = ManualClock(Date())
        try await DrawAPITests.withDemoData(clock: clock) { client, url in
            let target = try await ResultAPITests.target(client)
            let visitedAt = try await Self.intoWindow(client, clock)
            let present = target.team.members.prefix(2).map(\.inspectorID)
            let uri = "/api/v1/draws/1/objects/\(target.object)/visit"
            let admin = try await client.signIn("fire.dept_admin")
            var body: [String: Any] = [
                "visitedAt": visitedAt.formatted(.iso8601), "inspectors": Array(present), "credentialsShown": true,
                "confirmation": "refused",
                "witness": ["name": "李四", "contact": "社区网格员"],
            ]
            let noRecording = try await client.request(.post, uri, json: body, token: admin)
            #expect(noRecording.status == .unprocessableContent && noRecording.errorField == "recordingReference")
            body["recordingReference"] = "执法记录仪 XF-2026-0012"
            for (change, field) in [
                (["inspectors": [present[0]]], "inspectors"), (["inspectors": [present[0], "999999"]], "inspectors[1]"),
                (["credentialsShown": false], "credentialsShown"),
                (["visitedAt": clock.now.addingTimeInterval(3600).formatted(.iso8601)], "visitedAt"),
            ] as [([String: Any], String)] {
                let refused = try await client.request(.post, uri, json: body.merging(change) { $1 }, token: admin)
                #expect(refused.status == .unprocessableContent && refused.errorField == field, "\(field): \(refused.text)")
            }
            #expect(try await client.request(.get, uri, token: admin).status == .notFound, "nothing recorded by refusals")
            let recorded = try await client.request(.post, uri, json: body, token: admin)
            #expect(recorded.status == .created, "\(recorded.text)")
            let visit = try recorded.decode(Schemas.SiteVisit.self)
            #expect(visit.confirmationLabel == "被检查对象拒绝签字" && visit.witness?.name == "李四" && visit.inspectors.count == 2)
            let again = try await client.request(.post, uri, json: body, token: admin)
            #expect(again.status == .conflict && again.errorCode == "visit_recorded")

            let record = try await client.request(.get, "\(uri)-record", token: admin).text
            #expect(record.contains("联合检查记录表") && record.contains("执法记录仪 XF-2026-0012") && record.contains("李四"))
            #expect(record.contains(visit.recordDigest) && visit.recordDigest.count == 64)
            for member in visit.inspectors { #expect(record.contains(member.name)) }
            #expect(record.contains("未录入"), "fire has entered nothing yet")
            // fire enters its items: the record shows them, and its digest changes with its text.
            _ = try await client.request(.put, "\(target.uri)/fire", json: ResultAPITests.draft(target), token: admin)
            let after = try await client.get(uri, token: admin, as: Schemas.SiteVisit.self)
            #expect(after.recordDigest != visit.recordDigest)
            #expect(try await client.request(.get, "\(uri)-record", token: admin).text.contains(after.recordDigest))
            #expect(try await client.request(.get, uri, token: try await client.signIn("health.dept_admin")).status == .notFound)
            try await withClient(url) { db async throws in
                await #expect(throws: PSQLError.self) { _ = try await db.query("UPDATE site_visits SET signed_by = 'x'") }
            }
        }
    }

    @Test("signed by a named person; an inspector not sent there may not record it")
    func signed() async throws {
        let clock = ManualClock(Date())
        try await DrawAPITests.withDemoData(clock: clock) { client, _ in
            let target = try await ResultAPITests.target(client)
            let visitedAt = try await Self.intoWindow(client, clock)
            let uri = "/api/v1/draws/1/objects/\(target.object)/visit"
            let body: [String: Any] = [
                "visitedAt": visitedAt.formatted(.iso8601), "inspectors": target.team.members.prefix(2).map(\.inspectorID),
                "credentialsShown": true, "confirmation": "signed", "signedBy": "王站长",
            ]
            let other = try await client.request(.post, uri, json: body, token: try await client.signIn("samr.dept_admin"))
            let samrOnTeam = target.team.members.contains { $0.department == "samr" }
            #expect(samrOnTeam ? other.status == .created : other.status == .forbidden, "\(other.text)")
            if !samrOnTeam {
                let recorded = try await client.request(.post, uri, json: body, token: try await client.signIn("fire.reviewer"))
                #expect(try recorded.decode(Schemas.SiteVisit.self).signedBy == "王站长")
            }
            let record = try await client.request(.get, "\(uri)-record", token: try await client.signIn("commerce.dept_admin")).text
            #expect(record.contains("被检查对象签字确认：王站长"))
        }
    }
}
