import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// Whether a draw owes no result still unpublished (000 §3.1.7: an inspection done but not published counts as not
/// done), worked out by `ResultCompletion` with the teams as they stand, and kept beside the draw (`draw_completion`)
/// for the dashboard. Every write that changes either side keeps it: execution, a publication, an approved change.
enum DrawCompletion {
    /// Works out the draw's completion and keeps it, under the draw's lock: two departments publishing at once keep it
    /// one after the other, the second seeing the first's publication.
    static func keep(_ draw: DrawID, on connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.query("SELECT 1 FROM draws WHERE id = \(draw) FOR UPDATE", logger: logger)
        try await store(draw, complete: try await workOut(draw, on: connection, logger: logger).complete, on: connection, logger: logger)
    }

    static func store(_ draw: DrawID, complete: Bool, on connection: PostgresConnection, logger: Logger) async throws {
        _ = try await connection.query(
            """
            INSERT INTO draw_completion (draw_id, complete) VALUES (\(draw), \(complete))
            ON CONFLICT (draw_id) DO UPDATE SET complete = EXCLUDED.complete
            """, logger: logger)
    }

    static func workOut(_ draw: DrawID, on connection: PostgresConnection, logger: Logger) async throws -> ResultCompletion {
        let teams = try await DrawRepository.standingTeams(draw, on: connection, logger: logger)
        return ResultCompletion(teams: teams, published: try await ResultRepository.published(of: draw, on: connection, logger: logger))
    }

    /// The tasks in scope whose draw is complete. A draw executed before completion was kept (none is kept yet) is
    /// worked out here once, and kept unless a write kept it meanwhile.
    static func completedTasks(_ scope: DashboardRepository.Scope, on connection: PostgresConnection, logger: Logger) async throws
        -> [Int64]
    {
        let draws = try await connection.query(
            """
            SELECT t.id, d.id, c.complete FROM tasks t JOIN draws d ON d.task_id = t.id LEFT JOIN draw_completion c ON c.draw_id = d.id
            WHERE d.record IS NOT NULL AND t.window_start BETWEEN \(scope.period.first.description)::date AND \(scope.period.last.description)::date
              AND (\(scope.industries)::text[] IS NULL OR t.industry_code = ANY(\(scope.industries)::text[]))
            ORDER BY t.id
            """, logger: logger
        ).decode((Int64, DrawID, Bool?).self).all()
        var completed: [Int64] = []
        for (task, draw, kept) in draws {
            var complete = kept
            if complete == nil {
                complete = try await workOut(draw, on: connection, logger: logger).complete
                _ = try await connection.query(
                    "INSERT INTO draw_completion (draw_id, complete) VALUES (\(draw), \(complete)) ON CONFLICT (draw_id) DO NOTHING",
                    logger: logger)
            }
            if complete == true { completed.append(task) }
        }
        return completed
    }
}
