import HTTPTypes
import Hummingbird

/// Text answers (pages, CSV sheets, pool files) say they are UTF-8, so that no browser or spreadsheet program guesses
/// another encoding for the Chinese in them. The event stream is UTF-8 by definition and left as it is.
struct CharsetMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: YiyeRequestContext,
        next: (Request, YiyeRequestContext) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        if let type = response.headers[.contentType], type.hasPrefix("text/"), !type.hasPrefix("text/event-stream"),
            !type.lowercased().contains("charset=")
        {
            response.headers[.contentType] = type + "; charset=utf-8"
        }
        return response
    }
}
