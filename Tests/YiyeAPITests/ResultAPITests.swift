import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("一公开: results entered, reviewed and published through the API; the public search")
struct ResultAPITests {
    /// An object of the demo's fuel-retail draw that fire inspects, and fire's part of its sheet.
    struct Target {
        var object: String
        var fireEntries: [Schemas.JointInspectionSheet.SectionsPayloadPayload.EntriesPayloadPayload]
        var team: DrawChangeAPITests.Team
        var uri: String { "/api/v1/draws/1/objects/\(object)/results" }
    }

    static func target(_ client: any TestClientProtocol) async throws -> Target {
        let token = try await client.signIn("commerce.dept_admin")
        let status = try await DrawChangeAPITests.status(client, token)
        let team = try #require(status.teams?.first(where: DrawChangeAPITests.hasFire))
        let sheet = try await client.get(
            "/api/v1/draws/1/objects/\(team.objectID)/sheet", token: token, as: Schemas.JointInspectionSheet.self)
        let entries = try #require(sheet.sections.first { $0.department == "fire" }?.entries)
        return Target(object: team.objectID, fireEntries: entries, team: team)
    }

    /// Every fire entry answered: normal (or passed, for a sampling test), by the item's first method.
    static func cleanItems(_ target: Target) -> [[String: Any]] {
        target.fireEntries.map { entry in
            let method = entry.item.methods.first?.rawValue ?? "on_site"
            return ["entry": entry.number, "outcome": method == "sampling_test" ? "pass" : "normal", "method": method]
        }
    }

    static func draft(_ target: Target, categories: [[String: Any]] = [["category": "no_problem"]]) -> [String: Any] {
        ["items": cleanItems(target), "categories": categories, "remarks": "现场检查未见异常"]
    }

    /// fire's admin enters and submits; fire's reviewer approves; returns the reviewer's token.
    static func approved(_ client: any TestClientProtocol, _ target: Target) async throws -> String {
        let admin = try await client.signIn("fire.dept_admin")
        let saved = try await client.request(.put, "\(target.uri)/fire", json: draft(target), token: admin)
        guard saved.status == .ok else { throw TestFailure("save: \(saved.text)") }
        let submitted = try await client.request(.post, "\(target.uri)/fire/submission", token: admin)
        guard submitted.status == .ok else { throw TestFailure("submit: \(submitted.text)") }
        let reviewer = try await client.signIn("fire.reviewer")
        let approved = try await client.request(.post, "\(target.uri)/fire/review", json: ["decision": "approve"], token: reviewer)
        guard approved.status == .ok else { throw TestFailure("review: \(approved.text)") }
        return reviewer
    }

    @Test("fire enters its part, a reviewer approves, fire publishes; the public finds it by credit code with 检查实施机关 and 结果")
    func enterReviewPublish() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let target = try await Self.target(client)
            let admin = try await client.signIn("fire.dept_admin")
            let saved = try await client.request(.put, "\(target.uri)/fire", json: Self.draft(target), token: admin)
            #expect(saved.status == .ok, "\(saved.text)")
            let draft = try saved.decode(Schemas.InspectionResult.self)
            #expect(draft.status == .draft && draft.items.count == target.fireEntries.count)
            #expect(
                try await client.get("/api/v1/published-results?creditCode=\(target.object)", as: Schemas.PublishedResultPage.self).items
                    .isEmpty)
            let submitted = try await client.request(.post, "\(target.uri)/fire/submission", token: admin).decode(
                Schemas.InspectionResult.self)
            #expect(submitted.status == .submitted && submitted.enteredBy == "fire.dept_admin")
            let reviewer = try await client.signIn("fire.reviewer")
            let approved = try await client.request(.post, "\(target.uri)/fire/review", json: ["decision": "approve"], token: reviewer)
                .decode(Schemas.InspectionResult.self)
            #expect(approved.status == .approved && approved.reviews.map(\.decision) == [.approve])
            let published = try await client.request(.post, "\(target.uri)/fire/publication", token: admin).decode(
                Schemas.InspectionResult.self)
            #expect(published.status == .published)

            let page = try await client.get("/api/v1/published-results?creditCode=\(target.object)", as: Schemas.PublishedResultPage.self)
            let latest = try #require(page.items.first?.latest)
            #expect(page.items.count == 1)
            #expect(latest.authority == "消防救援大队" && latest.inspectionType == "部门联合双随机抽查" && latest.version == 1)
            #expect(latest.categories.map(\.label) == ["未发现问题"])
            #expect(latest.remarks == "现场检查未见异常")
            #expect(latest.items.map(\.number) == target.fireEntries.map(\.number))
            #expect(latest.items.map(\.content) == target.fireEntries.map(\.item.content))
            let detail = try await client.get(
                "/api/v1/published-results/\(try #require(page.items.first?.id))", as: Schemas.PublishedResult.self)
            #expect(detail.versions.map(\.version) == [1])
            // The task counts one of the results its draw owes: one per department sent, per staffed object.
            let status = try await DrawChangeAPITests.status(client, admin)
            let owed = (status.teams ?? []).filter { $0.unstaffed == nil }.map { Set($0.members.map(\.department)).count }.reduce(0, +)
            let task = try await client.get("/api/v1/tasks/\(status.taskId)", token: admin, as: Schemas.Task.self)
            #expect(task.results?.owed == owed && task.results?.published == 1 && task.results?.complete == false)
            // What the draw still owes, kept for the overdue list: every owed result but this one.
            let outstanding: [String] = try await withClient(url) { db async throws in
                try await db.query("SELECT credit_code || '/' || department FROM draw_outstanding WHERE draw_id = 1").decode(String.self)
                    .reduce(into: []) { $0.append($1) }
            }
            #expect(outstanding.count == owed - 1 && !outstanding.contains("\(target.object)/fire"))
            // Inspector names are not public.
            let text = try await client.request(.get, "/api/v1/published-results?creditCode=\(target.object)").text
            for member in target.team.members {
                let inspector = try await client.get("/api/v1/inspectors/\(member.inspectorID)", token: admin, as: Schemas.Inspector.self)
                #expect(!text.contains(inspector.name))
            }
        }
    }

    @Test("only an approved result is published: a draft and a submitted one are refused with result_status")
    func publicationNeedsApproval() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await Self.target(client)
            let admin = try await client.signIn("fire.dept_admin")
            #expect(try await client.request(.post, "\(target.uri)/fire/publication", token: admin).status == .notFound, "nothing entered")
            _ = try await client.request(.put, "\(target.uri)/fire", json: Self.draft(target), token: admin)
            let early = try await client.request(.post, "\(target.uri)/fire/publication", token: admin)
            #expect(early.status == .conflict && early.errorCode == "result_status")
            _ = try await client.request(.post, "\(target.uri)/fire/submission", token: admin)
            #expect(try await client.request(.post, "\(target.uri)/fire/publication", token: admin).errorCode == "result_status")
            #expect(try await client.get("/api/v1/published-results", as: Schemas.PublishedResultPage.self).items.isEmpty)
        }
    }

    @Test("a reviewer returns with an opinion and the department corrects and resubmits; every decision is kept")
    func returnedAndResubmitted() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await Self.target(client)
            let admin = try await client.signIn("fire.dept_admin")
            _ = try await client.request(.put, "\(target.uri)/fire", json: Self.draft(target), token: admin)
            _ = try await client.request(.post, "\(target.uri)/fire/submission", token: admin)
            #expect(
                try await client.request(.put, "\(target.uri)/fire", json: Self.draft(target), token: admin).errorCode == "result_status")
            let reviewer = try await client.signIn("fire.reviewer")
            let bare = try await client.request(.post, "\(target.uri)/fire/review", json: ["decision": "return"], token: reviewer)
            #expect(bare.errorCode == "invalid_text" && bare.errorField == "opinion")
            let returned = try await client.request(
                .post, "\(target.uri)/fire/review", json: ["decision": "return", "opinion": "请补充检查日期"], token: reviewer)
            #expect(try returned.decode(Schemas.InspectionResult.self).status == .returned)
            var corrected = Self.draft(target)
            corrected["remarks"] = "已补充"
            #expect(try await client.request(.put, "\(target.uri)/fire", json: corrected, token: admin).status == .ok)
            _ = try await client.request(.post, "\(target.uri)/fire/submission", token: admin)
            let approved = try await client.request(.post, "\(target.uri)/fire/review", json: ["decision": "approve"], token: reviewer)
                .decode(Schemas.InspectionResult.self)
            #expect(approved.reviews.map(\.decision) == [._return, .approve])
            #expect(approved.reviews.first?.opinion == "请补充检查日期" && approved.remarks == "已补充")
        }
    }

    @Test("who may enter: not another department, not a department without inspectors there, not an inspector not sent; no self-review")
    func writers() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await Self.target(client)
            let samr = try await client.signIn("samr.dept_admin")
            let other = try await client.request(.put, "\(target.uri)/fire", json: Self.draft(target), token: samr)
            #expect(other.status == .forbidden && other.errorCode == "other_department")
            let outsider = try await client.request(
                .put, "\(target.uri)/health", json: Self.draft(target), token: try await client.signIn("health.dept_admin"))
            #expect(outsider.status == .notFound, "health is not in the industry")
            let departments = Set(target.team.members.map(\.department))
            if let absent = ["eco", "emergency", "samr"].first(where: { !departments.contains($0) }) {
                let none = try await client.request(
                    .put, "\(target.uri)/\(absent)", json: ["items": [], "categories": []],
                    token: try await client.signIn("\(absent).dept_admin"))
                #expect(none.status == .forbidden && none.errorCode == "not_on_team", "\(absent) sent no one to \(target.object)")
            }
            // fire.inspector is the first fire roster entry; is it on this team?
            let admin = try await client.signIn("fire.dept_admin")
            let linked = try #require(
                try await client.get("/api/v1/inspectors?department=fire&limit=1", token: admin, as: Schemas.InspectorPage.self).items.first
            )
            let inspector = try await client.request(
                .put, "\(target.uri)/fire", json: Self.draft(target), token: try await client.signIn("fire.inspector"))
            if target.team.members.contains(where: { $0.inspectorID == String(linked.id) }) {
                #expect(inspector.status == .ok)
            } else {
                #expect(inspector.status == .forbidden && inspector.errorCode == "not_on_team")
            }
            // A reviewer may enter, but then not sign off what they entered.
            let reviewer = try await client.signIn("fire.reviewer")
            #expect(try await client.request(.put, "\(target.uri)/fire", json: Self.draft(target), token: reviewer).status == .ok)
            #expect(try await client.request(.post, "\(target.uri)/fire/submission", token: reviewer).status == .ok)
            let own = try await client.request(.post, "\(target.uri)/fire/review", json: ["decision": "approve"], token: reviewer)
            #expect(own.status == .forbidden && own.errorCode == "own_entry")
            #expect(
                try await client.request(.post, "\(target.uri)/fire/review", json: ["decision": "approve"], token: admin).status
                    == .forbidden)
        }
    }

    @Test("a result without every item, or a category without its proof, is refused naming it")
    func incompleteAndUnproven() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await Self.target(client)
            let admin = try await client.signIn("fire.dept_admin")
            var partial = Self.draft(target)
            partial["items"] = Array(Self.cleanItems(target).dropFirst())
            _ = try await client.request(.put, "\(target.uri)/fire", json: partial, token: admin)
            let incomplete = try await client.request(.post, "\(target.uri)/fire/submission", token: admin)
            #expect(
                incomplete.status == .unprocessableContent && incomplete.errorCode == "result_incomplete"
                    && incomplete.errorField == "items")
            #expect(incomplete.errorMessage?.contains("第 \(target.fireEntries[0].number) 项") == true)
            _ = try await client.request(
                .put, "\(target.uri)/fire", json: Self.draft(target, categories: [["category": "unpublished_info"]]), token: admin)
            let unproven = try await client.request(.post, "\(target.uri)/fire/submission", token: admin)
            #expect(unproven.errorCode == "category_unproven" && unproven.errorField == "categories[0].orderedOn")
            #expect(unproven.errorMessage?.contains("未按规定公示应当公示的信息") == true)
            let unknown = try await client.request(
                .put, "\(target.uri)/fire",
                json: ["items": [["entry": 99_999, "outcome": "normal", "method": "on_site"]], "categories": []], token: admin)
            #expect(unknown.errorCode == "unknown_item" && unknown.errorField == "items[0].entry")
        }
    }

    @Test("a published result is never changed: not through the API, not in SQL")
    func publishedNeverChanged() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let target = try await Self.target(client)
            _ = try await Self.approved(client, target)
            let admin = try await client.signIn("fire.dept_admin")
            #expect(try await client.request(.post, "\(target.uri)/fire/publication", token: admin).status == .ok)
            let again = try await client.request(.put, "\(target.uri)/fire", json: Self.draft(target), token: admin)
            #expect(again.status == .conflict && again.errorCode == "result_status")
            #expect(try await client.request(.post, "\(target.uri)/fire/publication", token: admin).errorCode == "result_status")
            try await withClient(url) { db async throws in
                for statement in [
                    "UPDATE published_results SET object_name = 'x'", "DELETE FROM published_results",
                    "UPDATE inspection_results SET remarks = 'x'", "UPDATE inspection_results SET status = 'draft'",
                    "DELETE FROM result_items", "UPDATE result_categories SET category = 'other'", "DELETE FROM result_reviews",
                ] {
                    await #expect(throws: PSQLError.self, "\(statement)") { _ = try await db.query(PostgresQuery(unsafeSQL: statement)) }
                }
            }
            let results = try await client.get(target.uri, token: admin, as: Schemas.ResultList.self)
            #expect(results.items.first { $0.department == "fire" }?.status == .published)
        }
    }

    @Test("results are due 20 working days after the task window's end, counted on the calendar; a deployment may set 5")
    func publicationDeadline() async throws {
        for days in [20, 5] {
            try await withAppDatabase(sample: true, resultPublicationWorkingDays: days) { client, _ in
                let target = try await Self.target(client)
                let admin = try await client.signIn("fire.dept_admin")
                let saved = try await client.request(.put, "\(target.uri)/fire", json: Self.draft(target), token: admin)
                    .decode(Schemas.InspectionResult.self)
                let task = try await client.get("/api/v1/tasks/1", token: admin, as: Schemas.Task.self)
                let due = try await client.get(
                    "/api/v1/calendar/deadline?from=\(task.windowEnd)&workingDays=\(days)", as: Schemas.Deadline.self)
                #expect(saved.publishDue == due.date, "\(days) working days")
            }
        }
    }

    @Test("entering next year's calendar counts the publication deadlines again: a result's own and its draw's")
    func deadlinesRecounted() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await Self.target(client)
            let admin = try await client.signIn("fire.dept_admin")
            let saved = try await client.request(.put, "\(target.uri)/fire", json: Self.draft(target), token: admin)
                .decode(Schemas.InspectionResult.self)
            #expect(saved.publishDueProvisional == true, "20 working days after the window's end reach a year not entered")
            let due = try #require(CalendarDate(saved.publishDue))
            // The office enters that year with the result's last day a holiday: it moves to the next working day.
            let fixed = WorkingCalendar.Year.provisional(due.year).holidays.map { ["date": $0.key.description, "name": $0.value] }
            let year: [String: Any] = [
                "holidays": fixed + [["date": due.description, "name": "春节"]], "makeupWorkdays": [[String: String]](),
            ]
            let entered = try await client.request(
                .put, "/api/v1/calendar/\(due.year)", json: year, token: try await client.signIn("office.office_admin"))
            let recounted = try entered.decode(Schemas.CalendarYear.self).recounted ?? []
            let next = try await client.get("/api/v1/calendar/deadline?from=\(due)&workingDays=1", as: Schemas.Deadline.self).date
            let ofDraw = recounted.filter { $0.subjectType == .draw && $0.subjectId == 1 }
            #expect(
                Set(ofDraw.map(\.department)) == ["fire", "commerce"], "fire's result, and the draw's deadline the originator waits on")
            #expect(ofDraw.allSatisfy { $0.before == due.description && $0.after == next })
            let after = try await client.get(target.uri, token: admin, as: Schemas.ResultList.self).items.first { $0.department == "fire" }
            #expect(after?.publishDue == next)
            let told = try await client.get("/api/v1/notifications", token: admin, as: Schemas.NotificationPage.self).items
            #expect(told.contains { $0.kind == .deadlineRecounted && $0.title.contains("检查结果公示") })
        }
    }

    @Test("the public search finds only published results, by name prefix, department, industry and year, newest first")
    func publicSearch() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await Self.target(client)
            _ = try await Self.approved(client, target)
            _ = try await client.request(.post, "\(target.uri)/fire/publication", token: try await client.signIn("fire.dept_admin"))
            let object = try await client.get(
                "/api/v1/objects/\(target.object)", token: try await client.signIn("office.office_viewer"), as: Schemas.ObjectDetail.self
            ).object
            func count(_ query: String) async throws -> Int {
                try await client.get("/api/v1/published-results?\(query)", as: Schemas.PublishedResultPage.self).items.count
            }
            let prefix = String(object.name.prefix(3)).addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
            #expect(try await count("name=\(prefix)") == 1)
            #expect(try await count("department=fire") == 1)
            #expect(try await count("department=samr") == 0)
            #expect(try await count("industry=fuel_retail") == 1)
            #expect(try await count("industry=catering") == 0)
            let latest = try #require(
                try await client.get("/api/v1/published-results", as: Schemas.PublishedResultPage.self).items.first?.latest)
            let year = try #require(CalendarDate(latest.inspectedOn)).year
            #expect(try await count("year=\(year)") == 1)
            #expect(try await count("year=\(year + 1)") == 0)
            #expect(try await client.request(.get, "/api/v1/published-results?year=1999").status == .badRequest)
            #expect(try await client.request(.get, "/api/v1/published-results/999999").status == .notFound)
        }
    }

    @Test(
        "results still unpublished after their deadline are escalated once per department and draw; a department that published all is not")
    func lateResultsEscalatedOnce() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let commerce = try await client.signIn("commerce.dept_admin")
            let status = try await DrawChangeAPITests.status(client, commerce)
            let teams = (status.teams ?? []).filter { $0.unstaffed == nil }
            let owing = Set(teams.flatMap { $0.members.map(\.department) })
            // The department with the fewest objects (other than the originator) publishes all of them.
            let diligent = try #require(
                owing.filter { $0 != "commerce" }.min { a, b in
                    teams.filter { $0.members.contains { $0.department == a } }.count
                        < teams.filter { $0.members.contains { $0.department == b } }.count
                })
            let admin = try await client.signIn("\(diligent).dept_admin")
            let reviewer = try await client.signIn("\(diligent).reviewer")
            for team in teams where team.members.contains(where: { $0.department == diligent }) {
                let uri = "/api/v1/draws/1/objects/\(team.objectID)/results/\(diligent)"
                let sheet = try await client.get(
                    "/api/v1/draws/1/objects/\(team.objectID)/sheet", token: admin, as: Schemas.JointInspectionSheet.self)
                let items: [[String: Any]] = (sheet.sections.first { $0.department == diligent }?.entries ?? []).map { entry in
                    let method = entry.item.methods.first?.rawValue ?? "on_site"
                    return ["entry": entry.number, "outcome": method == "sampling_test" ? "pass" : "normal", "method": method]
                }
                let category = items.contains { $0["outcome"] as? String == "pass" } ? "pass" : "no_problem"
                #expect(
                    try await client.request(.put, uri, json: ["items": items, "categories": [["category": category]]], token: admin).status
                        == .ok)
                #expect(try await client.request(.post, "\(uri)/submission", token: admin).status == .ok)
                #expect(try await client.request(.post, "\(uri)/review", json: ["decision": "approve"], token: reviewer).status == .ok)
                #expect(try await client.request(.post, "\(uri)/publication", token: admin).status == .ok)
            }
            try await withClient(url) { db async throws in
                let sweeps = EscalationRepository(client: db, logger: quietLogger)
                let later = Date().addingTimeInterval(120 * 86_400)
                let escalated = try await sweeps.sweep(now: later, waiting: true).filter {
                    $0.kind == .resultPublication && $0.subjectID == 1
                }
                #expect(Set(escalated.map(\.department.rawValue)) == owing.subtracting([diligent]))
                #expect(escalated.allSatisfy { $0.waitingDepartment == "commerce" })
                #expect(try await sweeps.sweep(now: later, waiting: true).filter { $0.kind == .resultPublication }.isEmpty, "once")
            }
            let office = try await client.get(
                "/api/v1/notifications", token: try await client.signIn("office.office_viewer"), as: Schemas.NotificationPage.self)
            #expect(office.items.contains { $0.kind == .resultEscalated && $0.title.contains("检查结果公示逾期") })
        }
    }

    @Test("the public query page (公示查询) shows a published result by credit code, with its text escaped, and says when nothing is found")
    func publicQueryPage() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await Self.target(client)
            let admin = try await client.signIn("fire.dept_admin")
            var draft = Self.draft(target)
            draft["remarks"] = "<script>alert(1)</script>"
            _ = try await client.request(.put, "\(target.uri)/fire", json: draft, token: admin)
            _ = try await client.request(.post, "\(target.uri)/fire/submission", token: admin)
            _ = try await client.request(
                .post, "\(target.uri)/fire/review", json: ["decision": "approve"], token: try await client.signIn("fire.reviewer"))
            #expect(try await client.request(.post, "\(target.uri)/fire/publication", token: admin).status == .ok)
            let page = try await client.request(.get, "/public/results?creditCode=\(target.object)")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            for expected in ["双随机抽查检查结果公示", target.object, "消防救援大队", "部门联合双随机抽查", "第 1 版", "&lt;script&gt;"] {
                #expect(page.text.contains(expected), "\(expected)")
            }
            #expect(!page.text.contains("<script>alert"))
            for entry in target.fireEntries { #expect(page.text.contains(entry.item.content)) }
            let none = try await client.request(.get, "/public/results?creditCode=91330110MA00000000")
            #expect(none.status == .ok && none.text.contains("未查到符合条件的公示检查结果"))
        }
    }
}
