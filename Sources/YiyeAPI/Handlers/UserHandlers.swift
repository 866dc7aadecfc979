import YiyeContract
import YiyeCore

/// `/api/v1/users`: the office manages everyone; a department admin manages their own department's users.
extension APIHandlers {
    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        let actor = try admittedActor()
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let department: DepartmentCode?
        switch actor.listScope(asking: input.query.department.map { DepartmentCode($0) }) {
        case .all: department = nil
        case .department(let code): department = code
        case .none: return .ok(.init(body: .json(.init(items: []))))
        }
        let fetched = try await users.list(after: page.after, limit: page.limit + 1, department: department)
        let (items, next) = page.page(fetched, key: \.username)
        return .ok(.init(body: .json(.init(items: items.map(Components.Schemas.User.init), nextCursor: next))))
    }

    func getUser(_ input: Operations.GetUser.Input) async throws -> Operations.GetUser.Output {
        let actor = try admittedActor()
        return .ok(.init(body: .json(.init(try await visibleUser(input.path.username, to: actor)))))
    }

    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        guard actor.governs(DepartmentCode(body.department)) else {
            throw try await forbidden(actor, "department", body.department, message: "只能为本部门创建用户")
        }
        let user = User(
            username: body.username, displayName: body.displayName, department: DepartmentCode(body.department),
            roles: Set(body.roles.compactMap { Role(rawValue: $0.rawValue) }))
        guard let kind = try await departments.kinds(of: [user.department])[user.department] else {
            throw DomainError(.unknownDepartment, "部门 \(user.department) 不存在", field: "department")
        }
        try user.validate(departmentKind: kind)
        try PasswordPolicy.validate(body.password, username: user.username)
        let created = try await users.create(
            user, passwordHash: PasswordHash(password: body.password),
            audit: entry(
                actor, "user.create", "user", user.username,
                details: "\(user.department) \(user.roles.sorted().map(\.rawValue).joined(separator: ","))"
            ))
        return .created(.init(body: .json(.init(created))))
    }

    func updateUser(_ input: Operations.UpdateUser.Input) async throws -> Operations.UpdateUser.Output {
        let actor = try admittedActor()
        guard case .json(let patch) = input.body else { throw APIError.unsupportedBody }
        var user = try await visibleUser(input.path.username, to: actor)
        guard actor.governs(user.department) else {
            throw try await forbidden(actor, "user", user.username, message: "只能管理本部门的用户")
        }
        if user.username == actor.username, patch.disabled == true {
            throw DomainError(.cannotDisableSelf, "不能停用自己的账户", field: "disabled")
        }
        if let name = patch.displayName { user.displayName = name }
        if let roles = patch.roles { user.roles = Set(roles.compactMap { Role(rawValue: $0.rawValue) }) }
        if let disabled = patch.disabled { user.disabled = disabled }
        let kind = try await departments.kinds(of: [user.department])[user.department] ?? .regulator
        try user.validate(departmentKind: kind)
        var newPassword: PasswordHash?
        if let password = patch.password {
            try PasswordPolicy.validate(password, username: user.username)
            newPassword = PasswordHash(password: password)
        }
        var changes: [String] = []
        if patch.displayName != nil { changes.append("姓名") }
        if patch.roles != nil { changes.append("角色 \(user.roles.sorted().map(\.rawValue).joined(separator: ","))") }
        if let disabled = patch.disabled { changes.append(disabled ? "停用" : "启用") }
        if patch.password != nil { changes.append("重置密码") }
        try await users.update(
            user, newPassword: newPassword,
            audit: entry(actor, "user.update", "user", user.username, details: changes.joined(separator: "；")))
        return .ok(.init(body: .json(.init(user))))
    }
}
