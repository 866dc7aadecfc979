import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing
import YiyeAPI
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
    demo: Bool = true, signIn: SignInPolicy = SignInPolicy(),
    _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    try await withAppDatabase(demo: demo, signIn: signIn) { client, _ in try await body(client) }
}

/// As `withApp`, also giving the database URL (to look at what the server wrote); with the demo's sample data when
/// `sample`, and the server's "now" from `clock`.
func withAppDatabase(
    demo: Bool = true, sample: Bool = false, signIn: SignInPolicy = SignInPolicy(), clock: any WallClock = SystemClock(),
    _ body: @escaping @Sendable (any TestClientProtocol, DatabaseURL) async throws -> Void
) async throws {
    try await TestDatabase.shared.withDatabase(demo: true, sample: sample) { url in
        if !demo { try await keepOnlyOfficeAdmin(url) }
        let app = try await buildApplication(
            AppConfiguration(
                database: .url(url), migrate: false, logLevel: .error, auditKey: TestDatabase.auditKeyURL,
                checkpointInterval: .seconds(3600), signIn: signIn, clock: clock
            ))
        try await app.test(.router) { client in try await body(client, url) }
    }
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

/// A decoded JSON response.
struct JSONResponse {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var json: Any?
    /// The body as text (sheets, handbooks).
    var text = ""

    subscript(key: String) -> Any? { (json as? [String: Any])?[key] }

    /// The error envelope's code, when this is an error.
    var errorCode: String? { (self["error"] as? [String: Any])?["code"] as? String }
    var errorField: String? { (self["error"] as? [String: Any])?["field"] as? String }
    var errorMessage: String? { (self["error"] as? [String: Any])?["message"] as? String }
    var items: [[String: Any]] { self["items"] as? [[String: Any]] ?? [] }
}

extension TestClientProtocol {
    /// Signs in as a demo user and returns the bearer token.
    func signIn(_ username: String, password: String = TestDatabase.demoPassword) async throws -> String {
        let response = try await request(.post, "/api/v1/sessions", json: ["username": username, "password": password])
        guard response.status == .created, let token = response["token"] as? String else {
            throw TestFailure("sign-in as \(username) failed: \(response.status) \(response.errorCode ?? "")")
        }
        return token
    }

    /// Sends `body` (encoded as JSON, or raw when a String) with the bearer `token`, and decodes the answer.
    func request(
        _ method: HTTPRequest.Method, _ uri: String, json body: Any? = nil, token: String? = nil,
        contentType: String = "application/json"
    ) async throws -> JSONResponse {
        var buffer: ByteBuffer?
        if let text = body as? String {
            buffer = ByteBuffer(string: text)
        } else if let body {
            buffer = ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
        }
        var headers: HTTPFields = [:]
        if buffer != nil { headers[.contentType] = contentType }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            let data = Data(buffer: response.body)
            let json = data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data)
            return JSONResponse(
                status: response.status, headers: response.headers, json: json,
                text: String(decoding: data, as: UTF8.self))
        }
    }
}
