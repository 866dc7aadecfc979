import Testing
import YiyeCore

@Suite("CSV reading and the object directory's layout")
struct DirectoryCSVTests {
    func records(_ text: String, chunk: Int = 3) -> [CSVReader.Record] {
        var reader = CSVReader()
        var out: [CSVReader.Record] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            reader.read(bytes[index..<min(index + chunk, bytes.count)]) { out.append($0) }
            index += chunk
        }
        reader.finish { out.append($0) }
        return out
    }

    @Test("quotes, doubled quotes, commas and line breaks inside fields, CRLF, BOM, blank lines; across chunk edges")
    func rfc4180() {
        let text = "\u{FEFF}a,b,c\r\n\"x,1\",\"he said \"\"hi\"\"\",\"two\nlines\"\r\n\r\nlast,,end"
        for chunk in [1, 2, 5, 1000] {
            let parsed = records(text, chunk: chunk)
            #expect(
                parsed == [
                    .init(line: 1, fields: ["a", "b", "c"]),
                    .init(line: 2, fields: ["x,1", "he said \"hi\"", "two\nlines"]),
                    .init(line: 5, fields: ["last", "", "end"]),
                ], "chunk \(chunk)")
        }
    }

    static func code(_ body: String) -> String { body + String(CreditCode.checkCharacter(for: body)!) }

    @Test("Chinese headers and labels, lists with ；, defaults")
    func chineseLayout() throws {
        let layout = try ObjectCSV(header: ["统一社会信用代码", "名称", "类型", "行业", "行政区划代码", "监管部门", "信用风险分类", "评级日期", "状态"])
        let object = try layout.object(from: [
            Self.code("91330110MA2B00001"), "示范加油站有限公司", "企业", "fuel_retail", "330110",
            "commerce；samr", "C", "2026-03-01", "列入经营异常名录",
        ])
        #expect(object.kind == .enterprise)
        #expect(object.supervisingDepartments == ["commerce", "samr"])
        #expect(object.riskClass == .c)
        #expect(object.status == .abnormalList)
        #expect(object.tags.isEmpty)
    }

    @Test(
        "each bad row names its rule",
        arguments: [
            (["91330110MA2B000011", "某公司", "企业", "330110", "samr"], DomainError.Rule.invalidCreditCode),
            ([code("91330110MA2B00001"), "", "企业", "330110", "samr"], .invalidName),
            ([code("91330110MA2B00001"), "某公司", "公司", "330110", "samr"], .invalidValue),
            ([code("91330110MA2B00001"), "某公司", "企业", "3301", "samr"], .invalidRegionCode),
            ([code("91330110MA2B00001"), "某公司", "企业", "330110", ""], .noSupervisingDepartment),
            ([code("91330110MA2B00001"), "某公\u{0}司", "企业", "330110", "samr"], .invalidValue),
        ])
    func badRows(fields: [String], rule expected: DomainError.Rule) throws {
        let layout = try ObjectCSV(header: ["creditCode", "name", "kind", "regionCode", "supervisingDepartments"])
        #expect(rule(of: { () throws(DomainError) in _ = try layout.object(from: fields) }) == expected)
    }

    @Test("a header without a required column, or with an unknown one, is refused")
    func headers() {
        #expect(rule(of: { () throws(DomainError) in _ = try ObjectCSV(header: ["名称", "类型", "行政区划代码", "监管部门"]) }) == .missingColumn)
        #expect(
            rule(of: { () throws(DomainError) in _ = try ObjectCSV(header: ["统一社会信用代码", "名称", "类型", "行政区划代码", "监管部门", "备注"]) })
                == .missingColumn)
    }

    @Test("risk class and rating date come together")
    func riskPair() throws {
        let layout = try ObjectCSV(header: ["统一社会信用代码", "名称", "类型", "行政区划代码", "监管部门", "信用风险分类"])
        #expect(
            rule(of: { () throws(DomainError) in
                _ = try layout.object(from: [Self.code("91330110MA2B00001"), "某公司", "企业", "330110", "samr", "B"])
            }) == .invalidRiskRating)
    }
}
