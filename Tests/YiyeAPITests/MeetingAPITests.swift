import Foundation
import HummingbirdTesting
import Testing
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("议事会商 through the API")
struct MeetingAPITests {
    static let startsAt = "2026-12-03T02:00:00Z"

    @Test("the originator convenes, invitees are notified, minutes are drafted, finalized, and amended as a new version")
    func minutesWorkflow() async throws {
        try await withAppDatabase { client, url in
            let commerce = try await client.signIn("commerce.dept_head")
            let call = try await client.request(.post, "/api/v1/calls", json: CallAPITests.call, token: commerce)
            let callID = try #require(call["id"] as? Int)
            let body: [String: Any] = [
                "industry": "fuel_retail", "kind": "ad_hoc", "title": "加油站联合检查会商", "startsAt": Self.startsAt, "location": "商务局三楼会议室",
                "agenda": ["通报抽取结果", "明确检查分工"], "invitees": ["fire", "samr"], "callIds": [callID],
            ]
            let created = try await client.request(.post, "/api/v1/meetings", json: body, token: commerce)
            #expect(created.status == .created, "\(created.json ?? "")")
            let id = try #require(created["id"] as? Int)
            #expect(created["callIds"] as? [Int] == [callID])

            let fire = try await client.signIn("fire.dept_admin")
            let invitation = try await client.request(.get, "/api/v1/notifications", token: fire).items.first
            #expect(invitation?["kind"] as? String == "meeting_invitation" && invitation?["subjectId"] as? Int == id)
            #expect(
                try await client.request(.get, "/api/v1/meetings/\(id)", token: try await client.signIn("eco.dept_admin")).status
                    == .notFound,
                "not invited")
            #expect(
                try await client.request(.put, "/api/v1/meetings/\(id)/minutes", json: ["content": "x"], token: fire).status == .forbidden,
                "only the convener writes the minutes")

            let minutes: [String: Any] = ["attendees": ["commerce", "fire"], "content": "会议通报了抽取结果。", "decisions": ["12月5日前完成检查"]]
            _ = try await client.request(.put, "/api/v1/meetings/\(id)/minutes", json: minutes, token: commerce)
            var draft = minutes
            draft["content"] = "会议通报了抽取结果，明确了分工。"
            let rewritten = try await client.request(.put, "/api/v1/meetings/\(id)/minutes", json: draft, token: commerce)
            #expect((rewritten["minutes"] as? [[String: Any]])?.map { $0["version"] as? Int } == [1], "a draft is rewritten in place")
            #expect(
                try await client.request(
                    .put, "/api/v1/meetings/\(id)/minutes", json: ["content": "x", "attendees": ["eco"]], token: commerce
                )
                .errorCode == "unknown_department", "attendees are departments of the meeting")
            let finalized = try await client.request(.post, "/api/v1/meetings/\(id)/minutes/finalization", token: commerce)
            #expect((finalized["minutes"] as? [[String: Any]])?.first?["final"] as? Bool == true)
            #expect(
                try await client.request(.post, "/api/v1/meetings/\(id)/minutes/finalization", token: commerce).errorCode == "minutes_final"
            )

            // Changing finalized minutes is an amendment: a new version with its reason; the first stays as it was.
            draft["content"] = "更正：明确了分工和时间。"
            #expect(
                try await client.request(.put, "/api/v1/meetings/\(id)/minutes", json: draft, token: commerce).errorField
                    == "amendmentReason")
            draft["amendmentReason"] = "补记检查时间"
            _ = try await client.request(.put, "/api/v1/meetings/\(id)/minutes", json: draft, token: commerce)
            let amended = try await client.request(.post, "/api/v1/meetings/\(id)/minutes/finalization", token: commerce)
            let versions = try #require(amended["minutes"] as? [[String: Any]])
            #expect(versions.map { $0["version"] as? Int } == [1, 2])
            #expect(versions[0]["content"] as? String == "会议通报了抽取结果，明确了分工。" && versions[1]["amendmentReason"] as? String == "补记检查时间")
            #expect(versions.allSatisfy { $0["final"] as? Bool == true })
            try await withClient(url) { db in
                await #expect(throws: (any Error).self, "the database refuses to change finalized minutes") {
                    _ = try await db.query(
                        "UPDATE meeting_minutes SET content = '篡改' WHERE meeting_id = \(id) AND version = 1", logger: quietLogger)
                }
            }
        }
    }

    @Test("action items: only the owner completes them, once, with a note; an overdue one escalates once")
    func actionItems() async throws {
        try await withAppDatabase { client, url in
            let commerce = try await client.signIn("commerce.dept_admin")
            let created = try await client.request(
                .post, "/api/v1/meetings",
                json: [
                    "industry": "fuel_retail", "kind": "ad_hoc", "title": "整改会商", "startsAt": Self.startsAt, "invitees": ["fire", "samr"],
                ], token: commerce)
            let id = try #require(created["id"] as? Int)
            let today = CalendarDate(chinaDateOf: Date())
            let due = try #require(
                try await client.request(.get, "/api/v1/calendar/deadline?from=\(today)&workingDays=7")["date"] as? String)
            // The first rest day ahead: the day one working day after the day before it is not itself.
            var restDay: CalendarDate?
            for offset in 1...14 where restDay == nil {
                let day = today.adding(days: offset)
                let next = try await client.request(.get, "/api/v1/calendar/deadline?from=\(day.adding(days: -1))&workingDays=1")
                if next["date"] as? String != day.description { restDay = day }
            }
            let onRestDay = try await client.request(
                .post, "/api/v1/meetings/\(id)/action-items",
                json: ["description": "复查", "owner": "fire", "due": try #require(restDay).description], token: commerce)
            #expect(onRestDay.errorField == "due", "a due date on a rest day")
            #expect(onRestDay.errorCode == "invalid_period")
            #expect(
                try await client.request(
                    .post, "/api/v1/meetings/\(id)/action-items",
                    json: ["description": "复查", "owner": "eco", "due": due], token: commerce
                ).errorCode == "unknown_department")
            #expect(
                try await client.request(
                    .post, "/api/v1/meetings/\(id)/action-items",
                    json: ["description": "复查", "owner": "fire", "due": "2020-01-01"], token: commerce
                ).errorCode == "invalid_period")
            #expect(
                try await client.request(
                    .post, "/api/v1/meetings/\(id)/action-items",
                    json: ["description": "复查", "owner": "fire", "due": "2026-02-30"], token: commerce
                ).status == .badRequest)
            let meeting = try await client.request(
                .post, "/api/v1/meetings/\(id)/action-items",
                json: ["description": "督促加油站完成消防整改", "owner": "fire", "due": due], token: commerce)
            #expect(meeting.status == .created)
            let itemID = try #require((meeting["actionItems"] as? [[String: Any]])?.first?["id"] as? Int)
            let fire = try await client.signIn("fire.dept_head")
            #expect(
                try await client.request(.get, "/api/v1/notifications", token: fire).items.contains {
                    $0["kind"] as? String == "action_item_assigned"
                })

            let samr = try await client.signIn("samr.dept_head")
            #expect(
                try await client.request(.post, "/api/v1/action-items/\(itemID)/completion", json: ["note": "已完成"], token: samr).errorCode
                    == "not_owner", "a department cannot complete another's item")
            #expect(
                try await client.request(.post, "/api/v1/action-items/\(itemID)/completion", json: ["note": " "], token: fire).errorCode
                    == "invalid_text")
            let done = try await client.request(.post, "/api/v1/action-items/\(itemID)/completion", json: ["note": "已复查，整改到位"], token: fire)
            #expect(done["status"] as? String == "done" && done["completedBy"] as? String == "fire.dept_head")
            #expect(
                try await client.request(.post, "/api/v1/action-items/\(itemID)/completion", json: ["note": "再次"], token: fire).errorCode
                    == "action_item_done")

            // A second item falls due and is not done: the sweep escalates it once.
            let second = try await client.request(
                .post, "/api/v1/meetings/\(id)/action-items",
                json: ["description": "报送检查记录", "owner": "samr", "due": due], token: commerce)
            let secondID = try #require((second["actionItems"] as? [[String: Any]])?.last?["id"] as? Int)
            try await withClient(url) { db in
                _ = try await db.query(
                    "UPDATE meeting_action_items SET due_date = current_date - 3 WHERE id = \(secondID)", logger: quietLogger)
                let sweeps = EscalationRepository(client: db, logger: quietLogger)
                #expect(try await sweeps.sweep(now: Date()).map(\.kind) == [.actionItem])
                #expect(try await sweeps.sweep(now: Date()).isEmpty)
            }
            let office = try await client.request(.get, "/api/v1/notifications", token: try await client.signIn("office.office_viewer"))
            #expect(office.items.map { $0["kind"] as? String } == ["action_item_escalated"])
            let listed = try await client.request(.get, "/api/v1/meetings/\(id)", token: samr)
            #expect((listed["actionItems"] as? [[String: Any]])?.map { $0["overdue"] as? Bool } == [false, true])
            let figures = try await client.request(.get, "/api/v1/coordination/figures", token: samr)
            #expect(figures.items.first { $0["department"] as? String == "samr" }?["escalations"] as? [String: Int] == ["action_item": 1])
        }
    }

    @Test("regular meetings fall on the first working day of each quarter; only the originator convenes; links stay in the industry")
    func schedule() async throws {
        try await withApp { client in
            let commerce = try await client.signIn("commerce.dept_head")
            let scheduled = try await client.request(
                .post, "/api/v1/meetings/schedule",
                json: ["industry": "fuel_retail", "year": 2026, "frequency": "quarterly"], token: commerce)
            #expect(scheduled.status == .created)
            // 1–3 January are off and Sunday 4 January is a make-up working day; 1 October begins the National Day holiday.
            #expect(
                scheduled.items.map { $0["startsAt"] as? String }
                    == ["2026-01-04T01:30:00Z", "2026-04-01T01:30:00Z", "2026-07-01T01:30:00Z", "2026-10-08T01:30:00Z"])
            #expect(scheduled.items.first?["invitees"] as? [String] == ["eco", "emergency", "fire", "samr"])
            #expect(scheduled.items.first?["title"] as? String == "联席会商（第1次）")
            #expect(
                try await client.request(
                    .post, "/api/v1/meetings/schedule", json: ["industry": "fuel_retail", "year": 2031, "frequency": "monthly"],
                    token: commerce
                ).errorCode == "invalid_calendar", "no calendar for 2031")

            let fire = try await client.signIn("fire.dept_head")
            let meeting: [String: Any] = [
                "industry": "fuel_retail", "kind": "ad_hoc", "title": "临时会商", "startsAt": Self.startsAt, "invitees": ["samr"],
            ]
            #expect(try await client.request(.post, "/api/v1/meetings", json: meeting, token: fire).errorCode == "not_originator")
            var linked = meeting
            linked["taskIds"] = [999_999]
            #expect(try await client.request(.post, "/api/v1/meetings", json: linked, token: commerce).errorField == "links")
            var invited = meeting
            invited["invitees"] = ["health"]
            #expect(try await client.request(.post, "/api/v1/meetings", json: invited, token: commerce).errorCode == "unknown_department")
            #expect(try await client.request(.get, "/api/v1/meetings?industry=fuel_retail&limit=2", token: fire).items.count == 2)
        }
    }
}
