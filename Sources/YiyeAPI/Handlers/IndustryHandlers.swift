import YiyeCore

/// `/api/v1/industries`.
extension APIHandlers {
    func listIndustries(_ input: Operations.ListIndustries.Input) async throws -> Operations.ListIndustries.Output {
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let fetched = try await industries.list(after: page.after, limit: page.limit + 1, department: input.query.department)
        let (items, next) = page.page(fetched, key: \.code)
        return .ok(.init(body: .json(.init(items: items.map(Components.Schemas.Industry.init), nextCursor: next))))
    }

    func createIndustry(_ input: Operations.CreateIndustry.Input) async throws -> Operations.CreateIndustry.Output {
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let industry = Industry(code: body.code, name: body.name, gbtCode: body.gbtCode)
        try industry.validate()
        try await industries.create(industry)
        return .created(.init(body: .json(.init(industry))))
    }

    func getIndustry(_ input: Operations.GetIndustry.Input) async throws -> Operations.GetIndustry.Output {
        guard let industry = try await industries.find(input.path.code) else { throw APIError.notFound("行业") }
        return .ok(.init(body: .json(.init(industry))))
    }

    func updateIndustry(_ input: Operations.UpdateIndustry.Input) async throws -> Operations.UpdateIndustry.Output {
        guard case .json(let patch) = input.body else { throw APIError.unsupportedBody }
        guard var industry = try await industries.find(input.path.code) else { throw APIError.notFound("行业") }
        if let name = patch.name { industry.name = name }
        if let gbtCode = patch.gbtCode { industry.gbtCode = gbtCode.isEmpty ? nil : gbtCode }
        try industry.validate()
        guard try await industries.update(industry) else { throw APIError.notFound("行业") }
        return .ok(.init(body: .json(.init(industry))))
    }

    func setIndustryDepartments(
        _ input: Operations.SetIndustryDepartments.Input
    ) async throws -> Operations.SetIndustryDepartments.Output {
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let code = input.path.code
        guard try await industries.find(code) != nil else { throw APIError.notFound("行业") }
        let assignment = IndustryDepartments(originator: body.originator, participants: body.participants)
        let kinds = try await departments.kinds(of: [assignment.originator] + assignment.participants)
        try assignment.validate(knownDepartments: kinds)
        guard try await industries.setDepartments(assignment.normalized, of: code),
              let industry = try await industries.find(code)
        else { throw APIError.notFound("行业") }
        return .ok(.init(body: .json(.init(industry))))
    }
}

extension Components.Schemas.Industry {
    init(_ industry: Industry) {
        self.init(
            code: industry.code,
            name: industry.name,
            gbtCode: industry.gbtCode,
            departments: industry.departments.map { .init(originator: $0.originator, participants: $0.participants) }
        )
    }
}
