import OpenAPIRuntime
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/joint-lists`: 一业一单. The originating department merges, resolves and publishes; published versions,
/// their sheets and the 一业一册 handbook are public.
extension APIHandlers {
    func getJointList(_ input: Operations.GetJointList.Input) async throws -> Operations.GetJointList.Output {
        .ok(.init(body: .json(try .init(try await publishedJointList(input.path.industry, version: input.query.version)))))
    }

    func listJointListVersions(_ input: Operations.ListJointListVersions.Input) async throws -> Operations.ListJointListVersions.Output {
        let industry = input.path.industry
        guard try await industries.find(industry) != nil else { throw APIError.notFound("行业") }
        return .ok(.init(body: .json(.init(try await jointLists.history(industry)))))
    }

    func exportJointList(_ input: Operations.ExportJointList.Input) async throws -> Operations.ExportJointList.Output {
        let sheet = try await jointListSheet(input.path.industry, version: input.query.version)
        return .ok(.init(body: .csv(HTTPBody(sheet.csv))))
    }

    func getJointListSheet(_ input: Operations.GetJointListSheet.Input) async throws -> Operations.GetJointListSheet.Output {
        let sheet = try await jointListSheet(input.path.industry, version: input.query.version)
        return .ok(.init(body: .html(HTTPBody(sheet.html))))
    }

    func getIndustryHandbook(_ input: Operations.GetIndustryHandbook.Input) async throws -> Operations.GetIndustryHandbook.Output {
        let sheet = try await jointListSheet(input.path.industry, version: nil)
        return .ok(.init(body: .html(HTTPBody(sheet.handbook))))
    }

    func getJointListDraft(_ input: Operations.GetJointListDraft.Input) async throws -> Operations.GetJointListDraft.Output {
        let actor = try admittedActor()
        let industry = try await visibleIndustry(input.path.industry, to: actor)
        guard let draft = try await jointLists.draft(industry.code) else { throw ListDraftError.noDraft }
        return .ok(.init(body: .json(try .init(draft))))
    }

    func createJointListDraft(_ input: Operations.CreateJointListDraft.Input) async throws -> Operations.CreateJointListDraft.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let industry = try await originatedIndustry(input.path.industry, by: actor, for: "编制一业一单")
        let note = body.note ?? ""
        try ListVersion<JointList>.validate(note: note)
        guard let departments = industry.departments else { throw APIError.notFound("行业") }
        var lists: [(department: DepartmentCode, version: Int, list: ItemList)] = []
        var missing: [DepartmentCode] = []
        for department in [departments.originator] + departments.participants {
            if let published = try await itemLists.published(department.rawValue) {
                lists.append((department, published.version, published.document))
            } else {
                missing.append(department)
            }
        }
        let merged = JointList.merge(
            industry: industry.code, originator: departments.originator, lists: lists,
            missingDepartments: missing, previous: try await jointLists.published(industry.code)?.document)
        let draft = try await jointLists.createDraft(
            industry.code, note: note, document: merged,
            audit: entry(
                actor, "joint_list.draft.create", "joint_list", industry.code,
                details: "\(merged.entries.count) 个条目，\(merged.unresolved.count) 个重叠待处理")
        )
        return .created(.init(body: .json(try .init(draft))))
    }

    func discardJointListDraft(_ input: Operations.DiscardJointListDraft.Input) async throws -> Operations.DiscardJointListDraft.Output {
        let actor = try admittedActor()
        let industry = try await originatedIndustry(input.path.industry, by: actor, for: "编制一业一单")
        try await jointLists.discardDraft(industry.code, audit: entry(actor, "joint_list.draft.discard", "joint_list", industry.code))
        return .noContent(.init())
    }

    func linkJointListItems(_ input: Operations.LinkJointListItems.Input) async throws -> Operations.LinkJointListItems.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let refs = body.items.map { JointList.ItemRef(department: DepartmentCode($0.department), code: $0.code) }
        let draft = try await changeJointListDraft(
            input.path.industry, by: actor, action: "joint_list.link",
            details: refs.map { "\($0.department)/\($0.code)" }.joined(separator: "+")
        ) { try $0.link(refs, reason: body.reason ?? "") }
        return .ok(.init(body: .json(try .init(draft))))
    }

    func resolveJointListEntry(_ input: Operations.ResolveJointListEntry.Input) async throws -> Operations.ResolveJointListEntry.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let number = input.path.number
        let lead = body.lead.map { JointList.ItemRef(department: DepartmentCode($0.department), code: $0.code) }
        let details = "条目 \(number)：\(lead.map { "牵头 \($0.department)/\($0.code)；" } ?? "")\(body.included ? "纳入" : "不纳入")"
        let draft = try await changeJointListDraft(input.path.industry, by: actor, action: "joint_list.resolve", details: details) {
            try $0.resolve(number, lead: lead, included: body.included, reason: body.reason ?? "")
        }
        return .ok(.init(body: .json(try .init(draft))))
    }

    func splitJointListEntry(_ input: Operations.SplitJointListEntry.Input) async throws -> Operations.SplitJointListEntry.Output {
        let actor = try admittedActor()
        let number = input.path.number
        let draft = try await changeJointListDraft(input.path.industry, by: actor, action: "joint_list.split", details: "条目 \(number)") {
            try $0.split(number)
        }
        return .ok(.init(body: .json(try .init(draft))))
    }

    func publishJointListDraft(_ input: Operations.PublishJointListDraft.Input) async throws -> Operations.PublishJointListDraft.Output {
        let actor = try admittedActor()
        let industry = try await originatedIndustry(input.path.industry, by: actor, for: "发布一业一单")
        let published = try await jointLists.publishDraft(
            industry.code, audit: entry(actor, "joint_list.publish", "joint_list", industry.code))
        return .ok(.init(body: .json(try .init(published))))
    }

    /// Applies `change` to the industry's draft, for its originating department only.
    private func changeJointListDraft(
        _ code: String, by actor: Actor, action: String, details: String,
        _ change: @Sendable @escaping (inout JointList) throws -> Void
    ) async throws -> ListVersion<JointList> {
        let industry = try await originatedIndustry(code, by: actor, for: "编制一业一单")
        return try await jointLists.updateDraft(industry.code, audit: entry(actor, action, "joint_list", industry.code, details: details)) {
            try change(&$0.document)
        }
    }

    private func publishedJointList(_ industry: String, version: Int?) async throws -> ListVersion<JointList> {
        guard let published = try await jointLists.published(industry, version: version) else {
            throw APIError.notFound("已发布的一业一单")
        }
        return published
    }

    private func jointListSheet(_ code: String, version: Int?) async throws -> JointListSheet {
        let published = try await publishedJointList(code, version: version)
        let name = try await industries.find(code)?.name ?? code
        return JointListSheet(
            list: published.document, version: published.version, publishedAt: published.publishedAt,
            industryName: name, departmentNames: try await departments.names())
    }
}
