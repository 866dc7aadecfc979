import Foundation
import YiyeCore
import YiyeStore

/// Every handler finds what it acts on here: the thing when the actor sees it (the rules are `Visibility.swift` in
/// Core), 404 naming what was asked for otherwise, audited, so no other department's business is revealed; and the
/// thing when the actor's department is the one that may act on it, 403 naming who may otherwise.
extension APIHandlers {
    func visibleIndustry(_ code: String, to actor: Actor) async throws -> Industry {
        guard let industry = try await industries.find(code) else { throw APIError.notFound("行业") }
        guard actor.sees(industry) else { throw try await hidden(actor, "industry", code, what: "行业") }
        return industry
    }

    /// The industry's departments, when the actor sees the industry and it has them.
    func industryDepartments(_ code: String, actor: Actor) async throws -> IndustryDepartments {
        guard let departments = try await visibleIndustry(code, to: actor).departments else { throw APIError.notFound("行业") }
        return departments
    }

    /// The industry, when the actor's department originates it (发起部门); `work` is what only the originator does,
    /// e.g. "编制一业一单", and names the refusal.
    func originatedIndustry(_ code: String, by actor: Actor, for work: String) async throws -> Industry {
        let industry = try await visibleIndustry(code, to: actor)
        guard actor.originates(industry) else {
            throw try await forbidden(actor, "industry", code, message: "只有该行业的发起部门可以\(work)")
        }
        return industry
    }

    func visiblePlan(_ id: Int64, to actor: Actor) async throws -> AnnualPlan {
        guard let plan = try await plans.find(id) else { throw APIError.notFound("计划") }
        guard let industry = try await industries.find(plan.industry), actor.sees(industry) else {
            throw try await hidden(actor, "plan", String(id), what: "计划")
        }
        return plan
    }

    func visibleTask(_ id: TaskID, to actor: Actor) async throws -> InspectionTask {
        guard let task = try await tasks.find(id) else { throw APIError.notFound("抽查任务") }
        guard let industry = try await industries.find(task.industry), actor.sees(industry) else {
            throw try await hidden(actor, "task", id.description, what: "抽查任务")
        }
        return task
    }

    func visibleDraw(_ id: DrawID, to actor: Actor) async throws -> DrawRepository.Draw {
        guard let draw = try await draws.find(id), let task = try await tasks.find(draw.taskID) else {
            throw APIError.notFound("抽取")
        }
        guard let industry = try await industries.find(task.industry), actor.sees(industry) else {
            throw try await hidden(actor, "draw", id.description, what: "抽取")
        }
        return draw
    }

    /// The draw, when the actor's department originated it; `work` names what only the originator does.
    func originatedDraw(_ id: DrawID, by actor: Actor, for work: String) async throws -> DrawRepository.Draw {
        let draw = try await visibleDraw(id, to: actor)
        guard draw.parameters.originator == actor.department else {
            throw try await forbidden(actor, "draw", id.description, message: "只有发起部门可以\(work)")
        }
        return draw
    }

    func visibleCall(_ id: Int64, to actor: Actor) async throws -> WhistleCall {
        guard let call = try await calls.find(id) else { throw APIError.notFound("吹哨") }
        guard actor.sees(call) else { throw try await hidden(actor, "call", String(id), what: "吹哨") }
        return call
    }

    func visibleMeeting(_ id: Int64, to actor: Actor) async throws -> Meeting {
        guard let meeting = try await meetings.find(id) else { throw APIError.notFound("议事会商") }
        guard actor.sees(meeting) else { throw try await hidden(actor, "meeting", String(id), what: "议事会商") }
        return meeting
    }

    /// The meeting, when the actor's department convened it: only the convener writes minutes and action items.
    func convenedMeeting(_ id: Int64, by actor: Actor) async throws -> Meeting {
        let meeting = try await visibleMeeting(id, to: actor)
        guard meeting.convenedBy == actor.department else {
            throw try await forbidden(actor, "meeting", String(id), message: "只有召集部门可以撰写纪要和议定事项")
        }
        return meeting
    }

    /// The clue and its industry's originator.
    func visibleClue(_ id: Int64, to actor: Actor) async throws -> (Clue, originator: DepartmentCode) {
        guard let clue = try await clues.find(id) else { throw APIError.notFound("线索") }
        let originator = try await industries.find(clue.industry)?.departments?.originator ?? ""
        guard actor.sees(clue, originator: originator) else { throw try await hidden(actor, "clue", String(id), what: "线索") }
        return (clue, originator)
    }

    func visibleUser(_ username: String, to actor: Actor) async throws -> User {
        guard let user = try await users.find(username) else { throw APIError.notFound("用户") }
        guard actor.governs(user.department) else { throw try await hidden(actor, "user", username, what: "用户") }
        return user
    }

    /// A drawn object of an executed draw the actor sees: its task, its team as it stands after the approved changes, its
    /// registration, and the joint sheet's sections for the team's departments.
    func drawnObject(_ drawID: DrawID, object code: String, for actor: Actor) async throws -> DrawnObject {
        let draw = try await visibleDraw(drawID, to: actor)
        guard draw.record != nil else { throw APIError.notFound("已执行的抽取") }
        let task = try await visibleTask(draw.taskID, to: actor)
        let teams = try await draws.standingTeams(draw)
        guard let team = teams.first(where: { $0.objectID == code }), let (object, _) = try await objects.find(code, visibleTo: nil),
            let joint = try await jointLists.published(task.industry, version: task.jointListVersion)
        else {
            throw APIError.notFound("抽中对象")
        }
        let sections = JointInspectionSheet.sections(
            joint.document, kind: object.kind, entries: task.entries, departments: team.needs.map(\.department))
        return DrawnObject(draw: draw, task: task, team: team, object: object, sections: sections)
    }
}

/// A drawn object with what the sheets and the results are made of.
struct DrawnObject {
    var draw: DrawRepository.Draw
    var task: InspectionTask
    var team: StandingTeam
    var object: InspectedObject
    var sections: [JointInspectionSheet.Section]

    /// The entries of `department`'s part of the sheet, by number: what its result answers.
    func entries(of department: DepartmentCode) -> [Int: InspectionItem] {
        Dictionary(
            (sections.first { $0.department == department }?.entries ?? []).map { ($0.number, $0.item) },
            uniquingKeysWith: { first, _ in first })
    }

    /// Which result of this object is `department`'s.
    func resultKey(of department: DepartmentCode) -> ResultRepository.Key {
        ResultRepository.Key(drawID: draw.id, creditCode: object.creditCode, department: department)
    }

    /// What the public sees of `result`, this object's result of the department named `authority`.
    func publicResult(_ result: InspectionResult, authority: String) -> PublicResult {
        PublicResult(
            result, object: object, industry: task.industry, taskName: task.name, windowEnd: task.windowEnd, authority: authority,
            entries: entries(of: result.department))
    }
}
