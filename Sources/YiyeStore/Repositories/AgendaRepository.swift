import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// A department's agenda (待办), read off the state of what waits for it: one query over calls, draws, results,
/// objections, clues and meetings. A deadline is a moment or a day; a day's ends with it (`CalendarDate.endOfDayInChina`).
public struct AgendaRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Everything waiting for `department` at `now`, in no particular order (`Agenda` orders it for a user).
    public func items(for department: DepartmentCode, at now: Date) async throws -> [AgendaItem] {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                WITH me AS (SELECT \(department)::text AS code, \(now)::timestamptz AS now)
                SELECT 'call_to_answer', c.id, c.title, c.industry_code, 1, c.deadline, NULL::text, c.created_at
                FROM me, whistle_responses r JOIN whistle_calls c ON c.id = r.call_id
                WHERE r.department = me.code AND r.state IN ('unread', 'read') AND c.status = 'open'
                UNION ALL
                SELECT 'question_to_answer', c.id, c.title, c.industry_code, count(*)::int, c.deadline, NULL, max(r.responded_at)
                FROM me, whistle_calls c JOIN whistle_responses r ON r.call_id = c.id AND r.state = 'info_requested'
                WHERE c.raised_by = me.code AND c.status = 'open'
                GROUP BY c.id
                UNION ALL
                SELECT 'assignment_to_confirm', d.id, t.name, t.industry_code, 1, NULL, to_char(dc.deadline, 'YYYY-MM-DD'), d.executed_at
                FROM me, draw_confirmations dc JOIN draws d ON d.id = dc.draw_id JOIN tasks t ON t.id = d.task_id
                WHERE dc.department = me.code AND dc.confirmed_at IS NULL
                UNION ALL
                SELECT 'commitment_to_make', d.id, t.name, t.industry_code, 1, d.commit_deadline, NULL, d.frozen_at
                FROM me, draws d JOIN tasks t ON t.id = d.task_id
                WHERE d.executed_at IS NULL AND d.voided_at IS NULL AND me.now < d.commit_deadline
                  AND me.code = ANY (t.participants || t.originator)
                  AND NOT EXISTS (SELECT 1 FROM draw_parties p WHERE p.draw_id = d.id AND p.department = me.code)
                UNION ALL
                SELECT 'reveal_to_make', d.id, t.name, t.industry_code, 1, d.reveal_deadline, NULL, d.commit_deadline
                FROM me, draw_parties p JOIN draws d ON d.id = p.draw_id JOIN tasks t ON t.id = d.task_id
                WHERE p.department = me.code AND p.secret IS NULL AND d.executed_at IS NULL AND d.voided_at IS NULL
                  AND me.now >= d.commit_deadline AND me.now < d.reveal_deadline
                UNION ALL
                SELECT 'result_to_enter', d.id, t.name, t.industry_code, count(*)::int, NULL,
                       to_char(COALESCE(min(r.publish_due), min(rd.due)), 'YYYY-MM-DD'), d.executed_at
                FROM me, draw_outstanding o JOIN draws d ON d.id = o.draw_id JOIN tasks t ON t.id = d.task_id
                LEFT JOIN result_deadlines rd ON rd.draw_id = d.id
                LEFT JOIN inspection_results r
                       ON (r.draw_id, r.credit_code, r.department) = (o.draw_id, o.credit_code, o.department)
                WHERE o.department = me.code AND (r.id IS NULL OR r.status IN ('draft', 'returned', 'rejected'))
                GROUP BY d.id, t.id
                UNION ALL
                SELECT CASE r.status WHEN 'submitted' THEN 'result_to_review' ELSE 'result_to_publish' END, d.id, t.name,
                       t.industry_code, count(*)::int, NULL, to_char(min(r.publish_due), 'YYYY-MM-DD'), max(r.updated_at)
                FROM me, inspection_results r JOIN draws d ON d.id = r.draw_id JOIN tasks t ON t.id = d.task_id
                WHERE r.department = me.code AND r.status IN ('submitted', 'approved')
                GROUP BY r.status, d.id, t.id
                UNION ALL
                SELECT 'objection_to_reexamine', o.id, o.business_name, t.industry_code, 1, NULL, to_char(o.reexamine_due, 'YYYY-MM-DD'), o.created_at
                FROM me, objections o JOIN inspection_results r ON r.id = o.result_id JOIN draws d ON d.id = r.draw_id
                JOIN tasks t ON t.id = d.task_id
                WHERE o.department = me.code AND o.status = 'reexamining'
                UNION ALL
                SELECT CASE cr.state WHEN 'routed' THEN 'clue_to_accept' ELSE 'clue_to_conclude' END, cl.id,
                       left(cl.suspected_violation, 60), cl.industry_code, 1, cr.deadline, NULL, cr.routed_at
                FROM me, clue_routes cr JOIN clues cl ON cl.id = cr.clue_id
                WHERE cr.department = me.code AND cr.state IN ('routed', 'accepted')
                UNION ALL
                SELECT 'action_item_due', a.id, left(a.description, 60), m.industry_code, 1, NULL, to_char(a.due_date, 'YYYY-MM-DD'), a.created_at
                FROM me, meeting_action_items a JOIN meetings m ON m.id = a.meeting_id
                WHERE a.owner_department = me.code AND a.status = 'open'
                UNION ALL
                SELECT 'meeting_coming', m.id, m.title, m.industry_code, 1, m.starts_at, NULL, m.created_at
                FROM me, meetings m
                WHERE (m.convened_by = me.code OR me.code = ANY (m.invitees))
                  AND m.starts_at > me.now AND m.starts_at <= me.now + interval '14 days'
                """, logger: logger)
            var items: [AgendaItem] = []
            for try await (kind, subject, title, industry, count, moment, day, since) in rows.decode(
                (String, Int64, String, String, Int, Date?, String?, Date?).self)
            {
                guard let kind = AgendaItem.Kind(rawValue: kind) else { throw StoreError.unexpected("agenda kind \(kind)") }
                let deadline = moment ?? day.flatMap(CalendarDate.init)?.endOfDayInChina
                items.append(
                    .init(
                        kind: kind, subject: subject, title: title, industry: industry, count: count, deadline: deadline,
                        since: since ?? now))
            }
            return items
        }
    }
}
