import Foundation
import Logging
import PostgresNIO
import YiyeStore

/// A durable private PostgreSQL cluster in a temporary directory, migrated, for one benchmark run.
public final class ScratchCluster: @unchecked Sendable {
    /// Scratch space for the run (the cluster lives in `data/` inside it).
    public let directory: URL
    let cluster: EmbeddedCluster

    /// Starts and migrates a cluster under a new temporary directory named after the benchmark.
    public init(name: String, logger: Logger) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("yiye-\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // As root, PostgreSQL runs as another user, who must be able to enter the directory.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        cluster = try EmbeddedCluster(dataDirectory: directory.appendingPathComponent("data"), durable: true, logger: logger)
        try await cluster.start()
        let migrations = try Migration.load(from: Migration.defaultDirectory())
        _ = try await withTemporaryClient(cluster.configuration(), logger: logger) { owner in
            try await MigrationRunner(migrations: migrations, logger: logger).apply(using: owner)
        }
    }

    /// How the schema owner reaches the cluster.
    public var owner: PostgresClient.Configuration { cluster.configuration() }

    /// How the application reaches the cluster (as the `yiye_app` role).
    public var application: PostgresClient.Configuration { cluster.configuration().actingAsApplication }

    /// How a yiye server reaches the cluster (it connects as the owner and acts as the application).
    public var url: DatabaseURL {
        DatabaseURL(
            endpoint: .unixSocket(path: cluster.socketPath), username: EmbeddedCluster.superuser, database: EmbeddedCluster.databaseName)
    }

    /// Stops the cluster and removes the directory.
    public func remove() {
        cluster.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
