import HTTPTypes
import Hummingbird

/// Answers 405 with an `Allow` header, instead of the router's 404, when the path is one the spec declares but the
/// method is not.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    /// Path templates (`/api/v1/industries/{code}`) with their methods, read from the served spec.
    let paths: [(segments: [Substring], methods: [String])]

    init(spec: String) {
        var paths: [(segments: [Substring], methods: [String])] = []
        let methods: Set<String> = ["get", "put", "post", "delete", "patch"]
        for line in spec.split(separator: "\n") {
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                paths.append((line.dropFirst(2).dropLast().split(separator: "/"), []))
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let name = line.split(separator: ":").first,
                methods.contains(name.trimmingCharacters(in: .whitespaces)), !paths.isEmpty
            {
                paths[paths.count - 1].methods.append(name.trimmingCharacters(in: .whitespaces).uppercased())
            }
        }
        self.paths = paths
    }

    func handle(
        _ request: Request, context: YiyeRequestContext,
        next: (Request, YiyeRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let segments = request.uri.path.split(separator: "/")
            guard let match = paths.first(where: { Self.matches($0.segments, segments) }),
                !match.methods.contains(request.method.rawValue)
            else { throw error }
            var refusal = APIError(
                .methodNotAllowed, "method_not_allowed", "该地址不支持 \(request.method.rawValue) 请求，可用：\(match.methods.joined(separator: ", "))")
            refusal.headers[.allow] = match.methods.joined(separator: ", ")
            throw refusal
        }
    }

    private static func matches(_ template: [Substring], _ path: [Substring]) -> Bool {
        template.count == path.count && zip(template, path).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }
}
