import Foundation
import Yams

/// What the served spec lets each operation receive: its parameters and its body, by `operationId`. Read once at
/// start-up from `openapi.yaml`; every `$ref` is resolved then, so a broken spec stops the server before it serves.
struct RequestContract: Sendable {
    struct Parameter: Sendable {
        enum Location: String, Sendable { case path, query, header }
        var name: String
        var location: Location
        var required: Bool
        var schema: ContractSchema.Reference
    }

    struct Operation: Sendable {
        /// `POST`, and the path template (`/api/v1/calls/{id}/actions`).
        var method: String
        var path: String
        var parameters: [Parameter]
        var bodyRequired: Bool
        /// Media types the body may have, with the schema of the JSON ones.
        var bodyTypes: [String: ContractSchema.Reference?]
    }

    let operations: [String: Operation]
    let validator: SchemaValidator

    init(spec: String) throws {
        guard let root = try Yams.load(yaml: spec) as? [String: Any],
            let paths = root["paths"] as? [String: Any],
            let components = root["components"] as? [String: Any]
        else { throw ContractError("the spec has no paths or components") }
        let schemaNodes = components["schemas"] as? [String: Any] ?? [:]
        var schemas: [String: ContractSchema] = [:]
        for (name, node) in schemaNodes {
            guard let node = node as? [String: Any] else { throw ContractError("schema \(name) is not a mapping") }
            schemas[name] = try ContractSchema(node)
        }
        validator = SchemaValidator(components: schemas)
        let sharedParameters = components["parameters"] as? [String: Any] ?? [:]

        func parameter(_ node: Any) throws -> Parameter {
            var node = node as? [String: Any] ?? [:]
            if let ref = node["$ref"] as? String {
                let name = ref.replacingOccurrences(of: "#/components/parameters/", with: "")
                guard let shared = sharedParameters[name] as? [String: Any] else { throw ContractError("unknown parameter \(ref)") }
                node = shared
            }
            guard let name = node["name"] as? String, let location = (node["in"] as? String).flatMap(Parameter.Location.init) else {
                throw ContractError("parameter without name or location: \(node)")
            }
            return Parameter(
                name: name, location: location, required: node["required"] as? Bool ?? false,
                schema: try ContractSchema.reference(node["schema"]))
        }

        var operations: [String: Operation] = [:]
        for (path, item) in paths {
            guard let item = item as? [String: Any] else { continue }
            let shared = try (item["parameters"] as? [Any] ?? []).map(parameter)
            for method in ["get", "put", "post", "delete", "patch"] {
                guard let node = item[method] as? [String: Any], let id = node["operationId"] as? String else { continue }
                var bodyTypes: [String: ContractSchema.Reference?] = [:]
                let body = node["requestBody"] as? [String: Any]
                for (mediaType, content) in body?["content"] as? [String: Any] ?? [:] {
                    let schema = (content as? [String: Any])?["schema"]
                    bodyTypes[mediaType] = mediaType == "application/json" ? try ContractSchema.reference(schema) : nil
                }
                operations[id] = Operation(
                    method: method.uppercased(), path: path,
                    parameters: shared + (try (node["parameters"] as? [Any] ?? []).map(parameter)),
                    bodyRequired: body?["required"] as? Bool ?? false, bodyTypes: bodyTypes
                )
            }
        }
        self.operations = operations
        try checkReferences()
    }

    /// Every `$ref` names a schema of the spec.
    private func checkReferences() throws {
        var seen: Set<ObjectIdentifier> = []
        func visit(_ reference: ContractSchema.Reference) throws {
            let schema: ContractSchema
            switch reference {
            case .inline(let inline): schema = inline
            case .named(let name):
                guard let named = validator.components[name] else { throw ContractError("unknown schema \(name)") }
                schema = named
            }
            guard seen.insert(ObjectIdentifier(schema)).inserted else { return }
            try schema.items.map(visit)
            try schema.properties.values.forEach(visit)
            if case .each(let other) = schema.otherProperties { try visit(other) }
        }
        for schema in validator.components.values { try visit(.inline(schema)) }
        for operation in operations.values {
            for parameter in operation.parameters { try visit(parameter.schema) }
            try operation.bodyTypes.values.compactMap { $0 }.forEach(visit)
        }
    }
}
