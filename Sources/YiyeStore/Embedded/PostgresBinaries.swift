import Foundation

/// Where the PostgreSQL server programs (`initdb`, `pg_ctl`, `postgres`) live on this machine.
public struct PostgresBinaries: Sendable {
    public var directory: URL

    /// Finds the binaries through `pg_config --bindir`, else the newest `<debianRoot>/*/bin`.
    public static func locate(
        pgConfig: String = "pg_config", debianRoot: String = "/usr/lib/postgresql"
    ) throws(EmbeddedClusterError) -> PostgresBinaries {
        var candidates: [URL] = []
        if let bindir = try? CommandRunner.output(of: pgConfig, ["--bindir"]) {
            candidates.append(URL(fileURLWithPath: bindir.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: debianRoot)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            candidates.append(URL(fileURLWithPath: "\(debianRoot)/\(version)/bin"))
        }
        for directory in candidates {
            let binaries = PostgresBinaries(directory: directory)
            if binaries.isComplete { return binaries }
        }
        throw .binariesMissing
    }

    var initdb: URL { directory.appendingPathComponent("initdb") }
    var pgCtl: URL { directory.appendingPathComponent("pg_ctl") }
    var postgres: URL { directory.appendingPathComponent("postgres") }

    private var isComplete: Bool {
        [initdb, pgCtl, postgres].allSatisfy { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}

/// Why the embedded cluster could not be used.
public enum EmbeddedClusterError: Error, CustomStringConvertible {
    case binariesMissing
    case dataDirectoryInUse(String)
    case commandFailed(command: String, status: Int32, output: String)
    case noUnprivilegedUser
    case unreachable(directory: String, user: String)

    public var description: String {
        switch self {
        case .binariesMissing:
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install them (Debian/Ubuntu: apt-get install -y postgresql libpq-dev), or pass --database-url to use an existing server."
        case .dataDirectoryInUse(let path):
            "the data directory \(path) is in use by another yiye process; stop it or pass --data-dir."
        case .commandFailed(let command, let status, let output):
            "\(command) exited with status \(status): \(output.suffix(2000))"
        case .unreachable(let directory, let user):
            "PostgreSQL runs as the user '\(user)', who cannot enter \(directory): allow it (chmod o+x \(directory)) or choose another --data-dir."
        case .noUnprivilegedUser:
            "running as root, but neither a 'postgres' nor a 'nobody' user exists to run PostgreSQL as; create one or run yiye as a normal user."
        }
    }
}
