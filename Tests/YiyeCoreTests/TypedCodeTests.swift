import Foundation
import Testing
import YiyeCore

@Suite("Department codes and record ids: their own types, written as their text and number")
struct TypedCodeTests {
    @Test("a code encodes as its text, alone, in a list and as a dictionary key, so stored JSON reads as before")
    func encodesAsText() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        #expect(try json(DepartmentCode("fire")) == #""fire""#)
        #expect(try json([DepartmentCode("fire"), "samr"]) == #"["fire","samr"]"#)
        #expect(try json([DepartmentCode("samr"): 2, "fire": 1]) == #"{"fire":1,"samr":2}"#)
        let decoded = try JSONDecoder().decode([DepartmentCode: Int].self, from: Data(#"{"eco":3}"#.utf8))
        #expect(decoded == ["eco": 3])
        let plan = WorkPlan(responsibilities: ["fire": "消防设施检查"], schedule: [])
        #expect(try json(plan).contains(#""responsibilities":{"fire":"消防设施检查"}"#))
    }

    @Test("codes sort and compare as their text; a name table falls back to the code")
    func ordersAndNames() {
        #expect([DepartmentCode("samr"), "commerce", "fire"].sorted() == ["commerce", "fire", "samr"])
        let names: [DepartmentCode: String] = ["fire": "消防救援大队"]
        #expect(names[name: "fire"] == "消防救援大队")
        #expect(names[name: "eco"] == "eco")
        #expect(["fire", "eco"].departmentCodes.codes == ["fire", "eco"])
    }

    @Test("a task's or a draw's id encodes as its number and orders as it")
    func identifiers() throws {
        #expect(String(decoding: try JSONEncoder().encode([TaskID(7), 12]), as: UTF8.self) == "[7,12]")
        #expect(try JSONDecoder().decode(DrawID.self, from: Data("42".utf8)) == DrawID(42))
        #expect([DrawID(3), 1, 2].sorted().map(\.rawValue) == [1, 2, 3])
        #expect("\(TaskID(5))" == "5")
    }
}
