import Foundation
import YiyeCore

/// One JSON Schema of the served spec, with the keywords a request is held to: type, format, enum, bounds,
/// lengths, pattern, items, properties, required and closed objects (`additionalProperties: false`).
/// Immutable once read; the compiled pattern is only used for matching, which is thread-safe.
final class ContractSchema: @unchecked Sendable {
    /// A schema written in place or a `$ref` to `#/components/schemas/Name`.
    enum Reference: Sendable {
        case named(String)
        case inline(ContractSchema)
    }

    let type: String?
    let format: String?
    let allowed: [JSONValue]?
    let minimum: Double?
    let maximum: Double?
    let minLength: Int?
    let maxLength: Int?
    let pattern: NSRegularExpression?
    let minItems: Int?
    let maxItems: Int?
    let items: Reference?
    let properties: [String: Reference]
    let required: [String]
    /// `x-yiye-rule`: the domain rule whose code a value outside this schema's limits is refused with (422), as the
    /// domain itself would; without it such a value is a malformed request (400).
    let rule: String?
    /// Properties the schema does not name (`additionalProperties`): any, none, or each held to a schema.
    let otherProperties: OtherProperties

    enum OtherProperties: Sendable {
        case any
        case refused
        case each(Reference)
    }

    /// Reads a schema node of the parsed YAML; `$ref`s stay references, resolved when a value is checked.
    static func reference(_ node: Any?) throws -> Reference {
        guard let node = node as? [String: Any] else { throw ContractError("schema is not a mapping") }
        if let ref = node["$ref"] as? String {
            let prefix = "#/components/schemas/"
            guard ref.hasPrefix(prefix) else { throw ContractError("unsupported $ref \(ref)") }
            return .named(String(ref.dropFirst(prefix.count)))
        }
        return .inline(try ContractSchema(node))
    }

    init(_ node: [String: Any]) throws {
        type = node["type"] as? String
        format = node["format"] as? String
        allowed = (node["enum"] as? [Any])?.map(Self.value)
        minimum = (node["minimum"] as? NSNumber)?.doubleValue ?? (node["minimum"] as? Int).map(Double.init)
        maximum = (node["maximum"] as? NSNumber)?.doubleValue ?? (node["maximum"] as? Int).map(Double.init)
        minLength = node["minLength"] as? Int
        maxLength = node["maxLength"] as? Int
        pattern = try (node["pattern"] as? String).map { try NSRegularExpression(pattern: $0) }
        minItems = node["minItems"] as? Int
        maxItems = node["maxItems"] as? Int
        items = try node["items"].map(Self.reference)
        properties = try (node["properties"] as? [String: Any] ?? [:]).mapValues(Self.reference)
        required = node["required"] as? [String] ?? []
        rule = node["x-yiye-rule"] as? String
        otherProperties =
            switch node["additionalProperties"] {
            case let allowed as Bool: allowed ? .any : .refused
            case let schema?: .each(try Self.reference(schema))
            case nil: .any
            }
    }

    private static func value(_ any: Any) -> JSONValue {
        switch any {
        case let value as Bool: .bool(value)
        case let value as Int: .integer(Int64(value))
        case let value as Double: .number(value)
        case let value as String: .string(value)
        default: .string(String(describing: any))
        }
    }
}

/// The spec could not be read as a contract: a programming error found at start-up, never a request's fault.
struct ContractError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
