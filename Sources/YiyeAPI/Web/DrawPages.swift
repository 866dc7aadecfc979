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
            try await view(request, "getDraw") { try await drawPage(request, $0, id: try Self.drawID(context)) }
        }
        router.post("/draws/{id}/commitments") { request, context in
            let id = try Self.drawID(context)
            return try await drawStep(request, "commitDraw", id: id) { form in
                _ = try await handlers.commitDraw(.init(path: .init(id: id), body: .json(.init(commitment: form["commitment"] ?? ""))))
            }
        }
        router.post("/draws/{id}/reveals") { request, context in
            let id = try Self.drawID(context)
            return try await drawStep(request, "revealDraw", id: id) { form in
                _ = try await handlers.revealDraw(.init(path: .init(id: id), body: .json(.init(secret: form["secret"] ?? ""))))
            }
        }
        router.post("/draws/{id}/confirmation") { request, context in
            let id = try Self.drawID(context)
            return try await drawStep(request, "confirmDrawAssignments", id: id) { _ in
                _ = try await handlers.confirmDrawAssignments(.init(path: .init(id: id)))
            }
        }
    }

    static func drawID(_ context: YiyeRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id").flatMap(Int64.init), id > 0 else { throw APIError.notFound("抽取") }
        return id
    }

    /// One of the department's steps, then back to the draw's page; a refusal shows on it.
    private func drawStep(_ request: Request, _ operation: String, id: Int64, _ step: (WebForm) async throws -> Void) async throws
        -> Response
    {
        try await submit(request, operation, back: "/draws/\(id)") { form, _ in
            try await step(form)
            return Response.redirect(to: "/draws/\(id)", type: .normal)
        } refused: { _, error in
            try await drawPage(request, try handlers.admittedActor(), id: id, error: error, status: error.status)
        }
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
                    "commitment": commitments[party.department] ?? "", "published": commitments[party.department] != nil,
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
        if acts, draw.phase == .executed, let confirmation = draw.confirmations?.first(where: { $0.department == me }),
            confirmation.confirmedAt == nil
        {
            context["confirm"] = ["deadline": CalendarDate(confirmation.deadline.description).map(\.chineseDescription) ?? ""]
        }
        // A refusal beside the field when its form is on the page, above everything otherwise.
        let fields = [("commit", "commitment"), ("reveal", "secret")].filter { context[$0.0] != nil }.map(\.1)
        context["error"] = Self.formError(error, fields: Set(fields))
        return page("draw", context, status: status)
    }
}
