import Foundation
import OpenAPIRuntime
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/draws`: freeze, commit, reveal, beacon, execute (docs/DRAW-SPEC.md), and the public record and pool file.
extension APIHandlers {
    func freezeDraw(_ input: Operations.FreezeDraw.Input) async throws -> Operations.FreezeDraw.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let task = try await visibleTask(TaskID(input.path.id), to: actor)
        _ = try await originatedIndustry(task.industry, by: actor, for: "冻结抽取")
        try task.checkOpen()
        guard try await draws.id(ofTask: TaskID(input.path.id)) == nil else {
            throw APIError(.conflict, "draw_exists", "该任务已冻结抽取，不可重复抽取")
        }
        if let planID = task.planID {
            guard let plan = try await plans.find(planID) else { throw APIError.notFound("计划") }
            try plan.checkDrawable()
        }
        let today = clock.today
        let (commitDeadline, revealDeadline) = try DrawState.deadlines(
            commit: body.commitDeadline, reveal: body.revealDeadline, now: clock.now,
            calendar: try await calendar.calendar(covering: Set(today.year...(today.year + 1)))
        )
        if let beacon = body.beacon { try Validation.text(beacon, field: "beacon", label: "公共信标", required: true, maximum: 200) }
        let parameters = DrawRecord.Parameters(
            originator: task.originator, participants: task.participants, sampling: task.sampling.rules,
            inspectorsPerDepartment: Dictionary(
                uniqueKeysWithValues: (body.inspectorsPerDepartment?.additionalProperties ?? [:]).map { (DepartmentCode($0.key), $0.value) }
            ), inspectorCap: body.inspectorCap,
            beacon: body.beacon
        )
        let id = try await draws.freeze(
            task: task, parameters: parameters, commitDeadline: commitDeadline, revealDeadline: revealDeadline, at: clock.now,
            audit: entry(actor, "draw.freeze", "draw", nil))
        return .created(.init(body: .json(try await drawStatus(id, for: actor))))
    }

    func getDraw(_ input: Operations.GetDraw.Input) async throws -> Operations.GetDraw.Output {
        let actor = try admittedActor()
        return .ok(.init(body: .json(try await drawStatus(DrawID(input.path.id), for: actor))))
    }

    func commitDraw(_ input: Operations.CommitDraw.Input) async throws -> Operations.CommitDraw.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let draw = try await visibleDraw(DrawID(input.path.id), to: actor)
        try await draws.commit(
            draw.id, department: actor.department, commitment: body.commitment, at: clock.now,
            audit: entry(actor, "draw.commit", "draw", draw.id.description, details: body.commitment))
        return .ok(.init(body: .json(try await drawStatus(draw.id, for: actor))))
    }

    func revealDraw(_ input: Operations.RevealDraw.Input) async throws -> Operations.RevealDraw.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let draw = try await visibleDraw(DrawID(input.path.id), to: actor)
        try await draws.reveal(
            draw.id, department: actor.department, secret: body.secret, at: clock.now,
            audit: entry(actor, "draw.reveal", "draw", draw.id.description))
        return .ok(.init(body: .json(try await drawStatus(draw.id, for: actor))))
    }

    func enterDrawBeacon(_ input: Operations.EnterDrawBeacon.Input) async throws -> Operations.EnterDrawBeacon.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let draw = try await originatedDraw(DrawID(input.path.id), by: actor, for: "录入公共信标")
        try await draws.enterBeacon(
            draw.id, value: body.value, at: clock.now, audit: entry(actor, "draw.beacon", "draw", draw.id.description, details: body.value))
        return .ok(.init(body: .json(try await drawStatus(draw.id, for: actor))))
    }

    func voidDraw(_ input: Operations.VoidDraw.Input) async throws -> Operations.VoidDraw.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let draw = try await originatedDraw(DrawID(input.path.id), by: actor, for: "作废抽取")
        try await draws.void(
            draw.id, reason: body.reason, at: clock.now, audit: entry(actor, "draw.void", "draw", draw.id.description, details: body.reason)
        )
        return .ok(.init(body: .json(try await drawStatus(draw.id, for: actor))))
    }

    func executeDraw(_ input: Operations.ExecuteDraw.Input) async throws -> Operations.ExecuteDraw.Output {
        let actor = try admittedActor()
        let draw = try await originatedDraw(DrawID(input.path.id), by: actor, for: "执行抽取")
        guard let task = try await tasks.find(draw.taskID),
            let joint = try await jointLists.published(task.industry, version: task.jointListVersion)
        else {
            throw APIError.notFound("抽查任务")
        }
        let deadlines = try await calendar.executionDeadlines(
            executedOn: clock.today, windowEnd: task.windowEnd, resultWorkingDays: resultPublicationWorkingDays)
        _ = try await draws.execute(
            draw.id, task: task, jointList: joint.document, deadlines: deadlines, at: clock.now,
            audit: entry(actor, "draw.execute", "draw", draw.id.description))
        return .ok(.init(body: .json(try await drawStatus(draw.id, for: actor))))
    }

    func getDrawRecord(_ input: Operations.GetDrawRecord.Input) async throws -> Operations.GetDrawRecord.Output {
        guard let draw = try await draws.find(DrawID(input.path.id)), let record = draw.record else { throw APIError.notFound("已执行的抽取") }
        return .ok(.init(body: .json(try Convert.json(record.publicPart, as: Components.Schemas.DrawRecord.self))))
    }

    func getDrawObjectPool(_ input: Operations.GetDrawObjectPool.Input) async throws -> Operations.GetDrawObjectPool.Output {
        guard let files = try await draws.files(DrawID(input.path.id)) else { throw APIError.notFound("抽取") }
        return .ok(.init(body: .plainText(HTTPBody(files.objects))))
    }

    func getDrawInspectorPool(_ input: Operations.GetDrawInspectorPool.Input) async throws -> Operations.GetDrawInspectorPool.Output {
        let actor = try admittedActor()
        let draw = try await visibleDraw(DrawID(input.path.id), to: actor)
        guard let files = try await draws.files(draw.id) else { throw APIError.notFound("抽取") }
        return .ok(.init(body: .plainText(HTTPBody(files.inspectors))))
    }

    func getDrawConflictPool(_ input: Operations.GetDrawConflictPool.Input) async throws -> Operations.GetDrawConflictPool.Output {
        let actor = try admittedActor()
        let draw = try await visibleDraw(DrawID(input.path.id), to: actor)
        guard let files = try await draws.files(draw.id) else { throw APIError.notFound("抽取") }
        return .ok(.init(body: .plainText(HTTPBody(files.conflicts))))
    }

    func listDrawChanges(_ input: Operations.ListDrawChanges.Input) async throws -> Operations.ListDrawChanges.Output {
        let actor = try admittedActor()
        let draw = try await visibleDraw(DrawID(input.path.id), to: actor)
        return .ok(.init(body: .json(.init(items: try await draws.changes(draw.id).map(Components.Schemas.DrawChange.init)))))
    }

    func requestDrawChange(_ input: Operations.RequestDrawChange.Input) async throws -> Operations.RequestDrawChange.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let draw = try await visibleDraw(DrawID(input.path.id), to: actor)
        let kind = try DrawChange.Kind(code: body.kind.rawValue)
        let concerned = kind == .appointExpert ? body.replacementInspector : body.replacedInspector
        var inspectorDepartment: DepartmentCode?
        if let id = concerned.flatMap(Int64.init) { inspectorDepartment = try await inspectors.find(id)?.department }
        let change = DrawChange(
            kind: kind, objectID: body.objectId, replacedInspector: body.replacedInspector,
            replacementInspector: body.replacementInspector, replacementObject: body.replacementObject,
            department: DrawChange.decidingDepartment(
                kind, originator: draw.parameters.originator, inspectorDepartment: inspectorDepartment),
            reasonKind: try .init(code: body.reasonKind.rawValue), reason: body.reason, requestedBy: actor.username
        )
        guard actor.mayRequest(change, originator: draw.parameters.originator) else {
            throw try await forbidden(
                actor, "draw", draw.id.description,
                message: kind == .appointExpert ? "外部专家由发起部门指派" : "只有发起部门或相关部门可以申请变更")
        }
        let saved = try await draws.requestChange(
            draw.id, change, at: clock.now, audit: entry(actor, "draw.change.request", "draw", draw.id.description))
        return .created(.init(body: .json(try .init(saved))))
    }

    func decideDrawChange(_ input: Operations.DecideDrawChange.Input) async throws -> Operations.DecideDrawChange.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let draw = try await visibleDraw(DrawID(input.path.id), to: actor)
        guard let change = try await draws.changes(draw.id).first(where: { $0.id == input.path.changeId }) else {
            throw APIError.notFound("变更申请")
        }
        guard actor.mayDecide(change) else {
            throw try await forbidden(actor, "draw_change", String(input.path.changeId), message: "变更须由 \(change.department) 的部门负责人审批")
        }
        let note = body.note ?? ""
        try Validation.text(note, field: "note", label: "审批意见", maximum: 500)
        let decided = try await draws.decideChange(
            draw.id, change: input.path.changeId, approve: body.approve, note: note,
            decidedBy: actor.username, at: clock.now,
            audit: entry(actor, "draw.change.decide", "draw", draw.id.description))
        return .ok(.init(body: .json(try .init(decided))))
    }

    func confirmDrawAssignments(_ input: Operations.ConfirmDrawAssignments.Input) async throws -> Operations.ConfirmDrawAssignments.Output {
        let actor = try admittedActor()
        let draw = try await visibleDraw(DrawID(input.path.id), to: actor)
        try await draws.confirm(
            draw.id, department: actor.department, at: clock.now, audit: entry(actor, "draw.confirm", "draw", draw.id.description))
        return .ok(.init(body: .json(try await drawStatus(draw.id, for: actor))))
    }

    private func drawStatus(_ id: DrawID, for actor: Actor) async throws -> Components.Schemas.DrawStatus {
        let draw = try await visibleDraw(id, to: actor)
        let task = try await visibleTask(draw.taskID, to: actor)
        let state = draw.state
        let changes = try await draws.changes(draw.id)
        // The teams as drawn, kept in rows beside the record.
        let drawn = draw.record == nil ? [] : try await draws.teams(draw.id)
        let asOf = try await asOf()
        return .init(
            id: draw.id.rawValue, taskId: draw.taskID.rawValue, industry: task.industry, year: draw.year,
            phase: try .init(code: state.phase(at: clock.now).rawValue), voidReason: state.voidReason, poolDigest: draw.poolDigest,
            inspectorDigest: draw.inspectorDigest, strata: draw.strata.map { .init(stratum: $0.stratum, n: $0.n, k: $0.k) },
            exclusions: try draw.exclusions.compactMap { exclusion in
                .init(reason: try .init(code: exclusion.reason), count: exclusion.count)
            },
            commitDeadline: state.commitDeadline, revealDeadline: state.revealDeadline, beacon: state.beacon,
            beaconValue: state.beaconValue,
            parties: state.contributors.map { department in
                .init(
                    department: department.rawValue, committed: state.parties[department]?.commitment != nil,
                    revealed: state.parties[department]?.secret != nil)
            },
            record: try draw.record.map { record in
                var full = record
                full.teams = drawn
                return try Convert.json(full, as: Components.Schemas.DrawRecord.self)
            },
            teams: StandingTeam.applying(changes, to: drawn).map { team in
                .init(
                    objectID: team.objectID,
                    members: team.members.map {
                        .init(
                            department: $0.department.rawValue, inspectorID: $0.inspectorID, leader: $0.leader, appointed: $0.appointed)
                    }, unstaffed: team.unstaffed)
            },
            changes: try changes.map(Components.Schemas.DrawChange.init),
            confirmations: try await draws.confirmations(draw.id).map { confirmation in
                .init(
                    department: confirmation.department.rawValue, deadline: confirmation.deadline.description,
                    confirmedBy: confirmation.confirmedBy,
                    confirmedAt: confirmation.confirmedAt,
                    overdue: confirmation.isOverdue(on: clock.today),
                    deadlineProvisional: asOf.isProvisional(confirmation.deadlineCount, ending: confirmation.deadline))
            }
        )
    }
}

extension Components.Schemas.DrawChange {
    init(_ change: DrawChange) throws {
        self.init(
            id: change.id ?? 0, kind: try .init(code: change.kind.rawValue), objectId: change.objectID,
            replacedInspector: change.replacedInspector, replacementInspector: change.replacementInspector,
            replacementObject: change.replacementObject, department: change.department.rawValue,
            reasonKind: try .init(code: change.reasonKind.rawValue), reason: change.reason, requestedBy: change.requestedBy,
            status: try .init(code: change.status.rawValue), decidedBy: change.decidedBy, decisionNote: change.decisionNote
        )
    }
}
