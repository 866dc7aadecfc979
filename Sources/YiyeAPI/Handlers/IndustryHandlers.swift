import YiyeContract
import YiyeCore

/// `/api/v1/industries`. A department sees the industries it originates or participates in; the office sees and
/// manages all.
extension APIHandlers {
    func listIndustries(_ input: Operations.ListIndustries.Input) async throws -> Operations.ListIndustries.Output {
        let actor = try admittedActor()
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let department: DepartmentCode?
        switch actor.listScope(asking: input.query.department.map { DepartmentCode($0) }) {
        case .all: department = nil
        case .department(let code): department = code
        case .none: return .ok(.init(body: .json(.init(items: []))))
        }
        let fetched = try await industries.list(after: page.after, limit: page.limit + 1, department: department)
        let (items, next) = page.page(fetched, key: \.code)
        return .ok(.init(body: .json(.init(items: items.map(Components.Schemas.Industry.init), nextCursor: next))))
    }

    func createIndustry(_ input: Operations.CreateIndustry.Input) async throws -> Operations.CreateIndustry.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let industry = Industry(code: body.code, name: body.name, gbtCode: body.gbtCode)
        try industry.validate()
        try await industries.create(industry, audit: entry(actor, "industry.create", "industry", industry.code, details: industry.name))
        return .created(.init(body: .json(.init(industry))))
    }

    func getIndustry(_ input: Operations.GetIndustry.Input) async throws -> Operations.GetIndustry.Output {
        let actor = try admittedActor()
        return .ok(.init(body: .json(.init(try await visibleIndustry(input.path.code, to: actor)))))
    }

    func updateIndustry(_ input: Operations.UpdateIndustry.Input) async throws -> Operations.UpdateIndustry.Output {
        let actor = try admittedActor()
        guard case .json(let patch) = input.body else { throw APIError.unsupportedBody }
        var industry = try await visibleIndustry(input.path.code, to: actor)
        if let name = patch.name { industry.name = name }
        if let gbtCode = patch.gbtCode { industry.gbtCode = gbtCode.isEmpty ? nil : gbtCode }
        try industry.validate()
        try await industries.update(
            industry,
            audit: entry(
                actor, "industry.update", "industry", industry.code,
                details: "\(industry.name) \(industry.gbtCode ?? "-")"))
        return .ok(.init(body: .json(.init(industry))))
    }

    func setIndustryDepartments(
        _ input: Operations.SetIndustryDepartments.Input
    ) async throws -> Operations.SetIndustryDepartments.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let code = input.path.code
        _ = try await visibleIndustry(code, to: actor)
        let assignment = IndustryDepartments(originator: DepartmentCode(body.originator), participants: body.participants.departmentCodes)
        let kinds = try await departments.kinds(of: [assignment.originator] + assignment.participants)
        try assignment.validate(knownDepartments: kinds)
        let normalized = assignment.normalized
        try await industries.setDepartments(
            normalized, of: code,
            audit: entry(
                actor, "industry.set_departments", "industry", code,
                details: "发起部门 \(normalized.originator)；参与部门 \(normalized.participants.codes.joined(separator: ","))"
            ))
        return .ok(.init(body: .json(.init(try await visibleIndustry(code, to: actor)))))
    }
}

extension Components.Schemas.Industry {
    init(_ industry: Industry) {
        self.init(
            code: industry.code,
            name: industry.name,
            gbtCode: industry.gbtCode,
            departments: industry.departments.map { .init(originator: $0.originator.rawValue, participants: $0.participants.codes) }
        )
    }
}
