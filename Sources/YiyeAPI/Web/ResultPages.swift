import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import YiyeContract
import YiyeCore

/// 检查结果 pages: a department's results of one draw (the objects it inspects, each result's state, review and
/// publication from the list), and the field form an inspector fills on a phone at the door: the department's items of
/// the joint sheet (正常 / 不正常 with a note and photos), the category, and the business's confirmation (a signature
/// drawn on the screen, or a refusal with the recording and a witness). The form saves a draft or submits for review.
extension WebPages {
    func registerResultPages(on router: Router<YiyeRequestContext>) {
        router.get("/draws/{id}/results") { request, context in
            try await view(request, "listObjectResults") { try await resultsPage(request, $0, draw: try Self.pathID(context, "抽取")) }
        }
        router.get("/draws/{id}/objects/{code}/field") { request, context in
            let (id, code) = (try Self.pathID(context, "抽取"), context.parameters.get("code") ?? "")
            return try await view(request, "saveObjectResult") { try await fieldPage(request, $0, draw: id, object: code) }
        }
        router.post("/draws/{id}/objects/{code}/field") { request, context in
            try await saveField(request, draw: try Self.pathID(context, "抽取"), object: context.parameters.get("code") ?? "")
        }
        router.post("/draws/{id}/objects/{code}/evidence") { request, context in
            try await uploadEvidence(request, draw: try Self.pathID(context, "抽取"), object: context.parameters.get("code") ?? "")
        }
        router.post("/draws/{id}/objects/{code}/review") { request, context in
            let (id, code) = (try Self.pathID(context, "抽取"), context.parameters.get("code") ?? "")
            return try await resultStep(request, "reviewObjectResult", draw: id) { form, actor in
                guard let decision = Components.Schemas.ResultReviewInput.DecisionPayload(rawValue: form["decision"] ?? "") else {
                    throw APIError.badParameter("decision", "请选择审核意见：通过或退回")
                }
                _ = try await handlers.reviewObjectResult(
                    .init(
                        path: .init(id: id, creditCode: code, department: actor.department.rawValue),
                        body: .json(.init(decision: decision, opinion: form["opinion"]))))
            }
        }
        router.post("/draws/{id}/objects/{code}/publication") { request, context in
            let (id, code) = (try Self.pathID(context, "抽取"), context.parameters.get("code") ?? "")
            return try await resultStep(request, "publishObjectResult", draw: id) { _, actor in
                _ = try await handlers.publishObjectResult(
                    .init(path: .init(id: id, creditCode: code, department: actor.department.rawValue)))
            }
        }
    }

    // MARK: the department's results of a draw

    func resultsPage(
        _ request: Request, _ actor: Actor, draw id: Int64, error: APIError? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard case .ok(let answer) = try await handlers.getDraw(.init(path: .init(id: id))), case .json(let draw) = answer.body else {
            throw APIError.internal
        }
        let me = actor.department.rawValue
        // An inspector sees the objects they are sent to; the department's admin and reviewer all of its own.
        let own = try await actor.writesAllOwnResults ? nil : handlers.inspectors.id(ofUser: actor.userID).map(String.init)
        let teams = (draw.teams ?? []).filter { team in
            team.members.contains { $0.department == me && (own == nil || $0.inspectorID == own) }
        }
        var rows: [[String: Any]] = []
        for team in teams {
            let object = try await handlers.objects.find(team.objectID, visibleTo: nil)?.0
            let result = try await handlers.results.results(of: DrawID(id), object: team.objectID).first {
                $0.0.department == actor.department
            }?.0
            let state = result?.status
            var row: [String: Any] = [
                "code": team.objectID, "name": object?.name ?? team.objectID, "address": object?.address ?? "",
                "status": state?.label ?? "未录入",
                "enter": actor.has(.enterResults) && (state?.isEditable ?? true),
                "review": actor.has(.reviewResults) && state == .submitted,
                "publish": actor.has(.publishResults) && state == .approved,
            ]
            row["opinion"] = result?.status == .returned ? "已退回，请按审核意见修改后重新提交" : nil
            rows.append(row)
        }
        var context = try await frame(request, actor, title: "本部门检查结果", current: "work")
        let task = try await handlers.tasks.find(TaskID(draw.taskId))
        context["draw"] = ["id": id, "task": task?.name ?? ""]
        context["objects"] = rows
        context["hasObjects"] = !rows.isEmpty
        context["error"] = Self.formError(error, fields: [])
        return page("results", context, status: status)
    }

    /// A review or a publication from the list, then back to it; a refusal shows above the list.
    private func resultStep(_ request: Request, _ operation: String, draw id: Int64, _ step: (WebForm, Actor) async throws -> Void)
        async throws -> Response
    {
        try await self.step(
            request, operation, returningTo: "/draws/\(id)/results",
            show: { try await resultsPage(request, $0, draw: id, error: $1, status: $1.status) }, step)
    }

    // MARK: the field form

    func fieldPage(
        _ request: Request, _ actor: Actor, draw id: Int64, object code: String, form: WebForm? = nil, error: APIError? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard case .ok(let answer) = try await handlers.getJointInspectionSheet(.init(path: .init(id: id, creditCode: code))),
            case .json(let sheet) = answer.body
        else { throw APIError.internal }
        // Only who may write the department's result here gets the form, as the API decides it.
        let drawn = try await handlers.drawnObject(DrawID(id), object: code, for: actor)
        try drawn.team.checkResultWriter(actor, for: actor.department, inspectorID: try await handlers.inspectors.id(ofUser: actor.userID))
        let me = actor.department.rawValue
        let entries = sheet.sections.first { $0.department == me }?.entries ?? []
        let saved = try await handlers.results.results(of: DrawID(id), object: code).first { $0.0.department == actor.department }?.0
        func value(_ name: String, saved: String?) -> String { form.map { $0[name] ?? "" } ?? saved ?? "" }
        var context = try await frame(request, actor, title: "现场检查：\(sheet.object.name)", current: "work")
        context["draw"] = id
        context["object"] = ["code": code, "name": sheet.object.name, "address": sheet.object.address ?? "", "task": sheet.taskName]
        context["items"] = entries.map { entry -> [String: Any] in
            let method = Self.method(of: entry.item)
            let stored = saved?.items.first { $0.entry == entry.number }
            let outcome = value("outcome-\(entry.number)", saved: stored?.outcome.rawValue)
            let outcomes: [ItemResult.Outcome] = method == .samplingTest ? [.pass, .fail] : [.normal, .abnormal]
            return [
                "number": entry.number, "project": entry.item.project, "content": entry.item.content,
                "basis": entry.item.legalBasis, "method": method.rawValue, "methodLabel": method.label,
                "outcomes": outcomes.map { ["value": $0.rawValue, "label": $0.label, "checked": $0.rawValue == outcome] },
                "finding": value("finding-\(entry.number)", saved: stored?.finding),
                "evidence": form?.all("evidence-\(entry.number)") ?? stored?.evidence ?? [],
            ]
        }
        let category = value("category", saved: saved?.categories.first?.category.rawValue)
        context["categories"] = ResultCategory.allCases.map {
            ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == (category.isEmpty ? "no_problem" : category)]
        }
        context["details"] = value("details", saved: saved?.categories.first?.details)
        context["remarks"] = value("remarks", saved: saved?.remarks)
        context["inspectedOn"] = value("inspectedOn", saved: (saved?.inspectedOn ?? handlers.clock.today).description)
        if try await handlers.visits.visit(draw: DrawID(id), object: code) == nil {
            guard case .ok(let drawAnswer) = try await handlers.getDraw(.init(path: .init(id: id))),
                case .json(let draw) = drawAnswer.body
            else { throw APIError.internal }
            let members = draw.teams?.first { $0.objectID == code }?.members ?? []
            let names = try await handlers.departments.names()
            var present: [[String: Any]] = []
            for member in members {
                present.append([
                    "id": member.inspectorID, "name": try await inspectorName(member.inspectorID),
                    "department": names[name: DepartmentCode(member.department)],
                    "checked": form.map { $0.all("present").contains(member.inspectorID) } ?? true,
                ])
            }
            let confirmation = form?["confirmation"] ?? "signed"
            context["visit"] = [
                "present": present, "signed": confirmation == "signed", "refused": confirmation == "refused",
                "signedBy": form?["signedBy"] ?? "", "signature": form?["signature"] ?? "",
                "recordingReference": form?["recordingReference"] ?? "", "witnessName": form?["witnessName"] ?? "",
                "witnessContact": form?["witnessContact"] ?? "",
            ]
        }
        context["returned"] = saved?.status == .returned
        context["error"] = Self.formError(
            error, fields: ["inspectedOn", "category", "details", "remarks", "signedBy", "signature", "recordingReference", "inspectors"])
        return page("field", context, status: status)
    }

    /// How the department checks an item: a sampling test when the item says so (合格 / 不合格), else its first method.
    static func method(of item: Components.Schemas.InspectionItem) -> InspectionMethod {
        let methods = item.methods.compactMap { InspectionMethod(rawValue: $0.rawValue) }
        return methods.contains(.samplingTest) ? .samplingTest : methods.first ?? .onSite
    }

    /// Saves the department's result (a draft), records the visit with the business's confirmation when the form
    /// holds one and none is recorded, and submits for review when asked; each through the API's operation.
    func saveField(_ request: Request, draw id: Int64, object code: String) async throws -> Response {
        try await submit(request, "saveObjectResult", back: "/draws/\(id)/objects/\(code)/field") { form, actor in
            guard case .ok(let answer) = try await handlers.getJointInspectionSheet(.init(path: .init(id: id, creditCode: code))),
                case .json(let sheet) = answer.body
            else { throw APIError.internal }
            let entries = sheet.sections.first { $0.department == actor.department.rawValue }?.entries ?? []
            let items = try entries.compactMap { entry -> Components.Schemas.ItemResultInput? in
                guard let text = form["outcome-\(entry.number)"] else { return nil }
                guard let outcome = Components.Schemas.ItemResultInput.OutcomePayload(rawValue: text),
                    let method = Components.Schemas.ItemResultInput.MethodPayload(rawValue: Self.method(of: entry.item).rawValue)
                else { throw APIError.badParameter("outcome-\(entry.number)", "第 \(entry.number) 项的检查结果无效") }
                let evidence = form.all("evidence-\(entry.number)")
                return .init(
                    entry: entry.number, outcome: outcome, method: method, finding: form["finding-\(entry.number)"],
                    evidence: evidence.isEmpty ? nil : evidence)
            }
            guard let category = Components.Schemas.CategoryFindingInput.CategoryPayload(rawValue: form["category"] ?? "") else {
                throw APIError.badParameter("category", "请选择抽查结果")
            }
            let path = Operations.SaveObjectResult.Input.Path(id: id, creditCode: code, department: actor.department.rawValue)
            _ = try await handlers.saveObjectResult(
                .init(
                    path: path,
                    body: .json(
                        .init(
                            inspectedOn: form["inspectedOn"], items: items,
                            categories: [.init(category: category, details: form["details"])],
                            remarks: form["remarks"]))))
            if let confirmation = form["confirmation"], try await handlers.visits.visit(draw: DrawID(id), object: code) == nil {
                _ = try await AccessMiddleware.admit("recordSiteVisit", audit: audit)
                guard let confirmed = Components.Schemas.SiteVisitInput.ConfirmationPayload(rawValue: confirmation) else {
                    throw APIError.badParameter("confirmation", "请选择被检查对象签字确认或拒绝签字")
                }
                let witness = form["witnessName"].map {
                    Components.Schemas.SiteVisitInput.WitnessPayload(name: $0, contact: form["witnessContact"])
                }
                _ = try await handlers.recordSiteVisit(
                    .init(
                        path: .init(id: id, creditCode: code),
                        body: .json(
                            .init(
                                visitedAt: handlers.clock.now, inspectors: form.all("present"),
                                credentialsShown: form["credentialsShown"] == "on",
                                confirmation: confirmed, signedBy: form["signedBy"], signature: form["signature"],
                                recordingReference: form["recordingReference"], witness: witness))))
            }
            if form["action"] == "submit" {
                _ = try await AccessMiddleware.admit("submitObjectResult", audit: audit)
                _ = try await handlers.submitObjectResult(
                    .init(path: .init(id: id, creditCode: code, department: actor.department.rawValue)))
            }
            return Response.redirect(to: "/draws/\(id)/results", type: .normal)
        } refused: { form, error in
            try await fieldPage(
                request, try handlers.admittedActor(), draw: id, object: code, form: form, error: error, status: error.status)
        }
    }

    /// A photo or a signature from the field page's script: stored as the object's evidence, its reference returned.
    func uploadEvidence(_ request: Request, draw id: Int64, object code: String) async throws -> Response {
        try await scripted(request, "uploadEvidence") { _ in
            let bytes = try await request.body.collect(upTo: handlers.evidenceLimitBytes + 1)
            let body = HTTPBody(Array(buffer: bytes))
            let content: Operations.UploadEvidence.Input.Body =
                switch request.headers[.contentType] {
                case "image/jpeg": .jpeg(body)
                case "image/png": .png(body)
                default: .binary(body)
                }
            let name = request.uri.queryParameters.get("name")
            guard
                case .created(let answer) = try await handlers.uploadEvidence(
                    .init(path: .init(id: id, creditCode: code), query: .init(name: name), body: content)),
                case .json(let file) = answer.body
            else { throw APIError.internal }
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            let json = try JSONSerialization.data(withJSONObject: ["reference": file.reference, "digest": file.digest])
            return Response(status: .created, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json)))
        }
    }
}
