import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/inspectors`: the inspector roster and conflict-of-interest declarations. Every signed-in user reads the
/// roster; phones are personal data, shown in full only to the own department and the office.
extension APIHandlers {
    func listInspectors(_ input: Operations.ListInspectors.Input) async throws -> Operations.ListInspectors.Output {
        let actor = try admittedActor()
        let query = input.query
        let page = try PageRequest(limit: query.limit, cursor: query.cursor)
        let cursor = try page.numericCursor()
        let filter = InspectorRepository.Filter(
            department: query.department.map { DepartmentCode($0) }, status: query.status?.rawValue, qualification: query.qualification,
            region: query.region, name: query.name, isExpert: query.expert
        )
        let fetched = try await inspectors.list(filter, after: cursor, limit: page.limit + 1)
        let (items, next) = page.page(fetched) { String($0.id ?? 0) }
        return .ok(.init(body: .json(.init(items: try items.map { try .init($0, for: actor) }, nextCursor: next))))
    }

    func getInspector(_ input: Operations.GetInspector.Input) async throws -> Operations.GetInspector.Output {
        let actor = try admittedActor()
        return .ok(.init(body: .json(try .init(try await inspector(input.path.id), for: actor))))
    }

    func createInspector(_ input: Operations.CreateInspector.Input) async throws -> Operations.CreateInspector.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let department = try await rosterDepartment(body.department, of: actor)
        let new = Inspector(
            department: department, name: body.name, position: body.position ?? "", certificateNumber: body.certificateNumber,
            post: body.post ?? "", phone: body.phone ?? "", level: try .init(code: body.level.rawValue),
            regionCode: body.regionCode, categories: body.categories ?? [], qualifications: body.qualifications ?? [],
            expertise: body.expertise ?? [], status: try body.status.map { try .init(code: $0.rawValue) } ?? .active,
            isExpert: body.isExpert ?? false, institution: body.institution ?? "", username: body.username
        )
        try new.validate()
        let saved = try await createdInspector(
            new,
            audit: entry(
                actor, "inspector.create", "inspector", new.certificateNumber,
                details: "\(department) \(new.name)"))
        return .created(.init(body: .json(try .init(saved, for: actor))))
    }

    func updateInspector(_ input: Operations.UpdateInspector.Input) async throws -> Operations.UpdateInspector.Output {
        let actor = try admittedActor()
        guard case .json(let patch) = input.body else { throw APIError.unsupportedBody }
        var changed = try await inspector(input.path.id)
        guard actor.governs(changed.department) else {
            throw try await forbidden(actor, "inspector", String(input.path.id), message: "只能维护本部门的执法检查人员")
        }
        if let name = patch.name { changed.name = name }
        if let position = patch.position { changed.position = position }
        if let certificate = patch.certificateNumber { changed.certificateNumber = certificate }
        if let post = patch.post { changed.post = post }
        if let phone = patch.phone { changed.phone = phone }
        if let level = patch.level { changed.level = try .init(code: level.rawValue) }
        if let region = patch.regionCode { changed.regionCode = region }
        if let categories = patch.categories { changed.categories = categories }
        if let qualifications = patch.qualifications { changed.qualifications = qualifications }
        if let expertise = patch.expertise { changed.expertise = expertise }
        if let status = patch.status { changed.status = try .init(code: status.rawValue) }
        if let isExpert = patch.isExpert { changed.isExpert = isExpert }
        if let institution = patch.institution { changed.institution = institution }
        if let username = patch.username { changed.username = username.isEmpty ? nil : username }
        try changed.validate()
        do {
            try await inspectors.update(
                changed,
                audit: entry(
                    actor, "inspector.update", "inspector", String(input.path.id),
                    details: "\(changed.name) \(changed.status.label)"))
        } catch StoreError.alreadyExists {
            throw APIError(.conflict, "already_exists", "执法证号已登记，或该用户已关联其他人员")
        }
        return .ok(.init(body: .json(try .init(changed, for: actor))))
    }

    func importInspectors(_ input: Operations.ImportInspectors.Input) async throws -> Operations.ImportInspectors.Output {
        let actor = try admittedActor()
        guard case .csv(let body) = input.body else { throw APIError.unsupportedBody }
        if actor.readsEverything, input.query.department == nil {
            throw APIError.badParameter("department", "领导小组办公室导入时须指定部门（department）")
        }
        let department = try await rosterDepartment(input.query.department, of: actor)
        let report = try await inspectors.importCSV(
            body, department: department,
            audit: entry(actor, "inspector.import", "inspector_roster", department.rawValue))
        return .ok(.init(body: .json(.init(report))))
    }

    func listConflicts(_ input: Operations.ListConflicts.Input) async throws -> Operations.ListConflicts.Output {
        let actor = try admittedActor()
        let found = try await inspector(input.path.id)
        guard actor.governs(found.department) else {
            throw try await forbidden(actor, "inspector", String(input.path.id), message: "回避声明仅本部门和领导小组办公室可见")
        }
        let conflicts = try await inspectors.conflicts(of: input.path.id)
        return .ok(.init(body: .json(.init(items: conflicts.map(Components.Schemas.ConflictDeclaration.init)))))
    }

    func declareConflict(_ input: Operations.DeclareConflict.Input) async throws -> Operations.DeclareConflict.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let found = try await inspector(input.path.id)
        guard actor.mayDeclareConflict(for: found) else {
            throw try await forbidden(actor, "inspector", String(input.path.id), message: "只能为本部门人员或本人声明回避")
        }
        guard let from = CalendarDate(body.from) else { throw APIError.badParameter("from", "开始日期须为 YYYY-MM-DD") }
        var until: CalendarDate?
        if let text = body.until {
            guard let date = CalendarDate(text) else { throw APIError.badParameter("until", "结束日期须为 YYYY-MM-DD") }
            until = date
        }
        let conflict = ConflictDeclaration(
            inspectorID: input.path.id, creditCode: body.creditCode, reason: body.reason,
            from: from, until: until, declaredBy: actor.username)
        try conflict.validate()
        guard try await objects.find(conflict.creditCode, visibleTo: nil) != nil else {
            throw DomainError(.unknownObject, "检查对象 \(conflict.creditCode) 不在名录库中", field: "creditCode")
        }
        let saved = try await inspectors.declare(
            conflict,
            audit: entry(
                actor, "inspector.conflict.declare", "inspector",
                String(input.path.id), details: conflict.creditCode))
        return .created(.init(body: .json(.init(saved))))
    }

    private func inspector(_ id: Int64) async throws -> Inspector {
        guard let found = try await inspectors.find(id) else { throw APIError.notFound("执法检查人员") }
        return found
    }

    /// The department a roster change is for: the actor's own, or the one the office names; a regulator.
    private func rosterDepartment(_ asked: String?, of actor: Actor) async throws -> DepartmentCode {
        let department = asked.map { DepartmentCode($0) } ?? actor.department
        guard actor.governs(department) else {
            throw try await forbidden(actor, "inspector_roster", department.rawValue, message: "只能维护本部门的执法检查人员名录")
        }
        guard let found = try await departments.find(department) else {
            throw DomainError(.unknownDepartment, "部门 \(department) 不存在", field: "department")
        }
        guard found.kind == .regulator else {
            throw DomainError(.departmentNotRegulator, "领导小组办公室没有执法检查人员名录", field: "department")
        }
        return department
    }

    private func createdInspector(_ inspector: Inspector, audit: AuditRecord.Entry) async throws -> Inspector {
        do {
            return try await inspectors.create(inspector, audit: audit)
        } catch StoreError.alreadyExists {
            throw APIError(.conflict, "already_exists", "执法证号已登记，或该用户已关联其他人员")
        }
    }
}
