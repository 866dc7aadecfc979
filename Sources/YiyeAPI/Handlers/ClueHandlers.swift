import Foundation
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/clues`: 问题线索分办、转办. A department sees the clues it found or received, and those of the
/// industries it originates; the office sees all.
extension APIHandlers {
    func listClues(_ input: Operations.ListClues.Input) async throws -> Operations.ListClues.Output {
        let actor = try admittedActor()
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let fetched = try await clues.list(department: actor.viewpoint, after: try page.numericCursor(), limit: page.limit + 1)
        let (items, next) = page.page(fetched) { String($0.id ?? 0) }
        let asOf = try await asOf()
        return .ok(.init(body: .json(.init(items: try items.map { try .init($0, history: nil, asOf: asOf) }, nextCursor: next))))
    }

    func reportClue(_ input: Operations.ReportClue.Input) async throws -> Operations.ReportClue.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let departments = try await industryDepartments(body.industry, actor: actor)
        if let taskID = body.taskId {
            guard try await visibleTask(TaskID(taskID), to: actor).industry == body.industry else {
                throw DomainError(.invalidValue, "任务不属于该行业", field: "taskId")
            }
        }
        let (clue, notices) = try await newClue(
            Clue(
                industry: body.industry, source: try .init(code: body.source.rawValue), taskID: body.taskId.map { TaskID($0) },
                objectCreditCode: body.objectCreditCode, description: body.description, suspectedViolation: body.suspectedViolation,
                legalBasis: body.legalBasis ?? "", evidence: body.evidence ?? [], foundBy: actor.department),
            to: body.departments.departmentCodes, deadlineWorkingDays: body.deadlineWorkingDays, originator: departments.originator,
            by: actor)
        let id = try await clues.create(
            clue, at: clock.now, audit: entry(actor, "clue.report", "clue", body.industry, details: clue.suspectedViolation),
            notices: notices)
        return .created(.init(body: .json(try await clueSchema(id))))
    }

    func getClue(_ input: Operations.GetClue.Input) async throws -> Operations.GetClue.Output {
        let actor = try admittedActor()
        _ = try await visibleClue(input.path.id, to: actor)
        return .ok(.init(body: .json(try await clueSchema(input.path.id))))
    }

    func routeClue(_ input: Operations.RouteClue.Input) async throws -> Operations.RouteClue.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let (clue, originator) = try await visibleClue(input.path.id, to: actor)
        let (deadline, counted) = try await deadline(workingDays: body.deadlineWorkingDays ?? 5)
        let (regulators, names) = (try await regulators(), try await departments.names())
        let (department, username, isOffice) = (actor.department, actor.username, actor.readsEverything)
        _ = try await clues.update(
            clue.id ?? 0, department: department, action: "route", text: body.departments.joined(separator: ","),
            at: clock.now, audit: entry(actor, "clue.route", "clue", String(input.path.id))
        ) {
            try $0.route(
                to: body.departments.departmentCodes, deadline: deadline, counted: counted, by: department, actor: username,
                originator: originator,
                isOffice: isOffice, regulators: regulators, now: clock.now)
            return $0.routedNotices(body.departments.departmentCodes, names: names)
        }
        return .ok(.init(body: .json(try await clueSchema(input.path.id))))
    }

    func decideClue(_ input: Operations.DecideClue.Input) async throws -> Operations.DecideClue.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let (_, originator) = try await visibleClue(input.path.id, to: actor)
        let decision = try Clue.Decision(code: body.decision.rawValue)
        let outcome = try body.outcome.map { try Clue.Outcome(code: $0.rawValue) }
        let reason = body.reason ?? ""
        let (offices, names) = (try await departments.codes(kind: .leadershipOffice), try await departments.names())
        let department = actor.department
        _ = try await clues.update(
            input.path.id, department: department, action: decision.rawValue,
            text: [outcome?.label, reason].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "："),
            at: clock.now, audit: entry(actor, "clue.\(decision.rawValue)", "clue", String(input.path.id))
        ) {
            try $0.decide(decision, by: department, reason: reason, outcome: outcome, at: clock.now)
            return $0.decisionNotices(decision, by: department, originator: originator, offices: offices, names: names)
        }
        return .ok(.init(body: .json(try await clueSchema(input.path.id))))
    }

    func organizeJointVerification(
        _ input: Operations.OrganizeJointVerification.Input
    ) async throws -> Operations.OrganizeJointVerification.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let (clue, originator) = try await visibleClue(input.path.id, to: actor)
        guard actor.department.rawValue == originator.rawValue else {
            throw try await forbidden(actor, "clue", String(input.path.id), message: "联合核查由本行业的发起部门组织")
        }
        let (deadline, counted) = try await deadline(workingDays: body.deadlineWorkingDays ?? 3)
        let (call, meeting) = try clue.jointVerification(
            departments: try await industryDepartments(clue.industry, actor: actor),
            deadline: deadline, counted: counted, meetingStartsAt: body.meetingStartsAt,
            location: body.location ?? "", now: clock.now
        )
        _ = try await clues.organizeJointVerification(
            input.path.id, call: call, meeting: meeting, names: try await self.departments.names(),
            audit: entry(actor, "clue.joint_verification", "clue", String(input.path.id)))
        return .ok(.init(body: .json(try await clueSchema(input.path.id))))
    }

    /// A clue checked and routed to `departments` with its deadline (5 working days unless given), and the notices
    /// its routing sends: one way to report a clue, from a complaint or an inspection's follow-up.
    func newClue(
        _ clue: Clue, to departments: [DepartmentCode], deadlineWorkingDays: Int?, originator: DepartmentCode, by actor: Actor
    ) async throws -> (Clue, notices: @Sendable (Clue) -> [Notice]) {
        var clue = clue
        try clue.validate()
        let (deadline, counted) = try await deadline(workingDays: deadlineWorkingDays ?? 5)
        try clue.route(
            to: departments, deadline: deadline, counted: counted, by: actor.department, actor: actor.username, originator: originator,
            isOffice: actor.readsEverything, regulators: try await regulators(), now: clock.now)
        let names = try await self.departments.names()
        return (clue, { $0.routedNotices(departments, names: names) })
    }

    private func regulators() async throws -> Set<DepartmentCode> {
        Set(try await departments.codes(kind: .regulator))
    }

    private func clueSchema(_ id: Int64) async throws -> Components.Schemas.Clue {
        guard let clue = try await clues.find(id) else { throw APIError.notFound("线索") }
        return try .init(clue, history: try await clues.history(id), asOf: try await asOf())
    }
}

extension Components.Schemas.Clue {
    init(_ clue: Clue, history: [ClueRepository.Event]?, asOf: AsOf) throws {
        let now = asOf.now
        self.init(
            id: clue.id ?? 0, industry: clue.industry, source: try .init(code: clue.source.rawValue), taskId: clue.taskID?.rawValue,
            objectCreditCode: clue.objectCreditCode, description: clue.description, suspectedViolation: clue.suspectedViolation,
            legalBasis: clue.legalBasis, evidence: clue.evidence, foundBy: clue.foundBy.rawValue,
            status: try .init(code: clue.status.rawValue),
            jointCallId: clue.jointCallID, jointMeetingId: clue.jointMeetingID,
            routes: try clue.routes.map {
                .init(
                    department: $0.department.rawValue, deadline: $0.deadline,
                    deadlineProvisional: asOf.isProvisional($0.deadlineCount, ending: CalendarDate(chinaDateOf: $0.deadline)),
                    state: try .init(code: $0.state.rawValue), reason: $0.reason,
                    outcome: try $0.outcome.map { try .init(code: $0.rawValue) }, outcomeNote: $0.outcomeNote, routedBy: $0.routedBy,
                    routedAt: $0.routedAt, decidedAt: $0.decidedAt, concludedAt: $0.concludedAt, overdue: $0.isOverdue(at: now))
            },
            history: history?.map {
                .init(department: $0.department.rawValue, actor: $0.actor, action: $0.action, text: $0.text, at: $0.at)
            }
        )
    }
}
