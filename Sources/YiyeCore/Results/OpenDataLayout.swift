import Foundation

/// 开放数据: the layout of published results as a provincial platform or the national enterprise credit publicity
/// system imports them, one row per published version, as CSV (UTF-8 with BOM, Chinese headers) or JSON Lines (the
/// keys). The dictionary below is the one place the columns are defined; the README and the dictionary endpoint show it.
public enum OpenDataLayout {
    public struct Column: Sendable {
        /// The JSON Lines key.
        public var key: String
        /// The CSV header.
        public var header: String
        public var description: String
        let value: @Sendable (Record) -> String
    }

    public static let columns: [Column] = [
        Column(key: "id", header: "记录编号", description: "该公示版本的稳定编号：结果编号-版本号") { $0.id },
        Column(key: "resultId", header: "结果编号", description: "检查结果的稳定编号，各版本相同") { String($0.resultId) },
        Column(key: "version", header: "版本", description: "公示版本号，自 1 起") { String($0.version) },
        Column(key: "creditCode", header: "统一社会信用代码", description: "被检查对象的统一社会信用代码") { $0.creditCode },
        Column(key: "objectName", header: "被检查对象名称", description: "公示时的名称") { $0.objectName },
        Column(key: "industry", header: "行业", description: "行业代码") { $0.industry },
        Column(key: "authority", header: "检查实施机关", description: "作出检查结果的部门名称") { $0.authority },
        Column(key: "department", header: "部门代码", description: "检查实施机关的代码") { $0.department },
        Column(key: "inspectionType", header: "类型", description: "抽查类型") { $0.inspectionType },
        Column(key: "inspectedOn", header: "日期", description: "检查日期（现场检查日，无现场检查的为任务结束日），YYYY-MM-DD") { $0.inspectedOn },
        Column(key: "results", header: "结果", description: "检查结果的规范表述，多项以中文分号分隔（JSON Lines 中为数组）") { $0.results.joined(separator: "；") },
        Column(key: "resultCodes", header: "结果代码", description: "检查结果代码，多项以分号分隔（JSON Lines 中为数组），见 GET /api/v1/enums 的 resultCategory") {
            $0.resultCodes.joined(separator: ";")
        },
        Column(key: "remarks", header: "备注", description: "备注") { $0.remarks },
        Column(key: "items", header: "检查事项", description: "检查事项及其结果，每项一行：序号 内容：结果") {
            $0.items.map { "\($0.number) \($0.content)：\($0.outcomeLabel)" }.joined(separator: "\n")
        },
        Column(key: "withheld", header: "不予公开", description: "不予公开的范围及理由类别；空为全部公开") { $0.withheld },
        Column(key: "change", header: "变更原因", description: "本版本替代上一版本的原因类别；第 1 版为空；「停止公示」的结果此后不再公示，其此前各版本不再导出") { $0.change },
        Column(key: "reason", header: "变更说明", description: "本版本替代上一版本的说明") { $0.reason },
        Column(key: "publishedAt", header: "公示时间", description: "本版本公示的时间，RFC 3339，UTC") { $0.publishedAt },
        Column(key: "taskName", header: "抽查任务", description: "所属抽查任务名称") { $0.taskName },
    ]

    /// The CSV's first line (with the byte-order mark).
    public static var csvHeader: String { CSVWriter.byteOrderMark + CSVWriter.line(columns.map(\.header)) }

    /// One version as a CSV row.
    public static func csvRow(_ version: PublishedVersion) -> String {
        let record = Record(version)
        return CSVWriter.line(columns.map { $0.value(record) })
    }

    /// One version as a JSON Lines record: the columns' keys, with the results, their codes and the items as arrays
    /// and the numbers as numbers.
    public static func jsonLine(_ version: PublishedVersion, encoder: JSONEncoder) throws -> String {
        String(decoding: try encoder.encode(Record(version)), as: UTF8.self) + "\n"
    }

    /// The encoder for `jsonLine`: keys sorted, one line per record.
    public static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// One published version as exported; its coding keys are the columns' keys.
    public struct Record: Encodable, Sendable {
        public struct Item: Encodable, Sendable {
            var number: Int
            var content: String
            var outcome: String
            var outcomeLabel: String
        }

        var id: String
        var resultId: Int64
        var version: Int
        var creditCode: String
        var objectName: String
        var industry: String
        var authority: String
        var department: String
        var inspectionType: String
        var inspectedOn: String
        var results: [String]
        var resultCodes: [String]
        var remarks: String
        var items: [Item]
        var withheld: String
        var change: String
        var reason: String
        var publishedAt: String
        var taskName: String

        init(_ version: PublishedVersion) {
            let content = version.content
            id = "\(version.resultID)-\(version.version)"
            resultId = version.resultID
            self.version = version.version
            creditCode = content.creditCode
            objectName = content.objectName
            industry = content.industry
            authority = content.authority
            department = content.department.rawValue
            inspectionType = content.inspectionType
            inspectedOn = content.inspectedOn.description
            results = content.categories.map(\.label)
            resultCodes = content.categories.map(\.code.rawValue)
            remarks = content.remarks
            items = content.items.map {
                Item(number: $0.number, content: $0.content, outcome: $0.outcome.rawValue, outcomeLabel: $0.outcomeLabel)
            }
            withheld = content.withheld.map { "\($0.scopeLabel)（\($0.groundLabel)）" } ?? ""
            change = version.change?.label ?? ""
            reason = version.reason
            publishedAt = version.publishedAt.formatted(.iso8601)
            taskName = content.taskName
        }
    }
}
