import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import YiyeAPI
import YiyeContract
import YiyeStore
import YiyeTestSupport

@Suite("Health, metrics, spec, enums and errors")
struct OperationsAPITests {
    @Test("liveness and readiness answer ok when the database is up")
    func health() async throws {
        try await withApp(demo: false) { client in
            let live = try await client.request(.get, "/health/live")
            #expect(live.status == .ok)
            #expect(try live.decode(Schemas.Health.self).status == .ok)
            let ready = try await client.request(.get, "/health/ready")
            #expect(ready.status == .ok)
            #expect(try ready.decode(Schemas.Health.self).status == .ok)
        }
    }

    @Test("without a database, readiness is 503, liveness stays 200, and API calls answer 503 database_unavailable")
    func databaseDown() async throws {
        let nowhere = DatabaseURL(endpoint: .unixSocket(path: "/nonexistent/.s.PGSQL.5432"), username: "yiye", database: "yiye")
        let app = try await buildApplication(
            AppConfiguration(
                database: .url(nowhere), migrate: false, logLevel: .critical, auditKey: TestDatabase.auditKeyURL,
                evidenceDirectory: scratchEvidenceDirectory()
            ))
        try await app.test(.router) { client in
            #expect(try await client.request(.get, "/health/live").status == .ok)
            let ready = try await client.request(.get, "/health/ready")
            #expect(ready.status == .serviceUnavailable)
            #expect(try ready.decode(Schemas.Health.self).status == .unavailable)
            let signIn = try await client.request(
                .post, "/api/v1/sessions", json: ["username": "samr.inspector", "password": "Whatever-1"])
            #expect(signIn.status == .serviceUnavailable)
            #expect(signIn.errorCode == "database_unavailable")
        }
    }

    @Test("every response carries a request id; a caller's sane id is echoed, a hostile one replaced")
    func requestIDs() async throws {
        try await withApp(demo: false) { client in
            let plain = try await client.request(.get, "/health/live")
            #expect(plain.headers[.init("X-Request-Id")!]?.count == 32)
            let echoed = try await client.execute(uri: "/health/live", method: .get, headers: [.init("X-Request-Id")!: "proxy-1234abcd"]) {
                $0.headers[.init("X-Request-Id")!]
            }
            #expect(echoed == "proxy-1234abcd")
            let replaced = try await client.execute(
                uri: "/health/live", method: .get, headers: [.init("X-Request-Id")!: "bad id\" <script>"]
            ) { $0.headers[.init("X-Request-Id")!] }
            #expect(replaced != nil && replaced != "bad id\" <script>")
        }
    }

    @Test("metrics are in the Prometheus text format and count requests, for the scraper's token only")
    func metrics() async throws {
        try await withApp(demo: false) { client in
            _ = try await client.request(.get, "/api/v1/enums")
            for header in [nil, "Bearer wrong-token", testMetricsToken, "Bearer \(testMetricsToken)x"] {
                let headers: HTTPFields = header.map { [.authorization: $0] } ?? [:]
                let refused = try await client.execute(uri: "/metrics", method: .get, headers: headers) { $0 }
                #expect(refused.status == .unauthorized)
                #expect(String(buffer: refused.body).contains("metrics_token_invalid"))
                #expect(!String(buffer: refused.body).contains("http_server"))
            }
            let text = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(testMetricsToken)"]) {
                String(buffer: $0.body)
            }
            #expect(
                text.contains("# TYPE http_requests_total counter") || text.contains("# TYPE hb_requests counter")
                    || text.contains("http_server_request_duration"))
            #expect(text.contains("/api/v1/enums"))
        }
    }

    @Test("a server started without a metrics token does not serve /metrics at all")
    func metricsOff() async throws {
        try await withAppDatabase(demo: false, metricsToken: nil) { client, _ in
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer anything"]) { $0 }
            #expect(response.status == .notFound)
            #expect(String(buffer: response.body).contains("metrics_disabled"))
            #expect(String(buffer: response.body).contains("--metrics-token"))
        }
    }

    @Test("the served spec is the one the handlers are generated from")
    func spec() async throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/YiyeContract/openapi.yaml")
        let expected = try String(contentsOf: source, encoding: .utf8)
        try await withApp(demo: false) { client in
            let served = try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                (response.status, response.headers[.contentType], String(buffer: response.body))
            }
            #expect(served.0 == .ok)
            #expect(served.1?.hasPrefix("application/yaml") == true)
            #expect(served.2 == expected)
        }
    }

    @Test("enums list codes with Chinese labels")
    func enums() async throws {
        try await withApp(demo: false) { client in
            let enums = try await client.get("/api/v1/enums", as: Schemas.EnumList.self).enums
            let kinds = enums.first { $0.name == "departmentKind" }
            #expect(kinds?.values.first { $0.code == "leadership_office" }?.label == "领导小组办公室")
            #expect(enums.contains { $0.name == "resultCategory" })
        }
    }

    @Test("every enumeration of the spec is listed by /enums with its Chinese labels, so no client needs the enums table")
    func everySpecEnumListed() async throws {
        try await withApp(demo: false) { client in
            let enums = try await client.get("/api/v1/enums", as: Schemas.EnumList.self).enums
            let listed = enums.map { Set($0.values.map(\.code)) }
            let spec = try await client.execute(uri: "/openapi.yaml", method: .get) { String(buffer: $0.body) }
            let pattern = try Regex(#"enum:\s*\[([^\]]*)\]"#)
            // Technical answers no official reads: the health check, the open-data file formats and the audit verifier's problem kinds.
            let technical: Set<Set<String>> = [["ok", "unavailable"], ["csv", "jsonl"], ["xlsx", "csv", "html"]]
            var checked = 0
            for match in spec.matches(of: pattern) {
                let text = String(spec[match.range]).drop { $0 != "[" }.dropFirst().dropLast()
                let codes = Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
                if technical.contains(codes) || codes.contains("hash_mismatch") { continue }
                #expect(listed.contains { codes.isSubset(of: $0) }, "no /enums entry lists \(codes.sorted())")
                checked += 1
            }
            #expect(checked >= 30)
        }
    }

    @Test("a method the spec does not declare on a known path is 405, with or without path parameters")
    func methodNotAllowed() async throws {
        try await withApp(demo: false) { client in
            let delete = try await client.request(.delete, "/api/v1/departments/office")
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.errorCode == "method_not_allowed")
            #expect(try await client.request(.put, "/api/v1/departments").status == .methodNotAllowed)
            #expect(try await client.request(.post, "/health/live").status == .methodNotAllowed)
            #expect(try await client.request(.delete, "/api/v1/no-such-thing").status == .notFound)
        }
    }

    @Test("an unknown route is a 404 in the error envelope")
    func unknownRoute() async throws {
        try await withApp(demo: false) { client in
            let response = try await client.request(.get, "/api/v1/nothing-here")
            #expect(response.status == .notFound)
            #expect(response.errorCode == "not_found")
        }
    }
}
