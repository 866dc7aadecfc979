/// Who enters, reviews and publishes a result (谁检查、谁录入、谁公开): the department whose result it is, and within it
/// the inspectors it sent to that object, its reviewers and its admins.
extension StandingTeam {
    /// Checks that `actor` may enter `department`'s result for this team's object; `inspectorID` is the actor's own
    /// roster entry, when the actor is an inspector.
    public func checkResultWriter(_ actor: Actor, for department: DepartmentCode, inspectorID: Int64?) throws(DomainError) {
        try actor.checkOwnResult(of: department)
        guard members.contains(where: { $0.department == department }) else {
            throw DomainError(.notOnTeam, "本部门未派员检查该对象，没有需录入的检查结果", field: "department")
        }
        guard actor.writesAllOwnResults else {
            guard let inspectorID, members.contains(where: { $0.department == department && $0.inspectorID == String(inspectorID) }) else {
                throw DomainError(.notOnTeam, "只有派往该对象的本部门检查人员可以录入检查结果", field: "result")
            }
            return
        }
    }
}

extension Actor {
    /// An admin or reviewer writes every result of the department; an inspector only those of the objects they
    /// were sent to.
    public var writesAllOwnResults: Bool { roles.contains(.deptAdmin) || roles.contains(.reviewer) }

    /// A department enters, reviews and publishes only its own results.
    public func checkOwnResult(of department: DepartmentCode) throws(DomainError) {
        guard self.department == department else {
            throw DomainError(.otherDepartment, "只能办理本部门的检查结果", field: "department")
        }
    }
}
