import Foundation
import YiyeContract
import YiyeCore

/// Checks a JSON value or a parameter's text against the spec's schemas, reporting the first violation.
struct SchemaValidator: Sendable {
    /// `#/components/schemas`, by name.
    let components: [String: ContractSchema]

    func resolve(_ reference: ContractSchema.Reference) throws(ContractViolation) -> ContractSchema {
        switch reference {
        case .inline(let schema): return schema
        case .named(let name):
            // Every $ref is checked at start-up (`RequestContract.init`), so a miss cannot come from a request.
            guard let schema = components[name] else { throw ContractViolation(field: "", problem: "的规范引用了未定义的结构 \(name)") }
            return schema
        }
    }

    /// Checks `value` against `reference`; `path` names it in the violation.
    func check(_ value: JSONValue, _ reference: ContractSchema.Reference, at path: String) throws(ContractViolation) {
        let schema = try resolve(reference)
        /// A value outside the schema's limits; a wrong type stays malformed whatever the rule.
        func fail(_ problem: String) -> ContractViolation { ContractViolation(field: path, problem: problem, rule: schema.rule) }

        switch (schema.type, value) {
        case (nil, _): break
        case ("object", .object(let members)):
            for name in schema.required where members[name] == nil || members[name] == .null {
                throw ContractViolation(field: Self.join(path, name), problem: "为必填项")
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let property = schema.properties[name] {
                    if member == .null, !schema.required.contains(name) { continue }
                    try check(member, property, at: Self.join(path, name))
                } else {
                    switch schema.otherProperties {
                    case .any: break
                    case .each(let other): try check(member, other, at: Self.join(path, name))
                    case .refused:
                        throw ContractViolation(field: Self.join(path, name), problem: "不是可接受的字段，请对照接口文档检查字段名")
                    }
                }
            }
        case ("array", .array(let elements)):
            if let least = schema.minItems, elements.count < least { throw fail("至少需要 \(least) 项") }
            if let most = schema.maxItems, elements.count > most { throw fail("最多 \(most) 项") }
            if let items = schema.items {
                for (index, element) in elements.enumerated() { try check(element, items, at: "\(path)[\(index)]") }
            }
        case ("string", .string(let text)):
            try checkString(text, schema, fail)
        case ("integer", .integer(let number)):
            try checkInteger(number, schema, fail)
        case ("integer", .number(let number)):
            throw fail(number.rounded() == number ? "超出允许的数值范围" : "应为整数")
        case ("number", .integer(let number)):
            try checkBounds(Double(number), schema, fail)
        case ("number", .number(let number)):
            try checkBounds(number, schema, fail)
        case ("boolean", .bool):
            break
        case (let type?, _):
            throw ContractViolation(field: path, problem: "应为\(Self.typeName(type, format: schema.format))")
        }
        if let allowed = schema.allowed, !allowed.contains(value) {
            let choices = allowed.map { if case .string(let text) = $0 { text } else { "\($0)" } }
            throw fail("的取值须为以下之一：\(choices.joined(separator: "、"))")
        }
    }

    /// Checks a path or query parameter, sent as text, against its schema.
    func check(parameter text: Substring, _ reference: ContractSchema.Reference, named name: String) throws(ContractViolation) {
        let schema = try resolve(reference)
        let value: JSONValue
        switch schema.type {
        case "integer":
            guard let number = Int64(text) else {
                let digits = text.drop { $0 == "-" || $0 == "+" }
                let integral = !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
                throw ContractViolation(field: name, problem: integral ? "超出允许的数值范围" : "应为整数")
            }
            value = .integer(number)
        case "boolean":
            guard text == "true" || text == "false" else { throw ContractViolation(field: name, problem: "应为 true 或 false") }
            value = .bool(text == "true")
        default:
            value = .string(String(text))
        }
        try check(value, reference, at: name)
    }

    private func checkString(_ text: String, _ schema: ContractSchema, _ fail: (String) -> ContractViolation) throws(ContractViolation) {
        if let least = schema.minLength, text.count < least { throw fail(least == 1 ? "不能为空" : "至少需要 \(least) 个字符") }
        if let most = schema.maxLength, text.count > most { throw fail("不能超过 \(most) 个字符") }
        if let pattern = schema.pattern,
            pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil
        {
            throw fail("格式不正确")
        }
        switch schema.format {
        case "date":
            if CalendarDate(text) == nil { throw fail("应为日期，格式 YYYY-MM-DD，如 2026-12-01") }
        case "date-time":
            if (try? RFC3339DateTranscoder().decode(text)) == nil { throw fail("应为 RFC 3339 时间，如 2026-12-01T09:00:00+08:00") }
        default: break
        }
    }

    private func checkInteger(_ number: Int64, _ schema: ContractSchema, _ fail: (String) -> ContractViolation) throws(ContractViolation) {
        if schema.format == "int32", Int32(exactly: number) == nil { throw fail("超出允许的数值范围") }
        try checkBounds(Double(number), schema, fail)
    }

    private func checkBounds(_ number: Double, _ schema: ContractSchema, _ fail: (String) -> ContractViolation) throws(ContractViolation) {
        if let least = schema.minimum, number < least { throw fail("不能小于 \(Self.figure(least))") }
        if let most = schema.maximum, number > most { throw fail("不能大于 \(Self.figure(most))") }
    }

    private static func figure(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    private static func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    private static func typeName(_ type: String, format: String?) -> String {
        switch (type, format) {
        case ("object", _): "对象（JSON 对象）"
        case ("array", _): "数组"
        case ("string", "date"): "日期字符串，格式 YYYY-MM-DD"
        case ("string", "date-time"): "RFC 3339 时间字符串"
        case ("string", _): "字符串"
        case ("integer", _): "整数"
        case ("number", _): "数值"
        case ("boolean", _): "布尔值 true 或 false"
        default: type
        }
    }
}
