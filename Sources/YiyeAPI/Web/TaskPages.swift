import Foundation
import Hummingbird
import YiyeContract
import YiyeCore

/// 抽查任务 pages: the tasks of the department's industries, the form with which the originator starts a triggered
/// task (触发式检查), and a task with the form that freezes its draw. The draw itself goes on on its own page.
extension WebPages {
    func registerTaskPages(on router: Router<YiyeRequestContext>) {
        router.get("/tasks") { request, _ in try await tasksPage(request) }
        router.get("/tasks/new") { request, _ in try await view(request, "createTask") { try await newTaskPage(request, $0) } }
        router.post("/tasks") { request, _ in try await createTask(request) }
        router.get("/tasks/{id}") { request, context in
            try await view(request, "getTask") { try await taskPage(request, $0, id: try Self.pathID(context, "抽查任务")) }
        }
        router.post("/tasks/{id}/draw") { request, context in
            let id = try Self.pathID(context, "抽查任务")
            return try await submit(request, "freezeDraw", back: "/tasks/\(id)") { form, _ in
                let hours = try form.integer("commitHours", label: "承诺期限") ?? 24
                let commit = handlers.clock.now.addingTimeInterval(TimeInterval(hours) * 3600)
                let reveal = commit.addingTimeInterval(TimeInterval(try form.integer("revealHours", label: "公开期限") ?? 24) * 3600)
                guard
                    case .created(let answer) = try await handlers.freezeDraw(
                        .init(
                            path: .init(id: id), body: .json(.init(commitDeadline: commit, revealDeadline: reveal, beacon: form["beacon"])))
                    ),
                    case .json(let draw) = answer.body
                else { throw APIError.internal }
                return Response.redirect(to: "/draws/\(draw.id)", type: .normal)
            } refused: { _, error in
                try await taskPage(request, try handlers.admittedActor(), id: id, error: error, status: error.status)
            }
        }
    }

    func tasksPage(_ request: Request) async throws -> Response {
        try await view(request, "listTasks") { actor in
            let cursor = request.uri.queryParameters.get("cursor")
            guard case .ok(let answer) = try await handlers.listTasks(.init(query: .init(limit: 100, cursor: cursor))),
                case .json(let tasks) = answer.body
            else { throw APIError.internal }
            let (names, industries) = (try await handlers.departments.names(), try await industryNames())
            var context = try await frame(request, actor, title: "抽查任务", current: "tasks")
            context["mayCreate"] = actor.has(.manageTasks) && actor.departmentKind == .regulator
            context["tasks"] = tasks.items.reversed().map { task -> [String: Any] in
                [
                    "id": task.id, "name": task.name, "industry": industries[task.industry] ?? task.industry,
                    "kind": InspectionTask.Kind(rawValue: task.kind.rawValue)?.label ?? "",
                    "originator": names[name: DepartmentCode(task.originator)],
                    "window": "\(PageText.day(task.windowStart)) 至 \(PageText.day(task.windowEnd))",
                    "status": InspectionTask.Status(rawValue: task.status.rawValue)?.label ?? "",
                ]
            }
            context["next"] = tasks.nextCursor.map { "/tasks?cursor=" + $0 }
            return page("tasks", context, status: .ok)
        }
    }

    func newTaskPage(
        _ request: Request, _ actor: Actor, form: WebForm? = nil, error: APIError? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        // A task of an annual plan (年度计划任务) when the page is opened from the plan; a triggered one otherwise.
        let plan: String? = form?["planId"] ?? request.uri.queryParameters.get("plan")
        var context = try await frame(request, actor, title: plan == nil ? "新建触发式检查任务" : "新建年度计划任务", current: "tasks")
        context["plan"] = plan
        let (industries, chosen) = try await industryChoice(request, actor, form: form)
        context["industries"] = industries
        context["error"] = Self.formError(
            error, fields: ["industry", "name", "windowStart", "windowEnd", "trigger.source", "trigger.description", "participants"])
        if let industry = chosen, let departments = industry.departments {
            let names = try await handlers.departments.names()
            let today = handlers.clock.today
            let taking = Set(form?.all("participants") ?? departments.participants.map(\.rawValue))
            context["industry"] = [
                "code": industry.code, "name": industry.name, "taskName": form?["name"] ?? "",
                "participants": departments.participants.map { department -> [String: Any] in
                    ["code": department.rawValue, "name": names[name: department], "checked": taking.contains(department.rawValue)]
                },
                "sources": InspectionTask.Trigger.Source.allCases.map { source -> [String: Any] in
                    ["value": source.rawValue, "label": source.label, "selected": source.rawValue == (form?["source"] ?? "complaint")]
                },
                "description": form?["description"] ?? "",
                "windowStart": form?["windowStart"] ?? today.description,
                "windowEnd": form?["windowEnd"] ?? today.adding(days: 30).description,
            ]
        }
        return page("task-new", context, status: status)
    }

    func createTask(_ request: Request) async throws -> Response {
        try await submit(request, "createTask", back: "/tasks/new") { form, _ in
            let planID = try form.integer("planId", label: "年度计划").map(Int64.init)
            var trigger: Components.Schemas.TaskTrigger?
            if planID == nil {
                guard let source = Components.Schemas.TaskTrigger.SourcePayload(rawValue: form["source"] ?? "") else {
                    throw APIError.badParameter("trigger.source", "请选择触发来源")
                }
                trigger = .init(source: source, description: form["description"] ?? "")
            }
            let input = Components.Schemas.TaskInput(
                industry: form["industry"] ?? "", name: form["name"] ?? "", trigger: trigger, participants: form.all("participants"),
                windowStart: form["windowStart"] ?? "", windowEnd: form["windowEnd"] ?? "", planId: planID)
            guard case .created(let answer) = try await handlers.createTask(.init(body: .json(input))), case .json(let task) = answer.body
            else { throw APIError.internal }
            return Response.redirect(to: "/tasks/\(task.id)", type: .normal)
        } refused: { form, error in
            try await newTaskPage(request, try handlers.admittedActor(), form: form, error: error, status: error.status)
        }
    }

    func taskPage(
        _ request: Request, _ actor: Actor, id: Int64, error: APIError? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard case .ok(let answer) = try await handlers.getTask(.init(path: .init(id: id))), case .json(let task) = answer.body else {
            throw APIError.internal
        }
        let (names, industries) = (try await handlers.departments.names(), try await industryNames())
        var context = try await frame(request, actor, title: task.name, current: "tasks")
        context["task"] = [
            "id": task.id, "name": task.name, "industry": industries[task.industry] ?? task.industry,
            "kind": InspectionTask.Kind(rawValue: task.kind.rawValue)?.label ?? "",
            "originator": names[name: DepartmentCode(task.originator)],
            "participants": task.participants.map { names[name: DepartmentCode($0)] }.joined(separator: "、"),
            "window": "\(PageText.day(task.windowStart)) 至 \(PageText.day(task.windowEnd))",
            "trigger": task.trigger.map { "\(InspectionTask.Trigger.Source(rawValue: $0.source.rawValue)?.label ?? "")：\($0.description)" }
                ?? "",
            "status": InspectionTask.Status(rawValue: task.status.rawValue)?.label ?? "",
        ]
        if let draw = task.drawId {
            context["draw"] = draw
        } else if task.originator == actor.department.rawValue, actor.has(.manageTasks), task.status == .open {
            context["freeze"] = true
        }
        context["error"] = Self.formError(error, fields: [])
        return page("task", context, status: status)
    }
}
