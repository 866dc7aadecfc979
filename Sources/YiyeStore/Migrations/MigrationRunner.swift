import Logging
import PostgresNIO

/// Applies migrations in order, once, even when several yiye instances start together.
public struct MigrationRunner: Sendable {
    /// Key of the session advisory lock that serializes migration runs ("yiye" in ASCII).
    static let advisoryLockKey: Int64 = 0x7969_7965

    public var migrations: [Migration]
    public var logger: Logger

    public init(migrations: [Migration], logger: Logger) {
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies what is missing, each file in its own transaction, and returns the versions applied now.
    @discardableResult
    public func apply(using client: PostgresClient) async throws -> [Int] {
        try await client.withConnection { connection in
            _ = try await connection.query("SELECT pg_advisory_lock(\(Self.advisoryLockKey))", logger: logger)
            do {
                let applied = try await applyLocked(on: connection)
                _ = try await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
                throw error
            }
        }
    }

    private func applyLocked(on connection: PostgresConnection) async throws -> [Int] {
        _ = try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, logger: logger)
        var applied: [Int: (name: String, checksum: String)] = [:]
        for try await (version, name, checksum) in try await connection.query(
            "SELECT version, name, checksum FROM schema_migrations", logger: logger
        ).decode((Int, String, String).self) {
            applied[version] = (name, checksum)
        }
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        if let unknown = applied.keys.sorted().first(where: { known[$0] == nil }) {
            throw MigrationError.unknownAppliedVersion(unknown)
        }
        var appliedNow: [Int] = []
        for migration in migrations {
            if let existing = applied[migration.version] {
                guard existing.checksum == migration.checksum else {
                    throw MigrationError.editedAfterApply(version: migration.version, name: migration.name)
                }
                continue
            }
            try await apply(migration, on: connection)
            appliedNow.append(migration.version)
        }
        return appliedNow
    }

    private func apply(_ migration: Migration, on connection: PostgresConnection) async throws {
        logger.info("applying migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
        _ = try await connection.query("BEGIN", logger: logger)
        do {
            for (index, statement) in SQLStatementSplitter.split(migration.sql).enumerated() {
                do {
                    // Migration files are trusted SQL shipped with the program, not user input.
                    _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                } catch let error as PSQLError {
                    throw MigrationError.statementFailed(
                        version: migration.version, statement: index + 1,
                        message: error.serverInfo?[.message] ?? String(reflecting: error)
                    )
                }
            }
            _ = try await connection.query(
                """
                INSERT INTO schema_migrations (version, name, checksum)
                VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                """, logger: logger)
            _ = try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }
}
