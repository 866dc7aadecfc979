/// The object directory's CSV layout: one header row (Chinese or English column names), then one object a row.
public struct ObjectCSV: Sendable {
    public enum Column: String, CSVColumn {
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

        public var required: Bool { [.creditCode, .name, .kind, .regionCode, .supervisingDepartments].contains(self) }
    }

    private let layout: CSVLayout<Column>

    /// Reads the header row; a missing required column or an unknown one is refused.
    public init(header: [String]) throws(DomainError) {
        layout = try CSVLayout(header: header)
    }

    /// One row as an object, or the rule it breaks.
    public func object(from fields: [String]) throws(DomainError) -> InspectedObject {
        let row = try layout.row(fields)
        guard let kind: InspectedObject.Kind = try row.enumerated(.kind, \.label) else {
            throw DomainError(.invalidValue, "「类型」必填", field: "kind")
        }
        let object = InspectedObject(
            creditCode: row.value(.creditCode), name: row.value(.name), kind: kind, industries: row.list(.industries),
            regionCode: row.value(.regionCode), address: row.value(.address), scale: try row.enumerated(.scale, \.label),
            riskClass: try row.enumerated(.riskClass, \.rawValue), riskRatedOn: try row.date(.riskRatedOn),
            supervisingDepartments: row.list(.supervisingDepartments).map { DepartmentCode($0) },
            status: try row.enumerated(.status, \.label) ?? .active, tags: row.list(.tags)
        )
        try object.validate()
        return object
    }
}
