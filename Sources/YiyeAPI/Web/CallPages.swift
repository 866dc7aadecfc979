import Foundation
import Hummingbird
import YiyeContract
import YiyeCore

/// 吹哨响应 pages: the calls a department raised or is addressed by, the form that raises one, and a call read as a
/// conversation with the forms that answer it. Each runs the API's operation of the same name.
extension WebPages {
    func registerCallPages(on router: Router<YiyeRequestContext>) {
        router.get("/calls") { request, _ in try await callsPage(request) }
        router.get("/calls/new") { request, _ in try await view(request, "raiseCall") { try await newCallPage(request, $0) } }
        router.post("/calls") { request, _ in try await raiseCall(request) }
        router.get("/calls/{id}") { request, context in
            try await view(request, "getCall") { try await callPage(request, $0, id: try Self.pathID(context, "吹哨")) }
        }
        router.post("/calls/{id}/actions") { request, context in try await actOnCall(request, id: try Self.pathID(context, "吹哨")) }
        router.post("/calls/{id}/answers") { request, context in try await answerCall(request, id: try Self.pathID(context, "吹哨")) }
        router.post("/calls/{id}/closure") { request, context in try await closeCall(request, id: try Self.pathID(context, "吹哨")) }
    }

    // MARK: the list

    func callsPage(_ request: Request) async throws -> Response {
        try await view(request, "listCalls") { actor in
            let cursor = request.uri.queryParameters.get("cursor")
            guard case .ok(let answer) = try await handlers.listCalls(.init(query: .init(limit: 50, cursor: cursor))),
                case .json(let calls) = answer.body
            else { throw APIError.internal }
            let (names, industries) = (try await handlers.departments.names(), try await industryNames())
            var context = try await frame(request, actor, title: "吹哨响应", current: "calls")
            context["mayRaise"] = actor.has(.coordinate) && actor.departmentKind == .regulator
            context["calls"] = calls.items.reversed().map { call -> [String: Any] in
                let mine = call.responses.first { $0.department == actor.department.rawValue }
                return [
                    "id": call.id, "title": call.title, "industry": industries[call.industry] ?? call.industry,
                    "stage": WhistleCall.Stage(rawValue: call.stage.rawValue)?.label ?? "",
                    "raisedBy": names[name: DepartmentCode(call.raisedBy)], "deadline": PageText.time(call.deadline),
                    "status": WhistleCall.Status(rawValue: call.status.rawValue)?.label ?? "",
                    "mine": mine.flatMap { WhistleCall.ResponseState(rawValue: $0.state.rawValue)?.label } ?? "",
                    "overdue": call.overdue.map { names[name: DepartmentCode($0)] }.joined(separator: "、"),
                ]
            }
            context["next"] = calls.nextCursor.map { "/calls?cursor=" + $0 }
            return page("calls", context, status: .ok)
        }
    }

    // MARK: raising a call

    /// The form: first the industry (its departments decide whom the call may address), then the rest.
    func newCallPage(
        _ request: Request, _ actor: Actor, form: WebForm? = nil, error: APIError? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var context = try await frame(request, actor, title: "发起吹哨", current: "calls")
        let (industries, chosen) = try await industryChoice(request, actor, form: form)
        context["industries"] = industries
        context["error"] = Self.formError(
            error, fields: ["industry", "stage", "title", "content", "actionRequired", "addressed", "deadlineWorkingDays", "taskId"])
        if let industry = chosen, let departments = industry.departments {
            let names = try await handlers.departments.names()
            let addressable = actor.department == departments.originator ? departments.participants : [departments.originator]
            let addressed = Set(form?.all("addressed") ?? addressable.map(\.rawValue))
            context["industry"] = [
                "code": industry.code, "name": industry.name,
                "departments": addressable.map {
                    ["code": $0.rawValue, "name": names[name: $0], "checked": addressed.contains($0.rawValue)]
                },
                "stages": WhistleCall.Stage.allCases.map {
                    ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == (form?["stage"] ?? "planning")]
                },
                "tasks": try await taskChoices(industry, actor, selected: form?["taskId"]),
                "deadlines": try await deadlineChoices(selected: form?["deadlineWorkingDays"] ?? "1"),
                "title": form?["title"] ?? "", "content": form?["content"] ?? "", "actionRequired": form?["actionRequired"] ?? "",
            ]
        }
        return page("call-new", context, status: status)
    }

    func raiseCall(_ request: Request) async throws -> Response {
        try await submit(request, "raiseCall", back: "/calls/new") { form, _ in
            guard let stage = Components.Schemas.CallInput.StagePayload(rawValue: form["stage"] ?? "") else {
                throw APIError.badParameter("stage", "请选择吹哨环节")
            }
            let input = Components.Schemas.CallInput(
                industry: form["industry"] ?? "", taskId: try form.integer("taskId", label: "任务").map(Int64.init), stage: stage,
                title: form["title"] ?? "", content: form["content"] ?? "", actionRequired: form["actionRequired"] ?? "",
                addressed: form.all("addressed"), deadlineWorkingDays: try form.integer("deadlineWorkingDays", label: "响应期限"))
            guard case .created(let answer) = try await handlers.raiseCall(.init(body: .json(input))), case .json(let call) = answer.body
            else { throw APIError.internal }
            return Response.redirect(to: "/calls/\(call.id)", type: .normal)
        } refused: { form, error in
            try await newCallPage(request, try handlers.admittedActor(), form: form, error: error, status: error.status)
        }
    }

    // MARK: one call

    func callPage(
        _ request: Request, _ actor: Actor, id: Int64, error: APIError? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard case .ok(let answer) = try await handlers.getCall(.init(path: .init(id: id))), case .json(let call) = answer.body else {
            throw APIError.internal
        }
        let (names, industries) = (try await handlers.departments.names(), try await industryNames())
        let now = handlers.clock.now
        let open = call.status == .open && actor.has(.coordinate)
        let mine = call.responses.first { $0.department == actor.department.rawValue }
        let raiser = call.raisedBy == actor.department.rawValue
        var context = try await frame(request, actor, title: call.title, current: "calls")
        context["call"] = [
            "id": call.id, "title": call.title, "industry": industries[call.industry] ?? call.industry,
            "stage": WhistleCall.Stage(rawValue: call.stage.rawValue)?.label ?? "",
            "status": WhistleCall.Status(rawValue: call.status.rawValue)?.label ?? "",
            "raisedBy": names[name: DepartmentCode(call.raisedBy)], "content": call.content, "actionRequired": call.actionRequired,
            "deadline": PageText.time(call.deadline),
            "timeLeft": call.status == .open ? TimeLeft.text(until: call.deadline, at: now) : "",
            "overdue": call.overdue.map { names[name: DepartmentCode($0)] }.joined(separator: "、"),
            "responses": call.responses.map { response -> [String: Any] in
                [
                    "department": names[name: DepartmentCode(response.department)],
                    "state": WhistleCall.ResponseState(rawValue: response.state.rawValue)?.label ?? "",
                    "respondedAt": response.respondedAt.map(PageText.time) ?? "", "text": response.text,
                ]
            },
            "history": (call.history ?? []).map { event -> [String: Any] in
                [
                    "department": names[name: DepartmentCode(event.department)], "actor": event.actor == "system" ? "系统" : event.actor,
                    "action": WhistleCall.historyLabel(event.action), "text": event.text,
                    "at": PageText.time(event.at),
                    "raiser": event.department == call.raisedBy,
                ]
            },
        ]
        // What this user may do on it now, as the API would allow it.
        if open, let mine, let state = WhistleCall.ResponseState(rawValue: mine.state.rawValue), !state.isAnswered {
            context["respond"] = ["unread": state == .unread, "waiting": state == .infoRequested]
        }
        if open, raiser {
            context["questions"] = call.responses.filter { $0.state == .infoRequested }.map {
                ["code": $0.department, "department": names[name: DepartmentCode($0.department)], "question": $0.text]
            }
            context["closable"] = true
        }
        context["error"] = Self.formError(error, fields: ["text", "action", "department"])
        return page("call", context, status: status)
    }

    func actOnCall(_ request: Request, id: Int64) async throws -> Response {
        try await callStep(request, "actOnCall", id: id) { form, _ in
            guard let action = Components.Schemas.CallAction.ActionPayload(rawValue: form["action"] ?? "") else {
                throw APIError.badParameter("action", "请选择响应方式")
            }
            _ = try await handlers.actOnCall(.init(path: .init(id: id), body: .json(.init(action: action, text: form["text"]))))
        }
    }

    func answerCall(_ request: Request, id: Int64) async throws -> Response {
        try await callStep(request, "answerCall", id: id) { form, _ in
            _ = try await handlers.answerCall(
                .init(path: .init(id: id), body: .json(.init(department: form["department"] ?? "", text: form["text"] ?? ""))))
        }
    }

    func closeCall(_ request: Request, id: Int64) async throws -> Response {
        try await callStep(request, "closeCall", id: id) { _, _ in _ = try await handlers.closeCall(.init(path: .init(id: id))) }
    }

    private func callStep(_ request: Request, _ operation: String, id: Int64, _ step: (WebForm, Actor) async throws -> Void) async throws
        -> Response
    {
        try await self.step(
            request, operation, returningTo: "/calls/\(id)",
            show: { try await callPage(request, $0, id: id, error: $1, status: $1.status) },
            step)
    }
}
