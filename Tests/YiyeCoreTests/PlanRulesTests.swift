import Foundation
import Testing
import YiyeCore

/// The date and state rules of plans, tasks, work plans and action items, on a fixed "today".
@Suite("Dates and states: windows from today, annual tasks in a filed plan, steps and due dates on working days")
struct PlanRulesTests {
    static func d(_ text: String) -> CalendarDate { CalendarDate(text)! }
    /// Monday 30 November 2026.
    static let today = d("2026-11-30")
    static let departments = IndustryDepartments(originator: "commerce", participants: ["fire", "emergency"])
    static let calendar = WorkingCalendar(years: [.provisional(2026), .provisional(2027)])

    static func task(
        kind: InspectionTask.Kind = .annual, plan: Int64? = 1, start: String = "2026-12-01", end: String = "2026-12-31",
        reason: String? = nil
    ) -> InspectionTask {
        InspectionTask(
            planID: plan, industry: "fuel_retail", originator: "commerce", name: "加油站联合抽查", kind: kind,
            trigger: kind == .triggered ? .init(source: .complaint, description: "群众举报", lateRecordReason: reason) : nil,
            participants: ["fire"], jointListVersion: 1, windowStart: d(start), windowEnd: d(end))
    }

    static func refusal(_ body: () throws -> Void) -> (DomainError.Rule, String?)? {
        do { try body() } catch let error as DomainError { return (error.rule, error.field) } catch { return nil }
        return nil
    }

    @Test("a window starts today or later; a triggered inspection already done is recorded only with its reason")
    func windows() throws {
        let joint = JointListTests.merged()
        func check(_ task: InspectionTask) throws {
            try task.validate(industryDepartments: Self.departments, jointList: joint, today: Self.today)
        }
        try check(Self.task())
        try check(Self.task(start: "2026-11-30"))
        #expect(
            Self.refusal { try check(Self.task(start: "2026-11-29")) }.map { "\($0.0.rawValue) \($0.1 ?? "")" }
                == "invalid_period windowStart")
        #expect(
            Self.refusal { try check(Self.task(kind: .triggered, plan: nil, start: "2026-11-20", end: "2026-11-25")) }?.1 == "windowStart")
        try check(Self.task(kind: .triggered, plan: nil, start: "2026-11-20", end: "2026-11-25", reason: "11月20日接举报后当日已联合检查"))
        #expect(
            Self.refusal { try check(Self.task(kind: .triggered, plan: nil, start: "2026-11-20", end: "2026-11-25", reason: "  ")) }?.1
                == "windowStart", "a blank reason is no reason")
    }

    @Test("an annual task belongs to a plan; a triggered one need not")
    func annualInPlan() throws {
        let joint = JointListTests.merged()
        #expect(
            Self.refusal { try Self.task(plan: nil).validate(industryDepartments: Self.departments, jointList: joint, today: Self.today) }
                .map { "\($0.0.rawValue) \($0.1 ?? "")" } == "invalid_value planId")
        try Self.task(kind: .triggered, plan: nil).validate(industryDepartments: Self.departments, jointList: joint, today: Self.today)
    }

    @Test("a plan's tasks are drawn only once it is filed")
    func drawableOnceFiled() throws {
        var plan = AnnualPlan(id: 1, industry: "fuel_retail", year: 2026, title: "2026 年度计划")
        #expect(Self.refusal { try plan.checkDrawable() }?.0 == .planStatus)
        #expect(DomainError.Rule.planStatus.isStateConflict, "a draft plan is a state to wait out: 409")
        plan.status = .filed
        try plan.checkDrawable()
        plan.status = .published
        try plan.checkDrawable()
    }

    @Test("work-plan steps fall on working days within the window, in order")
    func workPlanSteps() throws {
        let task = Self.task()
        func plan(_ dues: String...) -> WorkPlan {
            WorkPlan(
                responsibilities: ["commerce": "牵头"], schedule: dues.enumerated().map { .init(name: "阶段\($0.offset + 1)", due: $0.element) }
            )
        }
        try plan("2026-12-02", "2026-12-18", "2026-12-31").validate(for: task, calendar: Self.calendar)
        // Saturday 5 December.
        #expect(
            Self.refusal { try plan("2026-12-02", "2026-12-05").validate(for: task, calendar: Self.calendar) }
                .map { "\($0.0.rawValue) \($0.1 ?? "")" } == "invalid_period schedule[1].due")
        #expect(
            Self.refusal { try plan("2027-01-04").validate(for: task, calendar: Self.calendar) }?.1 == "schedule[0].due", "after the window"
        )
        #expect(
            Self.refusal { try plan("2026-11-30").validate(for: task, calendar: Self.calendar) }?.1 == "schedule[0].due",
            "before the window")
    }

    @Test("an action item is due on a working day from today on, also in a year counted provisionally")
    func actionItemDue() throws {
        let meeting = Meeting(
            id: 1, industry: "fuel_retail", kind: .adHoc, title: "会商", agenda: [], startsAt: Date(timeIntervalSince1970: 0),
            location: "", convenedBy: "commerce", invitees: ["fire"])
        func item(_ due: String) -> ActionItem { ActionItem(meetingID: 1, description: "整改复查", owner: "fire", due: Self.d(due)) }
        try item("2026-12-04").validate(in: meeting, today: Self.today, calendar: Self.calendar)
        #expect(
            Self.refusal { try item("2026-12-06").validate(in: meeting, today: Self.today, calendar: Self.calendar) }?.1 == "due",
            "a Sunday")
        #expect(
            Self.refusal { try item("2027-01-01").validate(in: meeting, today: Self.today, calendar: Self.calendar) }?.1 == "due",
            "New Year's Day, off even before the office enters 2027")
        try item("2027-01-04").validate(in: meeting, today: Self.today, calendar: Self.calendar)
    }
}
