import Foundation
import OpenAPIRuntime
import PostgresNIO
import YiyeContract

/// Liveness, readiness, metrics and the spec itself.
extension APIHandlers {
    func getLiveness(_ input: Operations.GetLiveness.Input) async throws -> Operations.GetLiveness.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        let ready = await databaseAnswers(within: .seconds(5))
        return ready ? .ok(.init(body: .json(.init(status: .ok)))) : .serviceUnavailable(.init(body: .json(.init(status: .unavailable))))
    }

    func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output {
        .ok(.init(body: .plainText(HTTPBody(metrics.emitToString()))))
    }

    func getOpenAPISpec(_ input: Operations.GetOpenAPISpec.Input) async throws -> Operations.GetOpenAPISpec.Output {
        .ok(.init(body: .yaml(HTTPBody(OpenAPIDocument.text))))
    }

    private func databaseAnswers(within timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                (try? await client.query("SELECT 1", logger: RequestScope.current.logger).collect()) != nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
