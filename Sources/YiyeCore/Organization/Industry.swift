/// An industry regulated jointly under 一业一查, with the departments that inspect it.
public struct Industry: Sendable, Equatable {
    /// Stable code, e.g. `fuel_retail`.
    public var code: String
    /// Chinese name, e.g. 成品油零售（加油站）.
    public var name: String
    /// Optional GB/T 4754-2017 classification code, e.g. `F5265`.
    public var gbtCode: String?
    /// The departments that inspect this industry, once assigned.
    public var departments: IndustryDepartments?

    public init(code: String, name: String, gbtCode: String? = nil, departments: IndustryDepartments? = nil) {
        self.code = code
        self.name = name
        self.gbtCode = gbtCode
        self.departments = departments
    }

    /// Checks the industry's own fields (its departments are checked by `IndustryDepartments.validate`).
    public func validate() throws(DomainError) {
        try Validation.code(code, field: "code")
        try Validation.name(name, field: "name")
        if let gbtCode { try Validation.gbtIndustryCode(gbtCode, field: "gbtCode") }
    }
}

/// Who inspects an industry: one originating department (发起部门) and its participating departments (参与部门).
public struct IndustryDepartments: Sendable, Equatable {
    public var originator: DepartmentCode
    /// Participant department codes.
    public var participants: [DepartmentCode]

    public init(originator: DepartmentCode, participants: [DepartmentCode]) {
        self.originator = originator
        self.participants = participants
    }

    /// Checks the assignment against the known departments.
    ///
    /// The originator leads the joint team, so it must be a regulator; the leadership office oversees and never
    /// takes part; a department cannot both originate and participate, nor be listed twice.
    public func validate(knownDepartments: [DepartmentCode: Department.Kind]) throws(DomainError) {
        guard let originatorKind = knownDepartments[originator] else {
            throw DomainError(.unknownDepartment, "发起部门 \(originator) 不存在", field: "originator")
        }
        guard originatorKind == .regulator else {
            throw DomainError(.departmentNotRegulator, "发起部门必须是监管部门，领导小组办公室不能发起", field: "originator")
        }
        var seen = Set<DepartmentCode>()
        for participant in participants {
            guard seen.insert(participant).inserted else {
                throw DomainError(.duplicateParticipant, "参与部门 \(participant) 重复", field: "participants")
            }
            guard participant != originator else {
                throw DomainError(.originatorAlsoParticipant, "发起部门不能同时作为参与部门", field: "participants")
            }
            guard let kind = knownDepartments[participant] else {
                throw DomainError(.unknownDepartment, "参与部门 \(participant) 不存在", field: "participants")
            }
            guard kind == .regulator else {
                throw DomainError(.departmentNotRegulator, "参与部门必须是监管部门", field: "participants")
            }
        }
    }

    /// The same assignment with participants in a stable order.
    public var normalized: IndustryDepartments {
        IndustryDepartments(originator: originator, participants: participants.sorted())
    }
}
