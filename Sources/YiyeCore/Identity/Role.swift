/// What a user may do; a user has one or more roles within their department.
public enum Role: String, Sendable, CaseIterable, Comparable {
    /// 领导小组办公室管理员: manages departments, industries and users everywhere.
    case officeAdmin = "office_admin"
    /// 领导小组办公室查看: reads everything.
    case officeViewer = "office_viewer"
    /// 审计员: reads the audit trail.
    case auditor
    /// 部门管理员: manages their department's data and users.
    case deptAdmin = "dept_admin"
    /// 部门负责人: approves changes (object or inspector replacements, corrections).
    case deptHead = "dept_head"
    /// 审核人员: signs off results before publication.
    case reviewer
    /// 执法检查人员: inspects and enters results.
    case inspector

    /// The roles a department of `kind` can give its users.
    public static func available(to kind: Department.Kind) -> [Role] {
        switch kind {
        case .leadershipOffice: [.officeAdmin, .officeViewer, .auditor]
        case .regulator: [.deptAdmin, .deptHead, .reviewer, .inspector]
        }
    }

    /// Chinese label, for the enum catalog.
    public var label: String {
        switch self {
        case .officeAdmin: "领导小组办公室管理员"
        case .officeViewer: "领导小组办公室查看人员"
        case .auditor: "安全审计员"
        case .deptAdmin: "部门管理员"
        case .deptHead: "部门负责人"
        case .reviewer: "审核人员"
        case .inspector: "执法检查人员"
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The authenticated user a request acts as.
public struct Actor: Sendable, Equatable {
    public var userID: Int64
    public var username: String
    public var department: DepartmentCode
    public var departmentKind: Department.Kind
    public var roles: Set<Role>

    public init(userID: Int64, username: String, department: DepartmentCode, departmentKind: Department.Kind, roles: Set<Role>) {
        self.userID = userID
        self.username = username
        self.department = department
        self.departmentKind = departmentKind
        self.roles = roles
    }

    /// The leadership office reads everything.
    public var readsEverything: Bool { departmentKind == .leadershipOffice }

    /// Roles joined for the audit trail.
    public var roleList: String { roles.sorted().map(\.rawValue).joined(separator: ",") }
}
