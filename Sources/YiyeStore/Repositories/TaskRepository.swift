import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// Inspection tasks in PostgreSQL.
public struct TaskRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    private static let columns = """
        id, industry_code, originator, name, kind, trigger::text, participants, joint_list_version, entries, scope::text,
        sampling::text, to_char(window_start, 'YYYY-MM-DD'), to_char(window_end, 'YYYY-MM-DD'), status, plan_id, work_plan::text
        """
    private typealias Row = (
        TaskID, String, DepartmentCode, String, String, String?, [DepartmentCode], Int, [Int], String, String, String, String, String,
        Int64?, String?
    )

    /// Saves a new task; one started from a risk warning (`task.trigger.warningID`) records it on the warning in the same
    /// transaction, or fails whole when the warning was judged meanwhile.
    public func create(_ task: InspectionTask, audit: AuditRecord.Entry) async throws -> InspectionTask {
        let trigger = try task.trigger.map(JSONText.encode)
        let scope = try JSONText.encode(task.scope)
        let sampling = try JSONText.encode(task.sampling)
        return try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO tasks (plan_id, industry_code, originator, name, kind, trigger, participants, joint_list_version, entries,
                                   scope, sampling, window_start, window_end, created_by)
                VALUES (\(task.planID), \(task.industry), \(task.originator), \(task.name), \(task.kind.rawValue), \(trigger)::jsonb,
                        \(task.participants), \(task.jointListVersion), \(task.entries), \(scope)::jsonb, \(sampling)::jsonb,
                        \(task.windowStart.description)::date, \(task.windowEnd.description)::date, \(audit.actor ?? "system"))
                RETURNING id
                """, logger: logger)
            var saved = task
            saved.id = try await rows.decode(TaskID.self).all().first
            if let warning = task.trigger?.warningID, let id = saved.id {
                try await WarningRepository.markTasked(warning, task: id, by: audit.actor, on: connection, logger: logger)
            }
            return saved
        }
    }

    public func find(_ id: TaskID) async throws -> InspectionTask? {
        try await client.translatingErrors {
            let rows = try await client.query("SELECT \(unescaped: Self.columns) FROM tasks WHERE id = \(id)", logger: logger)
            return try await rows.decode(Row.self).all().first.map(Self.task)
        }
    }

    /// Saves the task's work plan (抽查工作方案).
    public func setWorkPlan(_ id: TaskID, _ plan: WorkPlan, audit: AuditRecord.Entry) async throws {
        let json = try JSONText.encode(plan)
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                "UPDATE tasks SET work_plan = \(json)::jsonb WHERE id = \(id) RETURNING id", logger: logger)
            guard try await rows.collect().isEmpty == false else { throw StoreError.notFound }
        }
    }

    /// Closes an open task, once.
    public func close(_ id: TaskID, audit: AuditRecord.Entry) async throws {
        try await client.audited(audit, logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE tasks SET status = 'closed' WHERE id = \(id) AND status = 'open' RETURNING id
                """, logger: logger)
            guard try await rows.collect().isEmpty == false else {
                throw DomainError(.taskClosed, "抽查任务已完结，不能再次完结", field: "task")
            }
        }
    }

    /// The tasks of an annual plan.
    public func tasks(ofPlans planIDs: [Int64]) async throws -> [InspectionTask] {
        try await client.translatingErrors {
            let rows = try await client.query(
                "SELECT \(unescaped: Self.columns) FROM tasks WHERE plan_id = ANY(\(planIDs)) ORDER BY id",
                logger: logger)
            return try await rows.decode(Row.self).all().map(Self.task)
        }
    }

    /// Tasks in id order after `cursor`; `department` keeps those of industries it originates or joins.
    public func list(industry: String?, department: DepartmentCode?, after cursor: Int64?, limit: Int) async throws -> [InspectionTask] {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.columns) FROM tasks t
                WHERE id > \(cursor ?? 0) AND (\(industry)::text IS NULL OR industry_code = \(industry))
                  AND (\(department)::text IS NULL OR originator = \(department) OR \(department) = ANY (participants))
                ORDER BY id LIMIT \(limit)
                """, logger: logger)
            return try await rows.decode(Row.self).all().map(Self.task)
        }
    }

    private static func task(_ row: Row) throws -> InspectionTask {
        let (
            id, industry, originator, name, kind, trigger, participants, jointListVersion, entries, scope, sampling, start, end,
            status, planID, workPlan
        ) = row
        return InspectionTask(
            id: id, planID: planID, industry: industry, originator: originator, name: name, kind: try .init(code: kind),
            trigger: try trigger.map { try JSONText.decode(InspectionTask.Trigger.self, $0) }, participants: participants,
            jointListVersion: jointListVersion, entries: entries, scope: try JSONText.decode(ObjectScope.self, scope),
            sampling: try JSONText.decode(Sampling.self, sampling),
            windowStart: try CalendarDate(stored: start), windowEnd: try CalendarDate(stored: end),
            status: try .init(code: status), workPlan: try workPlan.map { try JSONText.decode(WorkPlan.self, $0) }
        )
    }
}

/// Codable values as JSON text for jsonb columns: sorted keys, so equal values store equal text.
enum JSONText {
    static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ text: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
