/// A team as it stands after the approved changes (派单变更): who goes to the object, and whether each member was
/// drawn or placed by a change. The draw's record itself never changes.
public struct StandingTeam: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var department: DepartmentCode
        public var inspectorID: String
        public var leader: Bool
        /// Placed by an approved change (a replacement or an appointed external expert), not drawn.
        public var appointed: Bool

        public init(department: DepartmentCode, inspectorID: String, leader: Bool, appointed: Bool) {
            self.department = department
            self.inspectorID = inspectorID
            self.leader = leader
            self.appointed = appointed
        }
    }

    public var objectID: String
    public var needs: [DrawRecord.Need]
    public var members: [Member]
    public var unstaffed: String?

    /// The team as drawn.
    public init(drawn team: DrawRecord.Team) {
        objectID = team.objectID
        needs = team.needs
        members = team.members.map { .init(department: $0.department, inspectorID: $0.inspectorID, leader: $0.leader, appointed: false) }
        unstaffed = team.unstaffed
    }

    /// The drawn teams with the approved `changes` applied in order.
    public static func applying(_ changes: [DrawChange], to drawn: [DrawRecord.Team]) -> [StandingTeam] {
        var teams = drawn.map(StandingTeam.init(drawn:))
        for change in changes where change.status == .approved {
            guard let index = teams.firstIndex(where: { $0.objectID == change.objectID }) else { continue }
            switch change.kind {
            case .replaceInspector:
                if let member = teams[index].members.firstIndex(where: { $0.inspectorID == change.replacedInspector }),
                    let replacement = change.replacementInspector
                {
                    teams[index].members[member].inspectorID = replacement
                    teams[index].members[member].appointed = true
                }
            case .replaceObject:
                if let replacement = change.replacementObject { teams[index].objectID = replacement }
            case .appointExpert:
                if let expert = change.replacementInspector {
                    teams[index].members.append(.init(department: change.department, inspectorID: expert, leader: false, appointed: true))
                }
            }
        }
        return teams
    }
}

extension StandingTeam {
    /// The departments that owe this team's object a published result (一公开): each that sent inspectors.
    public var resultDepartments: [DepartmentCode] {
        unstaffed == nil ? Array(Set(members.map(\.department))).sorted() : []
    }
}
