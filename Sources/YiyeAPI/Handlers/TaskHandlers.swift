import Foundation
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/tasks`: inspection tasks on an industry's published joint list, created by its originating department.
extension APIHandlers {
    func listTasks(_ input: Operations.ListTasks.Input) async throws -> Operations.ListTasks.Output {
        let actor = try admittedActor()
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let fetched = try await tasks.list(
            industry: input.query.industry, department: actor.viewpoint,
            after: try page.numericCursor(), limit: page.limit + 1)
        let (items, next) = page.page(fetched) { ($0.id?.rawValue ?? 0).description }
        let drawIDs = try await draws.ids(ofTasks: items.compactMap(\.id))
        let listed = try items.map { try Components.Schemas.Task($0, drawID: $0.id.flatMap { drawIDs[$0] }) }
        return .ok(.init(body: .json(.init(items: listed, nextCursor: next))))
    }

    func createTask(_ input: Operations.CreateTask.Input) async throws -> Operations.CreateTask.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let trigger = try body.trigger.map { try Convert.json($0, as: InspectionTask.Trigger.self) }
        guard trigger?.warningID == nil else {
            throw DomainError(.invalidValue, "由风险预警启动的触发式检查须在预警研判中建立", field: "trigger.warningId")
        }
        let saved = try await startTask(
            industry: body.industry, name: body.name, trigger: trigger, participants: body.participants?.departmentCodes,
            entries: body.entries, scope: try body.scope.map { try Convert.json($0, as: ObjectScope.self) } ?? ObjectScope(),
            sampling: try body.sampling.map(Sampling.init), window: (body.windowStart, body.windowEnd), planID: body.planId, by: actor)
        return .created(.init(body: .json(try .init(saved, drawID: nil))))
    }

    /// The one way a task is made, from the API or from a risk warning's judgement: by the industry's originator, on its
    /// published joint list, checked against the industry, the plan and (sampling by grade) its indicator system.
    func startTask(
        industry code: String, name: String, trigger: InspectionTask.Trigger?, participants: [DepartmentCode]?, entries: [Int]?,
        scope: ObjectScope, sampling: Sampling?, window: (start: String, end: String), planID: Int64?, by actor: Actor
    ) async throws -> InspectionTask {
        let industry = try await originatedIndustry(code, by: actor, for: "建立抽查任务")
        guard let departments = industry.departments else { throw APIError.notFound("行业") }
        guard let joint = try await jointLists.published(industry.code) else {
            throw DomainError(.noJointList, "该行业尚未发布一业一单，不能建立抽查任务", field: "industry")
        }
        guard let start = CalendarDate(window.start), let end = CalendarDate(window.end) else {
            throw APIError.badParameter("windowStart", "日期须为 YYYY-MM-DD")
        }
        var task = InspectionTask(
            industry: industry.code, originator: departments.originator, name: name, kind: trigger == nil ? .annual : .triggered,
            trigger: trigger, participants: participants ?? departments.participants, jointListVersion: joint.version,
            entries: joint.document.taskEntries(chosen: entries ?? []), scope: scope, sampling: sampling ?? Sampling(),
            windowStart: start, windowEnd: end
        )
        task.planID = planID
        try task.validate(industryDepartments: departments, jointList: joint.document, today: clock.today)
        try task.sampling.checkGrades(try await indicatorSystems.published(industry.code)?.document)
        if let planID {
            guard let plan = try await plans.find(planID) else {
                throw DomainError(.invalidValue, "计划 \(planID) 不存在", field: "planId")
            }
            try plan.checkAccepts(task)
        }
        return try await tasks.create(task, audit: entry(actor, "task.create", "task", industry.code, details: task.name))
    }

    func getTask(_ input: Operations.GetTask.Input) async throws -> Operations.GetTask.Output {
        let actor = try admittedActor()
        let task = try await visibleTask(TaskID(input.path.id), to: actor)
        let drawID = try await draws.id(ofTask: TaskID(input.path.id))
        var schema = try Components.Schemas.Task(task, drawID: drawID)
        if let drawID, let draw = try await draws.find(drawID), draw.record != nil {
            let teams = try await draws.standingTeams(draw)
            let completion = ResultCompletion(teams: teams, published: try await results.published(of: drawID))
            schema.results = .init(owed: completion.owed, published: completion.published, complete: completion.complete)
        }
        return .ok(.init(body: .json(schema)))
    }

    func closeTask(_ input: Operations.CloseTask.Input) async throws -> Operations.CloseTask.Output {
        let actor = try admittedActor()
        var task = try await visibleTask(TaskID(input.path.id), to: actor)
        _ = try await originatedIndustry(task.industry, by: actor, for: "完结抽查任务")
        try await tasks.close(TaskID(input.path.id), audit: entry(actor, "task.close", "task", String(input.path.id)))
        task.status = .closed
        return .ok(.init(body: .json(try .init(task, drawID: try await draws.id(ofTask: TaskID(input.path.id))))))
    }
}

extension Sampling {
    /// The API's sampling, the defaults filling what it leaves out.
    init(_ sampling: Components.Schemas.Sampling) throws {
        let stratified = sampling.stratified ?? true
        let basis = try sampling.basis.map { try Basis(code: $0.rawValue) } ?? .riskClass
        let rules = try sampling.rules.map { try Convert.json($0, as: [String: SampleRule].self) }
        if basis == .grade, rules == nil {
            throw DomainError(.invalidSampling, "按一业一评等级分层须给出各等级的抽取比例或数量", field: "sampling.rules")
        }
        self.init(
            stratified: stratified, basis: basis,
            rules: rules ?? (stratified ? Sampling.defaultRules : ["-": .init(ratio: "0.03")]),
            belowMinimumReason: sampling.belowMinimumReason)
    }
}

extension Components.Schemas.Task {
    init(_ task: InspectionTask, drawID: DrawID?) throws {
        self.init(
            id: task.id?.rawValue ?? 0, industry: task.industry, originator: task.originator.rawValue, name: task.name,
            kind: try .init(code: task.kind.rawValue),
            trigger: try task.trigger.map(Components.Schemas.TaskTrigger.init),
            participants: task.participants.codes, jointListVersion: task.jointListVersion, entries: task.entries,
            scope: try .init(task.scope), sampling: try .init(task.sampling),
            windowStart: task.windowStart.description, windowEnd: task.windowEnd.description,
            status: try .init(code: task.status.rawValue), drawId: drawID?.rawValue, planId: task.planID,
            workPlan: task.workPlan.map { plan in
                .init(
                    responsibilities: .init(
                        additionalProperties: Dictionary(uniqueKeysWithValues: plan.responsibilities.map { ($0.key.rawValue, $0.value) })),
                    schedule: plan.schedule.map { .init(name: $0.name, due: $0.due, note: $0.note) })
            }
        )
    }
}

// A task's parts as the API shows them, field by field: a task list converts every task's (found by bench/load.sh,
// where converting them through JSON took a quarter of the list's time).
extension Components.Schemas.TaskTrigger {
    init(_ trigger: InspectionTask.Trigger) throws {
        self.init(
            source: try .init(code: trigger.source.rawValue), description: trigger.description,
            lateRecordReason: trigger.lateRecordReason, warningId: trigger.warningID)
    }
}

extension Components.Schemas.ObjectScope {
    init(_ scope: ObjectScope) throws {
        self.init(
            kinds: try scope.kinds.map { try .init(code: $0.rawValue) }, scales: scope.scales, regions: scope.regions, tags: scope.tags,
            objects: scope.objects)
    }
}

extension Components.Schemas.Sampling {
    init(_ sampling: Sampling) throws {
        self.init(
            stratified: sampling.stratified, basis: try .init(code: sampling.basis.rawValue),
            rules: .init(additionalProperties: sampling.rules.mapValues { .init(ratio: $0.ratio, count: $0.count) }),
            belowMinimumReason: sampling.belowMinimumReason)
    }
}

/// Between domain values and API schemas of the same JSON shape (the draw record, what a task is given): through JSON,
/// so that the API says exactly what the domain type encodes.
enum Convert {
    static func json<From: Encodable, To: Decodable>(_ value: From, as type: To.Type) throws -> To {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try JSONDecoder().decode(type, from: try encoder.encode(value))
    }
}
