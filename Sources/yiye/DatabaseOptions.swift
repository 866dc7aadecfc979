import ArgumentParser
import Foundation
import YiyeAPI
import YiyeStore

/// The database options every command that touches the database takes.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL, e.g. postgres://yiye:secret@db:5432/yiye (env DATABASE_URL). Without it, a private cluster runs under --data-dir.")
    var databaseURL: String?

    @Option(help: "Directory of the embedded PostgreSQL cluster (env YIYE_DATA_DIR; default ./.yiye).")
    var dataDir: String?

    /// The database to use: a URL from the flag or `DATABASE_URL`, else the embedded cluster.
    func source() throws -> AppConfiguration.DatabaseSource {
        let settings = Settings(flags: ["database.url": databaseURL, "yiye.data.dir": dataDir])
        if let url = settings.string("database.url"), !url.isEmpty {
            do {
                return .url(try DatabaseURL(url))
            } catch {
                throw ValidationError(error.description)
            }
        }
        return .embedded(dataDirectory: URL(fileURLWithPath: settings.string("yiye.data.dir", default: ".yiye")))
    }
}
