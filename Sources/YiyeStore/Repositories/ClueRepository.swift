import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// Clues (问题线索) in PostgreSQL: the clue, its routes (moved only forward, by trigger), and its append-only history.
public struct ClueRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public typealias Event = EventLog.Event

    private static let columns = """
        id, industry_code, source, task_id, object_credit_code, description, suspected_violation, legal_basis, evidence, found_by,
        joint_call_id, joint_meeting_id
        """
    private typealias Row = (Int64, String, String, TaskID?, String?, String, String, String, [String], DepartmentCode, Int64?, Int64?)

    /// Stores a new clue with its first routes and the notices `notices(clue)` returns.
    public func create(_ clue: Clue, at now: Date, audit: AuditRecord.Entry, notices: @Sendable @escaping (Clue) -> [Notice]) async throws
        -> Int64
    {
        try await client.audited(audit, logger: logger) { connection in
            try await Self.insert(clue, at: now, actor: audit.actor ?? "system", notices: notices, on: connection, logger: logger)
        }
    }

    /// `create`, within the caller's transaction.
    static func insert(
        _ clue: Clue, at now: Date, actor: String, notices: (Clue) -> [Notice], on connection: PostgresConnection, logger: Logger
    ) async throws -> Int64 {
        let rows = try await connection.query(
            """
            INSERT INTO clues (industry_code, source, task_id, object_credit_code, description, suspected_violation, legal_basis,
                               evidence, found_by, created_by)
            VALUES (\(clue.industry), \(clue.source.rawValue), \(clue.taskID), \(clue.objectCreditCode), \(clue.description),
                    \(clue.suspectedViolation), \(clue.legalBasis), \(clue.evidence), \(clue.foundBy), \(actor))
            RETURNING id
            """, logger: logger)
        guard let id = try await rows.decode(Int64.self).all().first else { throw StoreError.unexpected("clue not inserted") }
        var stored = clue
        stored.id = id
        try await Self.save(stored, over: nil, on: connection, logger: logger)
        try await EventLog.clues.record(
            id, department: clue.foundBy, actor: actor, action: "report",
            text: clue.routes.map(\.department.rawValue).joined(separator: ","), at: now, on: connection, logger: logger)
        try await NotificationRepository.insert(notices(stored), on: connection, logger: logger)
        return id
    }

    public func find(_ id: Int64) async throws -> Clue? {
        try await client.translatingErrors {
            try await client.withConnection { try await Self.load(id, lock: false, on: $0, logger: logger) }
        }
    }

    /// Clues in id order after `cursor`; `department` keeps those it found, received, or oversees as the
    /// industry's originator.
    public func list(department: DepartmentCode?, after cursor: Int64?, limit: Int) async throws -> [Clue] {
        try await client.translatingErrors {
            let ids = try await client.query(
                """
                SELECT c.id FROM clues c
                WHERE c.id > \(cursor ?? 0)
                  AND (\(department)::text IS NULL OR c.found_by = \(department)
                       OR EXISTS (SELECT 1 FROM clue_routes r WHERE r.clue_id = c.id AND r.department = \(department))
                       OR EXISTS (SELECT 1 FROM industries i WHERE i.code = c.industry_code AND i.originating_department = \(department)))
                ORDER BY c.id LIMIT \(limit)
                """, logger: logger
            ).decode(Int64.self).all()
            return try await client.withConnection { [logger] in try await Self.load(ids, lock: false, on: $0, logger: logger) }
        }
    }

    /// Applies `change` to the clue under a row lock, saves the routes it added or moved, appends the action to
    /// the history, and stores the notices `change` returns.
    public func update(
        _ id: Int64, department: DepartmentCode, action: String, text: String, at now: Date, audit: AuditRecord.Entry,
        _ change: @Sendable @escaping (inout Clue) throws -> [Notice]
    ) async throws -> Clue {
        try await client.audited(audit, logger: logger) { connection in
            guard let before = try await Self.load(id, lock: true, on: connection, logger: logger) else { throw StoreError.notFound }
            var clue = before
            let notices = try change(&clue)
            try await Self.save(clue, over: before, on: connection, logger: logger)
            try await EventLog.clues.record(
                id, department: department, actor: audit.actor ?? "system", action: action, text: text, at: now,
                on: connection, logger: logger)
            try await NotificationRepository.insert(notices, on: connection, logger: logger)
            return clue
        }
    }

    /// 联合核查: under a lock on the clue, raises `call` (and convenes `meeting`, linked to the call) and records both
    /// on the clue, once.
    public func organizeJointVerification(
        _ id: Int64, call: WhistleCall, meeting: Meeting?, names: [DepartmentCode: String], audit: AuditRecord.Entry
    ) async throws -> Clue {
        let now = call.raisedAt
        return try await client.audited(audit, logger: logger) { connection in
            guard let clue = try await Self.load(id, lock: true, on: connection, logger: logger) else { throw StoreError.notFound }
            // Checked again under the lock: two originators' users at once organise it once.
            guard clue.needsJointVerification else { throw DomainError(.clueState, "已组织联合核查", field: "clue") }
            let actor = audit.actor ?? "system"
            let callID = try await WhistleRepository.insert(
                call, actor: actor, notices: { call.notices(raisedAs: $0, names: names) },
                on: connection, logger: logger)
            var meetingID: Int64?
            if var meeting {
                meeting.callIDs = [callID]
                meetingID = try await MeetingRepository.insert(meeting, actor: actor, names: names, on: connection, logger: logger)
            }
            _ = try await connection.query(
                """
                UPDATE clues SET joint_call_id = \(callID), joint_meeting_id = \(meetingID) WHERE id = \(id)
                """, logger: logger)
            try await EventLog.clues.record(
                id, department: call.raisedBy, actor: actor, action: "joint_verification",
                text: "吹哨 \(callID)" + (meetingID.map { "，会商 \($0)" } ?? ""), at: now, on: connection, logger: logger)
            var updated = clue
            updated.jointCallID = callID
            updated.jointMeetingID = meetingID
            return updated
        }
    }

    public func history(_ id: Int64) async throws -> [Event] {
        try await EventLog.clues.history(id, client: client, logger: logger)
    }

    /// Inserts the routes without an id and updates those that moved since `before`.
    private static func save(_ clue: Clue, over before: Clue?, on connection: PostgresConnection, logger: Logger) async throws {
        guard let id = clue.id else { return }
        for route in clue.routes {
            guard let routeID = route.id else {
                guard let routedAt = route.routedAt else { throw StoreError.unexpected("a new route without its time") }
                _ = try await connection.query(
                    """
                    INSERT INTO clue_routes (clue_id, department, deadline, deadline_from, deadline_working_days, routed_by, routed_at)
                    VALUES (\(id), \(route.department), \(route.deadline), \(route.deadlineCount?.from.description)::date,
                            \(route.deadlineCount?.workingDays), \(route.routedBy), \(routedAt))
                    """, logger: logger)
                continue
            }
            guard before?.routes.first(where: { $0.id == routeID }) != route else { continue }
            _ = try await connection.query(
                """
                UPDATE clue_routes SET state = \(route.state.rawValue), reason = \(route.reason), outcome = \(route.outcome?.rawValue),
                       outcome_note = \(route.outcomeNote), decided_at = \(route.decidedAt), concluded_at = \(route.concludedAt)
                WHERE id = \(routeID)
                """, logger: logger)
        }
    }

    private static func load(_ id: Int64, lock: Bool, on connection: PostgresConnection, logger: Logger) async throws -> Clue? {
        try await load([id], lock: lock, on: connection, logger: logger).first
    }

    /// The clues with `ids`, in id order, with their routes: two statements however many.
    private static func load(_ ids: [Int64], lock: Bool, on connection: PostgresConnection, logger: Logger) async throws -> [Clue] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: columns) FROM clues WHERE id = ANY(\(ids)) ORDER BY id \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger: logger
        ).decode(Row.self).all()
        var routes: [Int64: [Clue.Route]] = [:]
        let routeRows = try await connection.query(
            """
            SELECT clue_id, id, department, deadline, state, reason, outcome, outcome_note, routed_by, routed_at, decided_at, concluded_at,
                   to_char(deadline_from, 'YYYY-MM-DD'), deadline_working_days
            FROM clue_routes WHERE clue_id = ANY(\(ids)) ORDER BY clue_id, id
            """, logger: logger)
        let decoded = routeRows.decode(
            (Int64, Int64, DepartmentCode, Date, String, String, String?, String, String, Date, Date?, Date?, String?, Int?).self)
        for try await (clue, id, department, deadline, state, reason, outcome, note, routedBy, routedAt, decidedAt, concludedAt, from, days)
            in decoded
        {
            routes[clue, default: []].append(
                Clue.Route(
                    id: id, department: department, deadline: deadline, deadlineCount: try WorkingDayCount(stored: from, days),
                    state: try .init(code: state), reason: reason, outcome: try outcome.map { try Clue.Outcome(code: $0) },
                    outcomeNote: note, routedBy: routedBy, routedAt: routedAt, decidedAt: decidedAt, concludedAt: concludedAt
                ))
        }
        return try rows.map { row in
            let (
                id, industry, source, taskID, object, description, suspectedViolation, legalBasis, evidence, foundBy, jointCallID,
                jointMeetingID
            ) = row
            return Clue(
                id: id, industry: industry, source: try .init(code: source), taskID: taskID, objectCreditCode: object,
                description: description, suspectedViolation: suspectedViolation, legalBasis: legalBasis, evidence: evidence,
                foundBy: foundBy, jointCallID: jointCallID, jointMeetingID: jointMeetingID, routes: routes[id] ?? [])
        }
    }

}
