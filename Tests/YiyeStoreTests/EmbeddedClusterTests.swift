import Foundation
import Logging
import PostgresNIO
import Testing
import YiyeTestSupport

@testable import YiyeStore

@Suite("Embedded PostgreSQL cluster", .serialized)
struct EmbeddedClusterTests {
    let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return logger
    }()

    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("yiye-cluster-test-\(UUID().uuidString.prefix(8))")
    }

    func answers(_ cluster: EmbeddedCluster) async throws -> Bool {
        let url = DatabaseURL(
            endpoint: .unixSocket(path: cluster.socketPath), username: EmbeddedCluster.superuser, database: EmbeddedCluster.databaseName)
        return try await withClient(url, logger: logger) { client async throws in
            try await client.query("SELECT 1").collect().count == 1
        }
    }

    @Test("initializes once, serves on a socket only, stops, and starts again with its data")
    func lifecycle() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cluster = try EmbeddedCluster(dataDirectory: directory, durable: false, logger: logger)
        try await cluster.start()
        #expect(try await answers(cluster))
        let settings = try String(contentsOf: cluster.pgdata.appendingPathComponent("yiye.conf"), encoding: .utf8)
        #expect(settings.contains("listen_addresses = ''"))
        let url = DatabaseURL(
            endpoint: .unixSocket(path: cluster.socketPath), username: EmbeddedCluster.superuser, database: EmbeddedCluster.databaseName)
        try await withClient(url, logger: logger) { client async throws in
            _ = try await client.query("CREATE TABLE kept (x int)")
        }
        cluster.stop()
        #expect(!FileManager.default.fileExists(atPath: cluster.pgdata.appendingPathComponent("postmaster.pid").path))

        let again = try EmbeddedCluster(dataDirectory: directory, durable: false, logger: logger)
        try await again.start()
        defer { again.stop() }
        try await withClient(url, logger: logger) { client async throws in
            #expect(try await client.query("SELECT count(*) FROM kept").collect().count == 1)
        }
    }

    @Test("a cluster left running by a killed yiye is taken over on the next start")
    func survivesKilledOwner() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try EmbeddedCluster(dataDirectory: directory, durable: false, logger: logger)
        try await first.start()
        // What kill -9 leaves: the postmaster still runs and the lock is gone with the process.
        first.releaseLockForTesting()

        let second = try EmbeddedCluster(dataDirectory: directory, durable: false, logger: logger)
        try await second.start()
        defer { second.stop() }
        #expect(try await answers(second))
    }

    @Test("a stale postmaster.pid from a crashed server does not block the start")
    func stalePidFile() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cluster = try EmbeddedCluster(dataDirectory: directory, durable: false, logger: logger)
        try await cluster.start()
        cluster.stop()
        // A pid file naming a process that does not exist, as after a power loss.
        try "999999\n\(cluster.pgdata.path)\n".write(
            to: cluster.pgdata.appendingPathComponent("postmaster.pid"), atomically: true, encoding: .utf8)
        let restarted = try EmbeddedCluster(dataDirectory: directory, durable: false, logger: logger)
        try await restarted.start()
        defer { restarted.stop() }
        #expect(try await answers(restarted))
    }

    @Test(
        "as root, a data directory in a folder PostgreSQL's user cannot enter (a clone in /root) still starts, its cluster kept where the data directory links to",
        .enabled(if: geteuid() == 0 && getpwnam("postgres") != nil))
    func rootHome() async throws {
        let home = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let directory = home.appendingPathComponent("yiye/.yiye")
        let cluster = try EmbeddedCluster(dataDirectory: directory, durable: false, logger: logger)
        defer { try? FileManager.default.removeItem(at: cluster.clusterHome) }
        #expect(cluster.clusterHome.path.hasPrefix(EmbeddedCluster.relocatedClusters.path + "/yiye-"))
        try await cluster.start()
        #expect(try await answers(cluster))
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: directory.appendingPathComponent("cluster").path)
        #expect(link == cluster.clusterHome.path)
        // The home stays closed: nothing above the data directory was opened up.
        #expect(try FileManager.default.attributesOfItem(atPath: home.path)[.posixPermissions] as? Int == 0o700)
        cluster.stop()

        let again = try EmbeddedCluster(dataDirectory: directory, durable: false, logger: logger)
        #expect(again.clusterHome.path == cluster.clusterHome.path)
        try await again.start()
        defer { again.stop() }
        #expect(try await answers(again))
    }

    @Test("a second yiye on the same data directory is refused while the first runs")
    func exclusive() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try EmbeddedCluster(dataDirectory: directory, durable: false, logger: logger)
        try await first.start()
        defer { first.stop() }
        let second = try EmbeddedCluster(dataDirectory: directory, durable: false, logger: logger)
        await #expect {
            try await second.start()
        } throws: { error in
            guard case EmbeddedClusterError.dataDirectoryInUse = error else { return false }
            return true
        }
        #expect(try await answers(first))
    }
}

@Suite("Finding the PostgreSQL binaries")
struct PostgresBinariesTests {
    @Test("this machine's binaries are found")
    func found() throws {
        let binaries = try PostgresBinaries.locate()
        #expect(FileManager.default.isExecutableFile(atPath: binaries.directory.appendingPathComponent("initdb").path))
    }

    @Test("without binaries, one line tells the user what to install")
    func missing() {
        #expect {
            try PostgresBinaries.locate(pgConfig: "no-such-pg_config", debianRoot: "/nonexistent")
        } throws: { error in
            guard case EmbeddedClusterError.binariesMissing = error else { return false }
            let text = String(describing: error)
            return text.contains("apt-get install -y postgresql") && !text.contains("\n")
        }
    }
}
