import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("开放数据: published results as CSV and JSON Lines, every version, by publication date, with a data dictionary")
struct OpenDataAPITests {
    static func dictionary(_ client: any TestClientProtocol) async throws -> [(key: String, header: String)] {
        let response = try await client.request(.get, "/api/v1/open-data/results/dictionary")
        let object = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        let columns = try #require(object["columns"] as? [[String: String]])
        return columns.map { (key: $0["key"] ?? "", header: $0["header"] ?? "") }
    }

    /// The CSV's rows, read as an importer would (the byte-order mark dropped).
    static func rows(_ bytes: [UInt8]) -> [[String]] {
        var reader = CSVReader()
        var rows: [[String]] = []
        reader.read(bytes) { rows.append($0.fields) }
        reader.finish { rows.append($0.fields) }
        return rows
    }

    @Test("a corrected result exports both versions: CSV with BOM and the dictionary's Chinese headers, JSON Lines with its keys")
    func bothFormats() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await ResultAPITests.target(client)
            let head = try await ResultVersionAPITests.published(client, target)
            _ = try await client.request(
                .post, "\(target.uri)/fire/corrections", json: ResultVersionAPITests.correction(target), token: head)
            let resultID = try #require(
                try await client.get("/api/v1/published-results?creditCode=\(target.object)", as: Schemas.PublishedResultPage.self).items
                    .first?.id)
            let columns = try await Self.dictionary(client)
            #expect(columns.first?.header == "记录编号" && columns.contains { $0.header == "检查实施机关" })

            let csv = try await client.request(.get, "/api/v1/open-data/results")
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let bytes = Array(csv.body)
            #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF], "UTF-8 byte-order mark")
            let rows = Self.rows(bytes)
            #expect(rows.first == columns.map(\.header))
            #expect(rows.dropFirst().map { $0.first } == ["\(resultID)-1", "\(resultID)-2"])
            let change = try #require(columns.firstIndex { $0.key == "change" })
            #expect(rows.dropFirst().map { $0[change] } == ["", "本部门更正"])

            let jsonl = try await client.request(.get, "/api/v1/open-data/results?format=jsonl")
            let lines = jsonl.text.split(separator: "\n")
            #expect(lines.count == 2)
            let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
            #expect(Set(first.keys) == Set(columns.map(\.key)))
            #expect(first["results"] as? [String] == ["未发现问题"] && first["version"] as? Int == 1)
        }
    }

    @Test("by publication date: a later window is empty; from after to, or a bad date, is refused naming the field")
    func window() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await ResultAPITests.target(client)
            _ = try await ResultVersionAPITests.published(client, target)
            let today = CalendarDate(chinaDateOf: Date())
            let inside = try await client.request(.get, "/api/v1/open-data/results?format=jsonl&from=\(today)&to=\(today)")
            #expect(inside.text.split(separator: "\n").count == 1)
            let later = try await client.request(.get, "/api/v1/open-data/results?from=\(today.adding(days: 1))")
            #expect(Self.rows(Array(later.body)).count == 1, "header only")
            let reversed = try await client.request(.get, "/api/v1/open-data/results?from=\(today)&to=\(today.adding(days: -1))")
            #expect(reversed.status == .unprocessableContent && reversed.errorField == "from")
            let bad = try await client.request(.get, "/api/v1/open-data/results?from=2026-02-30")
            #expect(bad.status == .badRequest && bad.errorField == "from")
        }
    }

    @Test("an export longer than a page has every row exactly once, also when many share one publication instant")
    func pages() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let target = try await ResultAPITests.target(client)
            _ = try await ResultVersionAPITests.published(client, target)
            try await withClient(url) { db async throws in
                // 2,100 more versions in one statement: they share its transaction's instant.
                _ = try await db.query(
                    """
                    INSERT INTO published_results (result_id, version, credit_code, object_name, industry_code, department, inspected_on,
                                                   published_by, change, reason, content)
                    SELECT result_id, version + n, credit_code, object_name, industry_code, department, inspected_on, published_by,
                           'correction', 'bench ' || n, content
                    FROM published_results, generate_series(1, 2100) AS n
                    """)
            }
            let jsonl = try await client.request(.get, "/api/v1/open-data/results?format=jsonl")
            let ids = try jsonl.text.split(separator: "\n").map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["version"] as? Int
            }
            #expect(ids.count == 2101 && Set(ids).count == 2101)
        }
    }
}
