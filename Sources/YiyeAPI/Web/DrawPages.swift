import Foundation
import Hummingbird
import YiyeContract
import YiyeCore

/// The draw page (联合抽取): where a draw stands, each department's commitment and reveal, the published digests and
/// how anyone checks the draw; and the department's own step: its commitment, made in the browser (the secret never
/// reaches the server before the reveal), its reveal, its confirmation of the assignments.
extension WebPages {
    func registerDrawPages(on router: Router<YiyeRequestContext>) {
        router.get("/draws/{id}") { request, context in
            try await view(request, "getDraw") { try await drawPage(request, $0, id: try Self.pathID(context, "抽取")) }
        }
        router.post("/draws/{id}/commitments") { request, context in
            let id = try Self.pathID(context, "抽取")
            return try await drawStep(request, "commitDraw", id: id) { form, _ in
                _ = try await handlers.commitDraw(.init(path: .init(id: id), body: .json(.init(commitment: form["commitment"] ?? ""))))
            }
        }
        router.post("/draws/{id}/reveals") { request, context in
            let id = try Self.pathID(context, "抽取")
            return try await drawStep(request, "revealDraw", id: id) { form, _ in
                _ = try await handlers.revealDraw(.init(path: .init(id: id), body: .json(.init(secret: form["secret"] ?? ""))))
            }
        }
        router.post("/draws/{id}/beacon") { request, context in
            let id = try Self.pathID(context, "抽取")
            return try await drawStep(request, "enterDrawBeacon", id: id) { form, _ in
                _ = try await handlers.enterDrawBeacon(.init(path: .init(id: id), body: .json(.init(value: form["value"] ?? ""))))
            }
        }
        router.post("/draws/{id}/execute") { request, context in
            let id = try Self.pathID(context, "抽取")
            return try await drawStep(request, "executeDraw", id: id) { _, _ in
                _ = try await handlers.executeDraw(.init(path: .init(id: id)))
            }
        }
        router.post("/draws/{id}/changes") { request, context in
            let id = try Self.pathID(context, "抽取")
            return try await drawStep(request, "requestDrawChange", id: id) { form, _ in
                let assignment = (form["assignment"] ?? "").split(separator: "|", maxSplits: 1).map(String.init)
                guard assignment.count == 2 else { throw APIError.badParameter("assignment", "请选择要更换的检查人员") }
                guard let reasonKind = Components.Schemas.DrawChangeInput.ReasonKindPayload(rawValue: form["reasonKind"] ?? "") else {
                    throw APIError.badParameter("reasonKind", "请选择变更原因")
                }
                _ = try await handlers.requestDrawChange(
                    .init(
                        path: .init(id: id),
                        body: .json(
                            .init(
                                kind: .replaceInspector, objectId: assignment[0], replacedInspector: assignment[1],
                                replacementInspector: form["replacementInspector"], reasonKind: reasonKind, reason: form["reason"] ?? ""))))
            }
        }
        router.post("/draws/{id}/changes/{change}/decision") { request, context in
            let id = try Self.pathID(context, "抽取")
            let change = try Self.pathID(context, "变更申请", name: "change")
            return try await drawStep(request, "decideDrawChange", id: id) { form, _ in
                _ = try await handlers.decideDrawChange(
                    .init(
                        path: .init(id: id, changeId: change),
                        body: .json(.init(approve: form["decision"] == "approve", note: form["note"]))))
            }
        }
        router.post("/draws/{id}/confirmation") { request, context in
            let id = try Self.pathID(context, "抽取")
            return try await drawStep(request, "confirmDrawAssignments", id: id) { _, _ in
                _ = try await handlers.confirmDrawAssignments(.init(path: .init(id: id)))
            }
        }
    }

    /// One of the department's steps, then back to the draw's page; a refusal shows on it.
    private func drawStep(_ request: Request, _ operation: String, id: Int64, _ step: (WebForm, Actor) async throws -> Void) async throws
        -> Response
    {
        try await self.step(
            request, operation, returningTo: "/draws/\(id)",
            show: { try await drawPage(request, $0, id: id, error: $1, status: $1.status) }, step)
    }

    func drawPage(
        _ request: Request, _ actor: Actor, id: Int64, error: APIError? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard case .ok(let answer) = try await handlers.getDraw(.init(path: .init(id: id))), case .json(let draw) = answer.body else {
            throw APIError.internal
        }
        let (names, industries) = (try await handlers.departments.names(), try await industryNames())
        let task = try await handlers.tasks.find(TaskID(draw.taskId))
        let me = actor.department.rawValue
        let mine = draw.parties.first { $0.department == me }
        let acts = actor.has(.contributeToDraws)
        var context = try await frame(request, actor, title: task?.name ?? "联合抽取", current: "work")
        let phases: [Components.Schemas.DrawStatus.PhasePayload: String] = [
            .committing: "提交承诺值", .revealing: "公开随机数", .executed: "已抽取", .voided: "已作废",
        ]
        let commitments = Dictionary(
            (draw.record?.commitments ?? []).map { ($0.department, $0.commitment) }, uniquingKeysWith: { a, _ in a })
        context["draw"] = [
            "id": draw.id, "task": task?.name ?? "", "industry": industries[draw.industry] ?? draw.industry,
            "phase": phases[draw.phase] ?? "", "commitDeadline": PageText.time(draw.commitDeadline),
            "revealDeadline": PageText.time(draw.revealDeadline), "poolDigest": draw.poolDigest,
            "inspectorDigest": draw.inspectorDigest, "seed": draw.record?.seed ?? "", "executed": draw.record != nil,
            "voidReason": draw.voidReason ?? "",
            "voided": draw.phase == .voided,
            "parties": draw.parties.map { party -> [String: Any] in
                [
                    "department": names[name: DepartmentCode(party.department)],
                    "committed": party.committed ? "已提交" : "未提交", "revealed": party.revealed ? "已公开" : "未公开",
                    "commitment": commitments[party.department] as Any,
                ]
            },
        ]
        // This department's own step, when it has one and the user may take it.
        if acts, let mine {
            if draw.phase == .committing, !mine.committed {
                context["commit"] = ["department": me, "departmentName": names[name: actor.department]]
            } else if draw.phase == .revealing, mine.committed, !mine.revealed {
                context["reveal"] = [
                    "department": me, "waitingForBeacon": draw.beacon != nil && draw.beaconValue == nil, "beacon": draw.beacon ?? "",
                ]
            }
        }
        // The originator's steps: the beacon's value when one was named, then the execution; after it, the sheets.
        if task?.originator == actor.department, actor.has(.manageTasks), draw.phase == .revealing {
            let waiting = draw.parties.filter { $0.committed && !$0.revealed }
            context["originatorSteps"] = [
                "beacon": draw.beacon ?? "", "needsBeacon": draw.beacon != nil && draw.beaconValue == nil,
                "waiting": waiting.map { names[name: DepartmentCode($0.department)] }.joined(separator: "、"),
            ]
        }
        if draw.phase == .executed {
            context["sheets"] = (draw.teams ?? []).map { ["object": $0.objectID] }
        }
        if acts, draw.phase == .executed, let confirmation = draw.confirmations?.first(where: { $0.department == me }),
            confirmation.confirmedAt == nil
        {
            context["confirm"] = ["deadline": PageText.day(confirmation.deadline.description)]
        }
        // A refusal beside the field when its form is on the page, above everything otherwise.
        let fields = [("commit", "commitment"), ("reveal", "secret")].filter { context[$0.0] != nil }.map(\.1)
        if draw.phase == .executed { try await changes(into: &context, draw: draw, actor: actor, names: names) }
        context["error"] = Self.formError(error, fields: Set(fields))
        return page("draw", context, status: status)
    }

    /// 抽取变更: the draw's changes, each with the approval form for the head who decides it, and the form with which
    /// the department asks to replace one of its inspectors (appointed from its roster, not drawn).
    private func changes(
        into context: inout [String: Any], draw: Components.Schemas.DrawStatus, actor: Actor, names: [DepartmentCode: String]
    ) async throws {
        var inspectorNames: [String: String] = [:]
        func name(_ id: String?) async throws -> String {
            guard let id else { return "" }
            if let known = inspectorNames[id] { return known }
            let found = try await inspectorName(id)
            inspectorNames[id] = found
            return found
        }
        var rows: [[String: Any]] = []
        for change in try await handlers.draws.changes(DrawID(draw.id)) {
            rows.append([
                "id": change.id ?? 0, "kind": change.kind.label, "object": change.objectID,
                "what":
                    "\(try await name(change.replacedInspector)) → \(try await name(change.replacementInspector ?? change.replacementObject))",
                "reason": "\(change.reasonKind.label)：\(change.reason)", "status": change.status.label,
                "department": names[name: change.department], "decidable": change.status == .pending && actor.mayDecide(change),
            ])
        }
        context["changes"] = rows
        context["hasChanges"] = !rows.isEmpty
        guard actor.has(.contributeToDraws) else { return }
        var assignments: [[String: Any]] = []
        for team in draw.teams ?? [] {
            for member in team.members where member.department == actor.department.rawValue && !member.appointed {
                assignments.append([
                    "value": "\(team.objectID)|\(member.inspectorID)", "label": "\(team.objectID) · \(try await name(member.inspectorID))",
                ])
            }
        }
        guard !assignments.isEmpty else { return }
        let roster = try await handlers.inspectors.list(.init(department: actor.department, status: "active"), after: nil, limit: 500)
        context["requestChange"] = [
            "assignments": assignments,
            "replacements": roster.map { ["value": String($0.id ?? 0), "label": $0.name] },
            "reasons": DrawChange.ReasonKind.allCases.map { ["value": $0.rawValue, "label": $0.label] },
        ]
    }
}
