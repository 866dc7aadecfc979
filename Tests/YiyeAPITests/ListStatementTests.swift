import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeAPI
import YiyeContract
import YiyeTestSupport

/// Lists answer a page in a constant number of statements: what hangs off each item (responses, routes) is fetched
/// for the whole page at once. Counted with pg_stat_statements, which the test cluster loads.
@Suite("List pages cost the same few statements for 200 items as for 2")
struct ListStatementTests {
    @Test("a page of 200 calls or 200 clues costs as many statements as a page of 2")
    func constantStatements() async throws {
        try await TestDatabase.shared.withDatabase(demo: true) { url in
            try await withClient(url) { db in
                _ = try await db.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", logger: quietLogger)
                _ = try await db.query(
                    """
                    INSERT INTO whistle_calls (industry_code, stage, title, content, action_required, raised_by, deadline, created_by)
                    SELECT 'fuel_retail', 'drawing', '吹哨 ' || n, '内容', '响应', 'commerce', now() + interval '3 days', 'commerce.dept_head'
                    FROM generate_series(1, 200) AS n
                    """, logger: quietLogger)
                _ = try await db.query(
                    """
                    INSERT INTO whistle_responses (call_id, department) SELECT c.id, d FROM whistle_calls c, unnest(ARRAY['fire', 'samr']) AS d
                    """, logger: quietLogger)
                _ = try await db.query(
                    """
                    INSERT INTO clues (industry_code, source, description, suspected_violation, found_by, created_by)
                    SELECT 'fuel_retail', 'complaint', '举报 ' || n, '涉嫌违法', 'samr', 'samr.dept_admin' FROM generate_series(1, 200) AS n
                    """, logger: quietLogger)
                _ = try await db.query(
                    """
                    INSERT INTO clue_routes (clue_id, department, deadline, routed_by)
                    SELECT id, d, now() + interval '5 days', 'samr.dept_admin' FROM clues, unnest(ARRAY['fire', 'eco']) AS d
                    """, logger: quietLogger)
            }
            // The background services wait an hour between rounds, so that only the requests are counted.
            let app = try await buildApplication(
                AppConfiguration(
                    database: .url(url), migrate: false, logLevel: .error, auditKey: TestDatabase.auditKeyURL,
                    checkpointInterval: .seconds(3600),
                    escalationInterval: .seconds(3600), webhookInterval: .seconds(3600),
                    evidenceDirectory: scratchEvidenceDirectory()
                ))
            try await app.test(.router) { client in
                let token = try await client.signIn("office.office_viewer")
                func count(_ pattern: String) async throws -> Int {
                    try await withClient(url) { db in
                        var total = 0
                        for try await sum in try await db.query(
                            """
                            SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements
                            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                              AND query ILIKE \(pattern) AND query NOT ILIKE '%pg_stat_statements%'
                            """, logger: quietLogger
                        ).decode(Int64.self) { total = Int(sum) }
                        return total
                    }
                }
                /// Any item: the count is what matters here.
                struct Discard: Decodable {}
                /// Statements touching `tables` while the page is served.
                func statements(_ uri: String, items: Int, touching tables: String) async throws -> Int {
                    let before = try await count(tables)
                    let page = try await client.request(.get, uri, token: token)
                    #expect(page.status == .ok)
                    #expect(try page.decode(Items<Discard>.self).items.count == items)
                    return try await count(tables) - before
                }
                for (list, tables, perItem) in [("calls", "%whistle_%", "responses"), ("clues", "%clue%", "routes")] {
                    _ = try await statements("/api/v1/\(list)?limit=2", items: 2, touching: tables)  // warm
                    let small = try await statements("/api/v1/\(list)?limit=2", items: 2, touching: tables)
                    let large = try await statements("/api/v1/\(list)?limit=200", items: 200, touching: tables)
                    #expect(large == small, "\(list): \(large) statements for 200, \(small) for 2")
                    #expect(large <= 3, "\(list): the page, then its \(perItem): \(large) statements")
                    let counts: [Int] =
                        list == "calls"
                        ? try await client.get("/api/v1/calls?limit=200", token: token, as: Schemas.CallPage.self).items.map(
                            \.responses.count)
                        : try await client.get("/api/v1/clues?limit=200", token: token, as: Schemas.CluePage.self).items.map(\.routes.count)
                    #expect(counts.count == 200 && counts.allSatisfy { $0 == 2 }, "every item has its \(perItem)")
                }
            }
        }
    }
}
