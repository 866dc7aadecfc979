import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import YiyeContract
import YiyeCore
import YiyeTestSupport

@testable import YiyeAPI

@Suite("议事会商 pages: convened from a form, minutes written and finalized, an action item completed by its owner")
struct MeetingPageTests {
    typealias Browser = WorkbenchPageTests.Browser

    @Test("a meeting's course through the pages, and what each other user may not do")
    func course() async throws {
        try await withApp { client in
            let commerce = try await Browser.signIn(client, "commerce.dept_head")
            let tomorrow = CalendarDate(chinaDateOf: Date()).adding(days: 1)
            let form = try await commerce.get("/meetings/new?industry=fuel_retail")
            #expect(form.status == .ok && form.text.contains("消防救援大队") && !form.text.contains(#"value="commerce""#))
            let convened = try await commerce.post(
                "/meetings",
                [
                    ("industry", "fuel_retail"), ("title", "加油站联合检查会商（页面）"), ("startsAt", "\(tomorrow)T09:30"),
                    ("location", "商务局三楼会议室"), ("agenda", "通报抽取结果\n明确检查分工"), ("invitees", "fire"), ("invitees", "samr"),
                ])
            let location = try #require(convened.headers[.location])
            #expect(convened.status == .seeOther && location.hasPrefix("/meetings/"))
            let id = try #require(Int64(location.dropFirst("/meetings/".count)))
            let token = try await client.signIn("commerce.dept_head")
            let meeting = try await client.get("/api/v1/meetings/\(id)", token: token, as: Schemas.Meeting.self)
            // 09:30 typed on the page is 09:30 in China: 01:30 UTC.
            #expect(meeting.startsAt == tomorrow.startOfDayInChina.addingTimeInterval(9.5 * 3600))
            #expect(meeting.agenda == ["通报抽取结果", "明确检查分工"] && meeting.invitees == ["fire", "samr"])

            let fire = try await Browser.signIn(client, "fire.dept_admin")
            #expect(try await fire.get("/work").text.contains(#"href="/meetings/\#(id)""#), "即将召开的会商 on fire's work")
            #expect(!(try await fire.get("/meetings/\(id)")).text.contains(#"id="write-minutes""#), "only the convener writes minutes")
            #expect(try await fire.post("/meetings/\(id)/minutes", [("content", "x")]).status == .forbidden)
            #expect(try await Browser.signIn(client, "eco.dept_admin").get("/meetings/\(id)").status == .notFound, "not invited")

            _ = try await commerce.post(
                "/meetings/\(id)/minutes",
                [("attendees", "commerce"), ("attendees", "fire"), ("content", "会议通报了抽取结果。"), ("decisions", "12月5日前完成检查")])
            let today = CalendarDate(chinaDateOf: Date()).description
            let due = try await client.get("/api/v1/calendar/deadline?from=\(today)&workingDays=10", as: Schemas.Deadline.self).date
            _ = try await commerce.post("/meetings/\(id)/action-items", [("description", "督促加油站整改消防设施"), ("owner", "fire"), ("due", due)])
            let item = try #require(
                try await client.get("/api/v1/meetings/\(id)", token: token, as: Schemas.Meeting.self).actionItems?.first)
            #expect(try await fire.get("/work").text.contains(#"href="/action-items/\#(item.id)""#))
            let jump = try await fire.get("/action-items/\(item.id)")
            #expect(jump.status == .seeOther && jump.headers[.location] == "/meetings/\(id)#item-\(item.id)")
            let empty = try await fire.post("/action-items/\(item.id)/completion", [("note", " ")])
            #expect(empty.status == .unprocessableContent && empty.text.contains("role=\"alert\""))
            #expect(try await fire.post("/action-items/\(item.id)/completion", [("note", "已督促 3 家加油站完成整改")]).status == .seeOther)

            #expect(try await commerce.post("/meetings/\(id)/minutes/finalization", []).status == .seeOther)
            let final = try await commerce.get("/meetings/\(id)")
            #expect(final.text.contains("已定稿") && final.text.contains("已完成：已督促 3 家加油站完成整改"))
            #expect(final.text.contains(#"id="amendmentReason""#) && !final.text.contains("纪要定稿（"), "amended only as a new version")
            // A finalized version never changes: an amendment without its reason is refused beside the field, with one it
            // is version 2.
            let bare = try await commerce.post("/meetings/\(id)/minutes", [("content", "补充：samr 未出席")])
            #expect(bare.status == .unprocessableContent && bare.text.contains(#"id="amendmentReason-error""#))
            _ = try await commerce.post("/meetings/\(id)/minutes", [("content", "补充：samr 未出席"), ("amendmentReason", "补记出席情况")])
            let minutes = try await client.get("/api/v1/meetings/\(id)", token: token, as: Schemas.Meeting.self).minutes ?? []
            #expect(minutes.map(\.version) == [1, 2] && minutes[0].final && minutes[0].content == "会议通报了抽取结果。" && !minutes[1].final)
            #expect(PageText.chinaTime("2026-12-10T25:00") == nil && PageText.chinaTime("tomorrow") == nil)
        }
    }
}
