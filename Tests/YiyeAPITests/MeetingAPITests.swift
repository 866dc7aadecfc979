import Foundation
import HummingbirdTesting
import Testing
import YiyeContract
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
            let callID = try call.decode(Schemas.Call.self).id
            let body: [String: Any] = [
                "industry": "fuel_retail", "kind": "ad_hoc", "title": "加油站联合检查会商", "startsAt": Self.startsAt, "location": "商务局三楼会议室",
                "agenda": ["通报抽取结果", "明确检查分工"], "invitees": ["fire", "samr"], "callIds": [callID],
            ]
            let created = try await client.request(.post, "/api/v1/meetings", json: body, token: commerce)
            #expect(created.status == .created, "\(created.text)")
            let id = try created.decode(Schemas.Meeting.self).id
            #expect(try created.decode(Schemas.Meeting.self).callIds == [callID])

            let fire = try await client.signIn("fire.dept_admin")
            let invitation = try await client.get("/api/v1/notifications", token: fire, as: Schemas.NotificationPage.self).items.first
            #expect(invitation?.kind == .meetingInvitation && invitation?.subjectId == id)
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
            #expect(try rewritten.decode(Schemas.Meeting.self).minutes?.map(\.version) == [1], "a draft is rewritten in place")
            #expect(
                try await client.request(
                    .put, "/api/v1/meetings/\(id)/minutes", json: ["content": "x", "attendees": ["eco"]], token: commerce
                )
                .errorCode == "unknown_department", "attendees are departments of the meeting")
            let finalized = try await client.request(.post, "/api/v1/meetings/\(id)/minutes/finalization", token: commerce)
            #expect(try finalized.decode(Schemas.Meeting.self).minutes?.first?.final == true)
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
            let versions = try #require(try amended.decode(Schemas.Meeting.self).minutes)
            #expect(versions.map(\.version) == [1, 2])
            #expect(versions[0].content == "会议通报了抽取结果，明确了分工。" && versions[1].amendmentReason == "补记检查时间")
            #expect(versions.allSatisfy { $0.final })
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
            let id = try created.decode(Schemas.Meeting.self).id
            let today = CalendarDate(chinaDateOf: Date())
            let due = try await client.get("/api/v1/calendar/deadline?from=\(today)&workingDays=7", as: Schemas.Deadline.self).date
            // The first rest day ahead: the day one working day after the day before it is not itself.
            var restDay: CalendarDate?
            for offset in 1...14 where restDay == nil {
                let day = today.adding(days: offset)
                let next = try await client.get(
                    "/api/v1/calendar/deadline?from=\(day.adding(days: -1))&workingDays=1", as: Schemas.Deadline.self)
                if next.date != day.description { restDay = day }
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
            let itemID = try #require(try meeting.decode(Schemas.Meeting.self).actionItems?.first?.id)
            let fire = try await client.signIn("fire.dept_head")
            #expect(
                try await client.get("/api/v1/notifications", token: fire, as: Schemas.NotificationPage.self).items.contains {
                    $0.kind == .actionItemAssigned
                })

            let samr = try await client.signIn("samr.dept_head")
            #expect(
                try await client.request(.post, "/api/v1/action-items/\(itemID)/completion", json: ["note": "已完成"], token: samr).errorCode
                    == "not_owner", "a department cannot complete another's item")
            #expect(
                try await client.request(.post, "/api/v1/action-items/\(itemID)/completion", json: ["note": " "], token: fire).errorCode
                    == "invalid_text")
            let done = try await client.request(.post, "/api/v1/action-items/\(itemID)/completion", json: ["note": "已复查，整改到位"], token: fire)
            let completed = try done.decode(Schemas.ActionItem.self)
            #expect(completed.status == .done && completed.completedBy == "fire.dept_head")
            #expect(
                try await client.request(.post, "/api/v1/action-items/\(itemID)/completion", json: ["note": "再次"], token: fire).errorCode
                    == "action_item_done")

            // A second item falls due and is not done: the sweep escalates it once.
            let second = try await client.request(
                .post, "/api/v1/meetings/\(id)/action-items",
                json: ["description": "报送检查记录", "owner": "samr", "due": due], token: commerce)
            let secondID = try #require(try second.decode(Schemas.Meeting.self).actionItems?.last?.id)
            try await withClient(url) { db in
                _ = try await db.query(
                    "UPDATE meeting_action_items SET due_date = current_date - 3 WHERE id = \(secondID)", logger: quietLogger)
                let sweeps = EscalationRepository(client: db, logger: quietLogger)
                #expect(try await sweeps.sweep(now: Date(), waiting: true).map(\.kind) == [.actionItem])
                #expect(try await sweeps.sweep(now: Date(), waiting: true).isEmpty)
            }
            let viewer = try await client.signIn("office.office_viewer")
            let office = try await client.get("/api/v1/notifications", token: viewer, as: Schemas.NotificationPage.self)
            #expect(office.items.map(\.kind) == [.actionItemEscalated])
            let listed = try await client.get("/api/v1/meetings/\(id)", token: samr, as: Schemas.Meeting.self)
            #expect(listed.actionItems?.map(\.overdue) == [false, true])
            let figures = try await client.get("/api/v1/coordination/figures", token: samr, as: Items<Schemas.DepartmentFigures>.self)
            #expect(
                figures.items.map(\.department) == ["samr"] && figures.items.first?.escalations.additionalProperties == ["action_item": 1])
            let all = try await client.get("/api/v1/coordination/figures", token: viewer, as: Items<Schemas.DepartmentFigures>.self)
            #expect(all.items.count > 1 && all.items.contains { $0.department == "samr" })
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
                try scheduled.decode(Schemas.MeetingList.self).items.map { $0.startsAt.formatted(.iso8601) }
                    == ["2026-01-04T01:30:00Z", "2026-04-01T01:30:00Z", "2026-07-01T01:30:00Z", "2026-10-08T01:30:00Z"])
            #expect(try scheduled.decode(Schemas.MeetingList.self).items.first?.invitees == ["eco", "emergency", "fire", "samr"])
            #expect(try scheduled.decode(Schemas.MeetingList.self).items.first?.title == "联席会商（第1次）")
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
            #expect(
                try await client.get("/api/v1/meetings?industry=fuel_retail&limit=2", token: fire, as: Schemas.MeetingPage.self).items.count
                    == 2)
        }
    }
}
