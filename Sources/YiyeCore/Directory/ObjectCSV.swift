/// The object directory's CSV layout: one header row (Chinese or English column names), then one object a row.
///
/// Enumerated values take the English code or the Chinese label (企业, 个体工商户, 存续, …); lists (industries,
/// supervising departments, tags) are separated by `;`, `；` or `|`; dates are `YYYY-MM-DD`.
public struct ObjectCSV: Sendable {
    /// A column: its English name, its Chinese name, and whether a file must have it.
    public enum Column: String, Sendable, CaseIterable {
        case creditCode, name, kind, industries, regionCode, address, scale, riskClass, riskRatedOn
        case supervisingDepartments, status, tags

        public var chineseName: String {
            switch self {
            case .creditCode: "统一社会信用代码"
            case .name: "名称"
            case .kind: "类型"
            case .industries: "行业"
            case .regionCode: "行政区划代码"
            case .address: "地址"
            case .scale: "规模"
            case .riskClass: "信用风险分类"
            case .riskRatedOn: "评级日期"
            case .supervisingDepartments: "监管部门"
            case .status: "状态"
            case .tags: "标签"
            }
        }

        var required: Bool { [.creditCode, .name, .kind, .regionCode, .supervisingDepartments].contains(self) }
    }

    private let positions: [Column: Int]

    /// Reads the header row; a missing required column or an unknown one is refused.
    public init(header: [String]) throws(DomainError) {
        var positions: [Column: Int] = [:]
        for (index, raw) in header.enumerated() {
            let name = raw.trimmingWhitespaceString
            guard let column = Column.allCases.first(where: { $0.rawValue == name || $0.chineseName == name }) else {
                throw DomainError(.missingColumn, "第 1 行：未知的列「\(name)」", field: "header")
            }
            positions[column] = index
        }
        if let missing = Column.allCases.first(where: { $0.required && positions[$0] == nil }) {
            throw DomainError(.missingColumn, "第 1 行：缺少必填列「\(missing.chineseName)」（\(missing.rawValue)）", field: "header")
        }
        self.positions = positions
    }

    /// One row as an object, or the rule it breaks.
    public func object(from fields: [String]) throws(DomainError) -> InspectedObject {
        func value(_ column: Column) -> String {
            guard let index = positions[column], index < fields.count else { return "" }
            return fields[index].trimmingWhitespaceString
        }
        func list(_ column: Column) -> [String] {
            value(column).split(whereSeparator: { $0 == ";" || $0 == "；" || $0 == "|" })
                .map { String($0).trimmingWhitespaceString }.filter { !$0.isEmpty }
        }
        func enumerated<T: RawRepresentable & CaseIterable>(_ column: Column, _ label: (T) -> String) throws(DomainError) -> T?
            where T.RawValue == String {
            let text = value(column)
            if text.isEmpty { return nil }
            guard let found = T.allCases.first(where: { $0.rawValue == text || label($0) == text }) else {
                throw DomainError(.invalidValue, "「\(column.chineseName)」的值「\(text)」无效", field: column.rawValue)
            }
            return found
        }
        guard !fields.contains(where: { $0.unicodeScalars.contains("\u{0}") }) else {
            throw DomainError(.invalidValue, "含有空字符（\\0）", field: "row")
        }
        guard let kind: InspectedObject.Kind = try enumerated(.kind, \.label) else {
            throw DomainError(.invalidValue, "「类型」必填", field: "kind")
        }
        var ratedOn: CalendarDate?
        let dateText = value(.riskRatedOn)
        if !dateText.isEmpty {
            guard let date = CalendarDate(dateText) else {
                throw DomainError(.invalidValue, "「评级日期」须为 YYYY-MM-DD", field: "riskRatedOn")
            }
            ratedOn = date
        }
        let object = InspectedObject(
            creditCode: value(.creditCode), name: value(.name), kind: kind, industries: list(.industries),
            regionCode: value(.regionCode), address: value(.address), scale: try enumerated(.scale, \.label),
            riskClass: try enumerated(.riskClass, \.rawValue), riskRatedOn: ratedOn,
            supervisingDepartments: list(.supervisingDepartments),
            status: try enumerated(.status, \.label) ?? .active, tags: list(.tags)
        )
        try object.validate()
        return object
    }
}

extension String {
    var trimmingWhitespaceString: String { String(trimmingWhitespace) }
}
