import Testing
import YiyeCore

@Suite("派单变更: the teams as they stand after the approved changes")
struct StandingTeamTests {
    static let drawn = [
        DrawRecord.Team(
            objectID: "A", needs: [],
            members: [
                .init(department: "commerce", inspectorID: "1", rank: "aa", leader: true),
                .init(department: "fire", inspectorID: "2", rank: "bb", leader: false),
            ]),
        DrawRecord.Team(objectID: "B", needs: [], members: [.init(department: "commerce", inspectorID: "3", rank: "cc", leader: true)]),
    ]

    static func change(
        _ kind: DrawChange.Kind, _ object: String, replaced: String? = nil, by replacement: String? = nil,
        object newObject: String? = nil, status: DrawChange.Status = .approved
    ) -> DrawChange {
        DrawChange(
            kind: kind, objectID: object, replacedInspector: replaced, replacementInspector: replacement, replacementObject: newObject,
            department: "fire", reasonKind: .other, reason: "理由", requestedBy: "fire.dept_admin", status: status)
    }

    @Test("drawn members are not appointed; a replacement and an expert are, in the order approved; pending changes do nothing")
    func applying() {
        let teams = StandingTeam.applying(
            [
                Self.change(.replaceInspector, "A", replaced: "2", by: "9"),
                Self.change(.appointExpert, "A", by: "50"),
                Self.change(.replaceInspector, "B", replaced: "3", by: "8", status: .pending),
                Self.change(.replaceObject, "B", object: "C"),
            ], to: Self.drawn)
        #expect(teams.map(\.objectID) == ["A", "C"])
        #expect(teams[0].members.map(\.inspectorID) == ["1", "9", "50"])
        #expect(teams[0].members.map(\.appointed) == [false, true, true])
        #expect(teams[0].members.map(\.leader) == [true, false, false])
        #expect(teams[1].members.map(\.inspectorID) == ["3"], "the pending replacement has no effect")
        #expect(StandingTeam.applying([], to: Self.drawn).allSatisfy { $0.members.allSatisfy { !$0.appointed } })
    }

    @Test("a draw owes a result per department sent per staffed object; it is complete when all are published")
    func completion() {
        var teams = StandingTeam.applying([Self.change(.appointExpert, "B", by: "50")], to: Self.drawn)
        teams.append(StandingTeam(drawn: DrawRecord.Team(objectID: "U", needs: [], members: [], unstaffed: "无可派人员")))
        // A: commerce and fire; B: commerce and, by the appointed expert, fire; U: unstaffed, owes nothing.
        let none = ResultCompletion(teams: teams, published: [])
        #expect(none.owed == 4 && none.published == 0 && !none.complete)
        let some = ResultCompletion(
            teams: teams, published: [.init(object: "A", department: "fire"), .init(object: "Z", department: "fire")])
        #expect(some.published == 1, "a result of an object not drawn does not count")
        let all = ResultCompletion(
            teams: teams,
            published: Set(
                ["A", "B"].flatMap { object in ["commerce", "fire"].map { ResultOwed(object: object, department: DepartmentCode($0)) } }))
        #expect(all.complete && all.published == 4)
    }

    @Test("late results: each owed result unpublished past its own deadline, or the draw's when never entered, counted per department")
    func lateness() {
        let teams = StandingTeam.applying([], to: Self.drawn)  // A: commerce and fire; B: commerce
        let drawDue = CalendarDate("2026-12-28")!
        // A's commerce result is published; A's fire result is entered, due on 10 December.
        let outstanding = ResultOwed.outstanding(by: teams, published: [ResultOwed(object: "A", department: "commerce")])
        #expect(Set(outstanding) == [ResultOwed(object: "A", department: "fire"), ResultOwed(object: "B", department: "commerce")])
        let entered = [ResultOwed(object: "A", department: "fire"): CalendarDate("2026-12-10")!]
        // On 20 December only fire's entered result is past its own deadline; B's commerce result waits for the draw's.
        #expect(
            LateResults.of(outstanding, entered: entered, drawDue: drawDue, today: CalendarDate("2026-12-20")!)
                == [LateResults(department: "fire", count: 1, due: CalendarDate("2026-12-10")!)])
        // On 30 December commerce's unentered result of B is late too; A's, published, never is.
        #expect(
            LateResults.of(outstanding, entered: entered, drawDue: drawDue, today: CalendarDate("2026-12-30")!)
                == [
                    LateResults(department: "commerce", count: 1, due: drawDue),
                    LateResults(department: "fire", count: 1, due: CalendarDate("2026-12-10")!),
                ])
    }
}
