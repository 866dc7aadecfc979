import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// After a draw: changes with their approval, and the departments' confirmations of their assignments.
extension DrawRepository {
    private static let changeColumns = """
        id, kind, credit_code, replaced_inspector::text, replacement_inspector::text, replacement_object, department,
        reason_kind, reason, requested_by, status, decided_by, decision_note
        """
    private typealias ChangeRow = (
        Int64, String, String, String?, String?, String?, DepartmentCode, String, String, String, String, String?, String
    )

    /// The draw's changes, oldest first.
    public func changes(_ id: DrawID) async throws -> [DrawChange] {
        try await client.translatingErrors {
            try await client.withConnection { connection in try await Self.changes(id, on: connection, logger: logger) }
        }
    }

    /// The teams of an executed draw as they stand after its approved changes (none before execution).
    public func standingTeams(_ draw: Draw) async throws -> [StandingTeam] {
        guard draw.record != nil else { return [] }
        return try await client.translatingErrors {
            try await client.withConnection { connection in try await Self.standingTeams(draw.id, on: connection, logger: logger) }
        }
    }

    /// `standingTeams`, inside the caller's transaction: the one way the teams and the approved changes are put together.
    static func standingTeams(_ id: DrawID, on connection: PostgresConnection, logger: Logger) async throws -> [StandingTeam] {
        StandingTeam.applying(
            try await changes(id, on: connection, logger: logger), to: try await teams(id, on: connection, logger: logger))
    }

    /// Files a change request after checking it against the executed draw and the approved changes so far.
    public func requestChange(_ drawID: DrawID, _ change: DrawChange, at now: Date, audit: AuditRecord.Entry) async throws -> DrawChange {
        try await client.transaction(logger: logger) { connection in
            guard let draw = try await Self.load(drawID, lock: true, on: connection, logger: logger) else { throw StoreError.notFound }
            try draw.state.checkTaskOpen()
            guard draw.record != nil else { throw DomainError(.drawPhase, "抽取尚未执行，无可变更的结果", field: "draw") }
            let teams = try await Self.standingTeams(drawID, on: connection, logger: logger)
            var replacement: DrawChange.Appointee?
            if let inspector = change.replacementInspector.flatMap(Int64.init) {
                let rows = try await connection.query(
                    """
                    SELECT department_code, status = 'active', is_expert,
                           EXISTS (SELECT 1 FROM conflict_declarations c WHERE c.inspector_id = i.id AND c.credit_code = \(change.objectID)
                                   AND (c.valid_until IS NULL OR c.valid_until >= current_date))
                    FROM inspectors i WHERE id = \(inspector)
                    """, logger: logger
                ).decode((DepartmentCode, Bool, Bool, Bool).self).all()
                replacement = rows.first.map { DrawChange.Appointee(department: $0.0, active: $0.1, isExpert: $0.2, conflicted: $0.3) }
            }
            let files = try await connection.query("SELECT object_pool FROM draws WHERE id = \(drawID)", logger: logger)
                .decode(ByteBuffer.self).all()
            let pool = Set((files.first.flatMap { ObjectPool(file: Array(buffer: $0)) }?.candidates ?? []).map(\.objectID))
            try change.validate(teams: teams, selected: Set(teams.map(\.objectID)), pool: pool, replacement: replacement)
            if let object = change.replacementObject {
                let drawn =
                    try await connection.query(
                        """
                        SELECT count(*)::integer FROM counted_inspections WHERE credit_code = \(object) AND year = \(draw.year)
                        """, logger: logger
                    ).decode(Int.self).all().first ?? 0
                guard drawn < ExclusionReason.inspectionsPerYear else {
                    throw DomainError(.invalidValue, "替换对象\(ExclusionReason.annualCap.label)", field: "replacementObject")
                }
            }
            // The originator's appointment of an expert is its own decision, settled when made.
            let settled = change.kind == .appointExpert
            let rows = try await connection.query(
                """
                INSERT INTO draw_changes (draw_id, kind, credit_code, replaced_inspector, replacement_inspector, replacement_object,
                                          department, reason_kind, reason, requested_by, status, decided_by, decided_at, requested_at)
                VALUES (\(drawID), \(change.kind.rawValue), \(change.objectID), \(change.replacedInspector.flatMap(Int64.init)),
                        \(change.replacementInspector.flatMap(Int64.init)), \(change.replacementObject), \(change.department),
                        \(change.reasonKind.rawValue), \(change.reason), \(change.requestedBy), \(settled ? "approved" : "pending"),
                        \(settled ? change.requestedBy : nil), \(settled ? now : nil), \(now))
                RETURNING id
                """, logger: logger)
            var saved = change
            saved.id = try await rows.decode(Int64.self).all().first
            if settled {
                saved.status = .approved
                saved.decidedBy = change.requestedBy
            }
            var entry = audit
            entry.details = "变更申请 \(saved.id ?? 0)：\(change.kind.rawValue) \(change.objectID)；\(change.reasonKind.label)：\(change.reason)"
            try await AuditTrail.append(entry, on: connection, logger: logger)
            return saved
        }
    }

    /// Approves or rejects a pending change, once. An approved object replacement counts against the annual cap, and the
    /// object it replaces no longer does (the view `counted_inspections`).
    public func decideChange(
        _ drawID: DrawID, change changeID: Int64, approve: Bool, note: String, decidedBy: String, at now: Date,
        audit: AuditRecord.Entry
    ) async throws -> DrawChange {
        try await client.transaction(logger: logger) { connection in
            guard let draw = try await Self.load(drawID, lock: true, on: connection, logger: logger) else { throw StoreError.notFound }
            try draw.state.checkTaskOpen()
            let rows = try await connection.query(
                """
                UPDATE draw_changes SET status = \(approve ? "approved" : "rejected"), decided_by = \(decidedBy), decided_at = \(now),
                                        decision_note = \(note)
                WHERE draw_id = \(drawID) AND id = \(changeID) AND status = 'pending'
                RETURNING \(unescaped: Self.changeColumns)
                """, logger: logger
            ).decode(ChangeRow.self).all()
            guard let decided = try rows.first.map(Self.change) else {
                throw DomainError(.drawPhase, "变更申请不存在或已决定", field: "change")
            }
            if approve, let object = decided.replacementObject {
                _ = try await connection.query(
                    """
                    INSERT INTO drawn_objects (draw_id, credit_code, year, stratum, rank)
                    SELECT \(drawID), \(object), year, '-', 'appointed' FROM draws WHERE id = \(drawID)
                    """, logger: logger)
            }
            if approve { try await DrawCompletion.keep(drawID, on: connection, logger: logger) }
            var entry = audit
            entry.details = "变更 \(changeID)：\(approve ? "批准" : "不批准")\(note.isEmpty ? "" : "，\(note)")"
            try await AuditTrail.append(entry, on: connection, logger: logger)
            return decided
        }
    }

    public func confirmations(_ id: DrawID) async throws -> [AssignmentConfirmation] {
        try await client.translatingErrors {
            try await client.query(
                """
                SELECT department, to_char(deadline, 'YYYY-MM-DD'), confirmed_by, confirmed_at, to_char(deadline_from, 'YYYY-MM-DD'),
                       deadline_working_days
                FROM draw_confirmations WHERE draw_id = \(id) ORDER BY department
                """, logger: logger
            ).decode((DepartmentCode, String, String?, Date?, String?, Int?).self).all().map {
                guard let deadline = CalendarDate($0.1) else { throw StoreError.unexpected("confirmation deadline \($0.1) is not a date") }
                return AssignmentConfirmation(
                    department: $0.0, deadline: deadline, deadlineCount: try WorkingDayCount(stored: $0.4, $0.5),
                    confirmedBy: $0.2, confirmedAt: $0.3)
            }
        }
    }

    /// Records that `department` confirmed its assignments; once.
    public func confirm(_ id: DrawID, department: DepartmentCode, at now: Date, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            guard let draw = try await Self.load(id, lock: true, on: connection, logger: logger) else { throw StoreError.notFound }
            try draw.state.checkTaskOpen()
            let rows = try await connection.query(
                """
                SELECT confirmed_at FROM draw_confirmations WHERE draw_id = \(id) AND department = \(department)
                """, logger: logger
            ).decode(Date?.self).all()
            try AssignmentConfirmation.checkConfirm(executed: draw.record != nil, assigned: !rows.isEmpty, confirmedAt: rows.first ?? nil)
            _ = try await connection.query(
                """
                UPDATE draw_confirmations SET confirmed_by = \(audit.actor ?? "system"), confirmed_at = \(now)
                WHERE draw_id = \(id) AND department = \(department)
                """, logger: logger)
        }
    }

    /// The object's inspections in other draws: (year, task name), newest first.
    public func history(of creditCode: String, excluding drawID: DrawID) async throws -> [(year: Int, task: String)] {
        try await client.translatingErrors {
            try await client.query(
                """
                SELECT d.year, t.name FROM drawn_objects d JOIN draws w ON w.id = d.draw_id JOIN tasks t ON t.id = w.task_id
                WHERE d.credit_code = \(creditCode) AND d.draw_id <> \(drawID) ORDER BY d.year DESC, d.draw_id DESC
                """, logger: logger
            ).decode((Int, String).self).all().map { (year: $0.0, task: $0.1) }
        }
    }

    static func changes(_ id: DrawID, on connection: PostgresConnection, logger: Logger) async throws -> [DrawChange] {
        try await connection.query(
            """
            SELECT \(unescaped: changeColumns) FROM draw_changes WHERE draw_id = \(id) ORDER BY id
            """, logger: logger
        ).decode(ChangeRow.self).all().map(change)
    }

    private static func change(_ row: ChangeRow) throws -> DrawChange {
        let (
            id, kind, objectID, replaced, replacement, replacementObject, department, reasonKind, reason, requestedBy, status,
            decidedBy, decisionNote
        ) = row
        return DrawChange(
            id: id, kind: try .init(code: kind), objectID: objectID, replacedInspector: replaced, replacementInspector: replacement,
            replacementObject: replacementObject, department: department, reasonKind: try .init(code: reasonKind), reason: reason,
            requestedBy: requestedBy, status: try .init(code: status), decidedBy: decidedBy, decisionNote: decisionNote
        )
    }
}
