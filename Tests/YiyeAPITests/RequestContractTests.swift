import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import YiyeContract
import YiyeCore
import YiyeTestSupport

@testable import YiyeAPI

/// Requests are held to the spec before anything decodes them: who may call first, then parameters and body,
/// each refusal a 4xx naming the field in Chinese. No input reaches a trap.
@Suite("The request contract: access first, then the spec's limits, never a crash")
struct RequestContractTests {
    /// Words of Swift's decoders and of the runtime that must never reach an official.
    static let libraryWords = ["DecodingError", "CodingKeys", "typeMismatch", "keyNotFound", "underlying error", "valueNotFound", "Swift."]

    static func expectReadable(_ response: JSONResponse, field: String, _ comment: Comment? = nil) {
        let message = response.errorMessage ?? ""
        #expect(response.errorField == field, comment)
        #expect(message.contains(field), "\(message) names \(field)")
        for word in libraryWords { #expect(!message.contains(word), "\(message)") }
    }

    /// The issue's call from commerce to fire, with `extra` members.
    static func call(_ extra: [String: Any]) -> [String: Any] {
        ["industry": "fuel_retail", "stage": "ad_hoc", "title": "t", "content": "c", "actionRequired": "a", "addressed": ["fire"]]
            .merging(extra) { _, new in new }
    }

    @Test("a negative working-day count on a call is 400 naming deadlineWorkingDays, and the server lives on")
    func negativeCallDeadline() async throws {
        try await withApp { client in
            let commerce = try await client.signIn("commerce.dept_admin")
            let call = Self.call(["deadlineWorkingDays": -1])
            let response = try await client.request(.post, "/api/v1/calls", json: call, token: commerce)
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "malformed_request")
            Self.expectReadable(response, field: "deadlineWorkingDays")
            #expect(response.errorMessage == "字段 deadlineWorkingDays 不能小于 1")
            #expect(try await client.request(.get, "/health/live").status == .ok)
        }
    }

    @Test("rerouting a clue with -47710 working days is 400 naming deadlineWorkingDays")
    func negativeClueRoute() async throws {
        try await withApp { client in
            let reported = try await client.request(
                .post, "/api/v1/clues", json: ClueAPITests.clue, token: try await client.signIn("fire.inspector"))
            let id = try reported.decode(Schemas.Clue.self).id
            let commerce = try await client.signIn("commerce.dept_head")
            let response = try await client.request(
                .post, "/api/v1/clues/\(id)/routes",
                json: ["departments": ["samr"], "deadlineWorkingDays": -47710], token: commerce)
            #expect(response.status == .badRequest)
            Self.expectReadable(response, field: "deadlineWorkingDays")
            #expect(try await client.request(.get, "/health/live").status == .ok)
        }
    }

    @Test("a call sent with a deadline date it cannot take is refused naming the unknown field, and nothing is raised")
    func unknownField() async throws {
        try await withApp { client in
            let commerce = try await client.signIn("commerce.dept_head")
            let call = Self.call(["deadlineWorkingDays": 3, "deadline": "2026-12-03"])
            let response = try await client.request(.post, "/api/v1/calls", json: call, token: commerce)
            #expect(response.status == .badRequest)
            Self.expectReadable(response, field: "deadline")
            #expect(try await client.get("/api/v1/calls", token: commerce, as: Schemas.CallPage.self).items.isEmpty)
        }
    }

    @Test("without a token a bad body is 401, not a schema lesson; a wrong content type too")
    func accessBeforeDecoding() async throws {
        try await withApp { client in
            let missing = try await client.request(.post, "/api/v1/departments", json: ["code": "transport", "name": "交通运输局"])
            #expect(missing.status == .unauthorized)
            #expect(missing.errorCode == "unauthenticated")
            let csv = try await client.request(.post, "/api/v1/objects/import", json: "x", contentType: "text/plain")
            #expect(csv.status == .unauthorized)
            let inspector = try await client.signIn("samr.inspector")
            let forbidden = try await client.request(.post, "/api/v1/departments", json: "{", token: inspector)
            #expect(forbidden.status == .forbidden)
        }
    }

    @Test("malformed bodies and parameters answer in Chinese, naming the field, without decoder text")
    func readableErrors() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let cases: [(String, Any, String)] = [
                ("/api/v1/departments", ["code": "transport", "name": "交通运输局", "kind": "regulator"], "regionCode"),
                ("/api/v1/departments", ["code": 7, "name": "交通运输局", "kind": "regulator", "regionCode": "330110"], "code"),
                ("/api/v1/departments", ["code": "transport", "name": "交通运输局", "kind": "ministry", "regionCode": "330110"], "kind"),
                (
                    "/api/v1/departments", ["code": "transport", "name": "n", "kind": "regulator", "regionCode": "330110", "owner": "x"],
                    "owner"
                ),
            ]
            for (path, body, field) in cases {
                let response = try await client.request(.post, path, json: body, token: admin)
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.errorCode == "malformed_request")
                Self.expectReadable(response, field: field, "\(body)")
            }
            let broken = try await client.request(.post, "/api/v1/departments", json: "{\"code\": ", token: admin)
            #expect(broken.errorCode == "malformed_request" && broken.errorField == "body")

            for (query, field) in [
                ("limit=abc", "limit"), ("limit=0", "limit"), ("limit=201", "limit"), ("limit=99999999999999999999", "limit"),
                ("cursor=%25%25", "cursor"),
            ] {
                let response = try await client.request(.get, "/api/v1/calls?\(query)", token: admin)
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.errorCode == "invalid_parameter")
                Self.expectReadable(response, field: field, "\(query)")
            }
            let path = try await client.request(.get, "/api/v1/calls/abc", token: admin)
            #expect(path.status == .badRequest && path.errorField == "id")
        }
    }

    /// A body the schema accepts, built from the schema: required members only, each with a plausible value.
    static func sample(_ reference: ContractSchema.Reference, _ validator: SchemaValidator, depth: Int = 0) throws -> Any {
        let schema = try validator.resolve(reference)
        if let first = schema.allowed?.first {
            switch first {
            case .string(let text): return text
            case .integer(let number): return number
            case .bool(let value): return value
            default: return "x"
            }
        }
        switch schema.type {
        case "object":
            var object: [String: Any] = [:]
            for name in schema.required { object[name] = try sample(schema.properties[name]!, validator, depth: depth + 1) }
            return object
        case "array":
            return try (0..<(schema.minItems ?? 0)).map { _ in try sample(schema.items!, validator, depth: depth + 1) }
        case "integer": return Int(schema.minimum ?? 1)
        case "number": return schema.minimum ?? 1
        case "boolean": return false
        default:
            switch schema.format {
            case "date": return "2026-12-01"
            case "date-time": return "2026-12-01T09:00:00+08:00"
            default:
                let candidates = ["fuel_retail", "samr", "330102", "91330102MA2H0000XA", "A", "a", "1", "x"]
                let fitting = candidates.first { text in
                    schema.pattern.map { $0.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil } ?? true
                }
                let text = fitting ?? "x"
                let least = schema.minLength ?? 1
                return text.count >= least ? text : String(repeating: "x", count: least)
            }
        }
    }

    /// The paths of the integer members a sample body holds, or could hold at its top level.
    static func integerPaths(_ reference: ContractSchema.Reference, _ validator: SchemaValidator) throws -> [[String]] {
        let schema = try validator.resolve(reference)
        guard schema.type == "object" else { return [] }
        var paths: [[String]] = []
        for (name, property) in schema.properties {
            let member = try validator.resolve(property)
            if member.type == "integer" { paths.append([name]) }
            if member.type == "object", schema.required.contains(name) {
                paths += try integerPaths(property, validator).map { [name] + $0 }
            }
        }
        return paths
    }

    static func setting(_ body: Any, _ path: [String], to value: Any) -> Any {
        guard var object = body as? [String: Any], let first = path.first else { return value }
        object[first] = setting(object[first] ?? [String: Any](), Array(path.dropFirst()), to: value)
        return object
    }

    @Test("extreme integers in every parameter and body field of every operation answer 4xx, and the server lives on")
    func extremeIntegers() async throws {
        let contract = try RequestContract(spec: OpenAPIDocument.text)
        let extremes: [Int64] = [-1, 0, Int64.max, Int64(Int32.max) + 1, -47710]
        try await withApp { client in
            let tokens = [try await client.signIn("commerce.dept_admin"), try await client.signIn("fire.inspector")]
            var sent = 0
            for (id, operation) in contract.operations.sorted(by: { $0.key < $1.key })
            where operation.path != "/api/v1/notifications/stream" {
                let body: Any? = try operation.bodyTypes["application/json"].map { try Self.sample($0!, contract.validator) }
                let integerBodyPaths =
                    try operation.bodyTypes["application/json"].map { try Self.integerPaths($0!, contract.validator) } ?? []
                let integerParameters = try operation.parameters.filter { try contract.validator.resolve($0.schema).type == "integer" }

                func send(path: String, query: String, body: Any?) async throws {
                    for token in tokens {
                        let uri = query.isEmpty ? path : "\(path)?\(query)"
                        let response = try await client.request(.init(operation.method)!, uri, json: body, token: token)
                        #expect(response.status.code < 500, "\(id) \(uri) \(String(describing: body)): \(response.status) \(response.text)")
                        sent += 1
                    }
                }
                func fill(_ overrides: [String: String]) -> (String, String) {
                    var path = operation.path
                    var query: [String] = []
                    for parameter in operation.parameters {
                        let value = overrides[parameter.name] ?? "1"
                        switch parameter.location {
                        case .path: path = path.replacingOccurrences(of: "{\(parameter.name)}", with: value)
                        case .query where overrides[parameter.name] != nil || parameter.required: query.append("\(parameter.name)=\(value)")
                        default: break
                        }
                    }
                    return (path, query.joined(separator: "&"))
                }
                for parameter in integerParameters {
                    for extreme in extremes {
                        let (path, query) = fill([parameter.name: "\(extreme)"])
                        try await send(path: path, query: query, body: body)
                    }
                }
                for field in integerBodyPaths {
                    for extreme in extremes {
                        let (path, query) = fill([:])
                        try await send(path: path, query: query, body: Self.setting(body ?? [String: Any](), field, to: extreme))
                    }
                }
            }
            #expect(sent > 300, "\(sent) requests")
            #expect(try await client.request(.get, "/health/live").status == .ok)
        }
    }

    /// A value breaking one limit of a schema, and which limit it breaks; none when the schema has no limit.
    static func breaking(_ schema: ContractSchema, _ validator: SchemaValidator, sampleItem: () throws -> Any) throws -> [(String, Any)] {
        var values: [(String, Any)] = []
        if let minimum = schema.minimum { values.append(("minimum", Int(minimum) - 1)) }
        if let maximum = schema.maximum { values.append(("maximum", Int(maximum) + 1)) }
        if let least = schema.minLength, least > 0 { values.append(("minLength", String(repeating: "1", count: least - 1))) }
        if let most = schema.maxLength { values.append(("maxLength", String(repeating: "字", count: most + 1))) }
        if let pattern = schema.pattern {
            let misfit = ["!!", "-", "字"].first { pattern.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) == nil }
            if let misfit { values.append(("pattern", misfit)) }
        }
        if let most = schema.maxItems { values.append(("maxItems", try (0...most).map { _ in try sampleItem() })) }
        if let least = schema.minItems, least > 0 { values.append(("minItems", try (0..<(least - 1)).map { _ in try sampleItem() })) }
        return values
    }

    /// The members of a body schema (top level, and inside required objects and the first item of arrays) with their
    /// paths as the contract names them (`entries[0].code`).
    static func members(
        _ reference: ContractSchema.Reference, _ validator: SchemaValidator, path: [String] = [],
        name: String = ""
    ) throws -> [(path: [Any], field: String, schema: ContractSchema)] {
        let schema = try validator.resolve(reference)
        var found: [(path: [Any], field: String, schema: ContractSchema)] = []
        if !path.isEmpty { found.append((path, name, schema)) }
        if schema.type == "object", path.count < 4 {
            for (member, property) in schema.properties.sorted(by: { $0.key < $1.key }) {
                found += try members(property, validator, path: path + [member], name: name.isEmpty ? member : "\(name).\(member)")
            }
        }
        if schema.type == "array", let items = schema.items, path.count < 4 {
            found += try members(items, validator, path: path + ["0"], name: "\(name)[0]")
        }
        return found
    }

    /// Sets `value` at `path` in a sample body; objects and arrays missing on the way are filled with samples of
    /// their schemas (`sample` of the path so far), so that only the one limit is broken.
    static func placing(
        _ value: Any, at path: [Any], in body: Any?, prefix: [String] = [],
        sample: ([String]) throws -> Any
    ) throws -> Any {
        guard let key = path.first as? String else { return value }
        let rest = Array(path.dropFirst())
        let here = prefix + [key]
        if key == "0" {
            var array = body as? [Any] ?? []
            if array.isEmpty { array = [try sample(here)] }
            array[0] = try placing(value, at: rest, in: array[0], prefix: here, sample: sample)
            return array
        }
        var object = body as? [String: Any] ?? [:]
        var current = object[key]
        if current == nil, !rest.isEmpty { current = try sample(here) }
        object[key] = try placing(value, at: rest, in: current, prefix: here, sample: sample)
        return object
    }

    @Test("every limit of the spec (minimum, maximum, lengths, pattern, item counts) is enforced, naming the field")
    func everySpecLimit() async throws {
        let contract = try RequestContract(spec: OpenAPIDocument.text)
        let validator = contract.validator
        try await withApp { client in
            // A user the access table admits to each operation, so that the request reaches the contract.
            var tokens: [String: String] = [:]
            func token(for id: String) async throws -> String? {
                guard case .permission(let permission) = OperationAccess.table[id] else {
                    return OperationAccess.table[id] == .open ? nil : try await client.signIn("commerce.dept_admin")
                }
                let role = Role.allCases.first { permission.roles.contains($0) }!
                let user = role.rawValue.hasPrefix("office") || role == .auditor ? "office.\(role.rawValue)" : "commerce.\(role.rawValue)"
                if let known = tokens[user] { return known }
                let signed = try await client.signIn(user)
                tokens[user] = signed
                return signed
            }
            var checked = 0
            for (id, operation) in contract.operations.sorted(by: { $0.key < $1.key })
            where operation.path != "/api/v1/notifications/stream" {
                let bearer = try await token(for: id)
                func uri(_ overrides: [String: String]) throws -> String {
                    var path = operation.path
                    var query: [String] = []
                    for parameter in operation.parameters {
                        let value = try overrides[parameter.name] ?? "\(Self.sample(parameter.schema, validator))"
                        switch parameter.location {
                        case .path: path = path.replacingOccurrences(of: "{\(parameter.name)}", with: value)
                        case .query where overrides[parameter.name] != nil || parameter.required: query.append("\(parameter.name)=\(value)")
                        default: break
                        }
                    }
                    let encoded = query.map { $0.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? $0 }
                    return encoded.isEmpty ? path : "\(path)?\(encoded.joined(separator: "&"))"
                }
                let bodyType = operation.bodyTypes["application/json"] ?? nil
                let body: Any? = try bodyType.map { try Self.sample($0, validator) }
                for parameter in operation.parameters where parameter.location != .header {
                    let schema = try validator.resolve(parameter.schema)
                    for (limit, value) in try Self.breaking(schema, validator, sampleItem: { "x" }) {
                        let response = try await client.request(
                            .init(operation.method)!, try uri([parameter.name: "\(value)"]), json: body, token: bearer)
                        #expect(response.status == .badRequest, "\(id) \(parameter.name) \(limit): \(response.status) \(response.text)")
                        #expect(response.errorField == parameter.name, "\(id) \(parameter.name) \(limit)")
                        Self.expectReadable(response, field: parameter.name, "\(id) \(parameter.name) \(limit)")
                        checked += 1
                    }
                }
                guard let bodyType else { continue }
                let members = try Self.members(bodyType, validator)
                func sampleAt(_ path: [String]) throws -> Any {
                    guard let node = members.first(where: { $0.path.compactMap { $0 as? String } == path }) else { return [String: Any]() }
                    return try Self.sample(.inline(node.schema), validator)
                }
                for member in members {
                    let itemSample = { () throws -> Any in try member.schema.items.map { try Self.sample($0, validator) } ?? "x" }
                    for (limit, value) in try Self.breaking(member.schema, validator, sampleItem: itemSample) {
                        let broken = try Self.placing(value, at: member.path, in: body, sample: sampleAt)
                        let response = try await client.request(.init(operation.method)!, try uri([:]), json: broken, token: bearer)
                        let expected: HTTPResponse.Status = member.schema.rule == nil ? .badRequest : .unprocessableContent
                        #expect(response.status == expected, "\(id) \(member.field) \(limit): \(response.status) \(response.text)")
                        #expect(response.errorField == member.field, "\(id) \(member.field) \(limit): \(response.text)")
                        checked += 1
                    }
                }
            }
            #expect(checked > 60, "\(checked) limits tried")
        }
    }
}
