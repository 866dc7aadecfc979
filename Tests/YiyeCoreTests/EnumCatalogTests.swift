import Testing
import YiyeCore

@Suite("Enum catalog")
struct EnumCatalogTests {
    @Test("every enumeration has unique codes and a Chinese label for each")
    func uniqueAndLabelled() {
        #expect(Set(EnumCatalog.all.map(\.name)).count == EnumCatalog.all.count)
        for enumeration in EnumCatalog.all {
            #expect(Set(enumeration.values.map(\.code)).count == enumeration.values.count, "\(enumeration.name)")
            for value in enumeration.values {
                #expect(value.label.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(value.code) has no Chinese label")
            }
        }
    }

    @Test("department kinds in the catalog are exactly the domain's kinds")
    func departmentKinds() throws {
        let kinds = try #require(EnumCatalog.all.first { $0.name == "departmentKind" })
        #expect(kinds.values.map(\.code) == Department.Kind.allCases.map(\.rawValue))
    }

    @Test("the result categories use DOMAIN.md's 公示表述")
    func resultCategories() throws {
        let results = try #require(EnumCatalog.all.first { $0.name == "resultCategory" })
        let labels = Dictionary(uniqueKeysWithValues: results.values.map { ($0.code, $0.label) })
        #expect(labels["no_problem"] == "未发现问题")
        #expect(labels["pending_follow_up"] == "发现问题，待后续调查处理")
        #expect(labels["falsified_info"] == "公示信息隐瞒真实情况弄虚作假")
    }
}

@Suite("Codes read back are known or refused loudly")
struct CodeTests {
    @Test("a code the build does not know is an error naming the type and the code, never a default")
    func unknownCode() throws {
        #expect(try DrawChange.Kind(code: "replace_object") == .replaceObject)
        #expect(throws: UnknownCode(type: "Kind", code: "swap_team")) { try DrawChange.Kind(code: "swap_team") }
        #expect(throws: UnknownCode(type: "Status", code: "")) { try WhistleCall.Status(code: "") }
    }
}
