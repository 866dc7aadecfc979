import ArgumentParser
import Logging
import PostgresNIO
import YiyeAPI
import YiyeStore

/// `yiye migrate`: apply pending schema migrations and exit.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending schema migrations (sql/NNNN_name.sql).")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = commandLogger("yiye.migrate")
        try await reportingFailures {
            let applied = try await withDatabase(database.source(), asOwner: true, logger: logger) { client in
                try await MigrationRunner(migrations: try Migration.load(from: Migration.defaultDirectory()), logger: logger)
                    .apply(using: client)
            }
            print(applied.isEmpty ? "database is up to date" : "applied migrations: \(applied.map(String.init).joined(separator: ", "))")
        }
    }
}
