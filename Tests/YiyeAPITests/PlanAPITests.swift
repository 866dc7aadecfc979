import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeTestSupport

@Suite("Annual plans: drafted by the originator, filed with the office, published; task work plans")
struct PlanAPITests {
    @Test("a plan takes tasks while a draft, is filed once it has some, then published for everyone; never edited after")
    func lifecycle() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let commerce = try await client.signIn("commerce.dept_head")
            // Next year's plan (the demo filed this year's).
            let year = TestTasks.today.year + 1
            let body: [String: Any] = ["industry": "fuel_retail", "year": year, "title": "\(year) 年度加油站联合抽查计划"]
            #expect(
                try await client.request(.post, "/api/v1/plans", json: body, token: try await client.signIn("fire.dept_head")).status
                    == .forbidden)
            let created = try await client.request(.post, "/api/v1/plans", json: body, token: commerce)
            #expect(created.status == .created)
            let plan = try created.decode(Schemas.Plan.self).id
            #expect(try await client.request(.post, "/api/v1/plans", json: body, token: commerce).status == .conflict)
            #expect(try await client.request(.post, "/api/v1/plans/\(plan)/filing", token: commerce).errorCode == "empty_list")

            let task: [String: Any] = [
                "industry": "fuel_retail", "name": "上半年联合抽查", "windowStart": "\(year)-03-01",
                "windowEnd": "\(year)-03-20", "planId": plan,
            ]
            var wrongYear = task
            wrongYear["windowStart"] = "\(year + 1)-03-01"
            wrongYear["windowEnd"] = "\(year + 1)-03-20"
            #expect(try await client.request(.post, "/api/v1/tasks", json: wrongYear, token: commerce).errorField == "planId")
            var unplanned = task
            unplanned["planId"] = nil
            let unplannedAnswer = try await client.request(.post, "/api/v1/tasks", json: unplanned, token: commerce)
            #expect(unplannedAnswer.status == .unprocessableContent)
            #expect(unplannedAnswer.errorField == "planId", "an annual task belongs to a plan")
            let createdTask = try await client.request(.post, "/api/v1/tasks", json: task, token: commerce)
            #expect(createdTask.status == .created)
            // Its draw waits for the plan to be filed.
            let taskID = try createdTask.decode(Schemas.Task.self).id
            let early = try await client.request(.post, "/api/v1/tasks/\(taskID)/draw", json: [String: Any](), token: commerce)
            #expect(early.status == .conflict)
            #expect(early.errorCode == "plan_status")
            #expect(
                try await client.request(.post, "/api/v1/plans/\(plan)/filing", token: try await client.signIn("fire.dept_head")).status
                    == .forbidden)
            let filed = try await client.request(.post, "/api/v1/plans/\(plan)/filing", token: commerce)
            #expect(try filed.decode(Schemas.Plan.self).status == .filed)
            #expect(try filed.decode(Schemas.Plan.self).tasks.count == 1)
            #expect(
                try await client.request(.post, "/api/v1/tasks/\(taskID)/draw", json: [String: Any](), token: commerce).status == .created)
            #expect(try await client.request(.post, "/api/v1/tasks", json: task, token: commerce).errorCode == "plan_status")
            // The office sees the filed plan; the public only once published.
            #expect(
                try await client.request(.get, "/api/v1/plans/\(plan)", token: try await client.signIn("office.office_viewer")).status
                    == .ok)
            #expect(try await client.request(.get, "/api/v1/published-plans/\(plan)").status == .notFound)
            #expect(
                try await client.request(.post, "/api/v1/plans/\(plan)/publication", token: commerce).decode(Schemas.Plan.self).status
                    == .published)
            let published = try await client.get("/api/v1/published-plans/\(plan)", as: Schemas.Plan.self)
            #expect(published.title == "\(year) 年度加油站联合抽查计划")
            #expect(
                try await client.get("/api/v1/published-plans?industry=fuel_retail", as: Schemas.PlanPage.self).items.count == 1,
                "the demo's is filed, not published")
            #expect(try await client.request(.post, "/api/v1/plans/\(plan)/publication", token: commerce).errorCode == "plan_status")
            let refused = try await withClient(url) { db async throws -> Bool in
                do { _ = try await db.query("UPDATE plans SET title = 'x' WHERE id = \(plan)") } catch { return true }
                return false
            }
            #expect(refused, "the database refuses to edit a published plan")
        }
    }

    @Test("a work plan names responsibilities of the task's departments and a schedule in order")
    func workPlan() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let commerce = try await client.signIn("commerce.dept_head")
            let created = try await client.request(.post, "/api/v1/tasks", json: TestTasks.body("专项"), token: commerce)
            let task = try created.decode(Schemas.Task.self).id
            // Steps on working days of the window, counted on the calendar.
            func workingDay(_ days: Int) async throws -> String {
                try await client.get(
                    "/api/v1/calendar/deadline?from=\(TestTasks.windowStart)&workingDays=\(days)", as: Schemas.Deadline.self
                )
                .date
            }
            let (draw, visit, publish) = (try await workingDay(1), try await workingDay(5), try await workingDay(10))
            var plan: [String: Any] = [
                "responsibilities": ["commerce": "牵头组织，负责经营资格检查", "health": "不参与"],
                "schedule": [["name": "抽取", "due": draw]],
            ]
            #expect(
                try await client.request(.put, "/api/v1/tasks/\(task)/work-plan", json: plan, token: commerce).errorCode
                    == "unknown_department")
            plan["responsibilities"] = ["commerce": "牵头组织，负责经营资格检查", "fire": "消防设施检查"]
            plan["schedule"] = [["name": "实地检查", "due": visit], ["name": "抽取", "due": draw]]
            #expect(
                try await client.request(.put, "/api/v1/tasks/\(task)/work-plan", json: plan, token: commerce).errorCode == "invalid_period"
            )
            plan["schedule"] = [
                ["name": "抽取", "due": draw], ["name": "结果公示", "due": CalendarDate(TestTasks.windowEnd)!.adding(days: 1).description],
            ]
            let outside = try await client.request(.put, "/api/v1/tasks/\(task)/work-plan", json: plan, token: commerce)
            #expect(outside.errorCode == "invalid_period")
            #expect(outside.errorField == "schedule[1].due", "a step after the task's window")
            plan["schedule"] = [
                ["name": "抽取", "due": draw], ["name": "实地检查", "due": visit],
                ["name": "结果公示", "due": publish, "note": "20 个工作日内"],
            ]
            #expect(
                try await client.request(
                    .put, "/api/v1/tasks/\(task)/work-plan", json: plan, token: try await client.signIn("fire.dept_head")
                )
                .status == .forbidden)
            let saved = try await client.request(.put, "/api/v1/tasks/\(task)/work-plan", json: plan, token: commerce)
            #expect(saved.status == .ok)
            let read = try await client.get(
                "/api/v1/tasks/\(task)", token: try await client.signIn("fire.inspector"), as: Schemas.Task.self)
            #expect(read.workPlan?.responsibilities.additionalProperties["fire"] == "消防设施检查")
            #expect(read.workPlan?.schedule.count == 3)
        }
    }
}
