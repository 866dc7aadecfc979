import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// 后续处置 of published results: the steps recorded, and per department how many were closed and how fast.
public struct FollowUpRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The follow-up of the department's published result (not found unless published).
    public func followUp(_ key: ResultRepository.Key) async throws -> ResultFollowUp {
        try await client.translatingErrors {
            try await client.withConnection { connection in
                try await Self.load(key, lock: false, on: connection, logger: logger).followUp
            }
        }
    }

    /// Records a step under a lock on the result: `change` records it (given the number of the clue handed over, when
    /// `clue` is given: that clue is reported and routed in the same transaction); `resolve`, when given, changes the
    /// result itself (the resolved investigation's new version). Nothing is kept if any part is refused.
    public func record(
        _ key: ResultRepository.Key, at now: Date, audit: AuditRecord.Entry, clue: (Clue, notices: @Sendable (Clue) -> [Notice])? = nil,
        resolve: (@Sendable (inout InspectionResult) throws -> ResultRepository.Event?)? = nil,
        _ change: @Sendable @escaping (inout ResultFollowUp, _ clueID: Int64?) throws -> Void
    ) async throws {
        try await client.audited(audit, logger: logger) { connection in
            var (resultID, followUp) = try await Self.load(key, lock: true, on: connection, logger: logger)
            var clueID: Int64?
            if let clue {
                clueID = try await ClueRepository.insert(
                    clue.0, at: now, actor: audit.actor ?? "system", notices: clue.notices, on: connection, logger: logger)
            }
            try change(&followUp, clueID)
            if let resolve {
                try await ResultRepository.modify(key, on: connection, logger: logger, resolve)
            }
            guard let action = followUp.actions.last else { throw StoreError.unexpected("no follow-up step recorded") }
            _ = try await connection.query(
                """
                INSERT INTO follow_up_actions (result_id, kind, acted_on, note, rectified, reference, consequence, recorded_by)
                VALUES (\(resultID), \(action.kind.rawValue), \(action.on.description)::date, \(action.note), \(action.rectified),
                        \(action.reference), \(action.consequence?.rawValue), \(action.by))
                """, logger: logger)
        }
    }

    private static func load(
        _ key: ResultRepository.Key, lock: Bool, on connection: PostgresConnection, logger: Logger
    ) async throws -> (resultID: Int64, followUp: ResultFollowUp) {
        guard
            let resultID = try await connection.query(
                """
                SELECT id FROM inspection_results
                WHERE draw_id = \(key.drawID) AND credit_code = \(key.creditCode) AND department = \(key.department)
                  AND status = 'published'
                \(unescaped: lock ? "FOR UPDATE" : "")
                """, logger: logger
            ).decode(Int64.self).all().first
        else { throw StoreError.notFound }
        let categories = try await connection.query(
            "SELECT finding::text FROM result_categories WHERE result_id = \(resultID) ORDER BY position", logger: logger
        ).decode(String.self).all().map { try JSONText.decode(CategoryFinding.self, $0) }
        var actions: [ResultFollowUp.Action] = []
        for try await (kind, on, note, rectified, reference, consequence, by) in try await connection.query(
            """
            SELECT kind, to_char(acted_on, 'YYYY-MM-DD'), note, rectified, reference, consequence, recorded_by FROM follow_up_actions
            WHERE result_id = \(resultID) ORDER BY id
            """, logger: logger
        ).decode((String, String, String, Bool?, String, String?, String).self) {
            guard let on = CalendarDate(on) else { throw StoreError.unexpected("follow-up of result \(resultID) has an unreadable date") }
            actions.append(
                .init(
                    kind: try .init(code: kind), on: on, note: note, rectified: rectified, reference: reference,
                    consequence: try consequence.map { try .init(code: $0) }, by: by))
        }
        return (resultID, ResultFollowUp(categories: categories, actions: actions))
    }
}
