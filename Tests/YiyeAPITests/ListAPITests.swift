import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeContract
import YiyeTestSupport

@Suite("Item lists and 一业一单: versions, publication, merge and overlap resolution")
struct ListAPITests {
    static func item(
        _ code: String, _ content: String, _ basis: String, industries: [String] = ["fuel_retail"],
        qualifications: [String] = []
    ) -> [String: Any] {
        [
            "code": code, "project": "项目\(code)", "content": content, "legalBasis": basis, "objectKinds": ["enterprise"],
            "methods": ["on_site"], "industries": industries, "qualifications": qualifications,
        ]
    }

    /// Drafts, fills and publishes `department`'s item list with `items`, as its admin; returns the version.
    @discardableResult
    static func publish(_ client: any TestClientProtocol, _ department: String, _ items: [[String: Any]]) async throws -> Int {
        let admin = try await client.signIn("\(department).dept_admin")
        let created = try await client.request(.post, "/api/v1/item-lists/\(department)/draft", json: ["note": "首版"], token: admin)
        guard created.status == .created else { throw TestFailure("draft: \(created.status) \(created.text)") }
        let updated = try await client.request(.put, "/api/v1/item-lists/\(department)/draft", json: ["items": items], token: admin)
        guard updated.status == .ok else { throw TestFailure("update: \(updated.status) \(updated.text)") }
        let published = try await client.request(.post, "/api/v1/item-lists/\(department)/draft/publish", token: admin)
        guard published.status == .ok else { throw TestFailure("publish: \(published.status) \(published.text)") }
        return try published.decode(Schemas.ItemListVersion.self).version
    }

    @Test("a published version never changes: a new draft is made and published, the old one stays readable")
    func versioning() async throws {
        try await withAppDatabase { client, url in
            #expect(try await client.request(.get, "/api/v1/item-lists/fire").errorCode == "not_found")
            try await Self.publish(client, "fire", [Self.item("XF-01", "消防设施完好有效", "《消防法》第十六条")])
            let admin = try await client.signIn("fire.dept_admin")
            let draft = try await client.request(.post, "/api/v1/item-lists/fire/draft", json: ["note": "法规修订"], token: admin)
            #expect((try draft.decode(Schemas.ItemListVersion.self).version) == 2)
            #expect(
                (try draft.decode(Schemas.ItemListVersion.self).items.first?.code) == "XF-01",
                "a draft starts as a copy of the latest published version")
            let again = try await client.request(.post, "/api/v1/item-lists/fire/draft", json: [:], token: admin)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "draft_exists")
            _ = try await client.request(
                .put, "/api/v1/item-lists/fire/draft",
                json: ["items": [Self.item("XF-01", "消防设施、器材完好有效", "《消防法》第十六条")]], token: admin)
            // The draft is not public; the published version is unchanged until the draft is published.
            let before = try await client.request(.get, "/api/v1/item-lists/fire")
            #expect((try before.decode(Schemas.ItemListVersion.self).version) == 1)
            #expect((try before.decode(Schemas.ItemListVersion.self).items.first?.content) == "消防设施完好有效")
            #expect(try await client.request(.post, "/api/v1/item-lists/fire/draft/publish", token: admin).status == .ok)
            let latest = try await client.request(.get, "/api/v1/item-lists/fire")
            #expect((try latest.decode(Schemas.ItemListVersion.self).version) == 2)
            #expect((try latest.decode(Schemas.ItemListVersion.self).items.first?.content) == "消防设施、器材完好有效")
            let first = try await client.request(.get, "/api/v1/item-lists/fire?version=1")
            #expect((try first.decode(Schemas.ItemListVersion.self).items.first?.content) == "消防设施完好有效")
            let versions = try await client.request(.get, "/api/v1/item-lists/fire/versions")
            let summaries = try versions.decode(Schemas.ListVersionSummaries.self).items
            #expect(summaries.map(\.version) == [2, 1])
            #expect(summaries.first?.note == "法规修订")
            // No draft is left to change, and the database itself refuses to touch a published version.
            let late = try await client.request(.put, "/api/v1/item-lists/fire/draft", json: ["items": []], token: admin)
            #expect(late.status == .notFound)
            #expect(late.errorCode == "no_draft")
            try await withClient(url) { db async throws in
                await #expect(throws: PSQLError.self) {
                    _ = try await db.query("UPDATE list_versions SET note = 'x' WHERE owner = 'fire' AND version = 1")
                }
                await #expect(throws: PSQLError.self) {
                    _ = try await db.query("DELETE FROM list_versions WHERE owner = 'fire'")
                }
            }
            #expect(try await client.get("/api/v1/item-lists/fire?version=1", as: Schemas.ItemListVersion.self).note == "首版")
        }
    }

    @Test("bad items are refused with the rule and index, and the draft stays as it was")
    func badItems() async throws {
        try await withApp { client in
            let admin = try await client.signIn("fire.dept_admin")
            _ = try await client.request(.post, "/api/v1/item-lists/fire/draft", json: [:], token: admin)
            let good = Self.item("XF-01", "内容", "依据")
            let duplicate = try await client.request(.put, "/api/v1/item-lists/fire/draft", json: ["items": [good, good]], token: admin)
            #expect(duplicate.status == .unprocessableContent)
            #expect(duplicate.errorCode == "duplicate_item_code")
            #expect(duplicate.errorField == "items[1].code")
            let unknown = try await client.request(
                .put, "/api/v1/item-lists/fire/draft",
                json: ["items": [Self.item("XF-02", "内容", "依据", industries: ["no_such"])]], token: admin)
            #expect(unknown.errorCode == "unknown_industry")
            var blank = good
            blank["legalBasis"] = " "
            #expect(
                try await client.request(.put, "/api/v1/item-lists/fire/draft", json: ["items": [blank]], token: admin).errorCode
                    == "invalid_text")
            let draft = try await client.request(.get, "/api/v1/item-lists/fire/draft", token: admin)
            #expect(try draft.decode(Schemas.ItemListVersion.self).items.isEmpty)
            let empty = try await client.request(.post, "/api/v1/item-lists/fire/draft/publish", token: admin)
            #expect(empty.errorCode == "empty_list")
        }
    }

    @Test("only the department's admin or the office drafts its list; drafts are not shown to other departments")
    func authority() async throws {
        try await withApp { client in
            let other = try await client.signIn("samr.dept_admin")
            let refused = try await client.request(.post, "/api/v1/item-lists/fire/draft", json: [:], token: other)
            #expect(refused.status == .forbidden)
            let inspector = try await client.signIn("fire.inspector")
            #expect(try await client.request(.post, "/api/v1/item-lists/fire/draft", json: [:], token: inspector).status == .forbidden)
            let office = try await client.signIn("office.office_admin")
            #expect(try await client.request(.post, "/api/v1/item-lists/fire/draft", json: [:], token: office).status == .created)
            #expect(try await client.request(.get, "/api/v1/item-lists/fire/draft", token: other).status == .notFound)
            #expect(try await client.request(.get, "/api/v1/item-lists/fire/draft", token: inspector).status == .ok)
            #expect(try await client.request(.get, "/api/v1/item-lists/fire/draft").status == .unauthorized)
            #expect(
                try await client.request(.post, "/api/v1/item-lists/office/draft", json: [:], token: office).errorCode
                    == "department_not_regulator")
            #expect(try await client.request(.delete, "/api/v1/item-lists/fire/draft", token: office).status == .noContent)
            #expect(try await client.request(.delete, "/api/v1/item-lists/fire/draft", token: office).errorCode == "no_draft")
        }
    }

    @Test("the originator merges the published lists, resolves the overlap, and publishes the joint list with its sheets")
    func jointList() async throws {
        try await withApp { client in
            try await Self.publish(client, "commerce", [Self.item("SW-01", "成品油零售经营批准证书", "《成品油市场管理办法》第十条")])
            try await Self.publish(
                client, "fire",
                [
                    Self.item(
                        "XF-01", "消防设施、器材配置及完好有效情况", "《中华人民共和国消防法》第十六条",
                        qualifications: ["消防监督"])
                ])
            try await Self.publish(
                client, "emergency",
                [
                    Self.item("YJ-05", "消防设施，器材配置及完好有效情况", "中华人民共和国消防法 第16条"),
                    Self.item("YJ-06", "危险化学品经营许可证", "《危险化学品安全管理条例》第三十三条"),
                ])
            let originator = try await client.signIn("commerce.dept_admin")
            let participant = try await client.signIn("fire.dept_admin")
            #expect(
                try await client.request(.post, "/api/v1/joint-lists/fuel_retail/draft", json: [:], token: participant).status
                    == .forbidden, "only the originating department builds the joint list")
            let draft = try await client.request(
                .post, "/api/v1/joint-lists/fuel_retail/draft", json: ["note": "2026 年度"], token: originator)
            #expect(draft.status == .created)
            #expect((try draft.decode(Schemas.JointListVersion.self).unresolved) == [2])
            #expect(Set(try draft.decode(Schemas.JointListVersion.self).missingDepartments) == ["eco", "samr"])
            let entries = try draft.decode(Schemas.JointListVersion.self).entries
            #expect(entries.count == 3)
            #expect(
                entries[1].members.map(\.department) == ["emergency", "fire"],
                "the originator first, then participants in code order")
            // Participants read the draft; nobody outside the industry does.
            #expect(try await client.request(.get, "/api/v1/joint-lists/fuel_retail/draft", token: participant).status == .ok)
            let outsider = try await client.signIn("health.dept_admin")
            #expect(try await client.request(.get, "/api/v1/joint-lists/fuel_retail/draft", token: outsider).status == .notFound)
            // Unresolved overlaps block publication.
            let early = try await client.request(.post, "/api/v1/joint-lists/fuel_retail/draft/publish", token: originator)
            #expect(early.errorCode == "unresolved_overlap")
            #expect(
                try await client.request(
                    .put, "/api/v1/joint-lists/fuel_retail/draft/entries/2",
                    json: ["lead": ["department": "fire", "code": "XF-01"], "included": true], token: participant
                )
                .status == .forbidden)
            let resolved = try await client.request(
                .put, "/api/v1/joint-lists/fuel_retail/draft/entries/2",
                json: ["lead": ["department": "fire", "code": "XF-01"], "included": true], token: originator)
            #expect((try resolved.decode(Schemas.JointListVersion.self).unresolved) == [])
            let noReason = try await client.request(
                .put, "/api/v1/joint-lists/fuel_retail/draft/entries/3",
                json: ["included": false], token: originator)
            #expect(noReason.errorCode == "reason_required")
            _ = try await client.request(
                .put, "/api/v1/joint-lists/fuel_retail/draft/entries/3",
                json: ["included": false, "reason": "由危化品行业联合检查覆盖"], token: originator)
            let published = try await client.request(.post, "/api/v1/joint-lists/fuel_retail/draft/publish", token: originator)
            #expect(published.status == .ok)
            let publicList = try await client.request(.get, "/api/v1/joint-lists/fuel_retail")
            #expect((try publicList.decode(Schemas.JointListVersion.self).version) == 1)
            let merged = try publicList.decode(Schemas.JointListVersion.self).entries[1]
            #expect(merged.leadDepartment == "fire")
            #expect(merged.coDepartments == ["emergency"])
            #expect(merged.item.qualifications == ["消防监督"])
            let csv = try await client.request(.get, "/api/v1/joint-lists/fuel_retail/sheet.csv")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.hasPrefix("\u{FEFF}序号,检查项目"))
            #expect(csv.text.contains("消防救援大队,应急管理局"))
            let sheet = try await client.request(.get, "/api/v1/joint-lists/fuel_retail/sheet.html")
            #expect(sheet.headers[.contentType] == "text/html; charset=utf-8")
            #expect(sheet.text.contains("“一业一单”联合抽查事项清单"))
            let handbook = try await client.request(.get, "/api/v1/joint-lists/fuel_retail/handbook.html")
            #expect(handbook.text.contains("一业一册"))
            // Printable pages keep the site's strict policy: no inline style, the stylesheet from the site itself.
            for page in [sheet, handbook] {
                let policy = page.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
                #expect(policy.contains("style-src 'self';") && policy.contains("frame-ancestors 'none'"))
                #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(!page.text.contains("<style") && page.text.contains("/static/print.css"))
            }
            let stylesheet = try await client.request(.get, "/static/print.css")
            #expect(stylesheet.status == .ok && stylesheet.text.contains("@page { size: A4 landscape"))
            #expect(handbook.text.contains("消防设施、器材配置及完好有效情况"))
            #expect(!handbook.text.contains("危险化学品经营许可证"), "excluded items are not told to businesses")
            #expect(try await client.request(.get, "/api/v1/joint-lists/catering/handbook.html").status == .notFound)
            // The next draft carries the decisions over; a hand link makes a new overlap to resolve.
            let next = try await client.request(.post, "/api/v1/joint-lists/fuel_retail/draft", json: [:], token: originator)
            #expect((try next.decode(Schemas.JointListVersion.self).unresolved) == [])
            let linked = try await client.request(
                .post, "/api/v1/joint-lists/fuel_retail/draft/links",
                json: [
                    "items": [
                        ["department": "commerce", "code": "SW-01"],
                        ["department": "emergency", "code": "YJ-06"],
                    ], "reason": "同属经营资格",
                ],
                token: originator)
            #expect((try linked.decode(Schemas.JointListVersion.self).unresolved) == [1])
            let split = try await client.request(.post, "/api/v1/joint-lists/fuel_retail/draft/entries/1/split", token: originator)
            #expect((try split.decode(Schemas.JointListVersion.self).unresolved) == [])
            #expect(
                try await client.request(.post, "/api/v1/joint-lists/fuel_retail/draft/entries/99/split", token: originator)
                    .errorCode == "unknown_item")
        }
    }
}
