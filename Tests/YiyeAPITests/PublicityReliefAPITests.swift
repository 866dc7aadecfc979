import Foundation
import HummingbirdTesting
import Testing
import YiyeContract
import YiyeCore
import YiyeTestSupport

@Suite("信用修复 and 停止公示: granted on application by the head, each a new version with its ground")
struct PublicityReliefAPITests {
    typealias Target = ResultAPITests.Target

    static func relief(_ kind: String, appliedOn: String, ground: String = "已完成整改并经复查，依法申请") -> [String: Any] {
        ["kind": kind, "applicant": "王经理（法定代表人）", "appliedOn": appliedOn, "ground": ground]
    }

    static func grant(_ client: any TestClientProtocol, _ target: Target, _ body: [String: Any], as user: String = "fire.dept_head")
        async throws -> JSONResponse
    {
        try await client.request(.post, "\(target.uri)/fire/relief", json: body, token: try await client.signIn(user))
    }

    @Test("credit repair waits for the follow-up's closure, is the head's alone, and publishes version 2 marked 已信用修复")
    func creditRepair() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await ResultAPITests.target(client)
            try await FollowUpAPITests.published(
                client, target, categories: [["category": "ordered_to_correct", "correctionDue": "2099-12-31"]])
            let today = CalendarDate(chinaDateOf: Date())
            let open = try await Self.grant(client, target, Self.relief("credit_repair", appliedOn: today.description))
            #expect(open.status == .conflict && open.errorCode == "follow_up_state" && open.errorMessage == "后续处置办结后方可信用修复")
            for step in [
                ["kind": "recheck", "on": today.description, "note": "复查已整改", "rectified": true],
                ["kind": "closed", "on": today.description, "note": "办结"],
            ] {
                #expect(try await FollowUpAPITests.step(client, target, step).status == .ok)
            }
            let reviewer = try await Self.grant(
                client, target, Self.relief("credit_repair", appliedOn: today.description), as: "fire.reviewer")
            #expect(reviewer.status == .forbidden)
            let otherHead = try await Self.grant(
                client, target, Self.relief("credit_repair", appliedOn: today.description), as: "samr.dept_head")
            #expect(otherHead.status == .forbidden || otherHead.status == .notFound)
            let future = try await Self.grant(client, target, Self.relief("credit_repair", appliedOn: today.adding(days: 1).description))
            #expect(future.status == .unprocessableContent && future.errorField == "appliedOn")
            let blank = try await Self.grant(client, target, Self.relief("credit_repair", appliedOn: today.description, ground: "  "))
            #expect(blank.status == .unprocessableContent && blank.errorField == "ground")

            let granted = try await Self.grant(client, target, Self.relief("credit_repair", appliedOn: today.description))
            let result = try granted.decode(Schemas.InspectionResult.self)
            #expect(result.version == 2 && result.relief?.kind == .creditRepair && result.relief?.grantedBy == "fire.dept_head")
            let versions = try await ResultVersionAPITests.versions(client, target)
            #expect(versions.map(\.version) == [1, 2] && versions[1].change == .creditRepaired && versions[1].changeLabel == "信用修复")
            #expect(versions[1].reason.contains("王经理（法定代表人）") && versions[1].reason.contains("已完成整改并经复查"))
            #expect(versions[1].relief?.kindLabel == "信用修复" && versions[1].relief?.grantedOn == today.description)
            #expect(versions[1].categories.map(\.code) == ["ordered_to_correct"], "the result stays public as it was found")
            #expect(versions[0].relief == nil)
            let page = try await client.request(.get, "/public/results?creditCode=\(target.object)")
            #expect(page.text.contains("已于\(today.chineseDescription)信用修复"))

            let twice = try await Self.grant(client, target, Self.relief("credit_repair", appliedOn: today.description))
            #expect(twice.status == .conflict && twice.errorCode == "result_status")
        }
    }

    @Test("a result without a problem has nothing to repair")
    func nothingToRepair() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await ResultAPITests.target(client)
            _ = try await ResultVersionAPITests.published(client, target)
            let today = CalendarDate(chinaDateOf: Date()).description
            let refused = try await Self.grant(client, target, Self.relief("credit_repair", appliedOn: today))
            #expect(
                refused.status == .conflict && refused.errorCode == "follow_up_state" && refused.errorMessage?.contains("未发现问题") == true)
        }
    }

    @Test(
        "publication stops only three years after the first publication; then the result leaves search, page and feed, and takes no change")
    func stopPublication() async throws {
        let clock = ManualClock(Date())
        try await DrawAPITests.withDemoData(clock: clock) { client, _ in
            let target = try await ResultAPITests.target(client)
            let (id, name) = try await ObjectionAPITests.published(client, target)
            let published = CalendarDate(chinaDateOf: clock.now)
            let allowed = published.adding(years: 3)
            clock.advance(by: TimeInterval(allowed.dayNumber - published.dayNumber - 1) * 86_400)
            let early = try await Self.grant(
                client, target, Self.relief("stop_publication", appliedOn: allowed.adding(days: -1).description))
            #expect(early.status == .conflict && early.errorCode == "publicity_period" && early.errorField == "appliedOn")
            #expect(early.errorMessage == "检查结果公示满3年后方可申请停止公示（\(allowed.chineseDescription)起）")

            clock.advance(by: 86_400)
            let stopped = try await Self.grant(
                client, target, Self.relief("stop_publication", appliedOn: allowed.description, ground: "公示期满"))
            #expect(stopped.status == .ok, "\(stopped.text)")
            #expect(try stopped.decode(Schemas.InspectionResult.self).version == 2)

            let search = try await client.get("/api/v1/published-results?creditCode=\(target.object)", as: Schemas.PublishedResultPage.self)
            #expect(search.items.isEmpty)
            #expect(try await client.request(.get, "/api/v1/published-results/\(id)").status == .notFound)
            #expect(try await client.request(.get, "/public/results?creditCode=\(target.object)").text.contains("未查到符合条件"))
            let feed = try await client.request(.get, "/api/v1/open-data/results?format=jsonl").text
                .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
                .filter { $0["resultId"] as? Int64 == id || ($0["resultId"] as? Int).map(Int64.init) == id }
            #expect(feed.map { $0["version"] as? Int } == [2], "the feed keeps only the stop, nothing of what was found")
            #expect(feed.first?["change"] as? String == "停止公示" && (feed.first?["results"] as? [String])?.isEmpty == true)

            let objection = try await client.request(
                .post, "/api/v1/published-results/\(id)/objections", json: ObjectionAPITests.filing(target, name: name))
            #expect(objection.status == .conflict && objection.errorCode == "result_status")
            let head = try await client.signIn("fire.dept_head")
            let correction = try await client.request(
                .post, "\(target.uri)/fire/corrections", json: ResultVersionAPITests.correction(target), token: head)
            #expect(correction.status == .conflict && correction.errorMessage?.contains("停止公示") == true)
            let again = try await Self.grant(client, target, Self.relief("credit_repair", appliedOn: allowed.description))
            #expect(again.status == .conflict && again.errorCode == "result_status")
            let own = try await client.get("\(target.uri)", token: head, as: Schemas.ResultList.self)
            #expect(own.items.first { $0.department == "fire" }?.relief?.kind == .stopPublication, "the department still sees its record")
        }
    }
}
