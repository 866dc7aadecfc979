import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/item-lists`: departments' random-inspection item lists. Published versions are public; drafts belong to
/// the department (and the office).
extension APIHandlers {
    func getItemList(_ input: Operations.GetItemList.Input) async throws -> Operations.GetItemList.Output {
        guard let version = try await itemLists.published(input.path.department, version: input.query.version) else {
            throw APIError.notFound("已发布的事项清单")
        }
        return .ok(.init(body: .json(try .init(version))))
    }

    func listItemListVersions(_ input: Operations.ListItemListVersions.Input) async throws -> Operations.ListItemListVersions.Output {
        let department = input.path.department
        guard try await departments.find(DepartmentCode(department)) != nil else { throw APIError.notFound("部门") }
        return .ok(.init(body: .json(.init(try await itemLists.history(department)))))
    }

    func getItemListDraft(_ input: Operations.GetItemListDraft.Input) async throws -> Operations.GetItemListDraft.Output {
        let actor = try admittedActor()
        let department = input.path.department
        guard actor.governs(DepartmentCode(department)) else { throw try await hidden(actor, "item_list", department, what: "事项清单草稿") }
        guard let draft = try await itemLists.draft(department) else { throw ListDraftError.noDraft }
        return .ok(.init(body: .json(try .init(draft))))
    }

    func createItemListDraft(_ input: Operations.CreateItemListDraft.Input) async throws -> Operations.CreateItemListDraft.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let department = try await managedItemList(input.path.department, by: actor)
        let note = body.note ?? ""
        try ListVersion<ItemList>.validate(note: note)
        let latest = try await itemLists.published(department)
        let draft = try await itemLists.createDraft(
            department, note: note, document: latest?.document ?? ItemList(),
            audit: entry(actor, "item_list.draft.create", "item_list", department, details: note))
        return .created(.init(body: .json(try .init(draft))))
    }

    func updateItemListDraft(_ input: Operations.UpdateItemListDraft.Input) async throws -> Operations.UpdateItemListDraft.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let department = try await managedItemList(input.path.department, by: actor)
        let list = ItemList(items: body.items.map(InspectionItem.init))
        try list.validate()
        let known = try await industries.existing(Set(list.items.flatMap(\.industries)))
        if let (index, item) = list.items.enumerated().first(where: { !Set($0.element.industries).isSubset(of: known) }) {
            let unknown = item.industries.filter { !known.contains($0) }.joined(separator: "、")
            throw DomainError(.unknownIndustry, "行业 \(unknown) 不存在", field: "items[\(index)].industries")
        }
        if let note = body.note { try ListVersion<ItemList>.validate(note: note) }
        let draft = try await itemLists.updateDraft(
            department, audit: entry(actor, "item_list.draft.update", "item_list", department, details: "\(list.items.count) 个事项")
        ) { draft in
            draft.document = list
            if let note = body.note { draft.note = note }
        }
        return .ok(.init(body: .json(try .init(draft))))
    }

    func discardItemListDraft(_ input: Operations.DiscardItemListDraft.Input) async throws -> Operations.DiscardItemListDraft.Output {
        let actor = try admittedActor()
        let department = try await managedItemList(input.path.department, by: actor)
        try await itemLists.discardDraft(department, audit: entry(actor, "item_list.draft.discard", "item_list", department))
        return .noContent(.init())
    }

    func publishItemListDraft(_ input: Operations.PublishItemListDraft.Input) async throws -> Operations.PublishItemListDraft.Output {
        let actor = try admittedActor()
        let department = try await managedItemList(input.path.department, by: actor)
        let published = try await itemLists.publishDraft(department, audit: entry(actor, "item_list.publish", "item_list", department))
        return .ok(.init(body: .json(try .init(published))))
    }

    /// The department whose item list the actor may change: a regulator, and the actor's own (or the office's).
    private func managedItemList(_ department: String, by actor: Actor) async throws -> String {
        guard let found = try await departments.find(DepartmentCode(department)) else { throw APIError.notFound("部门") }
        guard actor.governs(DepartmentCode(department)) else {
            throw try await forbidden(actor, "item_list", department, message: "只能维护本部门的随机抽查事项清单")
        }
        guard found.kind == .regulator else {
            throw DomainError(.departmentNotRegulator, "领导小组办公室不编制随机抽查事项清单", field: "department")
        }
        return department
    }
}
