/// The inspector roster's CSV layout: one header row (Chinese or English column names), then one person a row. The
/// department is the importer's; rows are matched by 执法证号.
public struct InspectorCSV: Sendable {
    public enum Column: String, CSVColumn {
        case certificateNumber, name, position, post, phone, level, regionCode, categories, qualifications, expertise
        case status, isExpert, institution

        public var chineseName: String {
            switch self {
            case .certificateNumber: "执法证号"
            case .name: "姓名"
            case .position: "职务"
            case .post: "执法岗位"
            case .phone: "联系电话"
            case .level: "层级"
            case .regionCode: "行政区划代码"
            case .categories: "执法门类"
            case .qualifications: "资质"
            case .expertise: "专业特长"
            case .status: "状态"
            case .isExpert: "外部专家"
            case .institution: "所属机构"
            }
        }

        public var required: Bool { [.certificateNumber, .name, .level, .regionCode].contains(self) }
    }

    private let layout: CSVLayout<Column>

    public init(header: [String]) throws(DomainError) {
        layout = try CSVLayout(header: header)
    }

    /// One row as an inspector of `department`, or the rule it breaks.
    public func inspector(from fields: [String], department: DepartmentCode) throws(DomainError) -> Inspector {
        let row = try layout.row(fields)
        guard let level: Inspector.Level = try row.enumerated(.level, \.label) else {
            throw DomainError(.invalidValue, "「层级」必填", field: "level")
        }
        let expertText = row.value(.isExpert)
        guard ["", "是", "否", "true", "false"].contains(expertText) else {
            throw DomainError(.invalidValue, "「外部专家」须为 是 或 否", field: "isExpert")
        }
        let inspector = Inspector(
            department: department, name: row.value(.name), position: row.value(.position),
            certificateNumber: row.value(.certificateNumber), post: row.value(.post), phone: row.value(.phone), level: level,
            regionCode: row.value(.regionCode), categories: row.list(.categories), qualifications: row.list(.qualifications),
            expertise: row.list(.expertise), status: try row.enumerated(.status, \.label) ?? .active,
            isExpert: expertText == "是" || expertText == "true", institution: row.value(.institution)
        )
        try inspector.validate()
        return inspector
    }
}
