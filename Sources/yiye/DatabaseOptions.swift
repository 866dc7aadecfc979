import ArgumentParser
import Foundation
import YiyeAPI
import YiyeStore

/// The database options every command that touches the database takes.
struct DatabaseOptions: ParsableArguments {
    @Option(
        help:
            "PostgreSQL URL, e.g. postgres://yiye:secret@db:5432/yiye (env DATABASE_URL). Without it, a private cluster runs under --data-dir."
    )
    var databaseURL: String?

    @Option(help: "Directory of the embedded PostgreSQL cluster (env YIYE_DATA_DIR; default ./.yiye).")
    var dataDir: String?

    @Option(
        help:
            "SM2 key file that signs audit checkpoints, created on first start (env YIYE_AUDIT_KEY; default <data-dir>/audit-sm2-key.pem).")
    var auditKey: String?

    @Option(
        help:
            "Master key file of the personal data sealed with SM4, outside the database, created on first start (env YIYE_PERSONAL_DATA_KEY; default personal-data-sm4.key beside the audit key)."
    )
    var personalDataKey: String?

    @Option(help: "Directory of the evidence files (env YIYE_EVIDENCE_DIR; default <data-dir>/evidence).")
    var evidenceDir: String?

    private var settings: Settings {
        Settings(flags: [
            "database.url": databaseURL, "yiye.data.dir": dataDir, "yiye.audit.key": auditKey, "yiye.evidence.dir": evidenceDir,
            "yiye.personal.data.key": personalDataKey,
        ])
    }

    /// The database to use: a URL from the flag or `DATABASE_URL`, else the embedded cluster.
    func source() throws -> AppConfiguration.DatabaseSource {
        if let url = settings.string("database.url"), !url.isEmpty {
            do {
                return .url(try DatabaseURL(url))
            } catch {
                throw ValidationError(error.description)
            }
        }
        return .embedded(dataDirectory: dataDirectory)
    }

    /// The audit signing key's path.
    func auditKeyURL() -> URL {
        if let path = settings.string("yiye.audit.key"), !path.isEmpty { return URL(fileURLWithPath: path) }
        return dataDirectory.appendingPathComponent("audit-sm2-key.pem")
    }

    /// The personal-data master key's path: by default beside the audit signing key, so that the two keys travel together.
    func personalDataKeyURL() -> URL {
        if let path = settings.string("yiye.personal.data.key"), !path.isEmpty { return URL(fileURLWithPath: path) }
        return MasterKeyFile.defaultURL(besides: auditKeyURL())
    }

    /// The evidence files' directory.
    func evidenceDirectoryURL() -> URL {
        if let path = settings.string("yiye.evidence.dir"), !path.isEmpty { return URL(fileURLWithPath: path) }
        return dataDirectory.appendingPathComponent("evidence", isDirectory: true)
    }

    private var dataDirectory: URL {
        URL(fileURLWithPath: settings.string("yiye.data.dir", default: ".yiye"))
    }
}
