/// A person who signs in: a member of one department with one or more roles.
public struct User: Sendable, Equatable {
    public var id: Int64
    /// Sign-in name, e.g. `samr.inspector`.
    public var username: String
    /// The person's name as shown to others, e.g. 张伟.
    public var displayName: String
    public var department: DepartmentCode
    public var roles: Set<Role>
    public var disabled: Bool

    public init(id: Int64 = 0, username: String, displayName: String, department: DepartmentCode, roles: Set<Role>, disabled: Bool = false)
    {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.department = department
        self.roles = roles
        self.disabled = disabled
    }

    /// Checks the fields, and that every role is one the department's kind can give.
    public func validate(departmentKind: Department.Kind) throws(DomainError) {
        let bytes = Array(username.utf8)
        let valid =
            (3...64).contains(bytes.count) && bytes[0].isLowercaseLetter
            && bytes.allSatisfy {
                $0.isLowercaseLetter || $0.isDigit || [UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-")].contains($0)
            }
        guard valid else {
            throw DomainError(.invalidUsername, "用户名须为 3 至 64 位小写字母、数字或 . _ -，并以字母开头", field: "username")
        }
        try Validation.name(displayName, field: "displayName")
        guard !roles.isEmpty else { throw DomainError(.noRoles, "至少须有一个角色", field: "roles") }
        let available = Set(Role.available(to: departmentKind))
        if let role = roles.sorted().first(where: { !available.contains($0) }) {
            throw DomainError(.roleNotAvailable, "本部门不能授予角色「\(role.label)」", field: "roles")
        }
    }
}
