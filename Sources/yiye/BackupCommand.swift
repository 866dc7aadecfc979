import ArgumentParser
import Foundation
import Logging
import YiyeAPI
import YiyeCore
import YiyeStore

/// `yiye backup FILE`: the database (one consistent pg_dump), the audit signing key, the personal-data master key and
/// the evidence files in one
/// archive with an SM3 manifest. Works while `serve` runs on the same embedded data directory (through its socket).
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write the database, the audit and personal-data keys and the evidence files to one archive with an SM3 manifest.")

    @Argument(help: "The archive to write (a tar file).")
    var file: String

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = commandLogger("yiye.backup")
        try await reportingFailures {
            let summary = try await database.withOwnerURL(logger: logger, runningServerAllowed: true) { url in
                try BackupArchive(
                    database: url, auditKey: database.auditKeyURL(), personalDataKey: database.personalDataKeyURL(),
                    evidence: database.evidenceDirectoryURL(), logger: logger
                )
                .create(URL(fileURLWithPath: file))
            }
            print("backup written: \(file); database dump \(summary.databaseBytes) bytes; evidence files \(summary.evidenceFiles)")
            print("manifest SM3 \(summary.manifestDigest)")
        }
    }
}

/// `yiye restore FILE`: checks the archive against its manifest, then restores it into an empty database (a new
/// embedded data directory, or an empty external database), key path and evidence directory.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore an archive of yiye backup into an empty data directory or database.")

    @Argument(help: "The archive written by yiye backup.")
    var file: String

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = commandLogger("yiye.restore")
        try await reportingFailures {
            let summary = try await database.withOwnerURL(logger: logger, runningServerAllowed: false) { url in
                try await BackupArchive(
                    database: url, auditKey: database.auditKeyURL(), personalDataKey: database.personalDataKeyURL(),
                    evidence: database.evidenceDirectoryURL(), logger: logger
                ).restore(URL(fileURLWithPath: file))
            }
            print(
                "restored: database dump \(summary.databaseBytes) bytes; evidence files \(summary.evidenceFiles); manifest SM3 \(summary.manifestDigest)"
            )
            print("check it with: yiye audit verify (with the same database options)")
        }
    }
}

extension DatabaseOptions {
    /// Runs `body` with the database's URL as its owner: the given URL, or the embedded cluster's socket, starting the
    /// cluster (and stopping it after) unless a server already runs it and `runningServerAllowed`.
    func withOwnerURL<T: Sendable>(
        logger: Logger, runningServerAllowed: Bool, _ body: (DatabaseURL) async throws -> T
    ) async throws -> T {
        switch try source() {
        case .url(let url):
            return try await body(url)
        case .embedded(let dataDirectory):
            let cluster = try EmbeddedCluster(dataDirectory: dataDirectory, logger: logger)
            var started = false
            do {
                try await cluster.start()
                started = true
            } catch EmbeddedClusterError.dataDirectoryInUse where runningServerAllowed {
                // yiye serve holds the cluster: reach it through its socket.
            }
            defer { if started { cluster.stop() } }
            return try await body(
                DatabaseURL(
                    endpoint: .unixSocket(path: cluster.socketPath), username: EmbeddedCluster.superuser,
                    database: EmbeddedCluster.databaseName))
        }
    }
}
