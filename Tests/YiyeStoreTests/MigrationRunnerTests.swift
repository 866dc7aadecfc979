import Foundation
import Logging
import PostgresNIO
import Testing
import YiyeTestSupport

@testable import YiyeStore

@Suite("Migration runner, against PostgreSQL")
struct MigrationRunnerTests {
    let logger = quietLogger

    func migration(_ version: Int, _ name: String, _ sql: String) -> Migration {
        Migration(version: version, name: name, sql: sql)
    }

    func tables(_ client: PostgresClient) async throws -> Set<String> {
        let rows = try await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        var names = Set<String>()
        for try await name in rows.decode(String.self) { names.insert(name) }
        return names
    }

    func appliedVersions(_ client: PostgresClient) async throws -> [Int] {
        var versions: [Int] = []
        for try await version in try await client.query("SELECT version FROM schema_migrations ORDER BY version").decode(Int.self) {
            versions.append(version)
        }
        return versions
    }

    @Test("applies files in order once; a second run applies nothing")
    func appliesOnce() async throws {
        let url = try await TestDatabase.shared.createEmptyDatabase()
        try await withClient(url) { client async throws in
            let runner = MigrationRunner(
                migrations: [
                    migration(1, "a", "CREATE TABLE a (x int PRIMARY KEY); INSERT INTO a VALUES (1);"),
                    migration(2, "b", "CREATE TABLE b (y int REFERENCES a (x) DEFERRABLE); -- b needs a"),
                ], logger: logger)
            #expect(try await runner.apply(using: client) == [1, 2])
            #expect(try await runner.apply(using: client) == [])
            #expect(try await tables(client).isSuperset(of: ["a", "b", "schema_migrations"]))
            #expect(try await appliedVersions(client) == [1, 2])
        }
        try await TestDatabase.shared.drop(url.database)
    }

    @Test("an applied file that was edited is a hard error naming it")
    func editedFile() async throws {
        let url = try await TestDatabase.shared.createEmptyDatabase()
        try await withClient(url) { client async throws in
            try await MigrationRunner(migrations: [migration(1, "init", "CREATE TABLE a (x int)")], logger: logger).apply(using: client)
            let edited = MigrationRunner(migrations: [migration(1, "init", "CREATE TABLE a (x bigint)")], logger: logger)
            await #expect(throws: MigrationError.editedAfterApply(version: 1, name: "init")) {
                try await edited.apply(using: client)
            }
        }
        try await TestDatabase.shared.drop(url.database)
    }

    @Test("a failing file is rolled back whole and not recorded; earlier files stay applied")
    func failedFileRollsBack() async throws {
        let url = try await TestDatabase.shared.createEmptyDatabase()
        try await withClient(url) { client async throws in
            let runner = MigrationRunner(
                migrations: [
                    migration(1, "good", "CREATE TABLE good (x int)"),
                    migration(2, "bad", "CREATE TABLE half (x int); INSERT INTO missing VALUES (1);"),
                ], logger: logger)
            await #expect {
                try await runner.apply(using: client)
            } throws: { error in
                guard case MigrationError.statementFailed(version: 2, statement: 2, let message) = error else { return false }
                return message.contains("missing")
            }
            #expect(try await tables(client).contains("good"))
            #expect(try await !tables(client).contains("half"))
            #expect(try await appliedVersions(client) == [1])
        }
        try await TestDatabase.shared.drop(url.database)
    }

    @Test("a database migrated by a newer build is refused")
    func unknownVersion() async throws {
        let url = try await TestDatabase.shared.createEmptyDatabase()
        try await withClient(url) { client async throws in
            try await MigrationRunner(migrations: [migration(1, "a", "SELECT 1"), migration(2, "b", "SELECT 2")], logger: logger)
                .apply(using: client)
            await #expect(throws: MigrationError.unknownAppliedVersion(2)) {
                try await MigrationRunner(migrations: [migration(1, "a", "SELECT 1")], logger: logger).apply(using: client)
            }
        }
        try await TestDatabase.shared.drop(url.database)
    }

    @Test("two instances migrating at once apply each file exactly once")
    func concurrentRunners() async throws {
        let url = try await TestDatabase.shared.createEmptyDatabase()
        // Not idempotent on purpose: a second application would fail on the duplicate table.
        let migrations = [
            migration(1, "slow", "CREATE TABLE counter (n int); SELECT pg_sleep(0.3); INSERT INTO counter VALUES (1)"),
            migration(2, "more", "INSERT INTO counter VALUES (2)"),
        ]
        let logger = self.logger
        let results = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<2 {
                group.addTask {
                    try await withClient(url) { client async throws in
                        try await MigrationRunner(migrations: migrations, logger: logger).apply(using: client)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.sorted { $0.count < $1.count } == [[], [1, 2]])
        try await withClient(url) { client async throws in
            let rows = try await client.query("SELECT n FROM counter ORDER BY n").decode(Int.self)
            var values: [Int] = []
            for try await n in rows { values.append(n) }
            #expect(values == [1, 2])
        }
        try await TestDatabase.shared.drop(url.database)
    }

    @Test("the shipped migrations load in order, named NNNN_name.sql")
    func shippedMigrations() throws {
        let migrations = try Migration.load(from: Migration.defaultDirectory())
        #expect(migrations.first?.version == 1)
        #expect(migrations.map(\.version) == Array(1...migrations.count))
    }

    @Test(
        "file names must be NNNN_name.sql",
        arguments: [
            ("0001_init.sql", true), ("0012_clue_transfer.sql", true),
            ("1_init.sql", false), ("0001-init.sql", false), ("0001_.sql", false), ("0001_Init.sql", false), ("abcd_x.sql", false),
        ])
    func fileNames(name: String, valid: Bool) {
        #expect((Migration.parse(fileName: name) != nil) == valid)
    }
}

@Suite("Migrations over data written before them")
struct DataMigrationTests {
    @Test("0018 spells out the entries of tasks stored with none from their joint-list version, and keeps chosen ones")
    func taskEntriesSpelledOut() async throws {
        let url = try await TestDatabase.shared.createEmptyDatabase()
        try await withClient(url) { client async throws in
            let all = try Migration.load(from: Migration.defaultDirectory())
            _ = try await MigrationRunner(migrations: all.filter { $0.version < 18 }, logger: quietLogger).apply(using: client)
            _ = try await client.query(
                """
                INSERT INTO departments (code, name, kind, region_code) VALUES ('commerce', '商务局', 'regulator', '330110')
                """)
            _ = try await client.query(
                """
                INSERT INTO industries (code, name, originating_department) VALUES ('fuel_retail', '成品油零售', 'commerce')
                """)
            // Version 2 of the joint list: entries 1 and 3 included, 2 left out.
            _ = try await client.query(
                """
                INSERT INTO list_versions (kind, owner, version, status, document, created_by, published_by, published_at)
                VALUES ('joint_list', 'fuel_retail', 2, 'published',
                        '{"entries": [{"number": 1, "included": true}, {"number": 2, "included": false}, {"number": 3, "included": true}]}',
                        'commerce.dept_admin', 'commerce.dept_admin', now())
                """)
            _ = try await client.query(
                """
                INSERT INTO tasks (industry_code, originator, name, kind, joint_list_version, entries, scope, sampling, window_start,
                                   window_end, created_by)
                VALUES ('fuel_retail', 'commerce', '全部条目', 'annual', 2, '{}', '{}', '{}', '2026-12-01', '2026-12-31', 'x'),
                       ('fuel_retail', 'commerce', '选定条目', 'annual', 2, '{3}', '{}', '{}', '2026-12-01', '2026-12-31', 'x')
                """)
            #expect(try await MigrationRunner(migrations: all, logger: quietLogger).apply(using: client).first == 18)
            var entries: [String: [Int]] = [:]
            for try await (name, chosen) in try await client.query("SELECT name, entries FROM tasks").decode((String, [Int]).self) {
                entries[name] = chosen
            }
            #expect(entries == ["全部条目": [1, 3], "选定条目": [3]])
        }
        try await TestDatabase.shared.drop(url.database)
    }
}
