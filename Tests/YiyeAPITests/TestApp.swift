import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing
import YiyeAPI
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` against a fresh application on a fresh migrated database, with the demo county and its users
/// loaded unless `demo` is false (then only `office.office_admin` exists, to sign in with).
func withApp(
    demo: Bool = true, signIn: SignInPolicy = .testing,
    _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    try await withAppDatabase(demo: demo, signIn: signIn) { client, _ in try await body(client) }
}

extension SignInPolicy {
    /// The policy of the test servers: the production one, but passwords never too old, as tests move their clocks
    /// years ahead (SessionAPITests.passwordAge checks the age with the production policy).
    static var testing: SignInPolicy { SignInPolicy(passwordMaximumAge: nil) }
}

/// The token the test servers expect from a metrics scraper.
let testMetricsToken = "metrics-token-for-tests"

/// As `withApp`, also giving the database URL (to look at what the server wrote); with the demo's sample data when
/// `sample`, the server's "now" from `clock`, and the server loading the demo as `serve --demo` does when `serveDemo`.
func withAppDatabase(
    demo: Bool = true, sample: Bool = false, serveDemo: Bool = false, signIn: SignInPolicy = .testing,
    clock: any WallClock = SystemClock(),
    resultPublicationWorkingDays: Int = InspectionResult.defaultPublicationWorkingDays,
    evidenceDirectory: URL? = nil, evidenceLimitBytes: Int = EvidenceFile.defaultLimitMiB * 1_048_576,
    metricsToken: String? = testMetricsToken, trustedProxies: Set<String> = [],
    _ body: @escaping @Sendable (any TestClientProtocol, DatabaseURL) async throws -> Void
) async throws {
    let scratch = scratchEvidenceDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    try await TestDatabase.shared.withDatabase(demo: true, sample: sample) { url in
        if !demo { try await keepOnlyOfficeAdmin(url) }
        let app = try await buildApplication(
            AppConfiguration(
                database: .url(url), migrate: false, demo: serveDemo, logLevel: .error, auditKey: TestDatabase.auditKeyURL,
                checkpointInterval: .seconds(3600), signIn: signIn, resultPublicationWorkingDays: resultPublicationWorkingDays,
                evidenceDirectory: evidenceDirectory ?? scratch, evidenceLimitBytes: evidenceLimitBytes, metricsToken: metricsToken,
                trustedProxies: trustedProxies, clock: clock
            ))
        try await app.test(.router) { client in try await body(client, url) }
    }
}

/// A directory of its own for a test server's evidence files (nothing else's files are ever swept).
func scratchEvidenceDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("yiye-evidence-\(UUID().uuidString)", isDirectory: true)
}

/// An empty county but for the leadership office and its admin, for tests that start from nothing.
private func keepOnlyOfficeAdmin(_ url: DatabaseURL) async throws {
    try await withClient(url) { client async throws in
        try await client.withTransaction(logger: quietLogger) { connection in
            _ = try await connection.query("DELETE FROM industries")
            _ = try await connection.query("DELETE FROM users WHERE username <> 'office.office_admin'")
            _ = try await connection.query("DELETE FROM departments WHERE code <> 'office'")
        }
    }
}

/// Task bodies and dates relative to today, so that the suite means the same on whatever day it runs.
enum TestTasks {
    static var today: CalendarDate { CalendarDate(chinaDateOf: Date()) }
    /// A window from tomorrow, a month long.
    static var windowStart: String { today.adding(days: 1).description }
    static var windowEnd: String { today.adding(days: 31).description }

    /// A triggered fuel-retail task (a triggered task needs no annual plan), with `extra` fields.
    static func body(_ name: String = "加油站专项检查", _ extra: [String: Any] = [:]) -> [String: Any] {
        var body: [String: Any] = [
            "industry": "fuel_retail", "name": name, "windowStart": windowStart, "windowEnd": windowEnd,
            "trigger": ["source": "complaint", "description": "群众举报加油站存在安全隐患"],
        ]
        body.merge(extra) { $1 }
        return body
    }
}

/// The contract's schemas, as the handlers write them: tests read answers with these types, not as `Any`.
typealias Schemas = Components.Schemas

/// A list answer whose schema is inline in the contract (`{items: [T]}`).
struct Items<T: Decodable>: Decodable { var items: [T] }

/// An answer: its status, headers and body, read as the contract's types with `decode`.
struct JSONResponse {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: Data
    /// The body as JSON, for the few tests that walk a document whatever its schema (the spec, a verifier's record).
    var json: Any? { body.isEmpty ? nil : try? JSONSerialization.jsonObject(with: body) }
    /// The body as text (sheets, handbooks, files).
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as the contract's `T`; a body of another shape fails the test with the status and the text.
    func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        do {
            return try JSONDecoder.contract.decode(T.self, from: body)
        } catch {
            throw TestFailure("\(status) is not \(T.self): \(error)\n\(text)")
        }
    }

    /// The error envelope, when this is an error.
    var error: Schemas.ErrorEnvelope._ErrorPayload? { try? JSONDecoder.contract.decode(Schemas.ErrorEnvelope.self, from: body).error }
    var errorCode: String? { error?.code }
    var errorField: String? { error?.field }
    var errorMessage: String? { error?.message }
}

extension JSONDecoder {
    /// Reads times as the server writes them (RFC 3339), as the generated server does.
    static var contract: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            try RFC3339DateTranscoder().decode(try decoder.singleValueContainer().decode(String.self))
        }
        return decoder
    }
}

extension TestClientProtocol {
    /// Signs in as a demo user and returns the bearer token.
    func signIn(_ username: String, password: String = TestDatabase.demoPassword) async throws -> String {
        let response = try await request(.post, "/api/v1/sessions", json: ["username": username, "password": password])
        guard response.status == .created else {
            throw TestFailure("sign-in as \(username) failed: \(response.status) \(response.errorCode ?? "")")
        }
        return try response.decode(Schemas.Session.self).token
    }

    /// Reads `uri` as the contract's `T`; any other answer fails the test with its status and text.
    func get<T: Decodable>(_ uri: String, token: String? = nil, as type: T.Type = T.self) async throws -> T {
        try await request(.get, uri, token: token).decode(T.self)
    }

    /// Sends `body` (encoded as JSON, or raw when a String) with the bearer `token`, and decodes the answer.
    func request(
        _ method: HTTPRequest.Method, _ uri: String, json body: Any? = nil, token: String? = nil,
        contentType: String = "application/json", headers extra: HTTPFields = [:]
    ) async throws -> JSONResponse {
        var buffer: ByteBuffer?
        if let text = body as? String {
            buffer = ByteBuffer(string: text)
        } else if let body {
            buffer = ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
        }
        var headers = extra
        if buffer != nil { headers[.contentType] = contentType }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            JSONResponse(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }
}
