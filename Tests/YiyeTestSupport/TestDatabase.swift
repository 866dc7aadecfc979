import Foundation
import Logging
import PostgresNIO
import YiyeCore
import YiyeStore

#if canImport(Glibc)
    import Glibc
#endif

/// Throwaway databases for tests, each cloned from a template that was migrated once per test process.
///
/// The server is `TEST_DATABASE_URL` when set (its user must be allowed to create databases), else a private
/// cluster started with the same launcher `yiye serve` uses, in a temporary directory, stopped when the test
/// process exits.
public actor TestDatabase {
    public static let shared = TestDatabase()

    private var server: Task<Server, any Error>?
    /// The demo county with its sample data (lists, objects, inspectors, draws), made on first use.
    private var sampleTemplate: Task<String, any Error>?
    private var counter = 0
    private let logger: Logger = {
        var logger = Logger(label: "yiye.test-db")
        logger.logLevel = .error
        return logger
    }()

    private struct Server: Sendable {
        /// The server, connected to its maintenance database.
        var admin: DatabaseURL
        /// Migrated.
        var template: String
        /// Migrated, with the demo county and its users (password `demoPassword`).
        var demoTemplate: String
        var prefix: String
    }

    /// The demo users' password in test databases.
    public static let demoPassword = "Test-Pass-2026"

    /// The SM2 key test applications sign audit checkpoints with.
    public static let auditKeyURL = FileManager.default.temporaryDirectory
        .appendingPathComponent("yiye-test-\(getpid())-audit-sm2-key.pem")

    /// The personal-data master key of test applications: the default beside their audit key.
    public static let personalDataKeyURL = MasterKeyFile.defaultURL(besides: auditKeyURL)

    /// The personal-data keys of `client`'s database, as a test application has them.
    public static func personalData(_ client: PostgresClient) -> PersonalDataCipher {
        PersonalDataCipher(client: client, keyFile: personalDataKeyURL, logger: Logger(label: "yiye-test"))
    }

    /// The server's superuser connection to `database`, for tests that play a DBA going around the application.
    public func superuserURL(for database: String) async throws -> DatabaseURL {
        var url = try await serverStarted().admin
        url.database = database
        return url
    }

    /// Creates a fresh migrated database (with the demo county when `demo`, and its sample data too when `sample`),
    /// runs `body` with its URL, and drops the database afterwards.
    ///
    /// At most `concurrentDatabases` such bodies run at once: every test would otherwise start its application at the
    /// same moment, and on a small machine the database then answers so slowly that calls time out.
    public nonisolated func withDatabase<T: Sendable>(
        demo: Bool = false, sample: Bool = false, _ body: @Sendable (DatabaseURL) async throws -> T
    ) async throws -> T {
        await Self.slots.acquire()
        do {
            let url = try await createDatabase(demo: demo, sample: sample)
            let result: T
            do {
                result = try await body(url)
            } catch {
                try? await drop(url.database)
                throw error
            }
            try? await drop(url.database)
            await Self.slots.release()
            return result
        } catch {
            await Self.slots.release()
            throw error
        }
    }

    /// Twice the cores, at least four.
    static let concurrentDatabases = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
    private static let slots = Slots(concurrentDatabases)

    /// A counting semaphore for tasks.
    private actor Slots {
        private var free: Int
        private var waiting: [CheckedContinuation<Void, Never>] = []

        init(_ count: Int) { free = count }

        func acquire() async {
            if free > 0 {
                free -= 1
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func release() {
            if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
        }
    }

    /// A new database cloned from the migrated template (with the demo county when `demo`, and its sample data when
    /// `sample`); the caller owns it.
    public func createDatabase(demo: Bool = false, sample: Bool = false) async throws -> DatabaseURL {
        let server = try await serverStarted()
        let template = sample ? try await sampleTemplateMade() : demo ? server.demoTemplate : server.template
        counter += 1
        let name = "\(server.prefix)_\(counter)"
        try await execute(
            "CREATE DATABASE \(EmbeddedCluster.quoteIdentifier(name)) TEMPLATE \(EmbeddedCluster.quoteIdentifier(template))",
            on: server.admin)
        var url = server.admin
        url.database = name
        return url
    }

    /// A new empty database (no migrations), for tests of the migration runner; the caller owns it.
    public func createEmptyDatabase() async throws -> DatabaseURL {
        let server = try await serverStarted()
        counter += 1
        let name = "\(server.prefix)_empty_\(counter)"
        try await execute("CREATE DATABASE \(EmbeddedCluster.quoteIdentifier(name)) TEMPLATE template0", on: server.admin)
        var url = server.admin
        url.database = name
        return url
    }

    public func drop(_ database: String) async throws {
        let server = try await serverStarted()
        try await execute("DROP DATABASE IF EXISTS \(EmbeddedCluster.quoteIdentifier(database)) WITH (FORCE)", on: server.admin)
    }

    /// Loading 5,000 objects and the demo's draws takes seconds: done once, then cloned like the other templates.
    private func sampleTemplateMade() async throws -> String {
        if let sampleTemplate { return try await sampleTemplate.value }
        let server = try await serverStarted()
        let logger = self.logger
        let task = Task {
            let name = "\(server.prefix)_sample"
            try await Self.execute(
                "CREATE DATABASE \(EmbeddedCluster.quoteIdentifier(name)) TEMPLATE \(EmbeddedCluster.quoteIdentifier(server.demoTemplate))",
                on: server.admin, logger: logger
            )
            var url = server.admin
            url.database = name
            try await withClient(url, logger: logger) { client in
                try await DemoCounty.loadSampleData(
                    client: client, personalData: Self.personalData(client), clock: SystemClock(), logger: logger)
            }
            return name
        }
        sampleTemplate = task
        return try await task.value
    }

    private func serverStarted() async throws -> Server {
        if let server { return try await server.value }
        let logger = self.logger
        let task = Task { try await Self.start(logger: logger) }
        server = task
        return try await task.value
    }

    private static func start(logger: Logger) async throws -> Server {
        let prefix = "yiye_t\(getpid())"
        let admin: DatabaseURL
        if let text = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !text.isEmpty {
            admin = try DatabaseURL(text)
        } else {
            sweepAbandonedClusters(logger: logger)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("yiye-test-\(getpid())")
            // Many suites run at once, each with an application holding its pool and listening connection.
            let cluster = try EmbeddedCluster(
                dataDirectory: directory, durable: false, maxConnections: 1000,
                statementStatistics: true, logger: logger)
            try await cluster.start()
            ClusterCleanup.register(cluster)
            admin = DatabaseURL(endpoint: .unixSocket(path: cluster.socketPath), username: EmbeddedCluster.superuser, database: "postgres")
        }
        let template = "\(prefix)_template"
        let demoTemplate = "\(prefix)_demo"
        for name in [template, demoTemplate, "\(prefix)_sample"] {
            try await execute("DROP DATABASE IF EXISTS \(EmbeddedCluster.quoteIdentifier(name))", on: admin, logger: logger)
        }
        try await execute("CREATE DATABASE \(EmbeddedCluster.quoteIdentifier(template))", on: admin, logger: logger)
        var templateURL = admin
        templateURL.database = template
        let migrations = try Migration.load(from: Migration.defaultDirectory())
        _ = try await withClient(templateURL, logger: logger) { client in
            try await MigrationRunner(migrations: migrations, logger: logger).apply(using: client)
        }
        try await execute(
            "CREATE DATABASE \(EmbeddedCluster.quoteIdentifier(demoTemplate)) TEMPLATE \(EmbeddedCluster.quoteIdentifier(template))",
            on: admin, logger: logger
        )
        var demoURL = admin
        demoURL.database = demoTemplate
        // As the application role, the way the server loads it.
        try await withTemporaryClient(demoURL.configuration.actingAsApplication, logger: logger) { client in
            try await DemoCounty.load(client: client, password: demoPassword, logger: logger)
        }
        return Server(admin: admin, template: template, demoTemplate: demoTemplate, prefix: prefix)
    }

    private func execute(_ sql: String, on url: DatabaseURL) async throws {
        try await Self.execute(sql, on: url, logger: logger)
    }

    private static func execute(_ sql: String, on url: DatabaseURL, logger: Logger) async throws {
        try await withClient(url, logger: logger) { client in
            // Database names are generated by this type and quoted; DDL takes no bind parameters.
            _ = try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }
}

/// A logger for tests that shows only errors.
public let quietLogger: Logger = {
    var logger = Logger(label: "yiye.test")
    logger.logLevel = .error
    return logger
}()

/// Runs `body` with a short-lived connection pool to `url`, with the URL user's own rights.
public func withClient<T: Sendable>(
    _ url: DatabaseURL, logger: Logger = quietLogger,
    _ body: @Sendable (PostgresClient) async throws -> T
) async throws -> T {
    try await withTemporaryClient(url.configuration, logger: logger, body)
}

/// Stops and removes the clusters (and keys) of earlier test processes that died without cleaning up, e.g. on a
/// crash, where `atexit` never ran.
private func sweepAbandonedClusters(logger: Logger) {
    let temporary = FileManager.default.temporaryDirectory
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
    for entry in entries where entry.hasPrefix("yiye-test-") {
        guard let pid = Int32(entry.dropFirst("yiye-test-".count).prefix { $0.isNumber }), pid != getpid() else { continue }
        // kill(pid, 0) fails with ESRCH only when no such process exists.
        guard kill(pid, 0) != 0, errno == ESRCH else { continue }
        let url = temporary.appendingPathComponent(entry)
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("pgdata").path) {
            (try? EmbeddedCluster(dataDirectory: url, durable: false, logger: logger))?.stop()
        }
        try? FileManager.default.removeItem(at: url)
    }
}

/// Stops the test cluster when the test process exits.
private enum ClusterCleanup {
    nonisolated(unsafe) static var cluster: EmbeddedCluster?

    static func register(_ cluster: EmbeddedCluster) {
        Self.cluster = cluster
        atexit {
            guard let cluster = ClusterCleanup.cluster else { return }
            cluster.stop()
            try? FileManager.default.removeItem(at: cluster.dataDirectory)
            try? FileManager.default.removeItem(at: TestDatabase.auditKeyURL)
        }
    }
}
