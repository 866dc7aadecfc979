import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("一公开: a published result changes only as a new version (更正, 不予公开), the earlier one staying public")
struct ResultVersionAPITests {
    typealias Target = ResultAPITests.Target

    /// fire's result of the target, approved and published; returns fire's head's token.
    static func published(_ client: any TestClientProtocol, _ target: Target) async throws -> String {
        _ = try await ResultAPITests.approved(client, target)
        let published = try await client.request(.post, "\(target.uri)/fire/publication", token: try await client.signIn("fire.dept_admin"))
        guard published.status == .ok else { throw TestFailure("publish: \(published.text)") }
        return try await client.signIn("fire.dept_head")
    }

    /// The correction: the first item found abnormal, ordered to correct by a date.
    static func correction(_ target: Target, reason: String = "录入时误将第一项记为正常，经核查现场记录予以更正") -> [String: Any] {
        var items = ResultAPITests.cleanItems(target)
        items[0]["outcome"] = items[0]["method"] as? String == "sampling_test" ? "fail" : "abnormal"
        items[0]["finding"] = "灭火器压力不足"
        return [
            "reason": reason, "items": items, "remarks": "现场检查发现问题，已责令改正",
            "categories": [["category": "ordered_to_correct", "correctionDue": "2099-12-31"]],
        ]
    }

    static func versions(_ client: any TestClientProtocol, _ target: Target) async throws -> [Schemas.PublishedResultVersion] {
        let page = try await client.get("/api/v1/published-results?creditCode=\(target.object)", as: Schemas.PublishedResultPage.self)
        let id = try #require(page.items.first?.id)
        return try await client.get("/api/v1/published-results/\(id)", as: Schemas.PublishedResult.self).versions
    }

    @Test("the head corrects a published result: version 2 with its reason, version 1 still public; search shows the latest")
    func correctedAsNewVersion() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await ResultAPITests.target(client)
            let head = try await Self.published(client, target)
            let corrected = try await client.request(.post, "\(target.uri)/fire/corrections", json: Self.correction(target), token: head)
            #expect(corrected.status == .ok, "\(corrected.text)")
            let result = try corrected.decode(Schemas.InspectionResult.self)
            #expect(result.status == .published && result.version == 2 && result.categories.map(\.category) == [.orderedToCorrect])

            let versions = try await Self.versions(client, target)
            #expect(versions.map(\.version) == [1, 2])
            #expect(versions.map(\.categories.first?.label) == ["未发现问题", "发现问题，依法责令立即改正或者限期改正"])
            #expect(versions[0].change == nil && versions[1].change == .correction && versions[1].changeLabel == "本部门更正")
            #expect(versions[1].reason == "录入时误将第一项记为正常，经核查现场记录予以更正")
            let page = try await client.get("/api/v1/published-results?creditCode=\(target.object)", as: Schemas.PublishedResultPage.self)
            #expect(page.items.map(\.latest.version) == [2], "one result, its latest version")
            let html = try await client.request(.get, "/public/results?creditCode=\(target.object)").text
            #expect(html.contains("第 2 版（本部门更正：录入时误将第一项记为正常"))
        }
    }

    @Test("a correction is the head's: refused to an admin and a reviewer, before publication, without a reason, or changing nothing")
    func correctionRefusals() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await ResultAPITests.target(client)
            let head = try await client.signIn("fire.dept_head")
            _ = try await ResultAPITests.approved(client, target)
            let early = try await client.request(.post, "\(target.uri)/fire/corrections", json: Self.correction(target), token: head)
            #expect(early.status == .conflict && early.errorCode == "result_status", "approved, not yet published")
            _ = try await client.request(.post, "\(target.uri)/fire/publication", token: try await client.signIn("fire.dept_admin"))
            for user in ["fire.dept_admin", "fire.reviewer"] {
                let refused = try await client.request(
                    .post, "\(target.uri)/fire/corrections", json: Self.correction(target), token: try await client.signIn(user))
                #expect(refused.status == .forbidden, "\(user)")
            }
            let otherHead = try await client.request(
                .post, "\(target.uri)/fire/corrections", json: Self.correction(target), token: try await client.signIn("commerce.dept_head")
            )
            #expect(otherHead.status == .forbidden && otherHead.errorCode == "other_department")
            let blank = try await client.request(
                .post, "\(target.uri)/fire/corrections", json: Self.correction(target, reason: "  "), token: head)
            #expect(blank.status == .unprocessableContent && blank.errorField == "reason")
            var same = ResultAPITests.draft(target)
            same["reason"] = "无变化"
            let unchanged = try await client.request(.post, "\(target.uri)/fire/corrections", json: same, token: head)
            #expect(unchanged.status == .unprocessableContent && unchanged.errorCode == "invalid_value")
            var unproven = Self.correction(target)
            unproven["categories"] = [["category": "unpublished_info"]]
            let refused = try await client.request(.post, "\(target.uri)/fire/corrections", json: unproven, token: head)
            #expect(refused.errorCode == "category_unproven" && refused.errorField == "categories[0].orderedOn")
            #expect(try await Self.versions(client, target).map(\.version) == [1], "nothing refused was published")
        }
    }

    @Test("in SQL a published result changes only with the version it publishes")
    func versionsOnlyInSQL() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let target = try await ResultAPITests.target(client)
            let head = try await Self.published(client, target)
            _ = try await client.request(.post, "\(target.uri)/fire/corrections", json: Self.correction(target), token: head)
            try await withClient(url) { db async throws in
                for statement in [
                    "UPDATE inspection_results SET version = version + 1, remarks = 'x' WHERE status = 'published'",
                    "UPDATE inspection_results SET version = 1 WHERE status = 'published'",
                    "DELETE FROM result_items WHERE result_id IN (SELECT id FROM inspection_results WHERE status = 'published')",
                    "UPDATE result_categories SET category = 'other'", "UPDATE published_results SET reason = 'x'",
                    "DELETE FROM published_results WHERE version = 2",
                ] {
                    await #expect(throws: PSQLError.self, "\(statement)") { _ = try await db.query(PostgresQuery(unsafeSQL: statement)) }
                }
            }
            #expect(try await Self.versions(client, target).map(\.remarks) == ["现场检查未见异常", "现场检查发现问题，已责令改正"])
        }
    }

    @Test("withheld before publication: the item is left out, the ground is public, the reason is not")
    func itemsWithheldBeforePublication() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await ResultAPITests.target(client)
            let reviewer = try await ResultAPITests.approved(client, target)
            let head = try await client.signIn("fire.dept_head")
            let entry = try #require(target.fireEntries.first?.number)
            let body: [String: Any] = ["ground": "trade_secret", "scope": "items", "items": [entry], "reason": "涉及企业储油工艺参数"]
            #expect(try await client.request(.put, "\(target.uri)/fire/withholding", json: body, token: reviewer).status == .forbidden)
            let withheld = try await client.request(.put, "\(target.uri)/fire/withholding", json: body, token: head)
            #expect(withheld.status == .ok, "\(withheld.text)")
            let result = try withheld.decode(Schemas.InspectionResult.self)
            #expect(result.status == .approved && result.withholding?.approvedBy == "fire.dept_head" && result.version == 0)
            _ = try await client.request(.post, "\(target.uri)/fire/publication", token: try await client.signIn("fire.dept_admin"))

            let versions = try await Self.versions(client, target)
            #expect(versions.map(\.version) == [1])
            let latest = try #require(versions.first)
            #expect(latest.withheld?.groundLabel == "涉及商业秘密" && latest.withheld?.items == [entry])
            #expect(latest.items.map(\.number) == target.fireEntries.dropFirst().map(\.number))
            #expect(latest.categories.map(\.label) == ["未发现问题"])
            let text = try await client.request(.get, "/api/v1/published-results?creditCode=\(target.object)").text
            #expect(!text.contains("储油工艺") && !text.contains(target.fireEntries[0].item.content))
        }
    }

    @Test("withheld wholly after publication: a new version shows only that it exists, is withheld, and why; bad requests refused")
    func wholeWithheldAfterPublication() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await ResultAPITests.target(client)
            let head = try await Self.published(client, target)
            for (body, field) in [
                (["ground": "state_secret", "scope": "items", "items": [99_999], "reason": "x"], "items[0]"),
                (["ground": "state_secret", "scope": "items", "reason": "x"], "items"),
                (["ground": "state_secret", "scope": "whole", "items": [target.fireEntries[0].number], "reason": "x"], "items"),
            ] as [([String: Any], String)] {
                let refused = try await client.request(.put, "\(target.uri)/fire/withholding", json: body, token: head)
                #expect(refused.status == .unprocessableContent && refused.errorField == field, "\(refused.text)")
            }
            let body: [String: Any] = ["ground": "state_secret", "scope": "whole", "reason": "经保密审查涉及国家秘密"]
            let withheld = try await client.request(.put, "\(target.uri)/fire/withholding", json: body, token: head)
            #expect(try withheld.decode(Schemas.InspectionResult.self).version == 2)
            let again = try await client.request(
                .put, "\(target.uri)/fire/withholding", json: body.merging(["reason": "另一理由"]) { $1 }, token: head)
            #expect(again.status == .unprocessableContent, "the same decision twice, whatever its reason")

            let versions = try await Self.versions(client, target)
            #expect(versions.map(\.version) == [1, 2] && versions[1].change == .withheld)
            #expect(versions[1].categories.isEmpty && versions[1].items.isEmpty && versions[1].remarks.isEmpty)
            #expect(versions[1].withheld?.scopeLabel == "检查结果不予公开" && versions[1].authority == "消防救援大队")
            let html = try await client.request(.get, "/public/results?creditCode=\(target.object)").text
            #expect(html.contains("检查结果不予公开（涉及国家秘密）") && !html.contains("经保密审查"))
        }
    }
}
