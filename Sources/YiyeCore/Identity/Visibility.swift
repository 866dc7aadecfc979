/// Who sees what, in one place: every department-visibility rule of Yiye. The leadership office sees everything. A
/// department sees the industries it originates or takes part in and what hangs off them (plans, tasks, draws, joint
/// lists), the calls it raised or is addressed by, the meetings it convenes or is invited to, and the clues it found,
/// received or whose industry it originates; it governs its own users and data. What a department may not see is
/// answered as if it did not exist (404), so no other department's business is revealed.
extension Actor {
    /// Whether the actor may act on data that belongs to `department`: the office everywhere, others at home.
    public func governs(_ department: DepartmentCode) -> Bool {
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
        case department(DepartmentCode)
        /// Nothing: a department asked for another's.
        case none
    }

    /// The office lists what it asks for; a department always lists its own, and asking for another's gets nothing.
    public func listScope(asking asked: DepartmentCode?) -> ListScope {
        if readsEverything { return asked.map(ListScope.department) ?? .all }
        if let asked, asked != department { return .none }
        return .department(department)
    }

    /// The department whose view of the directories the actor has (nil: the office sees everything).
    public var viewpoint: DepartmentCode? { readsEverything ? nil : department }

    /// Whether the actor's department originates `industry` (发起部门): it builds the industry's joint list.
    public func originates(_ industry: Industry) -> Bool {
        industry.departments?.originator == department
    }

    /// Whether the actor sees the personal data (phones) of `department`'s people: the own department and the office.
    public func seesPersonalData(of department: DepartmentCode) -> Bool {
        governs(department)
    }

    /// Whether the actor sees a whistle call: its raiser and the departments it addresses.
    public func sees(_ call: WhistleCall) -> Bool {
        readsEverything || call.concerns(department)
    }

    /// Whether the actor sees a meeting: its convener and invitees.
    public func sees(_ meeting: Meeting) -> Bool {
        readsEverything || meeting.departments.contains(department)
    }

    /// Whether the actor sees a clue: its finder, the departments it was routed to, and its industry's originator.
    public func sees(_ clue: Clue, originator: DepartmentCode) -> Bool {
        readsEverything || clue.concerns(department, originator: originator)
    }

    /// Whether the actor sees a row of the dashboard: the office every row; a department its own department's rows and
    /// the rows of no one department (its industries and their total; what they count is narrowed to those
    /// industries before counting).
    public func sees(_ row: DashboardKey) -> Bool {
        readsEverything || row.department == nil || row.department == department
    }

    /// Whether the actor sees something overdue: the office all; a department what it is late with or waits for.
    public func sees(_ overdue: Escalation) -> Bool {
        readsEverything || overdue.department == department || overdue.waitingDepartment == department
    }
}
