import Logging
import PostgresNIO
import YiyeAPI
import YiyeStore

/// Runs `body` with a connection pool to the chosen database, starting (and afterwards stopping) the embedded
/// cluster when no URL was given. For the one-shot commands; `serve` runs these as services instead.
func withDatabase<T: Sendable>(
    _ source: AppConfiguration.DatabaseSource, logger: Logger,
    _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    var cluster: EmbeddedCluster?
    let configuration: PostgresClient.Configuration
    switch source {
    case .url(let url):
        configuration = url.configuration
    case .embedded(let dataDirectory):
        let embedded = try EmbeddedCluster(dataDirectory: dataDirectory, logger: logger)
        try await embedded.start()
        cluster = embedded
        configuration = embedded.configuration()
    }
    defer { cluster?.stop() }
    let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(client)
    }
}
