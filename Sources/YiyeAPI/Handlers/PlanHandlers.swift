import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/plans`: annual plans made by an industry's originating department, filed with the office, published;
/// `/api/v1/published-plans`: the public view.
extension APIHandlers {
    func listPlans(_ input: Operations.ListPlans.Input) async throws -> Operations.ListPlans.Output {
        let actor = try admittedActor()
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let fetched = try await plans.list(
            industry: input.query.industry, department: actor.viewpoint, publishedOnly: false,
            after: try page.numericCursor(), limit: page.limit + 1)
        let (items, next) = page.page(fetched) { String($0.id ?? 0) }
        return .ok(.init(body: .json(.init(items: try await planSchemas(items), nextCursor: next))))
    }

    func createPlan(_ input: Operations.CreatePlan.Input) async throws -> Operations.CreatePlan.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let industry = try await originatedIndustry(body.industry, by: actor, for: "编制年度抽查计划")
        let plan = AnnualPlan(industry: industry.code, year: body.year, title: body.title, note: body.note ?? "")
        try plan.validate()
        do {
            let saved = try await plans.create(
                plan, audit: entry(actor, "plan.create", "plan", industry.code, details: "\(plan.year) \(plan.title)"))
            return .created(.init(body: .json(try await planSchema(saved))))
        } catch StoreError.alreadyExists {
            throw APIError(.conflict, "already_exists", "该行业 \(plan.year) 年度已有计划")
        }
    }

    func getPlan(_ input: Operations.GetPlan.Input) async throws -> Operations.GetPlan.Output {
        let actor = try admittedActor()
        return .ok(.init(body: .json(try await planSchema(try await visiblePlan(input.path.id, to: actor)))))
    }

    func filePlan(_ input: Operations.FilePlan.Input) async throws -> Operations.FilePlan.Output {
        .ok(.init(body: .json(try await movePlan(input.path.id, to: .filed, by: try admittedActor()))))
    }

    func publishPlan(_ input: Operations.PublishPlan.Input) async throws -> Operations.PublishPlan.Output {
        .ok(.init(body: .json(try await movePlan(input.path.id, to: .published, by: try admittedActor()))))
    }

    /// Files or publishes a plan of an industry the actor's department originates.
    private func movePlan(_ id: Int64, to status: AnnualPlan.Status, by actor: Actor) async throws -> Components.Schemas.Plan {
        let plan = try await visiblePlan(id, to: actor)
        _ = try await originatedIndustry(plan.industry, by: actor, for: "报备或公布年度抽查计划")
        let moved = try await plans.transition(id, to: status, audit: entry(actor, "plan.\(status.rawValue)", "plan", String(id)))
        return try await planSchema(moved)
    }

    func listPublishedPlans(_ input: Operations.ListPublishedPlans.Input) async throws -> Operations.ListPublishedPlans.Output {
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let fetched = try await plans.list(
            industry: input.query.industry, department: nil, publishedOnly: true,
            after: try page.numericCursor(), limit: page.limit + 1)
        let (items, next) = page.page(fetched) { String($0.id ?? 0) }
        return .ok(.init(body: .json(.init(items: try await planSchemas(items), nextCursor: next))))
    }

    func getPublishedPlan(_ input: Operations.GetPublishedPlan.Input) async throws -> Operations.GetPublishedPlan.Output {
        guard let plan = try await plans.find(input.path.id), plan.status == .published else { throw APIError.notFound("已公布的计划") }
        return .ok(.init(body: .json(try await planSchema(plan))))
    }

    func setTaskWorkPlan(_ input: Operations.SetTaskWorkPlan.Input) async throws -> Operations.SetTaskWorkPlan.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        var task = try await visibleTask(TaskID(input.path.id), to: actor)
        _ = try await originatedIndustry(task.industry, by: actor, for: "制定任务的工作方案")
        let workPlan = WorkPlan(
            responsibilities: Dictionary(
                uniqueKeysWithValues: body.responsibilities.additionalProperties.map { (DepartmentCode($0.key), $0.value) }),
            schedule: body.schedule.map { .init(name: $0.name, due: $0.due, note: $0.note ?? "") })
        try workPlan.validate(for: task, calendar: try await calendar.calendar(covering: Set(task.windowStart.year...task.windowEnd.year)))
        try await tasks.setWorkPlan(TaskID(input.path.id), workPlan, audit: entry(actor, "task.work_plan", "task", String(input.path.id)))
        task.workPlan = workPlan
        return .ok(.init(body: .json(try .init(task, drawID: try await draws.id(ofTask: TaskID(input.path.id))))))
    }

    private func planSchema(_ plan: AnnualPlan) async throws -> Components.Schemas.Plan {
        try await planSchemas([plan])[0]
    }

    /// The plans with their tasks and the tasks' draws: two statements for a whole page.
    private func planSchemas(_ plans: [AnnualPlan]) async throws -> [Components.Schemas.Plan] {
        let planTasks = try await tasks.tasks(ofPlans: plans.compactMap(\.id))
        let drawIDs = try await draws.ids(ofTasks: planTasks.compactMap(\.id))
        return try plans.map { plan in
            .init(
                id: plan.id ?? 0, industry: plan.industry, year: plan.year, title: plan.title, note: plan.note,
                status: try .init(code: plan.status.rawValue),
                tasks: try planTasks.filter { $0.planID == plan.id }.map { try .init($0, drawID: $0.id.flatMap { drawIDs[$0] }) })
        }
    }
}
