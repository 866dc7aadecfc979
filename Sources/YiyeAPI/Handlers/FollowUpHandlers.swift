import Foundation
import YiyeContract
import YiyeCore
import YiyeStore

/// `…/results/{department}/follow-up` and `/api/v1/follow-ups/figures`: 后续处置 of problem results, and how many
/// each department closed and how fast (处理完结率).
extension APIHandlers {
    func getResultFollowUp(_ input: Operations.GetResultFollowUp.Input) async throws -> Operations.GetResultFollowUp.Output {
        let actor = try admittedActor()
        let drawn = try await drawnObject(DrawID(input.path.id), object: input.path.creditCode, for: actor)
        let key = drawn.resultKey(of: DepartmentCode(input.path.department))
        return .ok(.init(body: .json(try .init(try await followUps.followUp(key)))))
    }

    func recordFollowUpStep(_ input: Operations.RecordFollowUpStep.Input) async throws -> Operations.RecordFollowUpStep.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let drawn = try await drawnObject(DrawID(input.path.id), object: input.path.creditCode, for: actor)
        let key = drawn.resultKey(of: DepartmentCode(input.path.department))
        try actor.checkOwnResult(of: key.department)
        let kind = try ResultFollowUp.Action.Kind(code: body.kind.rawValue)
        let action = ResultFollowUp.Action(
            kind: kind, on: try CalendarDate(field: "on", body.on), note: body.note ?? "", rectified: body.rectified,
            reference: body.reference ?? "", consequence: try body.consequence.map { try .init(code: $0.rawValue) }, by: actor.username)
        let today = try await asOf().today
        var clue: (Clue, notices: @Sendable (Clue) -> [Notice])?
        try ResultFollowUp.Action.checkClue(for: kind, given: body.clue != nil)
        if let handed = body.clue {
            let originator = try await industryDepartments(drawn.task.industry, actor: actor).originator
            clue = try await newClue(
                Clue(
                    industry: drawn.task.industry, source: .inspection, taskID: drawn.task.id, objectCreditCode: key.creditCode,
                    description: handed.description, suspectedViolation: handed.suspectedViolation, legalBasis: handed.legalBasis ?? "",
                    foundBy: actor.department),
                to: handed.departments.departmentCodes, deadlineWorkingDays: handed.deadlineWorkingDays, originator: originator, by: actor)
        }
        var resolve: (@Sendable (inout InspectionResult) throws -> ResultRepository.Event?)?
        if kind == .resolved {
            let (authority, publisher, note) = (try await departments.names()[name: key.department], actor.username, action.note)
            resolve = { result in
                try result.resolvePending()
                return .published(
                    drawn.publicResult(result, authority: authority), by: publisher, at: clock.now, change: (.followUpResolved, note))
            }
        }
        try await followUps.record(
            key, at: clock.now, audit: entry(actor, "follow_up.record", "result", key.description, details: kind.label), clue: clue,
            resolve: resolve
        ) { followUp, clueID in
            var action = action
            if let clueID { action.reference = "线索 \(clueID)" }
            try followUp.record(action, today: today)
        }
        return .ok(.init(body: .json(try .init(try await followUps.followUp(key)))))
    }

    /// The dashboard's follow-up figures of the year (docs/DASHBOARD.md), one row per department with something to follow up.
    func getFollowUpFigures(_ input: Operations.GetFollowUpFigures.Input) async throws -> Operations.GetFollowUpFigures.Output {
        let actor = try admittedActor()
        let scope = DashboardRepository.Scope(
            period: try DashboardPeriod(year: input.query.year), industries: nil, department: actor.viewpoint, region: nil, now: clock.now)
        let rows = try await dashboard.figures(scope).compactMap { key, figures in
            key.industry == nil && figures.followUpsNeeded > 0 ? key.department.map { ($0, figures) } : nil
        }.sorted { $0.0.rawValue < $1.0.rawValue }
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: rows.map { department, figures in
                            .init(
                                department: department.rawValue, needed: figures.followUpsNeeded, closed: figures.followUpsClosed,
                                open: figures.followUpsOpen, closureRate: figures.closureRate ?? 0,
                                medianDaysToClose: figures.medianDaysToClose)
                        }))))
    }
}

extension Components.Schemas.FollowUp {
    init(_ followUp: ResultFollowUp) throws {
        self.init(
            needed: followUp.isNeeded, closedOn: followUp.closedOn?.description, rectificationDue: followUp.rectificationDue?.description,
            unsettled: try followUp.unsettled.map { try .init(code: $0.rawValue) },
            actions: try followUp.actions.map {
                .init(
                    kind: try .init(code: $0.kind.rawValue), kindLabel: $0.kind.label, on: $0.on.description, note: $0.note,
                    rectified: $0.rectified, reference: $0.reference, consequence: try $0.consequence.map { try .init(code: $0.rawValue) },
                    consequenceLabel: $0.consequence?.label, by: $0.by)
            })
    }
}
