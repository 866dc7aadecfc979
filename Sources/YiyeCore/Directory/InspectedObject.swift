/// An entry of the object directory (检查对象名录库): a business, individual trader, other organisation, product or
/// project that can be drawn for inspection.
public struct InspectedObject: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case enterprise
        case individualTrader = "individual_trader"
        case otherOrganization = "other_organization"
        case product
        case project

        public var label: String {
            switch self {
            case .enterprise: "企业"
            case .individualTrader: "个体工商户"
            case .otherOrganization: "其他组织"
            case .product: "产品"
            case .project: "工程项目"
            }
        }
    }

    public enum Scale: String, Sendable, CaseIterable {
        case micro, small, medium, large

        public var label: String {
            switch self {
            case .micro: "微型"
            case .small: "小型"
            case .medium: "中型"
            case .large: "大型"
            }
        }
    }

    public enum Status: String, Sendable, CaseIterable {
        case active
        case deregistered
        /// 经营异常名录
        case abnormalList = "abnormal_list"
        /// 严重违法失信名单
        case seriousViolationList = "serious_violation_list"

        public var label: String {
            switch self {
            case .active: "存续"
            case .deregistered: "注销"
            case .abnormalList: "列入经营异常名录"
            case .seriousViolationList: "列入严重违法失信名单"
            }
        }
    }

    /// Credit-risk class, A (low) to D (high).
    public enum RiskClass: String, Sendable, CaseIterable {
        case a = "A"
        case b = "B"
        case c = "C"
        case d = "D"

        public var label: String {
            switch self {
            case .a: "低风险（A类）"
            case .b: "一般风险（B类）"
            case .c: "较高风险（C类）"
            case .d: "高风险（D类）"
            }
        }
    }

    public var creditCode: String
    public var name: String
    public var kind: Kind
    public var industries: [String]
    public var regionCode: String
    public var address: String
    public var scale: Scale?
    public var riskClass: RiskClass?
    /// When the risk class was rated.
    public var riskRatedOn: CalendarDate?
    /// 谁审批谁监管、谁主管谁监管: the departments responsible for it.
    public var supervisingDepartments: [DepartmentCode]
    public var status: Status
    public var tags: [String]

    public init(
        creditCode: String, name: String, kind: Kind, industries: [String], regionCode: String, address: String,
        scale: Scale? = nil, riskClass: RiskClass? = nil, riskRatedOn: CalendarDate? = nil,
        supervisingDepartments: [DepartmentCode], status: Status = .active, tags: [String] = []
    ) {
        self.creditCode = creditCode
        self.name = name
        self.kind = kind
        self.industries = industries
        self.regionCode = regionCode
        self.address = address
        self.scale = scale
        self.riskClass = riskClass
        self.riskRatedOn = riskRatedOn
        self.supervisingDepartments = supervisingDepartments
        self.status = status
        self.tags = tags
    }

    /// Checks every field; the first broken rule is reported.
    public func validate() throws(DomainError) {
        try CreditCode.validate(creditCode)
        try Validation.name(name, field: "name")
        try Validation.regionCode(regionCode, field: "regionCode")
        guard address.count <= 200 else { throw DomainError(.invalidName, "地址不超过 200 个字符", field: "address") }
        for industry in industries { try Validation.code(industry, field: "industries") }
        for department in supervisingDepartments { try Validation.code(department.rawValue, field: "supervisingDepartments") }
        guard !supervisingDepartments.isEmpty else {
            throw DomainError(.noSupervisingDepartment, "至少须有一个监管部门（谁审批谁监管、谁主管谁监管）", field: "supervisingDepartments")
        }
        guard (riskClass == nil) == (riskRatedOn == nil) else {
            throw DomainError(.invalidRiskRating, "信用风险分类与评级日期须同时填写", field: "riskRatedOn")
        }
        for tag in tags where tag.isEmpty || tag.count > 30 {
            throw DomainError(.invalidName, "标签须为 1 至 30 个字符", field: "tags")
        }
    }
}
