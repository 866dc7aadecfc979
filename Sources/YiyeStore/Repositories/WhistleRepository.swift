import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// Whistle calls in PostgreSQL: the call, each addressed department's response, and the history of actions.
public struct WhistleRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// One line of a call's history.
    public typealias Event = EventLog.Event

    private static let columns = """
        id, industry_code, task_id, stage, title, content, action_required, raised_by, deadline, status, plan_id,
        to_char(deadline_from, 'YYYY-MM-DD'), deadline_working_days, created_at
        """
    private typealias Row = (
        Int64, String, TaskID?, String, String, String, String, DepartmentCode, Date, String, Int64?, String?, Int?, Date
    )

    /// Stores a new call with `notices(id)` for the departments it addresses.
    public func create(_ call: WhistleCall, audit: AuditRecord.Entry, notices: @Sendable @escaping (Int64) -> [Notice]) async throws
        -> Int64
    {
        try await client.audited(audit, logger: logger) { connection in
            try await Self.insert(call, actor: audit.actor ?? "system", notices: notices, on: connection, logger: logger)
        }
    }

    /// Inserts a new call, its responses, its first history line and its notices inside the caller's transaction.
    static func insert(
        _ call: WhistleCall, actor: String, notices: (Int64) -> [Notice], on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Int64 {
        let rows = try await connection.query(
            """
            INSERT INTO whistle_calls (industry_code, task_id, plan_id, stage, title, content, action_required, raised_by, deadline,
                                       deadline_from, deadline_working_days, created_by, created_at)
            VALUES (\(call.industry), \(call.taskID), \(call.planID), \(call.stage.rawValue), \(call.title), \(call.content),
                    \(call.actionRequired), \(call.raisedBy), \(call.deadline), \(call.deadlineCount?.from.description)::date,
                    \(call.deadlineCount?.workingDays), \(actor), \(call.raisedAt))
            RETURNING id
            """, logger: logger)
        guard let id = try await rows.decode(Int64.self).all().first else { throw StoreError.unexpected("call not inserted") }
        _ = try await connection.query(
            """
            INSERT INTO whistle_responses (call_id, department) SELECT \(id), unnest(\(call.responses.map(\.department))::text[])
            """, logger: logger)
        try await EventLog.calls.record(
            id, department: call.raisedBy, actor: actor, action: "raise", text: call.title, at: call.raisedAt, on: connection,
            logger: logger)
        try await NotificationRepository.insert(notices(id), on: connection, logger: logger)
        return id
    }

    public func find(_ id: Int64) async throws -> WhistleCall? {
        try await client.translatingErrors {
            try await client.withConnection { connection in try await Self.load(id, lock: false, on: connection, logger: logger) }
        }
    }

    /// Calls in id order after `cursor`; `department` keeps those it raised or is addressed by.
    public func list(department: DepartmentCode?, after cursor: Int64?, limit: Int) async throws -> [WhistleCall] {
        try await client.translatingErrors {
            let ids = try await client.query(
                """
                SELECT id FROM whistle_calls c
                WHERE id > \(cursor ?? 0)
                  AND (\(department)::text IS NULL OR raised_by = \(department)
                       OR EXISTS (SELECT 1 FROM whistle_responses r WHERE r.call_id = c.id AND r.department = \(department)))
                ORDER BY id LIMIT \(limit)
                """, logger: logger
            ).decode(Int64.self).all()
            return try await client.withConnection { [logger] in try await Self.load(ids, lock: false, on: $0, logger: logger) }
        }
    }

    /// Applies `change` to the call under a row lock, saves it, appends the action to its history, and stores
    /// the notices `change` returns.
    public func update(
        _ id: Int64, department: DepartmentCode, action: String, text: String, at now: Date, audit: AuditRecord.Entry,
        _ change: @Sendable @escaping (inout WhistleCall) throws -> [Notice]
    ) async throws -> WhistleCall {
        try await client.audited(audit, logger: logger) { connection in
            guard var call = try await Self.load(id, lock: true, on: connection, logger: logger) else { throw StoreError.notFound }
            let notices = try change(&call)
            _ = try await connection.query("UPDATE whistle_calls SET status = \(call.status.rawValue) WHERE id = \(id)", logger: logger)
            for response in call.responses {
                _ = try await connection.query(
                    """
                    UPDATE whistle_responses SET state = \(response.state.rawValue), read_at = \(response.readAt),
                           responded_at = \(response.respondedAt), text = \(response.text)
                    WHERE call_id = \(id) AND department = \(response.department)
                    """, logger: logger)
            }
            try await EventLog.calls.record(
                id, department: department, actor: audit.actor ?? "system", action: action, text: text, at: now,
                on: connection, logger: logger)
            try await NotificationRepository.insert(notices, on: connection, logger: logger)
            return call
        }
    }

    /// The call's history, oldest first.
    public func history(_ id: Int64) async throws -> [Event] {
        try await EventLog.calls.history(id, client: client, logger: logger)
    }

    private static func load(_ id: Int64, lock: Bool, on connection: PostgresConnection, logger: Logger) async throws -> WhistleCall? {
        try await load([id], lock: lock, on: connection, logger: logger).first
    }

    /// The calls with `ids`, in id order, with their responses: two statements however many.
    private static func load(_ ids: [Int64], lock: Bool, on connection: PostgresConnection, logger: Logger) async throws -> [WhistleCall] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: columns) FROM whistle_calls WHERE id = ANY(\(ids)) ORDER BY id \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger: logger
        ).decode(Row.self).all()
        var responses: [Int64: [WhistleCall.Response]] = [:]
        let responseRows = try await connection.query(
            """
            SELECT call_id, department, state, read_at, responded_at, text FROM whistle_responses
            WHERE call_id = ANY(\(ids)) ORDER BY call_id, department
            """, logger: logger)
        for try await (call, department, state, readAt, respondedAt, text) in responseRows.decode(
            (Int64, DepartmentCode, String, Date?, Date?, String).self)
        {
            responses[call, default: []].append(
                .init(
                    department: department, state: try .init(code: state), readAt: readAt,
                    respondedAt: respondedAt, text: text))
        }
        return try rows.map { row in
            let (
                id, industry, taskID, stage, title, content, actionRequired, raisedBy, deadline, status, planID, countFrom, countDays,
                raisedAt
            ) =
                row
            return WhistleCall(
                id: id, industry: industry, taskID: taskID, planID: planID, stage: try .init(code: stage), title: title,
                content: content, actionRequired: actionRequired, raisedBy: raisedBy, raisedAt: raisedAt, deadline: deadline,
                deadlineCount: try WorkingDayCount(stored: countFrom, countDays), status: try .init(code: status),
                responses: responses[id] ?? []
            )
        }
    }

}
