/// A change to an executed draw (docs/DRAW-SPEC.md §6): a drawn inspector replaced by one appointed (not drawn), or a
/// drawn object replaced. It needs a reason and the approval of a head of the department concerned; the draw record
/// itself never changes, the approved changes are read on top of it.
public struct DrawChange: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case replaceInspector = "replace_inspector"
        case replaceObject = "replace_object"
        /// An external expert added to a team by the originator (专家参与).
        case appointExpert = "appoint_expert"

        public var label: String {
            switch self {
            case .replaceInspector: "更换检查人员"
            case .replaceObject: "更换检查对象"
            case .appointExpert: "指派专家"
            }
        }
    }

    public enum ReasonKind: String, Sendable, CaseIterable {
        /// 回避
        case conflictOfInterest = "conflict_of_interest"
        /// 其他特殊原因
        case other

        public var label: String {
            switch self {
            case .conflictOfInterest: "利害关系回避"
            case .other: "其他特殊原因"
            }
        }
    }

    public enum Status: String, Sendable, CaseIterable {
        case pending, approved, rejected

        public var label: String {
            switch self {
            case .pending: "待审批"
            case .approved: "已批准"
            case .rejected: "不予批准"
            }
        }
    }

    public var id: Int64?
    public var kind: Kind
    /// The drawn object concerned.
    public var objectID: String
    public var replacedInspector: String?
    public var replacementInspector: String?
    public var replacementObject: String?
    /// Whose head approves: the inspector's department, or the originator for an object.
    public var department: DepartmentCode
    public var reasonKind: ReasonKind
    public var reason: String
    public var requestedBy: String
    public var status: Status
    public var decidedBy: String?
    public var decisionNote: String

    public init(
        id: Int64? = nil, kind: Kind, objectID: String, replacedInspector: String? = nil, replacementInspector: String? = nil,
        replacementObject: String? = nil, department: DepartmentCode, reasonKind: ReasonKind, reason: String, requestedBy: String,
        status: Status = .pending, decidedBy: String? = nil, decisionNote: String = ""
    ) {
        self.id = id
        self.kind = kind
        self.objectID = objectID
        self.replacedInspector = replacedInspector
        self.replacementInspector = replacementInspector
        self.replacementObject = replacementObject
        self.department = department
        self.reasonKind = reasonKind
        self.reason = reason
        self.requestedBy = requestedBy
        self.status = status
        self.decidedBy = decidedBy
        self.decisionNote = decisionNote
    }

    /// What the check needs to know of an appointed inspector or expert.
    public struct Appointee: Sendable {
        public var department: DepartmentCode
        public var active: Bool
        public var isExpert: Bool
        public var conflicted: Bool

        public init(department: DepartmentCode, active: Bool, isExpert: Bool, conflicted: Bool) {
            self.department = department
            self.active = active
            self.isExpert = isExpert
            self.conflicted = conflicted
        }
    }

    /// Checks a requested change against the draw's teams as they stand (with earlier approved changes).
    /// `replacement` is the appointed inspector's department, whether active, whether an external expert, and
    /// whether they conflict with the object.
    public func validate(
        teams: [StandingTeam], selected: Set<String>, pool: Set<String>,
        replacement: Appointee?
    ) throws(DomainError) {
        try Validation.text(reason, field: "reason", label: "变更理由", required: true, maximum: 500)
        guard let team = teams.first(where: { $0.objectID == objectID }) else {
            throw DomainError(.unknownObject, "对象 \(objectID) 不在本次抽取结果中", field: "objectId")
        }
        switch kind {
        case .replaceInspector:
            guard let replaced = replacedInspector, let member = team.members.first(where: { $0.inspectorID == replaced }) else {
                throw DomainError(.invalidValue, "被替换人员不在该对象的检查组中", field: "replacedInspector")
            }
            guard let replacementInspector, let replacement else {
                throw DomainError(.invalidValue, "须指定替换人员（由部门指派，不重新抽取）", field: "replacementInspector")
            }
            guard replacement.department == member.department else {
                throw DomainError(.invalidValue, "替换人员须与被替换人员同属一个部门", field: "replacementInspector")
            }
            guard replacement.active else { throw DomainError(.invalidValue, "替换人员不在岗", field: "replacementInspector") }
            guard !replacement.conflicted else {
                throw DomainError(.invalidValue, "替换人员与该对象存在利害关系，须回避", field: "replacementInspector")
            }
            guard !team.members.contains(where: { $0.inspectorID == replacementInspector }) else {
                throw DomainError(.invalidValue, "替换人员已在该检查组中", field: "replacementInspector")
            }
        case .appointExpert:
            guard let replacementInspector, let replacement, replacement.isExpert else {
                throw DomainError(.invalidValue, "只能指派名录库中的外部专家", field: "replacementInspector")
            }
            guard replacement.active, !replacement.conflicted else {
                throw DomainError(.invalidValue, "该专家不在岗或与该对象存在利害关系", field: "replacementInspector")
            }
            guard !team.members.contains(where: { $0.inspectorID == replacementInspector }) else {
                throw DomainError(.invalidValue, "该专家已在该检查组中", field: "replacementInspector")
            }
        case .replaceObject:
            guard let replacementObject, pool.contains(replacementObject) else {
                throw DomainError(.invalidValue, "替换对象须来自本次抽取冻结的候选池", field: "replacementObject")
            }
            guard !selected.contains(replacementObject) else {
                throw DomainError(.invalidValue, "替换对象已在抽取结果中", field: "replacementObject")
            }
        }
    }
}

extension DrawChange {
    /// The department whose head decides: the replaced inspector's (or the appointed expert's), the originator's for an
    /// object.
    public static func decidingDepartment(_ kind: Kind, originator: DepartmentCode, inspectorDepartment: DepartmentCode?) -> DepartmentCode
    {
        kind == .replaceObject ? originator : inspectorDepartment ?? originator
    }
}

extension Actor {
    /// The originator files any change; the department concerned its own inspector's replacement. Experts are
    /// appointed by the originator only.
    public func mayRequest(_ change: DrawChange, originator: DepartmentCode) -> Bool {
        department == originator || (change.kind != .appointExpert && department == change.department)
    }

    /// A head of the department concerned approves or rejects a change.
    public func mayDecide(_ change: DrawChange) -> Bool {
        roles.contains(.deptHead) && department == change.department
    }
}
