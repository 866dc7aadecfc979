import Foundation
import Logging
import PostgresNIO
import YiyeCore

#if canImport(Glibc)
    import Glibc
#endif

/// `yiye backup` and `yiye restore`: one tar archive holding a consistent `pg_dump` of the database (one snapshot),
/// the audit signing key, the personal-data master key, the evidence files, and `MANIFEST.sm3` listing each with its SM3 (`BackupManifest`). A
/// restore checks every file against the manifest before it writes anything, and writes only into an empty database,
/// a key path that does not exist and an empty evidence directory.
///
/// The archive holds the audit trail's private signing key and the master key that opens the personal data in the
/// dump: keep it as those keys themselves are kept.
public struct BackupArchive: Sendable {
    /// The database as its owner, and where the key and the evidence files are.
    public var database: DatabaseURL
    public var auditKey: URL
    public var personalDataKey: URL
    public var evidence: URL
    let logger: Logger

    public init(database: DatabaseURL, auditKey: URL, personalDataKey: URL, evidence: URL, logger: Logger) {
        self.database = database
        self.auditKey = auditKey
        self.personalDataKey = personalDataKey
        self.evidence = evidence
        self.logger = logger
    }

    static let dumpName = "database.pgdump"
    static let keyName = "audit-sm2-key.pem"
    static let personalDataKeyName = "personal-data-sm4.key"
    static let evidenceFolder = "evidence"

    /// What went into, or came out of, an archive.
    public struct Summary: Sendable {
        public var databaseBytes: Int64
        public var evidenceFiles: Int
        public var manifestDigest: String
    }

    /// Writes the archive to `file` (replacing it only once it is whole).
    public func create(_ file: URL) throws -> Summary {
        let staging = try Self.scratch("backup")
        defer { try? FileManager.default.removeItem(at: staging) }
        try withLibpqEnvironment {
            try run("pg_dump", ["--format=custom", "--no-owner", "--file", staging.appendingPathComponent(Self.dumpName).path])
        }
        try FileManager.default.copyItem(at: auditKey, to: staging.appendingPathComponent(Self.keyName))
        // A database that never served since sealing began has no master key yet, nor anything it would open.
        if FileManager.default.fileExists(atPath: personalDataKey.path) {
            try FileManager.default.copyItem(at: personalDataKey, to: staging.appendingPathComponent(Self.personalDataKeyName))
        }
        let evidenceCopy = staging.appendingPathComponent(Self.evidenceFolder)
        try FileManager.default.createDirectory(at: evidenceCopy, withIntermediateDirectories: true)
        for path in Self.files(under: evidence) where !path.hasPrefix("tmp/") {
            let target = evidenceCopy.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: evidence.appendingPathComponent(path), to: target)
        }
        let entries = try Self.files(under: staging).map { try Self.entry(staging, $0) }
        let manifest = BackupManifest(entries: entries)
        try manifest.text.write(to: staging.appendingPathComponent(BackupManifest.fileName), atomically: true, encoding: .utf8)
        let partial = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).partial")
        try run("tar", ["-cf", partial.path, "-C", staging.path, "."])
        chmod(partial.path, 0o600)
        guard rename(partial.path, file.path) == 0 else {
            throw EmbeddedClusterError.commandFailed(
                command: "rename \(partial.path)", status: errno, output: String(cString: strerror(errno)))
        }
        return Summary(
            databaseBytes: entries.first { $0.path == Self.dumpName }?.size ?? 0,
            evidenceFiles: entries.filter { $0.path.hasPrefix(Self.evidenceFolder + "/") }.count,
            manifestDigest: SM3.hex(manifest.text))
    }

    /// Restores `file` into the empty database, key path and evidence directory.
    public func restore(_ file: URL) async throws -> Summary {
        let staging = try Self.scratch("restore")
        defer { try? FileManager.default.removeItem(at: staging) }
        do {
            try run("tar", ["-xf", file.path, "-C", staging.path])
        } catch {
            throw BackupError.damaged("无法解开归档（不是 yiye backup 生成的 tar 文件，或已截断）")
        }
        let manifestFile = staging.appendingPathComponent(BackupManifest.fileName)
        guard let text = try? String(contentsOf: manifestFile, encoding: .utf8) else {
            throw BackupError.damaged("缺少清单 \(BackupManifest.fileName)")
        }
        let manifest = try BackupManifest(text: text)
        try manifest.check(try Self.files(under: staging).filter { $0 != BackupManifest.fileName }.map { try Self.entry(staging, $0) })

        if FileManager.default.fileExists(atPath: auditKey.path) { throw BackupError.targetNotEmpty("审计签名密钥 \(auditKey.path) 已存在") }
        if FileManager.default.fileExists(atPath: personalDataKey.path) {
            throw BackupError.targetNotEmpty("个人信息主密钥 \(personalDataKey.path) 已存在")
        }
        if !Self.files(under: evidence).isEmpty { throw BackupError.targetNotEmpty("证据目录 \(evidence.path) 中已有文件") }
        try await withTemporaryClient(database.configuration, logger: logger) { client in
            let used =
                try await client.query("SELECT to_regclass('public.schema_migrations') IS NOT NULL", logger: logger)
                .decode(Bool.self).all().first ?? true
            if used { throw BackupError.targetNotEmpty("数据库 \(database.database) 中已有 yiye 的表") }
            // The application's role is the cluster's, not the database's: made as the first migrations make it.
            _ = try await client.query(
                """
                DO $$ BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yiye_app') THEN CREATE ROLE yiye_app NOLOGIN; END IF;
                    EXECUTE format('GRANT yiye_app TO %I', current_user);
                END $$
                """, logger: logger)
        }
        try withLibpqEnvironment {
            try run(
                "pg_restore",
                [
                    "--no-owner", "--exit-on-error", "--single-transaction", "--dbname", database.database,
                    staging.appendingPathComponent(Self.dumpName).path,
                ])
        }
        try FileManager.default.createDirectory(at: auditKey.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: staging.appendingPathComponent(Self.keyName), to: auditKey)
        chmod(auditKey.path, 0o600)
        let archivedKey = staging.appendingPathComponent(Self.personalDataKeyName)
        if FileManager.default.fileExists(atPath: archivedKey.path) {
            try FileManager.default.createDirectory(at: personalDataKey.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: archivedKey, to: personalDataKey)
            chmod(personalDataKey.path, 0o600)
        }
        let evidenceCopy = staging.appendingPathComponent(Self.evidenceFolder)
        let restored = Self.files(under: evidenceCopy)
        for path in restored {
            let target = evidence.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: evidenceCopy.appendingPathComponent(path), to: target)
        }
        return Summary(
            databaseBytes: manifest.entries.first { $0.path == Self.dumpName }?.size ?? 0, evidenceFiles: restored.count,
            manifestDigest: SM3.hex(text))
    }

    // MARK: - Helpers

    /// Runs a PostgreSQL client program (pg_dump, pg_restore) from the server's binaries, or a command on PATH.
    private func run(_ program: String, _ arguments: [String]) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("yiye-\(program)-\(getpid()).log")
        defer { try? FileManager.default.removeItem(at: log) }
        var executable = URL(fileURLWithPath: "/usr/bin/env")
        var argv = [program] + arguments
        if program.hasPrefix("pg_"), let binaries = try? PostgresBinaries.locate() {
            executable = binaries.directory.appendingPathComponent(program)
            argv = arguments
        }
        try CommandRunner(user: nil).run(executable, argv, outputFile: log)
    }

    /// libpq's connection settings for the database, in the environment of the programs `body` runs (a password never
    /// on a command line).
    private func withLibpqEnvironment(_ body: () throws -> Void) throws {
        var settings = [
            "PGUSER": database.username, "PGDATABASE": database.database,
            "PGSSLMODE": database.tls == .disable ? "disable" : database.tls == .prefer ? "prefer" : "require",
        ]
        switch database.endpoint {
        case .unixSocket(let path):
            let socket = URL(fileURLWithPath: path)
            settings["PGHOST"] = socket.deletingLastPathComponent().path
            settings["PGPORT"] = socket.lastPathComponent.split(separator: ".").last.map(String.init) ?? "5432"
        case .tcp(let host, let port):
            settings["PGHOST"] = host
            settings["PGPORT"] = String(port)
        }
        if let password = database.password { settings["PGPASSWORD"] = password }
        for (name, value) in settings { setenv(name, value, 1) }
        defer { for name in settings.keys { unsetenv(name) } }
        try body()
    }

    private static func scratch(_ purpose: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("yiye-\(purpose)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return directory
    }

    /// Every regular file under `root`, as a path relative to it, in order.
    static func files(under root: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        let base = root.standardizedFileURL.path + "/"
        var found: [String] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = url.standardizedFileURL.path
            if path.hasPrefix(base) { found.append(String(path.dropFirst(base.count))) }
        }
        return found.sorted()
    }

    /// A file's manifest entry, hashed as it is read in 1 MiB parts.
    static func entry(_ root: URL, _ path: String) throws -> BackupManifest.Entry {
        let handle = try FileHandle(forReadingFrom: root.appendingPathComponent(path))
        defer { try? handle.close() }
        let hasher = SM3Hasher()
        var size: Int64 = 0
        while let part = try handle.read(upToCount: 1 << 20), !part.isEmpty {
            hasher.update(part)
            size += Int64(part.count)
        }
        return BackupManifest.Entry(path: path, digest: hasher.finalize(), size: size)
    }
}
