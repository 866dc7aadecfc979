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
    /// Read drafts of item lists and joint lists (narrowed to the department's own and its industries').
    case readListDrafts
    /// Draft and publish a department's item list: the office, or a department admin for their department.
    case manageItemLists
    /// Draft, resolve and publish an industry's joint list: the originating department's admin.
    case manageJointLists
    /// Read the inspector roster (phones only of the own department).
    case readRoster
    /// Add, change and import inspectors: the office, or a department admin for their department.
    case manageRoster
    /// Declare conflicts of interest: heads and admins for their department, an inspector for themself.
    case declareConflicts
    /// Read tasks and draws (of the industries the department takes part in).
    case readTasks
    /// Create tasks, freeze and execute draws, enter beacons: heads and admins of the originating department.
    case manageTasks
    /// Commit and reveal a department's draw secret, confirm its assignments, request changes: its heads and admins.
    case contributeToDraws
    /// Approve or reject a change to a draw: the head of the department concerned.
    case approveChanges
    /// Raise, respond to, answer and close whistle calls for the department: its heads and admins.
    case coordinate
    /// Report a problem clue found in an inspection or from a complaint: heads, admins and inspectors.
    case reportClues
    /// Route a returned clue again: the originating department's heads and admins, or the office's admins.
    case routeClues
    /// Register and stop the department's outbound webhooks, read their delivery log: its admins.
    case manageWebhooks
    /// Enter and submit the department's inspection results: its inspectors on the team, reviewers and admins.
    case enterResults
    /// Sign off results (审核): the department's reviewers.
    case reviewResults
    /// Publish approved results (公示): the department's reviewers and admins.
    case publishResults
    /// Correct a published result or withhold a result from the public (不予公开), as the head's approval: the
    /// department's heads.
    case amendResults
    /// Register paper objections, re-examine objections and give feedback: the department's admins, heads and
    /// reviewers (the re-examiner not from the team).
    case handleObjections
    /// Record the follow-up of the department's problem results: its admins, heads, reviewers and inspectors.
    case followUpResults
    /// Write and publish an industry's indicator system and grade its objects again (一业一评): the originating
    /// department's heads and admins.
    case manageIndustryGrading
    /// Keep warning rules and evaluate them: the office's admins (rules for every industry), an industry's originating
    /// department's heads and admins (its own).
    case manageWarningRules
    /// Judge a risk warning (研判): the industry's originating department's heads and admins.
    case judgeWarnings

    /// The roles holding this permission.
    public var roles: Set<Role> {
        switch self {
        case .readDepartments, .readIndustries, .readObjects, .readListDrafts, .readRoster, .readTasks: Set(Role.allCases)
        case .manageTasks, .contributeToDraws, .coordinate, .manageIndustryGrading, .judgeWarnings: [.deptAdmin, .deptHead]
        case .manageWarningRules: [.officeAdmin, .deptAdmin, .deptHead]
        case .approveChanges, .amendResults: [.deptHead]
        case .reportClues: [.deptAdmin, .deptHead, .inspector]
        case .routeClues: [.officeAdmin, .deptAdmin, .deptHead]
        case .manageWebhooks: [.officeAdmin, .deptAdmin]
        case .enterResults: [.deptAdmin, .reviewer, .inspector]
        case .reviewResults: [.reviewer]
        case .publishResults: [.deptAdmin, .reviewer]
        case .handleObjections: [.deptAdmin, .deptHead, .reviewer]
        case .followUpResults: [.deptAdmin, .deptHead, .reviewer, .inspector]
        case .createDepartment, .manageIndustries, .manageCalendar: [.officeAdmin]
        case .updateDepartment, .manageUsers, .importObjects, .manageItemLists, .manageRoster: [.officeAdmin, .deptAdmin]
        case .manageJointLists: [.deptAdmin]
        case .declareConflicts: [.officeAdmin, .deptAdmin, .deptHead, .inspector]
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

    /// Whether the actor may bring `object` into the directory: the office any, a department those it supervises.
    public func mayImport(_ object: InspectedObject) -> Bool {
        readsEverything || object.supervisingDepartments.contains(department)
    }

    /// Whether the actor may declare a conflict of interest for `inspector`: admins and heads of the inspector's
    /// department (or the office), and the inspector themself through their linked user.
    public func mayDeclareConflict(for inspector: Inspector) -> Bool {
        if !roles.isDisjoint(with: [.officeAdmin, .deptAdmin, .deptHead]), governs(inspector.department) { return true }
        return roles.contains(.inspector) && inspector.username == username
    }
}
