/// An entry of the inspector roster (执法检查人员名录库): a department's law-enforcement officer, or an external expert
/// from a testing or professional institution.
public struct Inspector: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        /// 在岗
        case active
        /// 休假或借调
        case onLeave = "on_leave"
        /// 离岗
        case left

        public var label: String {
            switch self {
            case .active: "在岗"
            case .onLeave: "暂离岗位"
            case .left: "已离岗"
            }
        }
    }

    public enum Level: String, Sendable, CaseIterable {
        case provincial, municipal, county, township

        public var label: String {
            switch self {
            case .provincial: "省级"
            case .municipal: "市级"
            case .county: "县级"
            case .township: "乡镇（街道）"
            }
        }
    }

    /// Assigned by the store; nil before the first save.
    public var id: Int64?
    public var department: DepartmentCode
    public var name: String
    /// 职务
    public var position: String
    /// 执法证号 (an expert's 聘书编号): unique across all departments.
    public var certificateNumber: String
    /// 执法岗位
    public var post: String
    /// 联系电话: personal data, seen only by the own department and the leadership office.
    public var phone: String
    public var level: Level
    public var regionCode: String
    /// 执法门类
    public var categories: [String]
    /// Qualification tags, matched against the qualifications items require.
    public var qualifications: [String]
    /// Expertise tags (专业特长).
    public var expertise: [String]
    public var status: Status
    /// An external expert (外部专家) rather than a department officer.
    public var isExpert: Bool
    /// The expert's institution (所属机构).
    public var institution: String
    /// The `inspector` user linked to this entry.
    public var username: String?

    public init(
        id: Int64? = nil, department: DepartmentCode, name: String, position: String = "", certificateNumber: String, post: String = "",
        phone: String = "", level: Level, regionCode: String, categories: [String] = [], qualifications: [String] = [],
        expertise: [String] = [], status: Status = .active, isExpert: Bool = false, institution: String = "", username: String? = nil
    ) {
        self.id = id
        self.department = department
        self.name = name
        self.position = position
        self.certificateNumber = certificateNumber
        self.post = post
        self.phone = phone
        self.level = level
        self.regionCode = regionCode
        self.categories = categories
        self.qualifications = qualifications
        self.expertise = expertise
        self.status = status
        self.isExpert = isExpert
        self.institution = institution
        self.username = username
    }

    /// Checks every field; the first broken rule is reported.
    public func validate() throws(DomainError) {
        try Validation.code(department.rawValue, field: "department")
        try Validation.name(name, field: "name")
        try Validation.text(position, field: "position", label: "职务", maximum: 50)
        try Validation.text(post, field: "post", label: "执法岗位", maximum: 50)
        try Self.validate(certificateNumber: certificateNumber)
        try Self.validate(phone: phone)
        try Validation.regionCode(regionCode, field: "regionCode")
        for tag in categories { try Validation.tag(tag, field: "categories") }
        for tag in qualifications { try Validation.tag(tag, field: "qualifications") }
        for tag in expertise { try Validation.tag(tag, field: "expertise") }
        try Validation.text(institution, field: "institution", label: "所属机构", maximum: 100)
        if isExpert, institution.trimmingWhitespace.isEmpty {
            throw DomainError(.invalidText, "外部专家须填写所属机构", field: "institution")
        }
    }

    /// 4 to 40 letters, digits or `-`.
    static func validate(certificateNumber: String) throws(DomainError) {
        let bytes = Array(certificateNumber.utf8)
        let valid =
            (4...40).contains(bytes.count)
            && bytes.allSatisfy { $0.isDigit || (65...90).contains($0) || $0.isLowercaseLetter || $0 == UInt8(ascii: "-") }
        guard valid else {
            throw DomainError(.invalidCertificate, "执法证号须为 4 至 40 位字母、数字或 -", field: "certificateNumber")
        }
    }

    /// Empty, an 11-digit mobile number (1[3-9]…), or a landline with area code (0571-87654321).
    static func validate(phone: String) throws(DomainError) {
        guard !phone.isEmpty else { return }
        let bytes = Array(phone.utf8)
        let mobile =
            bytes.count == 11 && bytes.allSatisfy(\.isDigit) && bytes[0] == UInt8(ascii: "1")
            && (UInt8(ascii: "3")...UInt8(ascii: "9")).contains(bytes[1])
        let parts = phone.split(separator: "-", omittingEmptySubsequences: false)
        let landline =
            parts.count == 2 && parts[0].first == "0" && (3...4).contains(parts[0].count)
            && (7...8).contains(parts[1].count) && parts.allSatisfy { $0.utf8.allSatisfy(\.isDigit) }
        guard mobile || landline else {
            throw DomainError(.invalidPhone, "联系电话须为 11 位手机号或带区号的固定电话（如 0571-87654321）", field: "phone")
        }
    }

    /// The phone as others see it: the middle digits hidden (138****5678, 0571-****4321).
    public var maskedPhone: String {
        guard phone.count > 4 else { return phone.isEmpty ? "" : "****" }
        if let dash = phone.firstIndex(of: "-") {
            return String(phone[...dash]) + "****" + String(phone.suffix(4))
        }
        return String(phone.prefix(3)) + "****" + String(phone.suffix(4))
    }
}
