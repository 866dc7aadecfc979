import Foundation
import Hummingbird
import HTTPTypes

/// Renders every error as `{"error": {"code", "message", "requestId", "field"?}}`.
struct ErrorMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: YiyeRequestContext,
        next: (Request, YiyeRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError.from(error, logger: context.logger)
            return Self.response(for: apiError, requestID: context.requestID)
        }
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
        return Response(
            status: error.status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
