import Foundation
import Hummingbird
import YiyeContract
import YiyeCore

/// 年度工作计划 pages: the plans of the department's industries, the form with which the originator starts its
/// industry's plan for a year, and a plan with its tasks (added from the task form while it is a draft), filed
/// (报备) with the office and then published.
extension WebPages {
    func registerPlanPages(on router: Router<YiyeRequestContext>) {
        router.get("/plans") { request, _ in try await plansPage(request) }
        router.get("/plans/new") { request, _ in try await view(request, "createPlan") { try await newPlanPage(request, $0) } }
        router.post("/plans") { request, _ in try await createPlan(request) }
        router.get("/plans/{id}") { request, context in
            try await view(request, "getPlan") { try await planPage(request, $0, id: try Self.pathID(context, "年度计划")) }
        }
        router.post("/plans/{id}/filing") { request, context in
            let id = try Self.pathID(context, "年度计划")
            return try await planStep(request, "filePlan", id: id) { _, _ in _ = try await handlers.filePlan(.init(path: .init(id: id))) }
        }
        router.post("/plans/{id}/publication") { request, context in
            let id = try Self.pathID(context, "年度计划")
            return try await planStep(request, "publishPlan", id: id) { _, _ in
                _ = try await handlers.publishPlan(.init(path: .init(id: id)))
            }
        }
    }

    private func planStep(_ request: Request, _ operation: String, id: Int64, _ step: (WebForm, Actor) async throws -> Void) async throws
        -> Response
    {
        try await self.step(
            request, operation, returningTo: "/plans/\(id)",
            show: { try await planPage(request, $0, id: id, error: $1, status: $1.status) },
            step)
    }

    func plansPage(_ request: Request) async throws -> Response {
        try await view(request, "listPlans") { actor in
            let cursor = request.uri.queryParameters.get("cursor")
            guard case .ok(let answer) = try await handlers.listPlans(.init(query: .init(limit: 100, cursor: cursor))),
                case .json(let plans) = answer.body
            else { throw APIError.internal }
            let industries = try await industryNames()
            var context = try await frame(request, actor, title: "年度工作计划", current: "tasks")
            context["mayCreate"] = actor.has(.manageTasks) && actor.departmentKind == .regulator
            context["plans"] = plans.items.map { plan -> [String: Any] in
                [
                    "id": plan.id, "title": plan.title, "year": plan.year, "industry": industries[plan.industry] ?? plan.industry,
                    "status": AnnualPlan.Status(rawValue: plan.status.rawValue)?.label ?? "", "tasks": plan.tasks.count,
                ]
            }
            context["next"] = plans.nextCursor.map { "/plans?cursor=" + $0 }
            return page("plans", context, status: .ok)
        }
    }

    func newPlanPage(
        _ request: Request, _ actor: Actor, form: WebForm? = nil, error: APIError? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var context = try await frame(request, actor, title: "新建年度工作计划", current: "tasks")
        let (industries, _) = try await industryChoice(request, actor, form: form)
        let year = handlers.clock.today.year
        context["industries"] = industries
        context["years"] = [year, year + 1].map { ["value": $0, "selected": String($0) == (form?["year"] ?? String(year + 1))] }
        context["title"] = form?["title"] ?? ""
        context["note"] = form?["note"] ?? ""
        context["error"] = Self.formError(error, fields: ["industry", "year", "title", "note"])
        return page("plan-new", context, status: status)
    }

    func createPlan(_ request: Request) async throws -> Response {
        try await submit(request, "createPlan", back: "/plans/new") { form, _ in
            let input = Components.Schemas.PlanInput(
                industry: form["industry"] ?? "", year: try form.integer("year", label: "年度") ?? 0, title: form["title"] ?? "",
                note: form["note"])
            guard case .created(let answer) = try await handlers.createPlan(.init(body: .json(input))), case .json(let plan) = answer.body
            else { throw APIError.internal }
            return Response.redirect(to: "/plans/\(plan.id)", type: .normal)
        } refused: { form, error in
            try await newPlanPage(request, try handlers.admittedActor(), form: form, error: error, status: error.status)
        }
    }

    func planPage(
        _ request: Request, _ actor: Actor, id: Int64, error: APIError? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard case .ok(let answer) = try await handlers.getPlan(.init(path: .init(id: id))), case .json(let plan) = answer.body else {
            throw APIError.internal
        }
        let industries = try await industryNames()
        let originates = try await handlers.industries.find(plan.industry)?.departments?.originator == actor.department
        let manages = originates && actor.has(.manageTasks)
        var context = try await frame(request, actor, title: plan.title, current: "tasks")
        context["plan"] = [
            "id": plan.id, "title": plan.title, "year": plan.year, "industry": industries[plan.industry] ?? plan.industry,
            "industryCode": plan.industry, "note": plan.note, "status": AnnualPlan.Status(rawValue: plan.status.rawValue)?.label ?? "",
            "tasks": plan.tasks.map { task -> [String: Any] in
                ["id": task.id, "name": task.name, "window": "\(PageText.day(task.windowStart)) 至 \(PageText.day(task.windowEnd))"]
            },
            "hasTasks": !plan.tasks.isEmpty,
        ]
        context["addTask"] = manages && plan.status == .draft
        context["file"] = manages && plan.status == .draft && !plan.tasks.isEmpty
        context["publish"] = manages && plan.status == .filed
        context["error"] = Self.formError(error, fields: [])
        return page("plan", context, status: status)
    }
}
