import Foundation
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/warning-rules`, `/api/v1/warnings`: 风险监测预警. Rules are kept by the office (every industry) and by each
/// industry's originator (its own); warnings go to the industry's originator, which judges them (研判), and to the
/// office when region- or industry-wide. The industry's departments and the office read them; no other department.
extension APIHandlers {
    func listWarningRules(_ input: Operations.ListWarningRules.Input) async throws -> Operations.ListWarningRules.Output {
        let actor = try admittedActor()
        var scope = try await warningIndustries(of: actor)
        if let industry = input.query.industry {
            scope = [try await visibleIndustry(industry, to: actor).code]
        }
        let rules = try await warnings.rules(industries: scope)
        return .ok(.init(body: .json(.init(items: try rules.map(Components.Schemas.WarningRule.init)))))
    }

    func createWarningRule(_ input: Operations.CreateWarningRule.Input) async throws -> Operations.CreateWarningRule.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let rule = WarningRule(
            industry: body.industry, name: body.name, kind: try .init(code: body.kind.rawValue),
            scope: try .init(code: body.scope.rawValue),
            threshold: body.threshold, days: body.days, minimumResults: body.minimumResults ?? 0)
        try await checkKeeps(rule, actor)
        try rule.validate()
        let saved = try await warnings.createRule(
            rule, audit: entry(actor, "warning_rule.create", "warning_rule", rule.industry ?? "all", details: rule.name))
        return .created(.init(body: .json(try .init(saved))))
    }

    func updateWarningRule(_ input: Operations.UpdateWarningRule.Input) async throws -> Operations.UpdateWarningRule.Output {
        let actor = try admittedActor()
        guard case .json(let patch) = input.body else { throw APIError.unsupportedBody }
        guard var rule = try await warnings.rule(input.path.id) else { throw APIError.notFound("预警规则") }
        if let industry = rule.industry { _ = try await visibleIndustry(industry, to: actor) }
        try await checkKeeps(rule, actor)
        if let name = patch.name { rule.name = name }
        if let threshold = patch.threshold { rule.threshold = threshold }
        if let days = patch.days { rule.days = days }
        if let minimum = patch.minimumResults { rule.minimumResults = minimum }
        if let active = patch.active { rule.active = active }
        try rule.validate()
        let saved = try await warnings.updateRule(
            rule, audit: entry(actor, "warning_rule.update", "warning_rule", String(input.path.id), details: rule.active ? "启用" : "停用"))
        return .ok(.init(body: .json(try .init(saved))))
    }

    func evaluateWarnings(_ input: Operations.EvaluateWarnings.Input) async throws -> Operations.EvaluateWarnings.Output {
        let actor = try admittedActor()
        let raised = try await warnings.evaluate(audit: entry(actor, "warnings.evaluate", "warning_rule", "all"))
        return .ok(.init(body: .json(.init(raised: raised))))
    }

    func listWarnings(_ input: Operations.ListWarnings.Input) async throws -> Operations.ListWarnings.Output {
        let actor = try admittedActor()
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        if let industry = input.query.industry { _ = try await visibleIndustry(industry, to: actor) }
        let fetched = try await warnings.list(
            industries: try await warningIndustries(of: actor), industry: input.query.industry,
            state: try input.query.state.map { try RiskWarning.State(code: $0.rawValue) }, before: try page.numericCursor(),
            limit: page.limit + 1)
        let (items, next) = page.page(fetched) { String($0.warning.id) }
        return .ok(.init(body: .json(.init(items: try items.map(Components.Schemas.Warning.init), nextCursor: next))))
    }

    func getWarning(_ input: Operations.GetWarning.Input) async throws -> Operations.GetWarning.Output {
        let actor = try admittedActor()
        return .ok(.init(body: .json(try .init(try await visibleWarning(input.path.id, to: actor)))))
    }

    func judgeWarning(_ input: Operations.JudgeWarning.Input) async throws -> Operations.JudgeWarning.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let warning = try await visibleWarning(input.path.id, to: actor).warning
        _ = try await originatedIndustry(warning.industry, by: actor, for: "研判风险预警")
        let decision = try RiskWarning.Decision(code: body.decision.rawValue)
        let reason = body.reason ?? ""
        try warning.checkJudgement(decision, reason: reason)
        let audit = entry(actor, "warning.judge", "warning", String(warning.id), details: decision.label)
        switch decision {
        case .dismiss:
            try await warnings.dismiss(warning.id, reason: reason, audit: audit)
        case .agenda:
            guard let meeting = body.meetingId else { throw DomainError(.invalidValue, "列入会商议题须指明会商", field: "meetingId") }
            let item = "研判风险预警 #\(warning.id)：\(warning.ruleName)（\(warning.subjectName)）"
            try await warnings.putOnAgenda(warning.id, meeting: meeting, item: item, reason: reason, audit: audit)
        case .task:
            guard let task = body.task else { throw DomainError(.invalidValue, "启动触发式检查须给出任务名称与检查时间", field: "task") }
            _ = try await startTask(
                industry: warning.industry, name: task.name, trigger: warning.trigger, participants: task.participants?.departmentCodes,
                entries: task.entries, scope: warning.taskScope, sampling: try task.sampling.map(Sampling.init),
                window: (task.windowStart, task.windowEnd), planID: nil, by: actor)
        }
        return .ok(.init(body: .json(try .init(try await visibleWarning(warning.id, to: actor)))))
    }

    /// The industries whose warnings and rules the actor reads: nil (all) for the office, else those its department
    /// takes part in.
    private func warningIndustries(of actor: Actor) async throws -> [String]? {
        guard let department = actor.viewpoint else { return nil }
        return try await industries.list(after: nil, limit: 10_000, department: department).map(\.code)
    }

    /// Refuses an actor who does not keep the rule: the office keeps those of every industry, an originator its own.
    private func checkKeeps(_ rule: WarningRule, _ actor: Actor) async throws {
        if let industry = rule.industry {
            _ = try await originatedIndustry(industry, by: actor, for: "维护该行业的预警规则")
        } else if !actor.readsEverything {
            throw try await forbidden(actor, "warning_rule", "all", message: "只有领导小组办公室可以维护适用于所有行业的预警规则")
        }
    }

    private func visibleWarning(_ id: Int64, to actor: Actor) async throws
        -> WarningRepository.Stored
    {
        guard let found = try await warnings.find(id), let industry = try await industries.find(found.warning.industry),
            actor.sees(industry)
        else { throw try await hidden(actor, "warning", String(id), what: "风险预警") }
        return found
    }
}

extension Components.Schemas.WarningRule {
    init(_ rule: WarningRule) throws {
        self.init(
            id: rule.id ?? 0, industry: rule.industry, name: rule.name, kind: try .init(code: rule.kind.rawValue),
            kindLabel: rule.kind.label,
            scope: try .init(code: rule.scope.rawValue), threshold: rule.threshold, days: rule.days, minimumResults: rule.minimumResults,
            active: rule.active)
    }
}

extension Components.Schemas.Warning {
    init(_ found: WarningRepository.Stored)
        throws
    {
        let warning = found.warning
        self.init(
            id: warning.id, ruleId: warning.ruleID, ruleName: warning.ruleName, industry: warning.industry,
            kind: try .init(code: warning.kind.rawValue), kindLabel: warning.kind.label, scope: try .init(code: warning.scope.rawValue),
            subject: warning.subject, subjectName: warning.subjectName, measured: warning.measured, threshold: warning.threshold,
            periodStart: warning.periodStart.description, periodEnd: warning.periodEnd.description, reported: warning.reported,
            state: try .init(code: warning.state.rawValue), stateLabel: warning.state.label, reason: warning.reason,
            meetingId: warning.meetingID, taskId: warning.taskID, judgedBy: found.judgement?.by, judgedAt: found.judgement?.at,
            raisedAt: found.raisedAt, evidence: try Convert.json(found.evidence, as: EvidencePayload.self))
    }
}
