import Foundation
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/sessions`: sign in, who am I, sign out, change one's own password.
extension APIHandlers {
    func createSession(_ input: Operations.CreateSession.Input) async throws -> Operations.CreateSession.Output {
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let (token, expiresAt, user) = try await signIn(username: body.username, password: body.password)
        return .created(
            .init(
                body: .json(
                    .init(
                        token: token,
                        expiresAt: expiresAt,
                        idleTimeoutSeconds: Int(signIn.idleTimeout.components.seconds),
                        user: .init(user)
                    ))))
    }

    /// Signs a user in, for the API and the web pages alike: the limits, the failed attempts and the session are
    /// the same either way. Returns the session's token, which is never stored (only its SM3 hash is).
    func signIn(username: String, password: String) async throws -> (token: String, expiresAt: Date, user: User) {
        let (user, changedAt) = try await checkedPassword(username: username, password: password)
        if signIn.passwordExpired(changedAt: changedAt, now: clock.now) {
            try await audit.record(entry(nil, "session.login", "user", user.username, outcome: .denied, details: "密码已过期"))
            throw APIError(
                .forbidden, "password_expired",
                "密码已超过 \((signIn.passwordMaximumAge?.components.seconds ?? 0) / 86_400) 天未更换，请先修改密码再登录", audited: true)
        }
        let token = Base64URL.encode(SecureRandom.bytes(SignInPolicy.tokenBytes))
        var signedIn = entry(nil, "session.login", "user", user.username)
        signedIn.actor = user.username
        signedIn.department = user.department
        signedIn.role = user.roles.sorted().map(\.rawValue).joined(separator: ",")
        let expiresAt = try await sessions.open(
            tokenHash: SM3.hex(token), userID: user.id, username: user.username, policy: signIn, audit: signedIn
        )
        return (token, expiresAt, user)
    }

    func changeOwnPassword(_ input: Operations.ChangeOwnPassword.Input) async throws -> Operations.ChangeOwnPassword.Output {
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        try await changeOwnPassword(username: body.username, current: body.currentPassword, new: body.newPassword)
        return .noContent(.init())
    }

    /// A user sets a new password with the current one, also when it has expired: checked and limited as a sign-in,
    /// the new one by the password rules and unlike the current; every session of the user ends.
    func changeOwnPassword(username: String, current: String, new: String) async throws {
        // The new password's rules first: a refused one does not spend an attempt of the current one.
        try PasswordPolicy.validate(new, username: username, field: "newPassword")
        guard new != current else { throw DomainError(.weakPassword, "新密码不能与当前密码相同", field: "newPassword") }
        let (user, _) = try await checkedPassword(username: username, password: current)
        var changed = entry(nil, "user.password_change", "user", user.username)
        changed.actor = user.username
        changed.department = user.department
        try await users.changeOwnPassword(user.username, to: PasswordHash(password: new), at: clock.now, audit: changed)
    }

    /// The user behind `username` and `password`, and when the password was set; refused as a sign-in is — within
    /// the address and name limits, the same answer for an unknown name, a wrong password and a disabled user.
    private func checkedPassword(username: String, password: String) async throws -> (User, Date) {
        // One answer for an unknown name, a wrong password and a disabled user: no hint whether the user exists.
        let refused = APIError(.unauthorized, "invalid_credentials", "用户名或密码错误", audited: true)
        let locked = APIError(.unauthorized, "account_locked", "登录失败次数过多，账户已锁定 15 分钟，请稍后再试", audited: true)
        guard !username.isEmpty, username.utf8.count <= 64, password.utf8.count <= PasswordPolicy.maximumLength * 4 else {
            throw refused
        }
        let address = RequestScope.current.clientAddress
        let attempt: Int
        switch try await sessions.admit(username, address: address, policy: signIn) {
        case .addressLimited:
            try await audit.record(entry(nil, "session.login", "user", username, outcome: .denied, details: "该地址登录失败次数过多"))
            throw APIError(
                .tooManyRequests, "too_many_attempts", "该网络地址登录失败次数过多，请 \(signIn.addressWindow.components.seconds / 60) 分钟后再试",
                audited: true)
        case .nameLocked:
            try await audit.record(entry(nil, "session.login", "user", username, outcome: .denied, details: "账户已锁定"))
            throw locked
        case .allowed(let counted):
            attempt = counted
        }
        let found = try await users.credentials(of: username)
        // Hash even for an unknown name, so the answer takes as long either way.
        let stored = found.flatMap { PasswordHash(encoded: $0.passwordHash) } ?? Self.decoyHash
        let passwordMatches = stored.matches(password)
        guard let found, passwordMatches, !found.user.disabled else {
            let nowLocked = try await sessions.recordFailure(
                username, attempt: attempt, address: address, policy: signIn,
                audit: entry(
                    nil, "session.login", "user", username, outcome: .failure,
                    details: found == nil ? "用户不存在" : (found!.user.disabled ? "用户已停用" : "密码错误")
                ))
            throw nowLocked ? locked : refused
        }
        try await sessions.clearFailures(username)
        return (found.user, found.passwordChangedAt)
    }

    func getCurrentSession(_ input: Operations.GetCurrentSession.Input) async throws -> Operations.GetCurrentSession.Output {
        let actor = try admittedActor()
        guard let user = try await users.find(actor.username) else { throw APIError.notFound("用户") }
        return .ok(.init(body: .json(.init(user))))
    }

    func deleteCurrentSession(_ input: Operations.DeleteCurrentSession.Input) async throws -> Operations.DeleteCurrentSession.Output {
        let actor = try admittedActor()
        guard case .session(_, let tokenHash) = RequestScope.current.credentials else { throw APIError.internal }
        try await sessions.end(tokenHash: tokenHash, audit: entry(actor, "session.logout", "user", actor.username))
        return .noContent(.init())
    }

    /// Compared against when the name is unknown; its password is random and never matches.
    private static let decoyHash = PasswordHash(password: Base64URL.encode(SecureRandom.bytes(24)))
}

extension Components.Schemas.User {
    init(_ user: User) {
        self.init(
            username: user.username, displayName: user.displayName, department: user.department.rawValue,
            roles: user.roles.sorted().compactMap { Components.Schemas.Role(rawValue: $0.rawValue) },
            disabled: user.disabled
        )
    }
}
