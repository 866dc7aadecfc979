import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import YiyeContract
import YiyeCore
import YiyeTestSupport

@testable import YiyeAPI

@Suite("问题线索 pages: reported from a form, returned, routed again, accepted and concluded, and their refusals")
struct CluePageTests {
    typealias Browser = WorkbenchPageTests.Browser

    static let clue: [(String, String)] = [
        ("industry", "fuel_retail"), ("source", "complaint"), ("description", "群众举报某加油站夜间向无证车辆散装销售汽油。"),
        ("suspectedViolation", "违规散装销售汽油（页面）"), ("legalBasis", "《危险化学品安全管理条例》"), ("departments", "samr"),
        ("departments", "emergency"), ("deadlineWorkingDays", "5"),
    ]

    static func clueID(_ page: WorkbenchPageTests.Page) throws -> Int64 {
        let location = try #require(page.headers[.location])
        #expect(page.status == .seeOther && location.hasPrefix("/clues/"))
        return try #require(Int64(location.dropFirst("/clues/".count)))
    }

    @Test("a clue's whole course through the pages, each department doing its own step")
    func course() async throws {
        try await withApp { client in
            let inspector = try await Browser.signIn(client, "fire.inspector")
            let form = try await inspector.get("/clues/new?industry=fuel_retail")
            #expect(form.status == .ok && form.text.contains("投诉举报") && form.text.contains("应急管理局"))
            let id = try Self.clueID(try await inspector.post("/clues", Self.clue))

            let samr = try await Browser.signIn(client, "samr.dept_head")
            #expect(try await samr.get("/work").text.contains(#"href="/clues/\#(id)""#), "待接收的线索 on samr's work")
            let page = try await samr.get("/clues/\(id)")
            #expect(page.text.contains("违规散装销售汽油（页面）") && page.text.contains(#"id="decide""#))
            let bare = try await samr.post("/clues/\(id)/decisions", [("decision", "return")])
            #expect(bare.status == .unprocessableContent && bare.text.contains(#"id="reason-error""#))
            _ = try await samr.post("/clues/\(id)/decisions", [("decision", "return"), ("reason", "散装销售汽油属应急管理部门职责")])

            let commerce = try await Browser.signIn(client, "commerce.dept_head")
            #expect(try await commerce.get("/clues/\(id)").text.contains(#"id="reroute""#), "the originator routes a returned clue again")
            #expect(
                try await commerce.post("/clues/\(id)/routes", [("departments", "eco"), ("deadlineWorkingDays", "3")]).status == .seeOther)
            let emergency = try await Browser.signIn(client, "emergency.dept_admin")
            _ = try await emergency.post("/clues/\(id)/decisions", [("decision", "accept")])
            let accepted = try await emergency.get("/clues/\(id)")
            #expect(accepted.text.contains(#"id="conclude""#) && accepted.text.contains("立案查处"))
            let done = try await emergency.post(
                "/clues/\(id)/decisions", [("decision", "conclude"), ("outcome", "case_filed"), ("reason", "已立案，罚款五万元")])
            #expect(done.status == .seeOther)

            let token = try await client.signIn("emergency.dept_admin")
            let clue = try await client.get("/api/v1/clues/\(id)", token: token, as: Schemas.Clue.self)
            #expect(clue.routes.first { $0.department == "emergency" }?.state == .concluded)
            #expect(clue.routes.first { $0.department == "samr" }?.state == .returned)
            let history = try await emergency.get("/clues/\(id)")
            // The history in officials' words, departments by name, never codes.
            for text in ["报告线索", "退回", "分办至生态环境局", "接收", "办结", "已立案，罚款五万元"] { #expect(history.text.contains(text)) }
            #expect(!history.text.contains("samr,emergency"))
        }
    }

    @Test("refusals: another department, an inspector's decision, no CSRF token, a clue without departments")
    func refusals() async throws {
        try await withApp { client in
            let inspector = try await Browser.signIn(client, "fire.inspector")
            let nowhere = try await inspector.post("/clues", Self.clue.filter { $0.0 != "departments" })
            #expect(nowhere.status == .unprocessableContent && nowhere.text.contains("违规散装销售汽油（页面）"), "what was typed is kept")
            let forged = try await inspector.post("/clues", Self.clue, csrf: "forged")
            #expect(forged.status == .forbidden)
            let id = try Self.clueID(try await inspector.post("/clues", Self.clue))
            #expect(try await Browser.signIn(client, "health.dept_admin").get("/clues/\(id)").status == .notFound)
            let samrInspector = try await Browser.signIn(client, "samr.inspector")
            #expect(!(try await samrInspector.get("/clues/\(id)")).text.contains(#"id="decide""#), "no button for an inspector")
            let refused = try await samrInspector.post("/clues/\(id)/decisions", [("decision", "accept")])
            #expect(refused.status == .forbidden && refused.text.contains("当前角色无权执行此操作"))
            let token = try await client.signIn("samr.dept_head")
            let clue = try await client.get("/api/v1/clues/\(id)", token: token, as: Schemas.Clue.self)
            #expect(clue.routes.allSatisfy { $0.state == .routed })
        }
    }
}
