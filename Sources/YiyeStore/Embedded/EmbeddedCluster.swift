import Foundation
import Logging
import PostgresNIO
import YiyeCore

#if canImport(Glibc)
    import Glibc
#endif

/// A private PostgreSQL cluster under a data directory, reachable only through a unix socket in that directory.
///
/// Layout of the data directory: `pgdata/` (the cluster), `run/` (the socket), `log/` (server and command output),
/// `yiye.lock` (held while a yiye process uses the cluster, so a second one fails fast and a killed one leaves no
/// lock behind).
///
/// Run as root, PostgreSQL runs as `postgres` (or `nobody`), who must pass through every folder above its cluster. A
/// data directory in a home that user cannot enter (root's `/root`, mode 0700: a clone there on a fresh machine) keeps
/// its lock, key and evidence, while `pgdata/`, `run/` and `log/` go to `/var/lib/yiye/clusters/<name>`, named after the
/// data directory's path and linked from it as `cluster`; the start says where.
public final class EmbeddedCluster: @unchecked Sendable {
    /// The database yiye uses inside the cluster.
    public static let databaseName = "yiye"
    /// The cluster's superuser, created by initdb.
    public static let superuser = "yiye"

    public let dataDirectory: URL
    /// Where `pgdata/`, `run/` and `log/` are: the data directory, or the folder it is linked to as `cluster`.
    public let clusterHome: URL
    /// fsync and synchronous commit off: only for throwaway test clusters.
    public let durable: Bool
    public let maxConnections: Int
    /// pg_stat_statements loaded: tests count the statements a request costs.
    public let statementStatistics: Bool
    private let binaries: PostgresBinaries
    private let runner: CommandRunner
    private let logger: Logger
    private var lockDescriptor: Int32 = -1

    /// Prepares (but does not start) the cluster in `dataDirectory`.
    /// `maxConnections` bounds the server's client connections: each yiye instance holds a pool and a listening
    /// connection; a test process runs many instances at once.
    public init(
        dataDirectory: URL, durable: Bool = true, maxConnections: Int = 200, statementStatistics: Bool = false,
        logger: Logger
    ) throws {
        self.dataDirectory = dataDirectory.standardizedFileURL
        self.durable = durable
        self.maxConnections = maxConnections
        self.statementStatistics = statementStatistics
        self.logger = logger
        self.binaries = try PostgresBinaries.locate()
        self.runner = CommandRunner(user: try Self.unprivilegedUser())
        self.clusterHome = Self.clusterHome(of: self.dataDirectory, serverUser: runner.user)
    }

    /// Where root's clusters go when their data directory is out of the server user's reach.
    static let relocatedClusters = URL(fileURLWithPath: "/var/lib/yiye/clusters")

    var pgdata: URL { clusterHome.appendingPathComponent("pgdata") }
    var logDirectory: URL { clusterHome.appendingPathComponent("log") }
    var clusterLink: URL { dataDirectory.appendingPathComponent("cluster") }

    /// The socket directory: inside the cluster's home unless that path is too long for a unix socket address.
    public var socketDirectory: URL {
        let preferred = clusterHome.appendingPathComponent("run")
        if preferred.path.utf8.count + "/.s.PGSQL.5432".utf8.count < 100 { return preferred }
        return URL(fileURLWithPath: "/tmp/yiye-\(SM3.hex(dataDirectory.path).prefix(16))")
    }

    /// The socket file's path, as PostgresNIO wants it.
    public var socketPath: String { socketDirectory.appendingPathComponent(".s.PGSQL.5432").path }

    /// How to reach `database` in this cluster.
    public func configuration(database: String = EmbeddedCluster.databaseName) -> PostgresClient.Configuration {
        PostgresClient.Configuration(unixSocketPath: socketPath, username: Self.superuser, password: nil, database: database)
    }

    /// Initializes the cluster if needed, starts it, and creates the yiye database.
    ///
    /// A cluster left running by a yiye that was killed is stopped and started again, so that it runs with this
    /// start's settings; a stale `postmaster.pid` is removed (we hold the data directory's lock, so nobody else
    /// can be using it).
    public func start() async throws {
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        try acquireLock()
        try prepareClusterHome()
        for directory in [pgdata, socketDirectory, logDirectory] {
            try prepareOwnedDirectory(directory)
        }
        if !FileManager.default.fileExists(atPath: pgdata.appendingPathComponent("PG_VERSION").path) {
            try initialize()
        }
        try writeSettings()
        if isRunning() {
            logger.notice("a PostgreSQL left running by an earlier yiye was found; restarting it")
            try runner.run(binaries.pgCtl, ["stop", "-D", pgdata.path, "-m", "fast", "-w"], outputFile: commandLog)
        }
        removeStaleLockFiles()
        try runner.run(
            binaries.pgCtl,
            ["start", "-D", pgdata.path, "-l", logDirectory.appendingPathComponent("postgres.log").path, "-w", "-t", "60"],
            outputFile: commandLog
        )
        logger.info("embedded PostgreSQL started", metadata: ["socket": "\(socketPath)"])
        try await createDatabase(Self.databaseName)
    }

    /// Stops the cluster (fast shutdown: running transactions are rolled back) and releases the data directory.
    public func stop() {
        do {
            if isRunning() {
                try runner.run(binaries.pgCtl, ["stop", "-D", pgdata.path, "-m", "fast", "-w"], outputFile: commandLog)
                logger.info("embedded PostgreSQL stopped")
            }
        } catch {
            logger.error("could not stop the embedded PostgreSQL", metadata: ["error": "\(String(reflecting: error))"])
        }
        releaseLock()
    }

    /// Creates `name` in the cluster unless it exists.
    public func createDatabase(_ name: String, template: String? = nil) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: .init(unixSocketPath: socketPath, username: Self.superuser, password: nil, database: "postgres"),
            id: 0,
            logger: logger
        )
        defer { Task { try? await connection.close() } }
        let exists =
            try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(name)", logger: logger)
            .collect().isEmpty == false
        if exists { return }
        // CREATE DATABASE takes no bind parameters; both names are quoted as identifiers.
        var sql = "CREATE DATABASE \(Self.quoteIdentifier(name))"
        if let template { sql += " TEMPLATE \(Self.quoteIdentifier(template))" }
        _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    /// `name` as a double-quoted SQL identifier.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - Steps

    private var commandLog: URL { logDirectory.appendingPathComponent("last-command.log") }

    private func initialize() throws {
        // A half-made cluster from an interrupted initdb cannot be resumed.
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: pgdata.path)) ?? []
        for entry in leftovers { try FileManager.default.removeItem(at: pgdata.appendingPathComponent(entry)) }
        logger.notice("initializing a private PostgreSQL cluster", metadata: ["path": "\(pgdata.path)"])
        try runner.run(
            binaries.initdb,
            ["-D", pgdata.path, "-U", Self.superuser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-instructions"],
            outputFile: commandLog
        )
        let conf = pgdata.appendingPathComponent("postgresql.conf")
        let handle = try FileHandle(forWritingTo: conf)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\ninclude_if_exists = 'yiye.conf'\n".utf8))
        try handle.close()
    }

    /// Settings rewritten at every start, so a moved data directory still finds its socket.
    private func writeSettings() throws {
        var lines = [
            "# Written by yiye at every start; edits here are lost.",
            "listen_addresses = ''",
            "unix_socket_directories = '\(socketDirectory.path.replacingOccurrences(of: "'", with: "''"))'",
            "unix_socket_permissions = 0700",
            "max_connections = \(maxConnections)",
        ]
        if !durable {
            lines += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
        }
        if statementStatistics {
            // Room for every distinct statement of a whole test run (all suites share the cluster), so that none a
            // test counts is evicted while it counts.
            lines += [
                "shared_preload_libraries = 'pg_stat_statements'", "pg_stat_statements.track = all", "pg_stat_statements.max = 50000",
            ]
        }
        let file = pgdata.appendingPathComponent("yiye.conf")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: false, encoding: .utf8)
        try chown(file)
    }

    private func isRunning() -> Bool {
        // pg_ctl status exits 0 when the postmaster named in postmaster.pid is alive, 3 when not.
        (try? runner.run(binaries.pgCtl, ["status", "-D", pgdata.path], outputFile: commandLog)) != nil
    }

    private func removeStaleLockFiles() {
        let stale = [
            pgdata.appendingPathComponent("postmaster.pid"),
            socketDirectory.appendingPathComponent(".s.PGSQL.5432.lock"),
            socketDirectory.appendingPathComponent(".s.PGSQL.5432"),
        ]
        for file in stale where FileManager.default.fileExists(atPath: file.path) {
            logger.notice("removing a stale PostgreSQL lock file", metadata: ["path": "\(file.path)"])
            try? FileManager.default.removeItem(at: file)
        }
    }

    // MARK: - Ownership and locking

    private func prepareOwnedDirectory(_ directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
        try chown(directory)
    }

    /// Hands a path to the unprivileged user when running as root.
    private func chown(_ url: URL) throws {
        guard let user = runner.user, let account = getpwnam(user) else { return }
        guard Glibc.chown(url.path, account.pointee.pw_uid, account.pointee.pw_gid) == 0 else {
            throw EmbeddedClusterError.commandFailed(command: "chown \(url.path)", status: errno, output: String(cString: strerror(errno)))
        }
    }

    /// The cluster's home: the data directory, unless it was linked elsewhere before or the server's user cannot
    /// pass through a folder above it (then a folder of its own under `relocatedClusters`).
    static func clusterHome(of dataDirectory: URL, serverUser: String?) -> URL {
        let link = dataDirectory.appendingPathComponent("cluster")
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link.path) {
            return URL(fileURLWithPath: target)
        }
        guard let serverUser, blockedAncestor(of: dataDirectory, for: serverUser) != nil else { return dataDirectory }
        let name = dataDirectory.lastPathComponent.filter { $0 != "." }
        return relocatedClusters.appendingPathComponent("\(name)-\(SM3.hex(dataDirectory.path).prefix(12))")
    }

    /// The first existing folder above `directory` (itself excluded) that `user` cannot pass through, if any.
    static func blockedAncestor(of directory: URL, for user: String) -> URL? {
        guard let account = getpwnam(user) else { return nil }
        let uid = account.pointee.pw_uid
        let gid = account.pointee.pw_gid
        var folder = directory.deletingLastPathComponent()
        while true {
            var info = stat()
            if stat(folder.path, &info) == 0 {
                let bit: mode_t = info.st_uid == uid ? 0o100 : info.st_gid == gid ? 0o010 : 0o001
                if info.st_mode & bit == 0 { return folder }
            }
            if folder.path == "/" { return nil }
            folder.deleteLastPathComponent()
        }
    }

    /// As root, the server runs as another user, who must be able to pass through every folder above the cluster:
    /// the cluster's home is ours to open (0711: passable, not listable); a relocated home is made, linked from the
    /// data directory and announced; a home still out of reach (a `--data-dir` under a closed folder on purpose, say)
    /// is reported rather than its parents changed.
    private func prepareClusterHome() throws {
        guard let user = runner.user else { return }
        let relocated = clusterHome.path != dataDirectory.path
        if relocated, !FileManager.default.fileExists(atPath: clusterHome.path) {
            try FileManager.default.createDirectory(at: clusterHome, withIntermediateDirectories: true)
            chmod(clusterHome.deletingLastPathComponent().path, 0o711)
            chmod(clusterHome.deletingLastPathComponent().deletingLastPathComponent().path, 0o711)
        }
        if relocated, (try? FileManager.default.destinationOfSymbolicLink(atPath: clusterLink.path)) == nil {
            try FileManager.default.createSymbolicLink(at: clusterLink, withDestinationURL: clusterHome)
        }
        if relocated {
            logger.notice(
                "PostgreSQL runs as '\(user)', who cannot enter the data directory's folders; its cluster is kept outside them",
                metadata: ["cluster": "\(clusterHome.path)", "link": "\(clusterLink.path)"])
        }
        var mode = stat()
        if stat(clusterHome.path, &mode) == 0, mode.st_mode & 0o001 == 0 {
            chmod(clusterHome.path, (mode.st_mode & 0o7777) | 0o011)
        }
        if let blocked = Self.blockedAncestor(of: clusterHome, for: user) {
            throw EmbeddedClusterError.unreachable(directory: blocked.path, user: user)
        }
    }

    private func acquireLock() throws {
        let path = dataDirectory.appendingPathComponent("yiye.lock").path
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw EmbeddedClusterError.commandFailed(command: "open \(path)", status: errno, output: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw EmbeddedClusterError.dataDirectoryInUse(dataDirectory.path)
        }
        lockDescriptor = descriptor
    }

    /// Drops the data directory lock without stopping the server: what a killed yiye leaves behind.
    func releaseLockForTesting() {
        releaseLock()
    }

    private func releaseLock() {
        guard lockDescriptor >= 0 else { return }
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
        lockDescriptor = -1
    }

    private static func unprivilegedUser() throws(EmbeddedClusterError) -> String? {
        guard geteuid() == 0 else { return nil }
        for candidate in ["postgres", "nobody"] where getpwnam(candidate) != nil {
            return candidate
        }
        throw .noUnprivilegedUser
    }
}
