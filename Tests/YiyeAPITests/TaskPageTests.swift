import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import YiyeContract
import YiyeCore
import YiyeTestSupport

@testable import YiyeAPI

@Suite("抽查任务 pages: the originator starts a triggered task, freezes its draw and executes it from the pages")
struct TaskPageTests {
    typealias Browser = WorkbenchPageTests.Browser

    @Test("a task started, frozen and, once every department revealed, executed through the pages; others may not")
    func taskToExecution() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let commerce = try await Browser.signIn(client, "commerce.dept_head")
            let today = CalendarDate(chinaDateOf: Date())
            var fields: [(String, String)] = [
                ("industry", "fuel_retail"), ("name", "加油站专项检查（页面）"), ("source", "complaint"), ("description", ""),
                ("windowStart", today.adding(days: 1).description), ("windowEnd", today.adding(days: 30).description),
                ("participants", "fire"), ("participants", "samr"),
            ]
            let bare = try await commerce.post("/tasks", fields)
            #expect(bare.status == .unprocessableContent && bare.text.contains("触发说明") && bare.text.contains("加油站专项检查（页面）"))
            fields[3] = ("description", "群众举报加油站存在安全隐患")
            let created = try await commerce.post("/tasks", fields)
            let location = try #require(created.headers[.location])
            #expect(created.status == .seeOther && location.hasPrefix("/tasks/"))
            let task = try await commerce.get(location)
            #expect(task.text.contains(#"id="freeze""#) && task.text.contains("投诉举报：群众举报加油站存在安全隐患"))
            let fire = try await Browser.signIn(client, "fire.dept_admin")
            #expect(!(try await fire.get(location)).text.contains(#"id="freeze""#), "only the originator freezes")
            #expect(try await fire.post(location + "/draw", []).status == .forbidden)

            let frozen = try await commerce.post(location + "/draw", [("commitHours", "1"), ("revealHours", "1")])
            let drawPath = try #require(frozen.headers[.location])
            #expect(frozen.status == .seeOther && drawPath.hasPrefix("/draws/"))
            let draw = try #require(Int(drawPath.dropFirst("/draws/".count)))
            try await DrawAPITests.commitAndReveal(client, draw: draw, departments: ["commerce", "fire", "samr"])
            let ready = try await commerce.get(drawPath)
            #expect(ready.text.contains(#"action="/draws/\#(draw)/execute""#))
            #expect(!(try await fire.get(drawPath)).text.contains("/execute"), "only the originator executes")
            #expect(try await fire.post(drawPath + "/execute", []).status == .forbidden)
            #expect(try await commerce.post(drawPath + "/execute", []).status == .seeOther)
            let executed = try await commerce.get(drawPath)
            #expect(executed.text.contains("已抽取") && executed.text.contains("一企一表") && executed.text.contains("<dt>随机种子</dt>"))
            let status = try await client.get(
                "/api/v1/draws/\(draw)", token: try await client.signIn("commerce.dept_head"), as: Schemas.DrawStatus.self)
            #expect(status.phase == .executed && Set(status.parties.map(\.department)) == ["commerce", "fire", "samr"])
        }
    }

    @Test("an annual plan drafted, given a task, filed and published through the pages by the originator alone")
    func annualPlan() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let commerce = try await Browser.signIn(client, "commerce.dept_head")
            let year = CalendarDate(chinaDateOf: Date()).year + 1
            let untitled = try await commerce.post("/plans", [("industry", "fuel_retail"), ("year", String(year)), ("title", "")])
            #expect(untitled.status == .unprocessableContent && untitled.text.contains(#"id="title-error""#))
            let created = try await commerce.post(
                "/plans", [("industry", "fuel_retail"), ("year", String(year)), ("title", "\(year)年成品油零售联合抽查计划（页面）")])
            let plan = try #require(created.headers[.location])
            #expect(created.status == .seeOther && plan.hasPrefix("/plans/"))
            let id = try #require(Int64(plan.dropFirst("/plans/".count)))
            let draft = try await commerce.get(plan)
            #expect(
                draft.text.contains("草稿") && draft.text.contains("plan=\(id)") && !draft.text.contains("/filing"), "no filing without tasks"
            )
            let form = try await commerce.get("/tasks/new?industry=fuel_retail&plan=\(id)")
            #expect(form.text.contains("新建年度计划任务") && form.text.contains(#"name="planId" value="\#(id)""#) && !form.text.contains("触发来源"))
            let start = CalendarDate(year: year, month: 4, day: 1)!
            let task = try await commerce.post(
                "/tasks",
                [
                    ("industry", "fuel_retail"), ("planId", String(id)), ("name", "春季加油站联合抽查（页面）"),
                    ("windowStart", start.description), ("windowEnd", start.adding(days: 29).description),
                ])
            #expect(task.status == .seeOther, "\(task.text)")
            let fire = try await Browser.signIn(client, "fire.dept_admin")
            #expect(!(try await fire.get(plan)).text.contains("/filing"), "a participant does not file the plan")
            #expect(try await fire.post(plan + "/filing", []).status.code >= 400)
            #expect(try await commerce.post(plan + "/filing", []).status == .seeOther)
            #expect(try await commerce.get(plan).text.contains("已报备"))
            #expect(try await commerce.post(plan + "/publication", []).status == .seeOther)
            let published = try await client.get(
                "/api/v1/plans/\(id)", token: try await client.signIn("commerce.dept_head"), as: Schemas.Plan.self)
            #expect(published.status == .published && published.tasks.map(\.name) == ["春季加油站联合抽查（页面）"])
        }
    }
}
