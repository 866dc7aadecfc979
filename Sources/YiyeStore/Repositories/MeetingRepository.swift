import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// Meetings (议事会商) in PostgreSQL: the meeting, its minutes' versions (finalized ones refused any change by
/// trigger), and its action items.
public struct MeetingRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    private static let columns = """
        id, industry_code, kind, title, agenda, starts_at, location, convened_by, invitees, task_ids, call_ids, clue_ids
        """
    private typealias Row = (
        Int64, String, String, String, [String], Date, String, DepartmentCode, [DepartmentCode], [TaskID], [Int64], [Int64]
    )

    /// Stores new meetings with their invitations, in one transaction; returns their ids in order.
    public func create(_ meetings: [Meeting], audit: AuditRecord.Entry, names: [DepartmentCode: String]) async throws -> [Int64] {
        try await client.audited(audit, logger: logger) { connection in
            var ids: [Int64] = []
            for meeting in meetings {
                ids.append(try await Self.insert(meeting, actor: audit.actor ?? "system", names: names, on: connection, logger: logger))
            }
            return ids
        }
    }

    /// Inserts a meeting and its invitations inside the caller's transaction.
    static func insert(
        _ meeting: Meeting, actor: String, names: [DepartmentCode: String], on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Int64 {
        let rows = try await connection.query(
            """
            INSERT INTO meetings (industry_code, kind, title, agenda, starts_at, location, convened_by, invitees,
                                  task_ids, call_ids, clue_ids, created_by)
            VALUES (\(meeting.industry), \(meeting.kind.rawValue), \(meeting.title), \(meeting.agenda), \(meeting.startsAt),
                    \(meeting.location), \(meeting.convenedBy), \(meeting.invitees), \(meeting.taskIDs), \(meeting.callIDs),
                    \(meeting.clueIDs), \(actor))
            RETURNING id
            """, logger: logger)
        guard let id = try await rows.decode(Int64.self).all().first else { throw StoreError.unexpected("meeting not inserted") }
        var stored = meeting
        stored.id = id
        try await NotificationRepository.insert(stored.invitationNotices(names: names), on: connection, logger: logger)
        return id
    }

    public func find(_ id: Int64) async throws -> Meeting? {
        try await client.translatingErrors {
            try await client.query("SELECT \(unescaped: Self.columns) FROM meetings WHERE id = \(id)", logger: logger)
                .decode(Row.self).all().first.map(Self.meeting)
        }
    }

    /// Meetings in id order after `cursor`; `department` keeps those it convenes or is invited to.
    public func list(department: DepartmentCode?, industry: String?, after cursor: Int64?, limit: Int) async throws -> [Meeting] {
        try await client.translatingErrors {
            try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM meetings
                WHERE id > \(cursor ?? 0) AND (\(industry)::text IS NULL OR industry_code = \(industry))
                  AND (\(department)::text IS NULL OR convened_by = \(department) OR \(department) = ANY (invitees))
                ORDER BY id LIMIT \(limit)
                """, logger: logger
            ).decode(Row.self).all().map(Self.meeting)
        }
    }

    /// Whether every linked task, call and clue belongs to `industry`.
    public func linksBelong(to industry: String, tasks: [TaskID], calls: [Int64], clues: [Int64]) async throws -> Bool {
        try await client.translatingErrors {
            try await client.query(
                """
                SELECT (SELECT count(*) FROM tasks WHERE id = ANY (\(tasks)) AND industry_code = \(industry)) = cardinality(\(tasks)::bigint[])
                   AND (SELECT count(*) FROM whistle_calls WHERE id = ANY (\(calls)) AND industry_code = \(industry)) = cardinality(\(calls)::bigint[])
                   AND (SELECT count(*) FROM clues WHERE id = ANY (\(clues)) AND industry_code = \(industry)) = cardinality(\(clues)::bigint[])
                """, logger: logger
            ).decode(Bool.self).all().first ?? false
        }
    }

    // MARK: Minutes

    public func minutes(_ meetingID: Int64) async throws -> [Minutes] {
        try await client.translatingErrors {
            try await client.withConnection { try await Self.minutes(meetingID, on: $0, logger: logger) }
        }
    }

    /// Under a lock on the meeting: `write` turns the existing versions into the version to store (a draft,
    /// rewritten or new, or the finalized draft), which is then written.
    public func writeMinutes(
        _ meetingID: Int64, audit: AuditRecord.Entry, _ write: @Sendable @escaping ([Minutes]) throws -> Minutes
    ) async throws -> Minutes {
        try await client.audited(audit, logger: logger) { connection in
            let found = try await connection.query("SELECT id FROM meetings WHERE id = \(meetingID) FOR UPDATE", logger: logger)
                .decode(Int64.self).all()
            guard !found.isEmpty else { throw StoreError.notFound }
            let minutes = try write(try await Self.minutes(meetingID, on: connection, logger: logger))
            _ = try await connection.query(
                """
                INSERT INTO meeting_minutes (meeting_id, version, attendees, content, decisions, amendment_reason, written_by,
                                             finalized_by, finalized_at)
                VALUES (\(meetingID), \(minutes.version), \(minutes.attendees), \(minutes.content), \(minutes.decisions),
                        \(minutes.amendmentReason), \(minutes.writtenBy), \(minutes.finalizedBy), \(minutes.finalizedAt))
                ON CONFLICT (meeting_id, version) DO UPDATE SET
                    attendees = EXCLUDED.attendees, content = EXCLUDED.content, decisions = EXCLUDED.decisions,
                    amendment_reason = EXCLUDED.amendment_reason, written_by = EXCLUDED.written_by,
                    finalized_by = EXCLUDED.finalized_by, finalized_at = EXCLUDED.finalized_at
                """, logger: logger)
            return minutes
        }
    }

    private static func minutes(_ meetingID: Int64, on connection: PostgresConnection, logger: Logger) async throws -> [Minutes] {
        try await connection.query(
            """
            SELECT version, attendees, content, decisions, amendment_reason, written_by, finalized_by, finalized_at
            FROM meeting_minutes WHERE meeting_id = \(meetingID) ORDER BY version
            """, logger: logger
        ).decode((Int, [DepartmentCode], String, [String], String, String, String?, Date?).self).all()
            .map {
                Minutes(
                    version: $0.0, attendees: $0.1, content: $0.2, decisions: $0.3, amendmentReason: $0.4, writtenBy: $0.5,
                    finalizedBy: $0.6, finalizedAt: $0.7)
            }
    }

    // MARK: Action items

    private static let itemColumns = """
        id, meeting_id, description, owner_department, due_date::text, status, completion_note, completed_by, completed_at
        """
    private typealias ItemRow = (Int64, Int64, String, DepartmentCode, String, String, String, String?, Date?)

    public func actionItems(meeting meetingID: Int64) async throws -> [ActionItem] {
        try await client.translatingErrors {
            try await client.query(
                "SELECT \(unescaped: Self.itemColumns) FROM meeting_action_items WHERE meeting_id = \(meetingID) ORDER BY id",
                logger: logger
            ).decode(ItemRow.self).all().map(Self.item)
        }
    }

    public func actionItem(_ id: Int64) async throws -> ActionItem? {
        try await client.translatingErrors {
            try await client.query("SELECT \(unescaped: Self.itemColumns) FROM meeting_action_items WHERE id = \(id)", logger: logger)
                .decode(ItemRow.self).all().first.map(Self.item)
        }
    }

    public func addActionItem(_ item: ActionItem, meetingTitle: String, audit: AuditRecord.Entry) async throws -> Int64 {
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO meeting_action_items (meeting_id, description, owner_department, due_date)
                VALUES (\(item.meetingID), \(item.description), \(item.owner), \(item.due.description)::date) RETURNING id
                """, logger: logger)
            guard let id = try await rows.decode(Int64.self).all().first else { throw StoreError.unexpected("item not inserted") }
            try await NotificationRepository.insert(item.assignedNotice(meetingTitle: meetingTitle), on: connection, logger: logger)
            return id
        }
    }

    /// Applies `change` to the item under a row lock and saves its completion.
    public func updateActionItem(
        _ id: Int64, audit: AuditRecord.Entry, _ change: @Sendable @escaping (inout ActionItem) throws -> Void
    ) async throws -> ActionItem {
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.itemColumns) FROM meeting_action_items WHERE id = \(id) FOR UPDATE
                """, logger: logger
            ).decode(ItemRow.self).all()
            guard var item = try rows.first.map(Self.item) else { throw StoreError.notFound }
            try change(&item)
            _ = try await connection.query(
                """
                UPDATE meeting_action_items SET status = \(item.status.rawValue), completion_note = \(item.completionNote),
                       completed_by = \(item.completedBy), completed_at = \(item.completedAt)
                WHERE id = \(id)
                """, logger: logger)
            return item
        }
    }

    private static func meeting(_ row: Row) throws -> Meeting {
        let (id, industry, kind, title, agenda, startsAt, location, convenedBy, invitees, taskIDs, callIDs, clueIDs) = row
        return Meeting(
            id: id, industry: industry, kind: try .init(code: kind), title: title, agenda: agenda, startsAt: startsAt,
            location: location, convenedBy: convenedBy, invitees: invitees, taskIDs: taskIDs, callIDs: callIDs, clueIDs: clueIDs)
    }

    private static func item(_ row: ItemRow) throws -> ActionItem {
        ActionItem(
            id: row.0, meetingID: row.1, description: row.2, owner: row.3, due: try CalendarDate(stored: row.4),
            status: try .init(code: row.5), completionNote: row.6, completedBy: row.7, completedAt: row.8)
    }
}
