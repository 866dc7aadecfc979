import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Holds every request to the spec before the generated code decodes it: parameters, the body's media type, and a
/// JSON body against its schema (types, formats, bounds, lengths, patterns, enums, required and unknown fields).
/// A refusal names the field in Chinese, so no decoder's text ever reaches a client.
struct RequestContractMiddleware: ServerMiddleware {
    let contract: RequestContract
    /// JSON bodies above this are refused with 413.
    let maxJSONBody: Int

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let operation = contract.operations[operationID] else {
            throw APIError.internal  // the access table's test walks every operation of the spec
        }
        try checkParameters(operation, request, metadata)
        guard !operation.bodyTypes.isEmpty else { return try await next(request, body, metadata) }

        let mediaType = request.headerFields[.contentType].map {
            $0.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard let mediaType else {
            if operation.bodyRequired { throw APIError(.badRequest, "malformed_request", "缺少请求体", field: "body") }
            return try await next(request, body, metadata)
        }
        guard let schema = operation.bodyTypes[mediaType] else {
            let accepted = operation.bodyTypes.keys.sorted().joined(separator: "、")
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "请求内容类型 \(mediaType) 不受支持，请使用 \(accepted)")
        }
        guard let schema else { return try await next(request, body, metadata) }  // CSV uploads stream on
        var data = Data()
        do {
            if let body { data = try await Data(collecting: body, upTo: maxJSONBody) }
        } catch {
            throw APIError(.contentTooLarge, "payload_too_large", "请求体超过 \(maxJSONBody / 1024 / 1024) MiB 上限")
        }
        guard !data.isEmpty else { throw APIError(.badRequest, "malformed_request", "缺少请求体", field: "body") }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw APIError(.badRequest, "malformed_request", "请求体不是有效的 JSON", field: "body")
        }
        do {
            try contract.validator.check(value, schema, at: "")
        } catch {
            let field = error.field.isEmpty ? "body" : error.field
            if let rule = error.rule { throw APIError(.unprocessableContent, rule, error.message, field: field) }
            throw APIError(.badRequest, "malformed_request", error.message, field: field)
        }
        return try await next(request, HTTPBody(data), metadata)
    }

    private func checkParameters(_ operation: RequestContract.Operation, _ request: HTTPRequest, _ metadata: ServerRequestMetadata) throws {
        let query = Self.query(of: request.path ?? "")
        for parameter in operation.parameters {
            let text: Substring?
            switch parameter.location {
            case .path: text = metadata.pathParameters[parameter.name]
            case .query: text = query[parameter.name]
            case .header: text = HTTPField.Name(parameter.name).flatMap { request.headerFields[$0] }.map { Substring($0) }
            }
            guard let text else {
                if parameter.required { throw APIError.badParameter(parameter.name, "缺少必填参数 \(parameter.name)") }
                continue
            }
            do {
                try contract.validator.check(parameter: text, parameter.schema, named: parameter.name)
            } catch {
                throw APIError.badParameter(parameter.name, "参数 \(parameter.name) \(error.problem)")
            }
        }
    }

    /// The query's parameters, percent-decoded (the first of a repeated name); an undecodable one is kept raw and
    /// refused by its schema or ignored when the spec does not name it.
    static func query(of path: String) -> [String: Substring] {
        guard let start = path.firstIndex(of: "?") else { return [:] }
        var items: [String: Substring] = [:]
        for pair in path[path.index(after: start)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (raw: Substring) -> Substring in
                let spaced = raw.replacingOccurrences(of: "+", with: " ")
                return Substring(spaced.removingPercentEncoding ?? spaced)
            }
            let name = String(decode(parts[0]))
            if items[name] == nil { items[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return items
    }
}
