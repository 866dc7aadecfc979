import Foundation
import Testing

@testable import YiyeAPI

/// The spec must say what the server does: each operation is marked public or lists its roles, and those marks
/// match the table the handlers enforce.
@Suite("openapi.yaml declares who may call each operation")
struct SpecAccessTests {
    struct Declared: Equatable {
        var isPublic = false
        var roles: [String]?
    }

    /// operationId → its `security: []` / `x-yiye-roles` marks (they follow the operationId line in our spec).
    static func declarations() throws -> [String: Declared] {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/YiyeContract/openapi.yaml")
        let lines = try String(contentsOf: source, encoding: .utf8).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var result: [String: Declared] = [:]
        for (index, line) in lines.enumerated() where line.hasPrefix("operationId:") {
            let id = line.dropFirst("operationId:".count).trimmingCharacters(in: .whitespaces)
            var declared = Declared()
            for next in lines[(index + 1)..<min(index + 4, lines.count)] {
                if next == "security: []" { declared.isPublic = true }
                if next.hasPrefix("x-yiye-roles:") {
                    declared.roles = next.dropFirst("x-yiye-roles:".count)
                        .trimmingCharacters(in: CharacterSet(charactersIn: " []"))
                        .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                }
            }
            result[id] = declared
        }
        return result
    }

    @Test("every operation is in the access table, marked public or with its roles, as the table says")
    func matches() throws {
        let declared = try Self.declarations()
        #expect(Set(declared.keys) == Set(OperationAccess.table.keys))
        for (operation, access) in OperationAccess.table {
            let marks = try #require(declared[operation], "\(operation) is not in the spec")
            if access == .open {
                #expect(marks.isPublic && marks.roles == nil, "\(operation) should be security: []")
            } else {
                #expect(!marks.isPublic, "\(operation) should not be public")
                #expect(
                    marks.roles.map { Set($0) } == access.specRoles.map { Set($0) },
                    "\(operation): spec \(marks.roles ?? []) vs code \(access.specRoles ?? [])")
            }
        }
    }
}
