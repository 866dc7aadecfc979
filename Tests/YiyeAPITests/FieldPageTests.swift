import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import YiyeContract
import YiyeCore
import YiyeTestSupport

@testable import YiyeAPI

@Suite("检查结果 pages: the field form with a drawn signature, review and publication from the list, and their refusals")
struct FieldPageTests {
    typealias Browser = WorkbenchPageTests.Browser

    /// A page script's upload: raw bytes with the session's cookie and the CSRF token in its header.
    static func upload(_ browser: Browser, _ uri: String, _ bytes: [UInt8], csrf: String?) async throws -> JSONResponse {
        var headers: HTTPFields = [.contentType: "image/png", .cookie: "yiye_session=\(browser.session)"]
        if let csrf { headers[HTTPField.Name("X-CSRF-Token")!] = csrf }
        return try await browser.client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: bytes)) {
            JSONResponse(status: $0.status, headers: $0.headers, body: Data(buffer: $0.body))
        }
    }

    @Test("fire enters its items with a signature drawn on the screen and submits; its reviewer approves and its admin publishes")
    func enterReviewPublish() async throws {
        let clock = ManualClock(Date())
        try await DrawAPITests.withDemoData(clock: clock) { client, _ in
            let target = try await ResultAPITests.target(client)
            _ = try await SiteVisitAPITests.intoWindow(client, clock)
            let fire = try await Browser.signIn(client, "fire.dept_admin")
            #expect(try await fire.get("/work").text.contains(#"href="/draws/1/results""#), "待录入的检查结果 leads to the results")
            let list = try await fire.get("/draws/1/results")
            #expect(list.status == .ok && list.text.contains(target.object) && list.text.contains("录入检查结果"))
            let field = "/draws/1/objects/\(target.object)/field"
            let form = try await fire.get(field)
            #expect(form.status == .ok && form.text.contains("本部门检查事项") && form.text.contains("现场确认"))
            for entry in target.fireEntries { #expect(form.text.contains(#"name="outcome-\#(entry.number)""#)) }
            #expect(form.text.contains(#"capture="environment""#) && form.text.contains(#"<script src="/static/field.js"></script>"#))

            // The signature, as the page's script uploads it: refused without the session's token, stored with it.
            let png = EvidenceAPITests.png(7)
            let evidence = "/draws/1/objects/\(target.object)/evidence?name=%E7%AD%BE%E5%90%8D.png"
            let forged = try await Self.upload(fire, evidence, png, csrf: "forged")
            #expect(forged.status == .forbidden && forged.errorCode == "csrf_mismatch")
            let uploaded = try await Self.upload(fire, evidence, png, csrf: fire.csrf)
            #expect(uploaded.status == .created)
            let signature = try #require((uploaded.json as? [String: Any])?["reference"] as? String)
            #expect(signature == "sm3:" + SM3.hex(png))

            let present = target.team.members.prefix(2).map(\.inspectorID)
            var fields = target.fireEntries.map { entry in
                ("outcome-\(entry.number)", entry.item.methods.contains(.samplingTest) ? "pass" : "normal")
            }
            fields += [("category", "no_problem"), ("remarks", "现场检查未见异常（页面）"), ("confirmation", "signed")]
            fields += [("signedBy", "王经理"), ("signature", signature), ("credentialsShown", "on")] + present.map { ("present", $0) }
            let sent = try await fire.post(field, fields + [("action", "submit")])
            #expect(sent.status == .seeOther && sent.headers[.location] == "/draws/1/results")
            let token = try await client.signIn("fire.dept_admin")
            let results = try await client.get("\(target.uri)", token: token, as: Schemas.ResultList.self)
            #expect(results.items.first { $0.department == "fire" }?.status == .submitted)
            let visit = try await client.get("/api/v1/draws/1/objects/\(target.object)/visit", token: token, as: Schemas.SiteVisit.self)
            #expect(visit.signedBy == "王经理" && visit.signature == signature && visit.inspectors.map(\.inspectorId) == present)
            let record = try await client.request(.get, "/api/v1/draws/1/objects/\(target.object)/visit-record", token: token)
            #expect(record.text.contains("手写签名图像 \(signature)"))

            // The reviewer approves from the list; the admin publishes; the public sees it.
            let reviewer = try await Browser.signIn(client, "fire.reviewer")
            #expect(try await reviewer.get("/draws/1/results").text.contains(#"value="approve""#))
            #expect(try await reviewer.post("/draws/1/objects/\(target.object)/review", [("decision", "approve")]).status == .seeOther)
            let approved = try await fire.get("/draws/1/results")
            #expect(!approved.text.contains(#"value="approve""#) && approved.text.contains(">公示</button>"))
            #expect(try await fire.post("/draws/1/objects/\(target.object)/publication", []).status == .seeOther)
            let published = try await client.get("\(target.uri)", token: token, as: Schemas.ResultList.self)
            #expect(published.items.first { $0.department == "fire" }?.status == .published)
            let page = try await DashboardPageTests.fetch(client, .get, "/public/results?creditCode=\(target.object)")
            #expect(page.text.contains("现场检查未见异常（页面）"))
        }
    }

    @Test("refusals: an abnormal item without a note keeps what was typed; not on the team; another department; reviewer's button")
    func refusals() async throws {
        let clock = ManualClock(Date())
        try await DrawAPITests.withDemoData(clock: clock) { client, _ in
            let target = try await ResultAPITests.target(client)
            _ = try await SiteVisitAPITests.intoWindow(client, clock)
            let fire = try await Browser.signIn(client, "fire.dept_admin")
            let field = "/draws/1/objects/\(target.object)/field"
            let first = try #require(target.fireEntries.first { !$0.item.methods.contains(.samplingTest) })
            let bad = try await fire.post(
                field, [("outcome-\(first.number)", "abnormal"), ("category", "ordered_to_correct"), ("remarks", "灭火器过期（页面）")])
            #expect(bad.status == .unprocessableContent && bad.text.contains("role=\"alert\""))
            #expect(bad.text.contains("灭火器过期（页面）") && bad.text.contains(#"value="abnormal" checked"#), "what was typed is kept")
            let token = try await client.signIn("fire.dept_admin")
            #expect(try await client.get("\(target.uri)", token: token, as: Schemas.ResultList.self).items.isEmpty, "nothing half-written")
            // A department not on the task: no such object for it.
            #expect(try await Browser.signIn(client, "health.dept_admin").get(field).status == .notFound)
            // An inspector of fire not sent to this object gets no form, and a forged post is refused.
            let inspector = try await Browser.signIn(client, "fire.inspector")
            let refused = try await inspector.get(field)
            #expect(refused.status == .forbidden || refused.status == .unprocessableContent)
            #expect(refused.text.contains("只有派往该对象的本部门检查人员可以录入检查结果"))
            #expect(try await inspector.post(field, [("category", "no_problem")]).status != .seeOther)
            // The review button is the reviewer's: an admin's post of it is refused as the API refuses it.
            let review = try await fire.post("/draws/1/objects/\(target.object)/review", [("decision", "approve")])
            #expect(review.status == .forbidden && review.text.contains("当前角色无权执行此操作"))
            #expect(!(try await fire.get("/draws/1/results")).text.contains(#"value="approve""#))
        }
    }
}
