import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("后续处置: re-check, case, clue, credit consequence, investigation resolved, closure, and the closure rate")
struct FollowUpAPITests {
    typealias Target = ResultAPITests.Target

    /// fire's result published with the first item abnormal and `categories`.
    static func published(_ client: any TestClientProtocol, _ target: Target, categories: [[String: Any]]) async throws {
        var body = ResultVersionAPITests.correction(target)
        body["reason"] = nil
        body["categories"] = categories
        let admin = try await client.signIn("fire.dept_admin")
        for (method, path, json) in [
            (HTTPRequest.Method.put, "", body), (.post, "/submission", nil), (.post, "/review", ["decision": "approve"]),
            (.post, "/publication", nil),
        ] as [(HTTPRequest.Method, String, [String: Any]?)] {
            let token = path == "/review" ? try await client.signIn("fire.reviewer") : admin
            let response = try await client.request(method, "\(target.uri)/fire\(path)", json: json, token: token)
            guard response.status == .ok else { throw TestFailure("\(path): \(response.text)") }
        }
    }

    static func step(_ client: any TestClientProtocol, _ target: Target, _ body: [String: Any], as user: String = "fire.dept_admin")
        async throws -> JSONResponse
    {
        try await client.request(.post, "\(target.uri)/fire/follow-up", json: body, token: try await client.signIn(user))
    }

    @Test("ordered to correct: closure waits for a re-check that found it rectified; then nothing more; the closure rate counts it")
    func rectification() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await ResultAPITests.target(client)
            try await Self.published(client, target, categories: [["category": "ordered_to_correct", "correctionDue": "2099-12-31"]])
            let admin = try await client.signIn("fire.dept_admin")
            let start = try await client.get("\(target.uri)/fire/follow-up", token: admin, as: Schemas.FollowUp.self)
            #expect(start.needed && start.unsettled == [.rectification] && start.rectificationDue == "2099-12-31")
            let today = CalendarDate(chinaDateOf: Date()).description
            let early = try await Self.step(client, target, ["kind": "closed", "on": today, "note": "办结"])
            #expect(early.status == .conflict && early.errorCode == "follow_up_state" && early.errorMessage?.contains("责令整改，期满复查") == true)
            let notYet = try await Self.step(client, target, ["kind": "recheck", "on": today, "note": "复查未整改", "rectified": false])
            #expect(try notYet.decode(Schemas.FollowUp.self).unsettled == [.rectification])
            let future = try await Self.step(
                client, target, ["kind": "recheck", "on": CalendarDate(today)!.adding(days: 1).description, "note": "x", "rectified": true])
            #expect(future.status == .unprocessableContent && future.errorField == "on")
            let done = try await Self.step(
                client, target, ["kind": "recheck", "on": today, "note": "复查已整改", "rectified": true], as: "fire.inspector")
            #expect(try done.decode(Schemas.FollowUp.self).unsettled.isEmpty)
            let closed = try await Self.step(client, target, ["kind": "closed", "on": today, "note": "整改到位，办结"])
            #expect(try closed.decode(Schemas.FollowUp.self).closedOn == today)
            #expect(
                try await Self.step(client, target, ["kind": "case_filed", "on": today, "note": "x", "reference": "y"]).errorCode
                    == "follow_up_state")
            let other = try await Self.step(
                client, target, ["kind": "recheck", "on": today, "note": "x", "rectified": true], as: "samr.dept_admin")
            #expect(other.status == .forbidden)

            let year = CalendarDate(today)!.year
            let figures = try await client.get(
                "/api/v1/follow-ups/figures?year=\(year)", token: admin,
                as: Items<Operations.GetFollowUpFigures.Output.Ok.Body.JsonPayload.ItemsPayloadPayload>.self)
            let fire = try #require(figures.items.first { $0.department == "fire" })
            #expect(fire.needed == 1 && fire.closed == 1 && fire.open == 0 && fire.closureRate == 1 && fire.medianDaysToClose == 0)
            #expect(figures.items.map(\.department) == ["fire"], "a department sees its own row")
        }
    }

    @Test("pending follow-up resolved: a new version 未发现问题 with the reason, and the follow-up closed")
    func pendingResolved() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await ResultAPITests.target(client)
            try await Self.published(client, target, categories: [["category": "pending_follow_up"]])
            let today = CalendarDate(chinaDateOf: Date()).description
            let resolved = try await Self.step(client, target, ["kind": "resolved", "on": today, "note": "经调查，压力不足系检测仪表误差"])
            #expect(resolved.status == .ok, "\(resolved.text)")
            #expect(try resolved.decode(Schemas.FollowUp.self).closedOn == today)
            let versions = try await ResultVersionAPITests.versions(client, target)
            #expect(versions.map(\.version) == [1, 2] && versions[1].change == .followUpResolved)
            #expect(versions.map { $0.categories.map(\.label) } == [["发现问题，待后续调查处理"], ["未发现问题"]])
            #expect(versions[1].reason == "经调查，压力不足系检测仪表误差")
        }
    }

    @Test(
        "a clue handed to the department whose remit it is in, in one step; a bad one leaves neither clue nor step; no problem, no follow-up"
    )
    func clueHanded() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await ResultAPITests.target(client)
            let admin = try await client.signIn("fire.dept_admin")
            let today = CalendarDate(chinaDateOf: Date()).description
            try await Self.published(client, target, categories: [["category": "ordered_to_correct", "correctionDue": "2099-12-31"]])
            let samr = try await client.signIn("samr.dept_admin")
            let before = try await client.get("/api/v1/clues", token: samr, as: Schemas.CluePage.self).items.count
            var body: [String: Any] = [
                "kind": "clue_handed", "on": today,
                "clue": ["departments": ["nowhere"], "description": "现场发现销售不合格油品", "suspectedViolation": "销售不合格产品"],
            ]
            let refused = try await Self.step(client, target, body)
            #expect(refused.status.code >= 400 && refused.status.code < 500, "\(refused.text)")
            #expect(try await client.get("\(target.uri)/fire/follow-up", token: admin, as: Schemas.FollowUp.self).actions.isEmpty)
            body["clue"] = ["departments": ["samr"], "description": "现场发现销售不合格油品", "suspectedViolation": "销售不合格产品"]
            let handed = try await Self.step(client, target, body)
            #expect(handed.status == .ok, "\(handed.text)")
            let clues = try await client.get("/api/v1/clues", token: samr, as: Schemas.CluePage.self).items
            #expect(clues.count == before + 1)
            let clue = try #require(clues.last)
            #expect(clue.objectCreditCode == target.object && clue.foundBy == "fire")
            #expect(try handed.decode(Schemas.FollowUp.self).actions.map(\.reference) == ["线索 \(clue.id)"])
        }
    }

    @Test("a result that found no problem has no follow-up: a clue handed over from it is refused and not kept")
    func noProblem() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await ResultAPITests.target(client)
            _ = try await ResultVersionAPITests.published(client, target)
            let today = CalendarDate(chinaDateOf: Date()).description
            let refused = try await Self.step(client, target, ["kind": "case_filed", "on": today, "note": "x", "reference": "y"])
            #expect(refused.status == .conflict && refused.errorCode == "follow_up_state")
            let samr = try await client.signIn("samr.dept_admin")
            let before = try await client.get("/api/v1/clues", token: samr, as: Schemas.CluePage.self).items.count
            let clue = try await Self.step(
                client, target,
                [
                    "kind": "clue_handed", "on": today,
                    "clue": ["departments": ["samr"], "description": "现场发现销售不合格油品", "suspectedViolation": "销售不合格产品"],
                ])
            #expect(clue.errorCode == "follow_up_state")
            #expect(try await client.get("/api/v1/clues", token: samr, as: Schemas.CluePage.self).items.count == before, "rolled back")
            let followUp = try await client.get(
                "\(target.uri)/fire/follow-up", token: try await client.signIn("fire.dept_admin"), as: Schemas.FollowUp.self)
            #expect(!followUp.needed && followUp.unsettled.isEmpty)
        }
    }
}
