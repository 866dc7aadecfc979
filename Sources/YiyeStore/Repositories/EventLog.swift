import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// An append-only history table of one kind of record (`whistle_events` by `call_id`, `clue_events` by `clue_id`):
/// who did what, when, with what text.
public struct EventLog: Sendable {
    /// One line of a history.
    public struct Event: Sendable {
        public var department: DepartmentCode
        public var actor: String
        public var action: String
        public var text: String
        public var at: Date
    }

    let table: String
    let key: String

    static let calls = EventLog(table: "whistle_events", key: "call_id")
    static let clues = EventLog(table: "clue_events", key: "clue_id")

    func record(
        _ id: Int64, department: DepartmentCode, actor: String, action: String, text: String, at: Date,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        _ = try await connection.query(
            """
            INSERT INTO \(unescaped: table) (\(unescaped: key), department, actor, action, text, at)
            VALUES (\(id), \(department), \(actor), \(action), \(text), \(at))
            """, logger: logger)
    }

    func history(_ id: Int64, client: PostgresClient, logger: Logger) async throws -> [Event] {
        try await client.translatingErrors {
            try await client.query(
                """
                SELECT department, actor, action, text, at FROM \(unescaped: table) WHERE \(unescaped: key) = \(id) ORDER BY id
                """, logger: logger
            ).decode((DepartmentCode, String, String, String, Date).self).all()
                .map { Event(department: $0.0, actor: $0.1, action: $0.2, text: $0.3, at: $0.4) }
        }
    }
}
