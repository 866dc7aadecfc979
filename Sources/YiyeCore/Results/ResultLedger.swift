/// One result a draw owes: a department's, for an object.
public struct ResultOwed: Sendable, Hashable {
    public var object: String
    public var department: DepartmentCode

    public init(object: String, department: DepartmentCode) {
        self.object = object
        self.department = department
    }

    /// What the teams as they stand owe (一公开): a result from each department that sent inspectors, for each
    /// object; an unstaffed object owes none, its reason being in the record.
    public static func owed(by teams: [StandingTeam]) -> [ResultOwed] {
        teams.flatMap { team in team.resultDepartments.map { ResultOwed(object: team.objectID, department: $0) } }
    }

    /// What the teams still owe: each owed result not in `published`.
    public static func outstanding(by teams: [StandingTeam], published: Set<ResultOwed>) -> [ResultOwed] {
        owed(by: teams).filter { !published.contains($0) }
    }
}

/// How far a draw's results are published (000 §3.1.7: an inspection done but not published counts as not done).
public struct ResultCompletion: Sendable, Equatable {
    public var owed: Int
    public var published: Int
    public var complete: Bool { published >= owed }

    /// `published` holds the (object, department) pairs with a published result.
    public init(teams: [StandingTeam], published: Set<ResultOwed>) {
        owed = ResultOwed.owed(by: teams).count
        self.published = owed - ResultOwed.outstanding(by: teams, published: published).count
    }
}

/// A department late with results of a draw: how many are still unpublished past their deadline, the earliest due.
public struct LateResults: Sendable, Equatable {
    public var department: DepartmentCode
    public var count: Int
    public var due: CalendarDate

    public init(department: DepartmentCode, count: Int, due: CalendarDate) {
        self.department = department
        self.count = count
        self.due = due
    }

    /// The departments late on `today`, in code order: each outstanding result (owed, not published) due on its own
    /// deadline when entered (`entered`), on the draw's (`drawDue`) when not.
    public static func of(
        _ outstanding: [ResultOwed], entered: [ResultOwed: CalendarDate], drawDue: CalendarDate, today: CalendarDate
    ) -> [LateResults] {
        var late: [DepartmentCode: LateResults] = [:]
        for owed in outstanding {
            let due = entered[owed] ?? drawDue
            guard due < today else { continue }
            var department = late[owed.department] ?? LateResults(department: owed.department, count: 0, due: due)
            department.count += 1
            department.due = min(department.due, due)
            late[owed.department] = department
        }
        return late.values.sorted { $0.department < $1.department }
    }
}
