import Foundation
import HTTPTypes
import Hummingbird
import YiyeCore
import YiyeStore

/// Renders every error as `{"error": {"code", "message", "requestId", "field"?}}`, and records refused changes
/// (any failed request that is not a read) in the audit trail unless they are there already.
struct ErrorMiddleware: RouterMiddleware {
    let audit: AuditTrail

    func handle(
        _ request: Request, context: YiyeRequestContext,
        next: (Request, YiyeRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError.from(error, logger: context.logger)
            if ![.get, .head, .options].contains(request.method), !apiError.audited, apiError.status != .serviceUnavailable {
                await recordFailure(apiError, request: request, context: context)
            }
            return Self.response(for: apiError, requestID: context.requestID)
        }
    }

    private func recordFailure(_ error: APIError, request: Request, context: YiyeRequestContext) async {
        let entry = Self.failure(
            error, route: "\(request.method) \(request.uri.path)", actor: context.credentials.actor,
            clientAddress: context.clientAddress, requestID: context.requestID)
        do {
            try await audit.record(entry)
        } catch {
            context.logger.error("could not audit a failed request", metadata: ["error": .string(String(reflecting: error))])
        }
    }

    /// The audit entry of a refused change; the pages' forms record theirs with it too.
    static func failure(_ error: APIError, route: String, actor: Actor?, clientAddress: String?, requestID: String) -> AuditRecord.Entry {
        AuditRecord.Entry(
            actor: actor?.username, department: actor?.department, role: actor?.roleList,
            action: "request.failed", objectType: "route", objectID: route,
            outcome: .failure, clientAddress: clientAddress, requestID: requestID,
            details: "\(error.status.code) \(error.code)"
        )
    }

    private struct Envelope: Encodable {
        struct Body: Encodable {
            var code: String
            var message: String
            var requestId: String
            var field: String?
        }
        var error: Body
    }

    static func response(for error: APIError, requestID: String) -> Response {
        let envelope = Envelope(error: .init(code: error.code, message: error.message, requestId: requestID, field: error.field))
        let data = (try? JSONEncoder().encode(envelope)) ?? Data(#"{"error":{"code":"internal_error"}}"#.utf8)
        var headers = error.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: error.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
