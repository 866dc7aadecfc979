import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// The results each executed draw still owes (000 §3.1.7: an inspection done but not published counts as not done),
/// worked out from the teams as they stand and kept beside the draw: `draw_outstanding` holds them, `draw_completion`
/// whether none is left. Every write that changes either side keeps them under the draw's lock: execution, each
/// publication, an approved change. A draw executed before they were kept is worked out once, by the first reader.
enum DrawCompletion {
    /// Works the draw out and keeps it, under the draw's lock: two departments publishing at once keep it one after
    /// the other, the second seeing the first's publication. `unlessKept`: leaves a draw kept meanwhile as it is.
    static func keep(_ draw: DrawID, unlessKept: Bool = false, on connection: PostgresConnection, logger: Logger) async throws {
        let kept = try await lock(draw, on: connection, logger: logger)
        if kept && unlessKept { return }
        let teams = try await DrawRepository.standingTeams(draw, on: connection, logger: logger)
        let published = try await ResultRepository.published(of: draw, on: connection, logger: logger)
        try await store(draw, outstanding: ResultOwed.outstanding(by: teams, published: published), on: connection, logger: logger)
    }

    /// A publication: its result is no longer outstanding (the whole draw is worked out when it was not kept yet).
    static func published(_ owed: ResultOwed, of draw: DrawID, on connection: PostgresConnection, logger: Logger) async throws {
        guard try await lock(draw, on: connection, logger: logger) else {
            return try await keep(draw, on: connection, logger: logger)
        }
        _ = try await connection.query(
            """
            DELETE FROM draw_outstanding WHERE draw_id = \(draw) AND credit_code = \(owed.object) AND department = \(owed.department)
            """, logger: logger)
        _ = try await connection.query(
            """
            UPDATE draw_completion SET complete = NOT EXISTS (SELECT 1 FROM draw_outstanding WHERE draw_id = \(draw))
            WHERE draw_id = \(draw)
            """, logger: logger)
    }

    /// Keeps `outstanding` as all the draw still owes.
    static func store(_ draw: DrawID, outstanding: [ResultOwed], on connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.query("DELETE FROM draw_outstanding WHERE draw_id = \(draw)", logger: logger)
        _ = try await connection.query(
            """
            INSERT INTO draw_outstanding (draw_id, credit_code, department)
            SELECT \(draw), * FROM unnest(\(outstanding.map(\.object))::text[], \(outstanding.map(\.department.rawValue))::text[])
            """, logger: logger)
        _ = try await connection.query(
            """
            INSERT INTO draw_completion (draw_id, complete) VALUES (\(draw), \(outstanding.isEmpty))
            ON CONFLICT (draw_id) DO UPDATE SET complete = EXCLUDED.complete
            """, logger: logger)
    }

    /// Locks the draw's row; whether its results are kept.
    private static func lock(_ draw: DrawID, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        try await connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM draw_completion WHERE draw_id = \(draw)) FROM draws WHERE id = \(draw) FOR UPDATE
            """, logger: logger
        ).decode(Bool.self).all().first ?? false
    }

    /// Executed draws not kept yet (executed before their results were kept).
    private static func unkept(on connection: PostgresConnection, logger: Logger) async throws -> [DrawID] {
        try await connection.query(
            """
            SELECT d.id FROM draws d
            WHERE d.record IS NOT NULL AND NOT EXISTS (SELECT 1 FROM draw_completion c WHERE c.draw_id = d.id)
            ORDER BY d.id
            """, logger: logger
        ).decode(DrawID.self).all()
    }

    /// Keeps every draw not kept yet, each in a transaction of its own.
    static func keepUnkept(client: PostgresClient, logger: Logger) async throws {
        for draw in try await client.withConnection({ try await unkept(on: $0, logger: logger) }) {
            try await client.withTransaction(logger: logger) { try await keep(draw, unlessKept: true, on: $0, logger: logger) }
        }
    }

    /// Keeps every draw not kept yet, inside the caller's transaction.
    static func keepUnkept(on connection: PostgresConnection, logger: Logger) async throws {
        for draw in try await unkept(on: connection, logger: logger) {
            try await keep(draw, unlessKept: true, on: connection, logger: logger)
        }
    }

    /// The tasks in scope whose draw owes no result still unpublished (every draw kept: `keepUnkept` first).
    static func completedTasks(_ scope: DashboardRepository.Scope, on connection: PostgresConnection, logger: Logger) async throws
        -> [Int64]
    {
        try await connection.query(
            """
            SELECT t.id FROM tasks t JOIN draws d ON d.task_id = t.id JOIN draw_completion c ON c.draw_id = d.id AND c.complete
            WHERE t.window_start BETWEEN \(scope.period.first.description)::date AND \(scope.period.last.description)::date
              AND (\(scope.industries)::text[] IS NULL OR t.industry_code = ANY(\(scope.industries)::text[]))
            ORDER BY t.id
            """, logger: logger
        ).decode(Int64.self).all()
    }
}
