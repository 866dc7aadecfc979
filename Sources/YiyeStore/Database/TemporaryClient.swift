import Logging
import PostgresNIO

/// Runs `body` with a short-lived connection pool (migrations, one-shot commands, tests).
public func withTemporaryClient<T: Sendable>(
    _ configuration: PostgresClient.Configuration, logger: Logger,
    _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        // Let run() begin before the first lease, which PostgresNIO otherwise warns about (it works either way).
        await Task.yield()
        return try await body(client)
    }
}

extension PostgresClient.Configuration {
    /// The database role the application acts as: INSERT and SELECT only on the audit tables.
    public static let applicationRole = "yiye_app"

    /// The same server, acting as the application role from the first statement of every connection.
    public var actingAsApplication: PostgresClient.Configuration {
        var configuration = self
        configuration.options.additionalStartupParameters.append(("options", "-c role=\(Self.applicationRole)"))
        return configuration
    }
}
