import Hummingbird
import YiyeCore

/// `/metrics` tells how the server is used (routes, rates, errors): it answers only a scraper that sends the token
/// the server was started with (`--metrics-token`, `YIYE_METRICS_TOKEN`) as `Authorization: Bearer`, and not at all
/// when none was set (等保: no operational data to anonymous callers).
struct MetricsGate<Context: RequestContext>: RouterMiddleware {
    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path == "/metrics" else { return try await next(request, context) }
        guard let token else {
            throw APIError(.notFound, "metrics_disabled", "监控指标未开启：启动时设置 --metrics-token（或环境变量 YIYE_METRICS_TOKEN）后，以该令牌访问")
        }
        let sent = request.headers[.authorization] ?? ""
        guard constantTimeEquals(Array(sent.utf8), Array("Bearer \(token)".utf8)) else {
            throw APIError(.unauthorized, "metrics_token_invalid", "访问监控指标须在 Authorization 头中提供正确的令牌（Bearer）")
        }
        return try await next(request, context)
    }
}
