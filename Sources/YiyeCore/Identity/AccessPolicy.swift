/// Who may do what: one place for every permission the API checks.
///
/// Visibility (which objects a department sees at all, answered with 404 otherwise) is decided by the scope
/// functions; permission to act (403 otherwise) by `allows`.
public enum Permission: String, Sendable, CaseIterable {
    /// Read the department directory: every department is listed, so participants can be chosen.
    case readDepartments
    case createDepartment
    /// Change a department's name or region: the office anywhere, a department admin their own.
    case updateDepartment
    case readIndustries
    /// Create industries, rename them, assign their departments: the office.
    case manageIndustries
    /// Read users: the office everywhere, department admins and heads their own department.
    case readUsers
    /// Create, change, disable users: the office admin anywhere, a department admin their own department.
    case manageUsers
    /// Read and verify the audit trail: auditors and the office.
    case readAudit
    /// Enter the working-day calendar: the office.
    case manageCalendar
    /// Search the object directory (narrowed to what the department sees).
    case readObjects
    /// Import objects: the office, or a department admin for objects their department supervises.
    case importObjects

    /// The roles holding this permission.
    public var roles: Set<Role> {
        switch self {
        case .readDepartments, .readIndustries, .readObjects: Set(Role.allCases)
        case .createDepartment, .manageIndustries, .manageCalendar: [.officeAdmin]
        case .updateDepartment, .manageUsers, .importObjects: [.officeAdmin, .deptAdmin]
        case .readUsers: [.officeAdmin, .officeViewer, .auditor, .deptAdmin, .deptHead]
        case .readAudit: [.auditor, .officeAdmin, .officeViewer]
        }
    }
}

extension Actor {
    /// Whether one of the actor's roles holds `permission`.
    public func has(_ permission: Permission) -> Bool {
        !roles.isDisjoint(with: permission.roles)
    }

    /// Whether the actor may act on data that belongs to `department`: the office everywhere, others at home.
    public func governs(_ department: String) -> Bool {
        readsEverything || department == self.department
    }

    /// Whether the actor sees an industry with these departments: the office sees all, a department the
    /// industries it originates or participates in.
    public func sees(_ industry: Industry) -> Bool {
        guard !readsEverything else { return true }
        guard let departments = industry.departments else { return false }
        return departments.originator == department || departments.participants.contains(department)
    }

    /// The department a list is narrowed to, given the department filter the caller asked for.
    public enum ListScope: Sendable, Equatable {
        /// Everything (the office without a filter).
        case all
        /// One department's data.
        case department(String)
        /// Nothing: a department asked for another's.
        case none
    }

    /// The office lists what it asks for; a department always lists its own, and asking for another's gets nothing.
    public func listScope(asking asked: String?) -> ListScope {
        if readsEverything { return asked.map(ListScope.department) ?? .all }
        if let asked, asked != department { return .none }
        return .department(department)
    }

    /// The department whose view of the directories the actor has (nil: the office sees everything).
    public var viewpoint: String? { readsEverything ? nil : department }

    /// Whether the actor may bring `object` into the directory: the office any, a department those it supervises.
    public func mayImport(_ object: InspectedObject) -> Bool {
        readsEverything || object.supervisingDepartments.contains(department)
    }
}
