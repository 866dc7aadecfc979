import Foundation
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/calls`: whistle calls (吹哨) and their responses. A department sees the calls it raised or is addressed
/// by; the office sees all.
extension APIHandlers {
    func listCalls(_ input: Operations.ListCalls.Input) async throws -> Operations.ListCalls.Output {
        let actor = try admittedActor()
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let fetched = try await calls.list(department: actor.viewpoint, after: try page.numericCursor(), limit: page.limit + 1)
        let (items, next) = page.page(fetched) { String($0.id ?? 0) }
        let asOf = try await asOf()
        return .ok(.init(body: .json(.init(items: try items.map { try .init($0, history: nil, asOf: asOf) }, nextCursor: next))))
    }

    func raiseCall(_ input: Operations.RaiseCall.Input) async throws -> Operations.RaiseCall.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let industry = try await visibleIndustry(body.industry, to: actor)
        guard let departments = industry.departments else { throw APIError.notFound("行业") }
        let deadline: Date
        var counted: WorkingDayCount?
        switch (body.deadlineWorkingDays, body.deadlineHours) {
        case (let days?, nil):
            (deadline, counted) = try await self.deadline(workingDays: days)
        case (nil, let hours?):
            deadline = clock.now.addingTimeInterval(TimeInterval(hours) * 3600)
        default:
            throw APIError.badParameter("deadlineWorkingDays", "须给出 deadlineWorkingDays 或 deadlineHours 之一")
        }
        if let taskID = body.taskId {
            let task = try await visibleTask(TaskID(taskID), to: actor)
            guard task.industry == industry.code else { throw DomainError(.invalidValue, "任务不属于该行业", field: "taskId") }
        }
        if let planID = body.planId {
            guard try await visiblePlan(planID, to: actor).industry == industry.code else {
                throw DomainError(.invalidValue, "计划不属于该行业", field: "planId")
            }
        }
        let call = WhistleCall(
            industry: industry.code, taskID: body.taskId.map { TaskID($0) }, planID: body.planId,
            stage: try .init(code: body.stage.rawValue),
            title: body.title, content: body.content, actionRequired: body.actionRequired, raisedBy: actor.department, raisedAt: clock.now,
            deadline: deadline,
            deadlineCount: counted, responses: body.addressed.map { .init(department: DepartmentCode($0)) }
        )
        try call.validate(departments: departments)
        let names = try await self.departments.names()
        let id = try await calls.create(call, audit: entry(actor, "call.raise", "call", industry.code, details: call.title)) {
            call.notices(raisedAs: $0, names: names)
        }
        return .created(.init(body: .json(try await callSchema(id))))
    }

    func getCall(_ input: Operations.GetCall.Input) async throws -> Operations.GetCall.Output {
        let actor = try admittedActor()
        _ = try await visibleCall(input.path.id, to: actor)
        return .ok(.init(body: .json(try await callSchema(input.path.id))))
    }

    func actOnCall(_ input: Operations.ActOnCall.Input) async throws -> Operations.ActOnCall.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        _ = try await visibleCall(input.path.id, to: actor)
        let action = try WhistleCall.Action(code: body.action.rawValue)
        let text = body.text ?? ""
        let department = actor.department
        let names = try await departments.names()
        _ = try await calls.update(
            input.path.id, department: department, action: action.rawValue, text: text,
            at: clock.now, audit: entry(actor, "call.\(action.rawValue)", "call", String(input.path.id))
        ) {
            try $0.act(action, by: department, text: text, at: clock.now)
            return $0.notices(after: action, by: department, names: names)
        }
        return .ok(.init(body: .json(try await callSchema(input.path.id))))
    }

    func answerCall(_ input: Operations.AnswerCall.Input) async throws -> Operations.AnswerCall.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        _ = try await visibleCall(input.path.id, to: actor)
        let (names, department) = (try await departments.names(), actor.department)
        _ = try await calls.update(
            input.path.id, department: actor.department, action: "answer", text: body.text,
            at: clock.now, audit: entry(actor, "call.answer", "call", String(input.path.id), details: body.department)
        ) {
            try $0.answer(DepartmentCode(body.department), text: body.text, by: department)
            return $0.notices(answering: DepartmentCode(body.department), names: names)
        }
        return .ok(.init(body: .json(try await callSchema(input.path.id))))
    }

    func closeCall(_ input: Operations.CloseCall.Input) async throws -> Operations.CloseCall.Output {
        let actor = try admittedActor()
        _ = try await visibleCall(input.path.id, to: actor)
        let department = actor.department
        let names = try await departments.names()
        _ = try await calls.update(
            input.path.id, department: department, action: "close", text: "",
            at: clock.now, audit: entry(actor, "call.close", "call", String(input.path.id))
        ) {
            try $0.close(by: department)
            return $0.noticesOfClosing(names: names)
        }
        return .ok(.init(body: .json(try await callSchema(input.path.id))))
    }

    /// The end of the `days`th working day from today, China time, and how it was counted.
    func deadline(workingDays days: Int) async throws -> (end: Date, count: WorkingDayCount) {
        let count = WorkingDayCount(from: clock.today, workingDays: days)
        return (try await calendar.deadline(count).date.endOfDayInChina, count)
    }

    private func callSchema(_ id: Int64) async throws -> Components.Schemas.Call {
        guard let call = try await calls.find(id) else { throw APIError.notFound("吹哨") }
        return try .init(call, history: try await calls.history(id), asOf: try await asOf())
    }
}

extension Components.Schemas.Call {
    init(_ call: WhistleCall, history: [WhistleRepository.Event]?, asOf: AsOf) throws {
        self.init(
            id: call.id ?? 0, industry: call.industry, taskId: call.taskID?.rawValue, planId: call.planID,
            stage: try .init(code: call.stage.rawValue), title: call.title, content: call.content, actionRequired: call.actionRequired,
            raisedBy: call.raisedBy.rawValue,
            deadline: call.deadline,
            deadlineProvisional: asOf.isProvisional(call.deadlineCount, ending: CalendarDate(chinaDateOf: call.deadline)),
            status: try .init(code: call.status.rawValue),
            responses: try call.responses.map {
                .init(
                    department: $0.department.rawValue, state: try .init(code: $0.state.rawValue), readAt: $0.readAt,
                    respondedAt: $0.respondedAt, text: $0.text)
            },
            overdue: call.overdue(at: asOf.now).codes,
            history: history?.map {
                .init(department: $0.department.rawValue, actor: $0.actor, action: $0.action, text: $0.text, at: $0.at)
            }
        )
    }
}
