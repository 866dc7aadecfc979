import HTTPTypes
import OpenAPIRuntime
import YiyeCore
import YiyeStore

/// Decides, by `operationId` and before anything of the request is decoded, whether the caller may call the
/// operation: no session → 401, a role without the permission → 403, each refusal audited. The first of the
/// OpenAPI middlewares, so an anonymous client learns nothing of a schema.
struct AccessMiddleware: ServerMiddleware {
    let audit: AuditTrail

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        _ = try await Self.admit(operationID, audit: audit)
        return try await next(request, body, metadata)
    }

    /// The actor the request may call `operationID` as (nil for an open operation), or the refusal, audited. Also
    /// used by the routes served beside the generated handlers (the notification stream).
    static func admit(_ operationID: String, audit: AuditTrail) async throws -> Actor? {
        let scope = RequestScope.current
        guard let access = OperationAccess.table[operationID] else {
            // AccessMatrixTests checks every operation of the spec has an entry; refuse rather than guess.
            scope.logger.error("operation has no entry in OperationAccess.table", metadata: ["operation": .string(operationID)])
            throw APIError.internal
        }
        if access == .open { return nil }
        guard let actor = scope.credentials.actor else {
            let invalid = scope.credentials == .invalid
            try await deny(nil, operationID, invalid ? "会话无效或已过期" : "未登录", audit: audit)
            throw invalid
                ? APIError(.unauthorized, "session_invalid", "会话无效或已过期，请重新登录", audited: true)
                : APIError(.unauthorized, "unauthenticated", "请先登录", audited: true)
        }
        if case .permission(let permission) = access, !actor.has(permission) {
            try await deny(actor, operationID, "角色无权执行此操作", audit: audit)
            throw APIError(.forbidden, "forbidden", "当前角色无权执行此操作", audited: true)
        }
        return actor
    }

    private static func deny(_ actor: Actor?, _ operation: String, _ reason: String, audit: AuditTrail) async throws {
        let scope = RequestScope.current
        try await audit.record(
            AuditRecord.Entry(
                actor: actor?.username, department: actor?.department, role: actor?.roleList, action: "access.denied",
                objectType: "operation", objectID: operation, outcome: .denied,
                clientAddress: scope.clientAddress, requestID: scope.requestID, details: reason
            ))
    }
}
