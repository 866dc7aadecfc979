/// One entry of a department's random-inspection item list (随机抽查事项清单).
public struct InspectionItem: Sendable, Codable, Equatable {
    /// 抽查工作指引: how the item is checked.
    public struct Guideline: Sendable, Codable, Equatable {
        /// 工作流程
        public var procedure: String
        /// 检查要点
        public var points: String
        /// 检查方法
        public var methods: String

        public init(procedure: String = "", points: String = "", methods: String = "") {
            self.procedure = procedure
            self.points = points
            self.methods = methods
        }
    }

    /// The department's own code for the item, stable across versions, e.g. `SC-01`.
    public var code: String
    /// 检查项目
    public var project: String
    /// 检查子项
    public var subItem: String
    /// 检查内容
    public var content: String
    /// 检查依据: the law and article, e.g. 《中华人民共和国消防法》第十六条.
    public var legalBasis: String
    /// 抽查主体: the body that carries the check out.
    public var subject: String
    /// 检查对象: the kinds of object the item applies to.
    public var objectKinds: [InspectedObject.Kind]
    /// 检查方式
    public var methods: [InspectionMethod]
    /// The industries (codes) the item applies to.
    public var industries: [String]
    /// 检查人员要求: qualification tags an inspector needs for this item.
    public var qualifications: [String]
    /// 抽查比例, in percent (0 < r ≤ 100), when the item suggests one.
    public var ratioPercent: Double?
    /// 抽查频次, e.g. 每年不少于1次.
    public var frequency: String
    public var guideline: Guideline
    /// What the business should have ready (for the 一业一册 handbook).
    public var materials: String

    public init(
        code: String, project: String, subItem: String = "", content: String, legalBasis: String, subject: String = "",
        objectKinds: [InspectedObject.Kind], methods: [InspectionMethod], industries: [String],
        qualifications: [String] = [], ratioPercent: Double? = nil, frequency: String = "",
        guideline: Guideline = Guideline(), materials: String = ""
    ) {
        self.code = code
        self.project = project
        self.subItem = subItem
        self.content = content
        self.legalBasis = legalBasis
        self.subject = subject
        self.objectKinds = objectKinds
        self.methods = methods
        self.industries = industries
        self.qualifications = qualifications
        self.ratioPercent = ratioPercent
        self.frequency = frequency
        self.guideline = guideline
        self.materials = materials
    }

    /// Checks every field; `field` prefixes the field names in errors (e.g. `items[3]`).
    public func validate(field prefix: String) throws(DomainError) {
        try Validation.itemCode(code, field: "\(prefix).code")
        try Validation.text(project, field: "\(prefix).project", label: "检查项目", required: true, maximum: 200)
        try Validation.text(subItem, field: "\(prefix).subItem", label: "检查子项", maximum: 200)
        try Validation.text(content, field: "\(prefix).content", label: "检查内容", required: true, maximum: 2000)
        try Validation.text(legalBasis, field: "\(prefix).legalBasis", label: "检查依据", required: true, maximum: 2000)
        try Validation.text(subject, field: "\(prefix).subject", label: "抽查主体", maximum: 200)
        try Validation.text(frequency, field: "\(prefix).frequency", label: "抽查频次", maximum: 100)
        try Validation.text(materials, field: "\(prefix).materials", label: "需准备材料", maximum: 2000)
        for (text, name) in [(guideline.procedure, "procedure"), (guideline.points, "points"), (guideline.methods, "methods")] {
            try Validation.text(text, field: "\(prefix).guideline.\(name)", label: "抽查工作指引", maximum: 5000)
        }
        guard !objectKinds.isEmpty else {
            throw DomainError(.invalidValue, "须至少指定一种检查对象类型", field: "\(prefix).objectKinds")
        }
        guard !methods.isEmpty else { throw DomainError(.invalidValue, "须至少指定一种检查方式", field: "\(prefix).methods") }
        guard !industries.isEmpty else { throw DomainError(.invalidValue, "须至少指定一个适用行业", field: "\(prefix).industries") }
        for industry in industries { try Validation.code(industry, field: "\(prefix).industries") }
        for qualification in qualifications {
            try Validation.tag(qualification, field: "\(prefix).qualifications")
        }
        if let ratioPercent, !(ratioPercent > 0 && ratioPercent <= 100) {
            throw DomainError(.invalidValue, "抽查比例须大于 0 且不超过 100（%）", field: "\(prefix).ratioPercent")
        }
    }
}
