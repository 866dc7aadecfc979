import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import YiyeAPI
import YiyeTestSupport

/// Runs `body` against a fresh application on a fresh migrated database, with the demo county loaded.
func withApp(demo: Bool = true, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    try await TestDatabase.shared.withDatabase { url in
        let app = try await buildApplication(AppConfiguration(database: .url(url), migrate: false, demo: demo, logLevel: .error))
        try await app.test(.router, body)
    }
}

/// A decoded JSON response.
struct JSONResponse {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var json: Any?

    subscript(key: String) -> Any? { (json as? [String: Any])?[key] }

    /// The error envelope's code, when this is an error.
    var errorCode: String? { (self["error"] as? [String: Any])?["code"] as? String }
    var errorField: String? { (self["error"] as? [String: Any])?["field"] as? String }
    var items: [[String: Any]] { self["items"] as? [[String: Any]] ?? [] }
}

extension TestClientProtocol {
    /// Sends `body` (encoded as JSON, or raw when a String) and decodes the answer.
    func request(
        _ method: HTTPRequest.Method, _ uri: String, json body: Any? = nil,
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
        return try await execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            let data = Data(buffer: response.body)
            let json = data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data)
            return JSONResponse(status: response.status, headers: response.headers, json: json)
        }
    }
}
