import Logging
import PostgresNIO
import YiyeAPI
import YiyeStore

/// Runs `body` with a connection pool to the chosen database, starting (and afterwards stopping) the embedded
/// cluster when no URL was given. For the one-shot commands; `serve` runs these as services instead.
/// `asOwner` keeps the migrating user's rights; otherwise the pool acts as the application role.
func withDatabase<T: Sendable>(
    _ source: AppConfiguration.DatabaseSource, asOwner: Bool = false, logger: Logger,
    _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    let (configuration, cluster) = try await source.open(logger: logger)
    defer { cluster?.stop() }
    return try await withTemporaryClient(asOwner ? configuration : configuration.actingAsApplication, logger: logger, body)
}

/// A logger for one-shot commands: notices and above.
func commandLogger(_ label: String) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = .notice
    return logger
}
