import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import YiyeContract
import YiyeCore
import YiyeTestSupport

@testable import YiyeAPI

@Suite("我的待办 and 吹哨响应 pages: the agenda the API gives, a call raised and answered through forms, each refusal as the API's")
struct WorkbenchPageTests {
    typealias Page = DashboardPageTests.Page

    /// A browser signed in as one demo user: its session cookie, and the CSRF token its pages carry.
    struct Browser {
        let client: any TestClientProtocol
        let session: String
        var csrf: String { WebSession.csrfToken(session: session) }

        static func signIn(_ client: any TestClientProtocol, _ username: String) async throws -> Browser {
            let form = try await DashboardPageTests.fetch(client, .get, "/signin")
            let token = try #require(form.field("csrf"))
            let answer = try await DashboardPageTests.fetch(
                client, .post, "/signin", cookies: ["yiye_signin": token],
                form: "csrf=\(token)&username=\(username)&password=\(TestDatabase.demoPassword)")
            #expect(answer.status == .found && answer.headers[.location] == "/work", "a department lands on its work")
            return Browser(client: client, session: try #require(answer.cookieValue("yiye_session")))
        }

        func get(_ uri: String) async throws -> Page {
            try await DashboardPageTests.fetch(client, .get, uri, cookies: ["yiye_session": session])
        }

        /// Posts `fields` with the page's CSRF token unless `csrf` says otherwise.
        func post(_ uri: String, _ fields: [(String, String)], csrf: String? = nil) async throws -> Page {
            let all = [("csrf", csrf ?? self.csrf)] + fields
            let body = all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            return try await DashboardPageTests.fetch(
                client, .post, uri, cookies: ["yiye_session": session], form: body.joined(separator: "&"))
        }
    }

    static let call: [(String, String)] = [
        ("industry", "fuel_retail"), ("stage", "drawing"), ("title", "请参加12月联合抽取"), ("content", "12月10日冻结候选池，请派员参加。"),
        ("actionRequired", "提交承诺值并确认派员"), ("addressed", "fire"), ("addressed", "samr"), ("deadlineWorkingDays", "2"),
    ]

    /// The id in a redirect to a call's page.
    static func callID(_ page: Page) throws -> Int64 {
        let location = try #require(page.headers[.location])
        #expect(page.status == .seeOther && location.hasPrefix("/calls/"))
        return try #require(Int64(location.dropFirst("/calls/".count)))
    }

    @Test("the agenda holds what the user's roles may act on, most urgent first, and empties as it is done")
    func agenda() async throws {
        try await withApp { client in
            let commerce = try await client.signIn("commerce.dept_head")
            let fire = try await client.signIn("fire.dept_admin")
            func agenda(_ token: String) async throws -> Schemas.Agenda { try await client.get("/api/v1/agenda", token: token) }
            #expect(try await agenda(fire).items.isEmpty)
            var later = CallAPITests.call
            later["deadlineWorkingDays"] = 3
            later["title"] = "请报送检查人员名单"
            let first = try await client.request(.post, "/api/v1/calls", json: later, token: commerce).decode(Schemas.Call.self)
            let second = try await client.request(.post, "/api/v1/calls", json: CallAPITests.call, token: commerce).decode(
                Schemas.Call.self)
            let items = try await agenda(fire).items
            // The call due sooner (1 working day) comes first although it was raised later.
            #expect(items.map(\.subject) == [second.id, first.id])
            #expect(items.allSatisfy { $0.kind == .callToAnswer && $0.label == "待响应的吹哨" && $0.overdue == false })
            #expect(items.first?.deadline == second.deadline && items.first?.timeLeft?.hasPrefix("剩余 ") == true)
            #expect(try await agenda(fire).counts.map { "\($0.label) \($0.count)" } == ["待响应的吹哨 2"])
            // An inspector cannot answer a call: nothing of it on their agenda.
            #expect(try await agenda(try await client.signIn("fire.inspector")).items.isEmpty)
            #expect(try await agenda(try await client.signIn("health.dept_admin")).items.isEmpty, "a department not addressed")
            // Fire asks; the question waits for commerce; answered, it waits for fire again; accepted, it is gone.
            _ = try await client.request(
                .post, "/api/v1/calls/\(second.id)/actions", json: ["action": "ask", "text": "需派几人？"], token: fire)
            #expect(
                try await agenda(commerce).items.map { "\($0.kind.rawValue) \($0.subject) \($0.count)" } == [
                    "question_to_answer \(second.id) 1"
                ])
            #expect(try await agenda(fire).items.map(\.subject) == [first.id])
            _ = try await client.request(
                .post, "/api/v1/calls/\(second.id)/answers", json: ["department": "fire", "text": "每个对象一人"], token: commerce)
            #expect(try await agenda(commerce).items.isEmpty)
            _ = try await client.request(
                .post, "/api/v1/calls/\(second.id)/actions", json: ["action": "accept", "text": "已安排"], token: fire)
            _ = try await client.request(
                .post, "/api/v1/calls/\(first.id)/actions", json: ["action": "decline", "text": "人员不足"], token: fire)
            #expect(try await agenda(fire).items.isEmpty)
            #expect(try await client.request(.get, "/api/v1/agenda").status == .unauthorized)
        }
    }

    @Test("a call raised from the form, read as a conversation, asked, answered and accepted through the pages")
    func callThroughPages() async throws {
        try await withApp { client in
            let commerce = try await Browser.signIn(client, "commerce.dept_head")
            let form = try await commerce.get("/calls/new?industry=fuel_retail")
            #expect(form.status == .ok)
            // The originator addresses its participants, by name, with the deadline shown as a date.
            for name in ["消防救援大队", "市场监督管理局", "生态环境局", "应急管理局"] { #expect(form.text.contains(name)) }
            #expect(form.text.contains("1 个工作日（") && form.text.contains("随机抽取") && !form.text.contains("value=\"commerce\""))
            let id = try Self.callID(try await commerce.post("/calls", Self.call))

            let fire = try await Browser.signIn(client, "fire.dept_admin")
            let work = try await fire.get("/work")
            #expect(work.status == .ok && work.text.contains("待响应的吹哨") && work.text.contains(#"<a href="/calls/\#(id)">请参加12月联合抽取</a>"#))
            #expect(work.text.contains("成品油零售") && work.text.contains("剩余 "))
            #expect(!work.text.contains("call_to_answer</td>"), "no code is shown to the user")
            let page = try await fire.get("/calls/\(id)")
            #expect(page.text.contains("商务局") && page.text.contains("发起吹哨") && page.text.contains("本部门响应"))
            #expect(!page.text.contains("逾期未响应</dt>") && !page.text.contains("<div></div>"), "nothing shown that is not there")
            #expect(try Self.callID(try await fire.post("/calls/\(id)/actions", [("action", "ask"), ("text", "需派几人？")])) == id)

            let asked = try await commerce.get("/calls/\(id)")
            #expect(asked.text.contains("消防救援大队</strong>询问：需派几人？") && asked.text.contains("关闭吹哨"))
            #expect(!asked.text.contains("本部门响应"), "the raiser is not addressed")
            _ = try await commerce.post("/calls/\(id)/answers", [("department", "fire"), ("text", "每个对象一人")])
            _ = try await fire.post("/calls/\(id)/actions", [("action", "accept"), ("text", "已安排两人")])

            let call = try await client.get("/api/v1/calls/\(id)", token: try await client.signIn("fire.dept_admin"), as: Schemas.Call.self)
            #expect(call.responses.first { $0.department == "fire" }?.state == .accepted)
            #expect(call.history?.map(\.action) == ["raise", "ask", "answer", "accept"])
            let done = try await fire.get("/calls/\(id)")
            // The conversation in order, each line labelled as officials say it; nothing left to answer.
            let history = try #require(done.text.components(separatedBy: #"<ol class="conversation" id="history">"#).last)
            let order = ["发起吹哨", "请求补充信息", "答复", "响应"].map { history.range(of: "<strong>\($0)</strong>")?.lowerBound }
            #expect(order.allSatisfy { $0 != nil } && order.map { $0! } == order.map { $0! }.sorted())
            #expect(done.text.contains("已安排两人") && !done.text.contains("本部门响应"))
            #expect(!(try await fire.get("/work")).text.contains("/calls/\(id)"))
        }
    }

    @Test("refusals: no CSRF token, another department's call, an inspector's button, a bad form, no session")
    func refusals() async throws {
        try await withApp { client in
            let commerce = try await Browser.signIn(client, "commerce.dept_head")
            // A form the user got wrong comes back with the server's Chinese message next to the field, typed text kept.
            var untitled = Self.call.filter { $0.0 != "title" }
            untitled.append(("title", " "))
            let bad = try await commerce.post("/calls", untitled)
            #expect(bad.status == .unprocessableContent && bad.text.contains(#"id="title-error""#))
            #expect(bad.text.contains("名称") && bad.text.contains("12月10日冻结候选池，请派员参加。"))
            let nobody = try await commerce.post("/calls", Self.call.filter { $0.0 != "addressed" })
            #expect(nobody.status == .unprocessableContent && nobody.text.contains("须指定至少一个其他部门"))
            // Without the session's CSRF token nothing is raised.
            let forged = try await commerce.post("/calls", Self.call, csrf: "forged")
            #expect(forged.status == .forbidden && forged.text.contains("页面已过期"))
            let token = try await client.signIn("commerce.dept_head")
            #expect(try await client.get("/api/v1/calls", token: token, as: Schemas.CallPage.self).items.isEmpty)
            let anonymous = try await DashboardPageTests.fetch(client, .post, "/calls", form: "title=x")
            #expect(anonymous.status == .found && anonymous.headers[.location]?.hasPrefix("/signin?next=") == true)

            let id = try Self.callID(try await commerce.post("/calls", Self.call))
            // A department neither raising nor addressed: the call does not exist for it.
            let health = try await Browser.signIn(client, "health.dept_admin")
            let nothing = try await health.get("/work")
            #expect(nothing.text.contains("暂无需要办理的事项") && !nothing.text.contains(#"id="agenda""#))
            let hidden = try await health.get("/calls/\(id)")
            #expect(hidden.status == .notFound && hidden.text.contains("吹哨不存在") && !hidden.text.contains("请参加12月联合抽取"))
            let meddling = try await health.post("/calls/\(id)/actions", [("action", "accept"), ("text", "好")])
            #expect(meddling.status == .notFound)
            // An inspector of an addressed department reads the call but has no button, and a forged post is refused.
            let inspector = try await Browser.signIn(client, "fire.inspector")
            let read = try await inspector.get("/calls/\(id)")
            #expect(read.status == .ok && read.text.contains("请参加12月联合抽取") && !read.text.contains("本部门响应"))
            let refused = try await inspector.post("/calls/\(id)/actions", [("action", "accept"), ("text", "好")])
            #expect(refused.status == .forbidden && refused.text.contains("当前角色无权执行此操作"))
            #expect(try await inspector.get("/calls/new").status == .forbidden)
            #expect(!(try await inspector.get("/calls")).text.contains("/calls/new"), "no raise button for an inspector")
            // A decline without a reason is shown beside the text box; the response is unchanged.
            let fire = try await Browser.signIn(client, "fire.dept_admin")
            let reasonless = try await fire.post("/calls/\(id)/actions", [("action", "decline")])
            #expect(reasonless.status == .unprocessableContent && reasonless.text.contains(#"id="text-error""#))
            #expect(reasonless.text.contains("拒绝理由"))
            let call = try await client.get("/api/v1/calls/\(id)", token: token, as: Schemas.Call.self)
            #expect(call.responses.map(\.state) == [.unread, .unread])
            // Refused page writes are in the audit trail as the API's are.
            let audit = try await client.get(
                "/api/v1/audit?action=access.denied", token: try await client.signIn("office.auditor"), as: Schemas.AuditPage.self)
            #expect(audit.items.contains { $0.actor == "fire.inspector" && $0.objectId == "actOnCall" })
        }
    }

    @Test("the draw page: a department commits its SM3 commitment from the form and later reveals; refusals beside the field")
    func drawCommitAndReveal() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let id = try await DrawAPITests.frozenDraw(client)
            let fire = try await Browser.signIn(client, "fire.dept_admin")
            let work = try await fire.get("/work")
            #expect(work.text.contains("待提交的承诺值") && work.text.contains(#"href="/draws/\#(id)""#))
            let page = try await fire.get("/draws/\(id)")
            let status = try await client.get(
                "/api/v1/draws/\(id)", token: try await client.signIn("fire.dept_admin"), as: Schemas.DrawStatus.self)
            #expect(page.status == .ok && page.text.contains(#"id="commit""#) && page.text.contains(status.poolDigest))
            #expect(page.text.contains("服务器在公开阶段之前看不到随机数") && page.text.contains("<noscript>"))
            #expect(page.text.contains(#"<script src="/static/sm3.js"></script>"#))
            #expect(!page.text.contains("已作废") && !page.text.contains("<dt>随机种子</dt>"), "neither voided nor executed")
            #expect(try await DashboardPageTests.fetch(client, .get, "/static/sm3.js").text.contains("0x7380166f"))

            // A commitment that is not an SM3 digest is refused next to the field; the department has not committed.
            let eco = try await Browser.signIn(client, "eco.dept_admin")
            let bad = try await eco.post("/draws/\(id)/commitments", [("commitment", "not-a-digest")])
            #expect(bad.status == .unprocessableContent && bad.text.contains("承诺值须为随机数的 SM3 摘要") && bad.text.contains(#"id="commit""#))
            let secret = DrawAPITests.secret("fire")
            #expect(try await fire.post("/draws/\(id)/commitments", [("commitment", SM3.hex(secret))]).status == .seeOther)
            let again = try await fire.post("/draws/\(id)/commitments", [("commitment", SM3.hex(secret))])
            #expect(again.status == .conflict && again.text.contains("本部门已提交承诺值，不可更改"))
            // Another department's users: not a party, no page; an inspector of a party, no button, and refused.
            #expect(try await Browser.signIn(client, "health.dept_admin").get("/draws/\(id)").status == .notFound)
            let inspector = try await Browser.signIn(client, "samr.inspector")
            #expect(!(try await inspector.get("/draws/\(id)")).text.contains(#"id="commit""#))
            #expect(try await inspector.post("/draws/\(id)/commitments", [("commitment", SM3.hex("x"))]).status == .forbidden)

            // The others commit through the API; the reveal opens; a wrong secret is refused beside the field.
            for department in ["commerce", "eco", "emergency", "samr"] {
                let token = try await client.signIn("\(department).dept_head")
                _ = try await client.request(
                    .post, "/api/v1/draws/\(id)/commitments", json: ["commitment": SM3.hex(DrawAPITests.secret(department))], token: token)
            }
            let revealing = try await fire.get("/draws/\(id)")
            #expect(
                revealing.text.contains(#"id="reveal""#) && revealing.text.contains("公开随机数") && !revealing.text.contains(#"id="commit""#))
            let wrong = try await fire.post("/draws/\(id)/reveals", [("secret", DrawAPITests.secret("eco"))])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains(#"id="secret-error""#))
            #expect(wrong.text.contains("公开的随机数与本部门的承诺值不符"))
            #expect(try await fire.post("/draws/\(id)/reveals", [("secret", secret)]).status == .seeOther)
            let after = try await client.get(
                "/api/v1/draws/\(id)", token: try await client.signIn("fire.dept_admin"), as: Schemas.DrawStatus.self)
            #expect(after.parties.first { $0.department == "fire" }.map { $0.committed && $0.revealed } == true)
            #expect(!(try await fire.get("/draws/\(id)")).text.contains(#"id="reveal""#), "nothing left for fire to do")
        }
    }

    @Test("a change to a drawn team: asked for on the draw page by the department, approved there by its head alone")
    func drawChange() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let office = try await client.signIn("office.office_viewer")
            let status = try await DrawChangeAPITests.status(client, office)
            let team = try #require(status.teams?.first(where: DrawChangeAPITests.hasFire))
            let replaced = try #require(DrawChangeAPITests.ids(team.members, of: "fire").first)
            let roster = try await client.request(.get, "/api/v1/inspectors?department=fire&status=active&limit=200", token: office)
            let onTeam = Set(DrawChangeAPITests.ids(team.members, of: nil))
            let replacement = try #require(
                try roster.decode(Schemas.InspectorPage.self).items.map { String($0.id) }.first { !onTeam.contains($0) })

            let admin = try await Browser.signIn(client, "fire.dept_admin")
            let page = try await admin.get("/draws/1")
            #expect(page.text.contains(#"id="request-change""#) && page.text.contains(#"value="\#(team.objectID)|\#(replaced)""#))
            let fields = [
                ("assignment", "\(team.objectID)|\(replaced)"), ("replacementInspector", replacement),
                ("reasonKind", "conflict_of_interest"),
            ]
            let bare = try await admin.post("/draws/1/changes", fields)
            #expect(bare.status == .unprocessableContent && bare.text.contains("变更理由"), "a change needs its reason")
            #expect(try await admin.post("/draws/1/changes", fields + [("reason", "近亲属在该站任职（页面）")]).status == .seeOther)
            let pending = try await admin.get("/draws/1")
            #expect(pending.text.contains("近亲属在该站任职（页面）") && !pending.text.contains("/decision"), "the admin does not approve")
            let change = try #require(try await DrawChangeAPITests.status(client, office).changes?.last)
            let refused = try await admin.post("/draws/1/changes/\(change.id)/decision", [("decision", "approve")])
            #expect(refused.status == .forbidden)

            let head = try await Browser.signIn(client, "fire.dept_head")
            #expect(try await head.get("/draws/1").text.contains("/draws/1/changes/\(change.id)/decision"))
            #expect(
                try await head.post("/draws/1/changes/\(change.id)/decision", [("decision", "approve"), ("note", "同意")]).status == .seeOther
            )
            let after = try await DrawChangeAPITests.status(client, office)
            #expect(after.changes?.last?.status == .approved)
            #expect(DrawChangeAPITests.ids(DrawChangeAPITests.members(of: team.objectID, in: after), of: "fire").contains(replacement))
            #expect(try await Browser.signIn(client, "health.dept_admin").get("/draws/1").status == .notFound)
        }
    }
}
