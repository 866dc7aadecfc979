/// A government department that takes part in random inspections, or the leadership office over them.
public struct Department: Sendable, Equatable {
    /// What a department is in the joint-inspection scheme.
    public enum Kind: String, Sendable, CaseIterable {
        /// 监管部门: regulates industries, owns item lists and inspectors.
        case regulator
        /// 双随机办 / 领导小组办公室: oversees all departments; never originates or participates.
        case leadershipOffice = "leadership_office"
    }

    /// Stable code, e.g. `samr`; never changes once created.
    public var code: DepartmentCode
    /// Chinese name, e.g. 市场监督管理局.
    public var name: String
    public var kind: Kind
    /// Administrative division code (GB/T 2260), six digits.
    public var regionCode: String

    public init(code: DepartmentCode, name: String, kind: Kind, regionCode: String) {
        self.code = code
        self.name = name
        self.kind = kind
        self.regionCode = regionCode
    }

    /// Checks every field, reporting the first rule broken.
    public func validate() throws(DomainError) {
        try Validation.code(code.rawValue, field: "code")
        try Validation.name(name, field: "name")
        try Validation.regionCode(regionCode, field: "regionCode")
    }
}
