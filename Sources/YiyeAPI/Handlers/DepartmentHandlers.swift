import YiyeContract
import YiyeCore

/// `/api/v1/departments`. The directory is readable by every signed-in user, so that participants can be chosen;
/// changing a department is the office's, or a department admin's for their own.
extension APIHandlers {
    func listDepartments(_ input: Operations.ListDepartments.Input) async throws -> Operations.ListDepartments.Output {
        _ = try admittedActor()
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let kind = input.query.kind.map(Department.Kind.init(_:))
        let fetched = try await departments.list(after: page.after, limit: page.limit + 1, kind: kind)
        let (items, next) = page.page(fetched, key: \.code.rawValue)
        return .ok(.init(body: .json(.init(items: items.map(Components.Schemas.Department.init), nextCursor: next))))
    }

    func createDepartment(_ input: Operations.CreateDepartment.Input) async throws -> Operations.CreateDepartment.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let department = Department(code: DepartmentCode(body.code), name: body.name, kind: .init(body.kind), regionCode: body.regionCode)
        try department.validate()
        try await departments.create(
            department, audit: entry(actor, "department.create", "department", department.code.rawValue, details: department.name))
        return .created(.init(body: .json(.init(department))))
    }

    func getDepartment(_ input: Operations.GetDepartment.Input) async throws -> Operations.GetDepartment.Output {
        _ = try admittedActor()
        guard let department = try await departments.find(DepartmentCode(input.path.code)) else { throw APIError.notFound("部门") }
        return .ok(.init(body: .json(.init(department))))
    }

    func updateDepartment(_ input: Operations.UpdateDepartment.Input) async throws -> Operations.UpdateDepartment.Output {
        let actor = try admittedActor()
        guard case .json(let patch) = input.body else { throw APIError.unsupportedBody }
        guard var department = try await departments.find(DepartmentCode(input.path.code)) else { throw APIError.notFound("部门") }
        guard actor.governs(department.code) else {
            throw try await forbidden(actor, "department", department.code.rawValue, message: "只能修改本部门的信息")
        }
        if let name = patch.name { department.name = name }
        if let regionCode = patch.regionCode { department.regionCode = regionCode }
        try department.validate()
        try await departments.update(
            department,
            audit: entry(
                actor, "department.update", "department", department.code.rawValue,
                details: "\(department.name) \(department.regionCode)"))
        return .ok(.init(body: .json(.init(department))))
    }
}

extension Components.Schemas.Department {
    init(_ department: Department) {
        self.init(code: department.code.rawValue, name: department.name, kind: .init(department.kind), regionCode: department.regionCode)
    }
}

extension Components.Schemas.DepartmentKind {
    init(_ kind: Department.Kind) {
        switch kind {
        case .regulator: self = .regulator
        case .leadershipOffice: self = .leadershipOffice
        }
    }
}

extension Department.Kind {
    init(_ kind: Components.Schemas.DepartmentKind) {
        switch kind {
        case .regulator: self = .regulator
        case .leadershipOffice: self = .leadershipOffice
        }
    }
}
