import Foundation
import Hummingbird
import YiyeContract
import YiyeCore

/// 问题线索 pages: the clues a department found, received or oversees; the form that reports one and routes it to
/// the departments whose remit it is in; and a clue with each department's route, its history, and the forms that
/// accept, return, conclude or route it again. Each runs the API's operation of the same name.
extension WebPages {
    func registerCluePages(on router: Router<YiyeRequestContext>) {
        router.get("/clues") { request, _ in try await cluesPage(request) }
        router.get("/clues/new") { request, _ in try await view(request, "reportClue") { try await newCluePage(request, $0) } }
        router.post("/clues") { request, _ in try await reportClue(request) }
        router.get("/clues/{id}") { request, context in
            try await view(request, "getClue") { try await cluePage(request, $0, id: try Self.pathID(context, "线索")) }
        }
        router.post("/clues/{id}/decisions") { request, context in
            let id = try Self.pathID(context, "线索")
            return try await clueStep(request, "decideClue", id: id) { form, _ in
                guard let decision = Components.Schemas.ClueDecision.DecisionPayload(rawValue: form["decision"] ?? "") else {
                    throw APIError.badParameter("decision", "请选择接收、退回或办结")
                }
                let outcome = try form["outcome"].map {
                    guard let outcome = Components.Schemas.ClueDecision.OutcomePayload(rawValue: $0) else {
                        throw APIError.badParameter("outcome", "请选择办理结果")
                    }
                    return outcome
                }
                _ = try await handlers.decideClue(
                    .init(path: .init(id: id), body: .json(.init(decision: decision, reason: form["reason"], outcome: outcome))))
            }
        }
        router.post("/clues/{id}/routes") { request, context in
            let id = try Self.pathID(context, "线索")
            return try await clueStep(request, "routeClue", id: id) { form, _ in
                _ = try await handlers.routeClue(
                    .init(
                        path: .init(id: id),
                        body: .json(
                            .init(
                                departments: form.all("departments"),
                                deadlineWorkingDays: try form.integer("deadlineWorkingDays", label: "办理期限")))))
            }
        }
    }

    func cluesPage(_ request: Request) async throws -> Response {
        try await view(request, "listClues") { actor in
            let cursor = request.uri.queryParameters.get("cursor")
            guard case .ok(let answer) = try await handlers.listClues(.init(query: .init(limit: 50, cursor: cursor))),
                case .json(let clues) = answer.body
            else { throw APIError.internal }
            let (names, industries) = (try await handlers.departments.names(), try await industryNames())
            var context = try await frame(request, actor, title: "问题线索", current: "clues")
            context["mayReport"] = actor.has(.reportClues) && actor.departmentKind == .regulator
            context["clues"] = clues.items.map { clue -> [String: Any] in
                let mine = clue.routes.last { $0.department == actor.department.rawValue }
                return [
                    "id": clue.id, "violation": clue.suspectedViolation, "industry": industries[clue.industry] ?? clue.industry,
                    "source": Clue.Source(rawValue: clue.source.rawValue)?.label ?? "",
                    "foundBy": names[name: DepartmentCode(clue.foundBy)],
                    "status": Clue.Status(rawValue: clue.status.rawValue)?.label ?? "",
                    "mine": mine.flatMap { Clue.Route.State(rawValue: $0.state.rawValue)?.label } ?? "",
                ]
            }
            context["next"] = clues.nextCursor.map { "/clues?cursor=" + $0 }
            return page("clues", context, status: .ok)
        }
    }

    func newCluePage(
        _ request: Request, _ actor: Actor, form: WebForm? = nil, error: APIError? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var context = try await frame(request, actor, title: "报告问题线索", current: "clues")
        let (industries, chosen) = try await industryChoice(request, actor, form: form)
        context["industries"] = industries
        context["error"] = Self.formError(
            error,
            fields: [
                "industry", "source", "taskId", "objectCreditCode", "description", "suspectedViolation", "legalBasis", "departments",
                "deadlineWorkingDays",
            ])
        if let industry = chosen, let departments = industry.departments {
            let names = try await handlers.departments.names()
            let chosen = Set(form?.all("departments") ?? [])
            context["industry"] = [
                "code": industry.code, "name": industry.name,
                "departments": ([departments.originator] + departments.participants).map {
                    ["code": $0.rawValue, "name": names[name: $0], "checked": chosen.contains($0.rawValue)]
                },
                "sources": Clue.Source.allCases.map {
                    ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == (form?["source"] ?? "inspection")]
                },
                "tasks": try await taskChoices(industry, actor, selected: form?["taskId"]),
                "deadlines": try await deadlineChoices(selected: form?["deadlineWorkingDays"] ?? "5"),
                "objectCreditCode": form?["objectCreditCode"] ?? "", "description": form?["description"] ?? "",
                "suspectedViolation": form?["suspectedViolation"] ?? "", "legalBasis": form?["legalBasis"] ?? "",
            ]
        }
        return page("clue-new", context, status: status)
    }

    func reportClue(_ request: Request) async throws -> Response {
        try await submit(request, "reportClue", back: "/clues/new") { form, _ in
            guard let source = Components.Schemas.ClueInput.SourcePayload(rawValue: form["source"] ?? "") else {
                throw APIError.badParameter("source", "请选择线索来源")
            }
            let input = Components.Schemas.ClueInput(
                industry: form["industry"] ?? "", source: source, taskId: try form.integer("taskId", label: "任务").map(Int64.init),
                objectCreditCode: form["objectCreditCode"], description: form["description"] ?? "",
                suspectedViolation: form["suspectedViolation"] ?? "", legalBasis: form["legalBasis"], departments: form.all("departments"),
                deadlineWorkingDays: try form.integer("deadlineWorkingDays", label: "办理期限"))
            guard case .created(let answer) = try await handlers.reportClue(.init(body: .json(input))), case .json(let clue) = answer.body
            else { throw APIError.internal }
            return Response.redirect(to: "/clues/\(clue.id)", type: .normal)
        } refused: { form, error in
            try await newCluePage(request, try handlers.admittedActor(), form: form, error: error, status: error.status)
        }
    }

    /// A decision or a new routing, then back to the clue; a refusal shows on it.
    private func clueStep(_ request: Request, _ operation: String, id: Int64, _ step: (WebForm, Actor) async throws -> Void) async throws
        -> Response
    {
        try await self.step(
            request, operation, returningTo: "/clues/\(id)",
            show: { try await cluePage(request, $0, id: id, error: $1, status: $1.status) }, step)
    }

    func cluePage(
        _ request: Request, _ actor: Actor, id: Int64, error: APIError? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard case .ok(let answer) = try await handlers.getClue(.init(path: .init(id: id))), case .json(let clue) = answer.body else {
            throw APIError.internal
        }
        let (names, industries) = (try await handlers.departments.names(), try await industryNames())
        var context = try await frame(request, actor, title: "问题线索", current: "clues")
        context["clue"] = [
            "id": clue.id, "violation": clue.suspectedViolation, "description": clue.description, "legalBasis": clue.legalBasis,
            "industry": industries[clue.industry] ?? clue.industry,
            "source": Clue.Source(rawValue: clue.source.rawValue)?.label ?? "", "foundBy": names[name: DepartmentCode(clue.foundBy)],
            "object": clue.objectCreditCode as Any,
            "status": Clue.Status(rawValue: clue.status.rawValue)?.label ?? "",
            "routes": clue.routes.map { route -> [String: Any] in
                let outcome = route.outcome.flatMap { Clue.Outcome(rawValue: $0.rawValue)?.label }
                return [
                    "department": names[name: DepartmentCode(route.department)],
                    "state": Clue.Route.State(rawValue: route.state.rawValue)?.label ?? "", "deadline": PageText.time(route.deadline),
                    "overdue": route.overdue, "reason": route.reason,
                    "outcome": [outcome, route.outcomeNote.isEmpty ? nil : route.outcomeNote].compactMap { $0 }.joined(separator: "："),
                ]
            },
            "history": (clue.history ?? []).map { event -> [String: Any] in
                // Reporting and routing name the departments routed to.
                let text =
                    ["report", "route"].contains(event.action)
                    ? "分办至" + event.text.split(separator: ",").map { names[name: DepartmentCode(String($0))] }.joined(separator: "、")
                    : event.text
                return [
                    "department": names[name: DepartmentCode(event.department)], "actor": event.actor,
                    "action": Clue.historyLabel(event.action), "text": text, "at": PageText.time(event.at),
                ]
            },
        ]
        // The user's department's own step on its latest route, as the API would allow it.
        if actor.has(.coordinate), let mine = clue.routes.last(where: { $0.department == actor.department.rawValue }) {
            if mine.state == .routed { context["accept"] = true }
            if mine.state == .accepted {
                context["conclude"] = ["outcomes": Clue.Outcome.allCases.map { ["value": $0.rawValue, "label": $0.label] }]
            }
        }
        // Routing again, after a return: the industry's originator or the office (the API decides the rest).
        let departments = try await handlers.industries.find(clue.industry)?.departments
        if actor.has(.routeClues), actor.readsEverything || departments?.originator == actor.department,
            clue.status != .concluded, clue.routes.contains(where: { $0.state == .returned }), let departments
        {
            context["reroute"] = [
                "departments": ([departments.originator] + departments.participants).map {
                    ["code": $0.rawValue, "name": names[name: $0]]
                },
                "deadlines": try await deadlineChoices(selected: "5"),
            ]
        }
        context["error"] = Self.formError(error, fields: ["reason", "outcome", "departments"])
        return page("clue", context, status: status)
    }
}
