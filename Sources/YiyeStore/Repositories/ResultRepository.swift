import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// Inspection results (检查结果): each department's result of each drawn object, its reviews and its published versions.
public struct ResultRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Which result: a department's, for one object of one draw; named `draw/object/department` in the audit trail.
    public struct Key: Sendable, Equatable, CustomStringConvertible {
        public var drawID: DrawID
        public var creditCode: String
        public var department: DepartmentCode

        public init(drawID: DrawID, creditCode: String, department: DepartmentCode) {
            self.drawID = drawID
            self.creditCode = creditCode
            self.department = department
        }

        public var description: String { "\(drawID)/\(creditCode)/\(department)" }
    }

    /// What a change did besides the result itself: a review to keep, or a version to publish (the result's
    /// `version`; the first has no change, every later one its change and reason).
    public enum Event: Sendable {
        case reviewed(ResultReview)
        case published(PublicResult, by: String, at: Date, change: (VersionChange, reason: String)? = nil)
    }

    private static let columns = """
        r.id, r.draw_id, r.credit_code, r.department, r.status, to_char(r.inspected_on, 'YYYY-MM-DD'), r.remarks, r.entered_by,
        to_char(r.publish_due, 'YYYY-MM-DD'), to_char(r.deadline_from, 'YYYY-MM-DD'), r.deadline_working_days, r.version,
        r.withholding::text, r.relief::text
        """
    private typealias Row = (
        Int64, DrawID, String, DepartmentCode, String, String?, String, String, String, String, Int, Int, String?, String?
    )

    /// Every department's result for `creditCode` in the draw, by department, each with its reviews.
    public func results(of drawID: DrawID, object creditCode: String) async throws -> [(InspectionResult, [ResultReview], WorkingDayCount)]
    {
        try await client.translatingErrors {
            try await client.withConnection { connection in
                let rows = try await connection.query(
                    """
                    SELECT \(unescaped: Self.columns) FROM inspection_results r
                    WHERE r.draw_id = \(drawID) AND r.credit_code = \(creditCode) ORDER BY r.department
                    """, logger: logger
                ).decode(Row.self).all()
                let results = try await Self.assemble(rows, on: connection, logger: logger)
                let reviews = try await Self.reviews(of: results.compactMap(\.0.id), on: connection, logger: logger)
                return results.map { ($0.0, reviews[$0.0.id ?? 0] ?? [], $0.1) }
            }
        }
    }

    /// Applies `change` to the department's result under a row lock (to `fresh` when it has none yet; not found when
    /// there is no `fresh`), saves it with its publication deadline (`due`, or the one stored), and keeps what the change
    /// returns: a review, or a published version.
    public func modify(
        _ key: Key, audit: AuditRecord.Entry, fresh: InspectionResult? = nil, due: (count: WorkingDayCount, date: CalendarDate)? = nil,
        _ change: @Sendable @escaping (inout InspectionResult) throws -> Event?
    ) async throws {
        try await client.audited(audit, logger: logger) { connection in
            try await Self.modify(key, fresh: fresh, due: due, on: connection, logger: logger, change)
        }
    }

    /// `modify` for a change that depends on whether an objection to the result is being re-examined (异议处理中): read
    /// under the result's lock, which filing an objection takes too.
    public func modify(
        _ key: Key, audit: AuditRecord.Entry,
        knowingObjection change: @Sendable @escaping (inout InspectionResult, _ underObjection: Bool) throws -> Event?
    ) async throws {
        try await client.audited(audit, logger: logger) { connection in
            let open =
                try await connection.query(
                    """
                    SELECT \(unescaped: Self.underObjection)
                    FROM (SELECT id AS result_id FROM inspection_results
                          WHERE draw_id = \(key.drawID) AND credit_code = \(key.creditCode) AND department = \(key.department)
                          FOR UPDATE) p
                    """, logger: logger
                ).decode(Bool.self).all().first ?? false
            try await Self.modify(key, on: connection, logger: logger) { try change(&$0, open) }
        }
    }

    /// `modify`, within the caller's transaction.
    static func modify(
        _ key: Key, fresh: InspectionResult? = nil, due: (count: WorkingDayCount, date: CalendarDate)? = nil,
        on connection: PostgresConnection, logger: Logger, _ change: (inout InspectionResult) throws -> Event?
    ) async throws {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM inspection_results r
            WHERE r.draw_id = \(key.drawID) AND r.credit_code = \(key.creditCode) AND r.department = \(key.department)
            FOR UPDATE
            """, logger: logger
        ).decode(Row.self).all()
        let stored = try await Self.assemble(rows, on: connection, logger: logger).first
        guard var result = stored?.0 ?? fresh, let count = due?.count ?? stored?.1 else { throw StoreError.notFound }
        let event = try change(&result)
        if let due { result.publishDue = due.date }
        if case .published(let content, let publisher, let at, let change) = event, let id = stored?.0.id {
            _ = try await connection.query(
                """
                INSERT INTO published_results (result_id, version, credit_code, object_name, industry_code, department,
                                               inspected_on, published_by, published_at, change, reason, content)
                VALUES (\(id), \(result.version), \(content.creditCode), \(content.objectName), \(content.industry),
                        \(content.department), \(content.inspectedOn.description)::date, \(publisher), \(at), \(change?.0.rawValue),
                        \(change?.reason ?? ""), \(try JSONText.encode(content))::jsonb)
                """, logger: logger)
        }
        let id = try await Self.save(result, over: stored?.0, count: count, on: connection, logger: logger)
        if case .published = event {
            try await DrawCompletion.published(
                ResultOwed(object: key.creditCode, department: key.department), of: key.drawID, on: connection, logger: logger)
        }
        if case .reviewed(let review) = event {
            _ = try await connection.query(
                """
                INSERT INTO result_reviews (result_id, decision, reviewer, opinion, at)
                VALUES (\(id), \(review.decision.rawValue), \(review.reviewer), \(review.opinion), \(review.at))
                """, logger: logger)
        }
    }

    /// The (object, department) pairs of a draw with a published result.
    public func published(of drawID: DrawID) async throws -> Set<ResultOwed> {
        try await client.translatingErrors {
            try await client.withConnection { connection in try await Self.published(of: drawID, on: connection, logger: logger) }
        }
    }

    static func published(of drawID: DrawID, on connection: PostgresConnection, logger: Logger) async throws -> Set<ResultOwed> {
        Set(
            try await connection.query(
                "SELECT credit_code, department FROM inspection_results WHERE draw_id = \(drawID) AND status = 'published'",
                logger: logger
            ).decode((String, DepartmentCode).self).all().map { ResultOwed(object: $0.0, department: $0.1) })
    }

    /// What the public searches published results by.
    public struct Search: Sendable, Equatable {
        public var creditCode: String?
        /// The start of the business's name.
        public var name: String?
        public var industry: String?
        public var department: DepartmentCode?
        public var year: Int?

        public init(
            creditCode: String? = nil, name: String? = nil, industry: String? = nil, department: DepartmentCode? = nil, year: Int? = nil
        ) {
            self.creditCode = creditCode
            self.name = name
            self.industry = industry
            self.department = department
            self.year = year
        }
    }

    /// Published results, their latest version, newest first, before the row `cursor`, filtered as asked; each with
    /// its row, the next page's cursor.
    public func published(_ search: Search, before cursor: Int64?, limit: Int) async throws -> [(row: Int64, version: PublishedVersion)] {
        try await client.translatingErrors {
            let prefix = search.name.map(SQLConditions.startingWith)
            let rows = try await client.query(
                """
                SELECT p.id, p.result_id, p.version, p.published_at, p.change, p.reason, p.content::text, \(unescaped: Self.underObjection)
                FROM published_results p
                WHERE p.id < \(cursor ?? Int64.max)
                  AND NOT EXISTS (SELECT 1 FROM published_results n WHERE n.result_id = p.result_id AND n.version > p.version)
                  AND p.change IS DISTINCT FROM 'publication_stopped'
                  AND (\(search.creditCode)::text IS NULL OR p.credit_code = \(search.creditCode))
                  AND (\(prefix)::text IS NULL OR p.object_name LIKE \(prefix))
                  AND (\(search.industry)::text IS NULL OR p.industry_code = \(search.industry))
                  AND (\(search.department)::text IS NULL OR p.department = \(search.department))
                  AND (\(search.year)::integer IS NULL OR p.inspected_on BETWEEN make_date(\(search.year ?? 2000)::integer, 1, 1)
                                                                           AND make_date(\(search.year ?? 2000)::integer, 12, 31))
                ORDER BY p.id DESC LIMIT \(limit)
                """, logger: logger
            ).decode((Int64, Int64, Int, Date, String?, String, String, Bool).self).all()
            return try rows.map { (row: $0.0, version: try Self.version(($0.1, $0.2, $0.3, $0.4, $0.5, $0.6, $0.7))) }
        }
    }

    /// Where an export stopped: the last row's publication time and id.
    public struct ExportCursor: Sendable {
        /// Microseconds since 1970, exactly as stored.
        var publishedAtMicroseconds: Int64
        var row: Int64
    }

    /// Every published version (not only the latest) published from `from` to `to` (China days, both included, open
    /// when nil), in the order of publication, after `cursor`: one page of an export, with the cursor of its last row.
    public func exported(from: CalendarDate?, to: CalendarDate?, after cursor: ExportCursor?, limit: Int) async throws
        -> (versions: [PublishedVersion], next: ExportCursor?)
    {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT p.id, p.result_id, p.version, p.published_at, p.change, p.reason, p.content::text,
                       (extract(epoch FROM p.published_at) * 1000000)::bigint
                FROM published_results p
                WHERE (p.published_at, p.id) > ('epoch'::timestamptz + \(cursor?.publishedAtMicroseconds ?? 0) * interval '1 microsecond',
                                                \(cursor?.row ?? 0))
                  AND p.published_at >= (\(from?.description ?? "2000-01-01")::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
                  AND p.published_at < (\(to?.description ?? "2999-12-31")::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
                  AND (p.change = 'publication_stopped'
                       OR NOT EXISTS (SELECT 1 FROM published_results s WHERE s.result_id = p.result_id AND s.change = 'publication_stopped'))
                ORDER BY p.published_at, p.id LIMIT \(limit)
                """, logger: logger
            ).decode((Int64, Int64, Int, Date, String?, String, String, Int64).self).all()
            let decoder = JSONDecoder()
            let versions = try rows.map { try Self.version(($0.1, $0.2, $0.3, $0.4, $0.5, $0.6, false), decoder: decoder) }
            return (versions, rows.last.map { ExportCursor(publishedAtMicroseconds: $0.7, row: $0.0) })
        }
    }

    /// Every published version of a result, oldest first (none when it was never published).
    public func versions(of resultID: Int64) async throws -> [PublishedVersion] {
        try await client.translatingErrors {
            try await client.withConnection { try await Self.versions(of: resultID, on: $0, logger: logger) }
        }
    }

    static func versions(of resultID: Int64, on connection: PostgresConnection, logger: Logger) async throws -> [PublishedVersion] {
        try await connection.query(
            """
            SELECT p.result_id, p.version, p.published_at, p.change, p.reason, p.content::text, \(unescaped: Self.underObjection)
            FROM published_results p WHERE p.result_id = \(resultID) ORDER BY p.version
            """, logger: logger
        ).decode((Int64, Int, Date, String?, String, String, Bool).self).all().map { try Self.version($0) }
    }

    /// Whether an objection to the published row `p`'s result is being re-examined (异议处理中).
    private static let underObjection =
        "EXISTS (SELECT 1 FROM objections o WHERE o.result_id = p.result_id AND o.status = 'reexamining')"

    private static func version(
        _ row: (Int64, Int, Date, String?, String, String, Bool), decoder: JSONDecoder = JSONDecoder()
    ) throws -> PublishedVersion {
        PublishedVersion(
            resultID: row.0, version: row.1, publishedAt: row.2, change: try row.3.map { try VersionChange(code: $0) }, reason: row.4,
            content: try decoder.decode(PublicResult.self, from: Data(row.5.utf8)), underObjection: row.6)
    }

    // MARK: - Rows

    private static func assemble(
        _ rows: [Row], on connection: PostgresConnection, logger: Logger
    ) async throws -> [(InspectionResult, WorkingDayCount)] {
        let ids = rows.map(\.0)
        var items: [Int64: [ItemResult]] = [:]
        for try await (result, entry, outcome, method, finding, basis, evidence) in try await connection.query(
            """
            SELECT result_id, entry_number, outcome, method, finding, breached_basis, evidence FROM result_items
            WHERE result_id = ANY(\(ids)) ORDER BY result_id, entry_number
            """, logger: logger
        ).decode((Int64, Int, String, String, String, String, [String]).self) {
            items[result, default: []].append(
                ItemResult(
                    entry: entry, outcome: try .init(code: outcome), method: try .init(code: method), finding: finding,
                    breachedBasis: basis, evidence: evidence))
        }
        var categories: [Int64: [CategoryFinding]] = [:]
        for try await (result, finding) in try await connection.query(
            "SELECT result_id, finding::text FROM result_categories WHERE result_id = ANY(\(ids)) ORDER BY result_id, position",
            logger: logger
        ).decode((Int64, String).self) {
            categories[result, default: []].append(try JSONText.decode(CategoryFinding.self, finding))
        }
        return try rows.map { row in
            let (
                id, drawID, creditCode, department, status, inspectedOn, remarks, enteredBy, due, from, workingDays, version, withholding,
                relief
            ) =
                row
            guard let due = CalendarDate(due), let from = CalendarDate(from) else {
                throw StoreError.unexpected("deadline of result \(id) is unreadable")
            }
            let result = InspectionResult(
                id: id, drawID: drawID, creditCode: creditCode, department: department, status: try .init(code: status),
                inspectedOn: inspectedOn.flatMap(CalendarDate.init), items: items[id] ?? [], categories: categories[id] ?? [],
                remarks: remarks, enteredBy: enteredBy, publishDue: due, version: version,
                withholding: try withholding.map { try JSONText.decode(Withholding.self, $0) },
                relief: try relief.map { try JSONText.decode(PublicityRelief.self, $0) })
            return (result, WorkingDayCount(from: from, workingDays: workingDays))
        }
    }

    private static func reviews(of ids: [Int64], on connection: PostgresConnection, logger: Logger) async throws -> [Int64: [ResultReview]]
    {
        var reviews: [Int64: [ResultReview]] = [:]
        for try await (result, decision, reviewer, opinion, at) in try await connection.query(
            "SELECT result_id, decision, reviewer, opinion, at FROM result_reviews WHERE result_id = ANY(\(ids)) ORDER BY result_id, id",
            logger: logger
        ).decode((Int64, String, String, String, Date).self) {
            reviews[result, default: []].append(
                ResultReview(decision: try .init(code: decision), reviewer: reviewer, opinion: opinion, at: at))
        }
        return reviews
    }

    /// Writes the result: its items and categories first (while the stored row still says the department may edit
    /// them), then the row itself.
    private static func save(
        _ result: InspectionResult, over before: InspectionResult?, count: WorkingDayCount, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Int64 {
        let inspectedOn = result.inspectedOn?.description
        let id: Int64
        if let before, let existing = before.id {
            id = existing
        } else {
            let rows = try await connection.query(
                """
                INSERT INTO inspection_results (draw_id, credit_code, department, status, inspected_on, remarks, entered_by,
                                                publish_due, deadline_from, deadline_working_days)
                VALUES (\(result.drawID), \(result.creditCode), \(result.department), 'draft', \(inspectedOn)::date, \(result.remarks),
                        \(result.enteredBy), \(result.publishDue.description)::date, \(count.from.description)::date, \(count.workingDays))
                RETURNING id
                """, logger: logger)
            guard let inserted = try await rows.decode(Int64.self).all().first else { throw StoreError.unexpected("result not inserted") }
            id = inserted
        }
        if before == nil || before?.items != result.items || before?.categories != result.categories {
            _ = try await connection.query("DELETE FROM result_items WHERE result_id = \(id)", logger: logger)
            _ = try await connection.query("DELETE FROM result_categories WHERE result_id = \(id)", logger: logger)
            for item in result.items {
                _ = try await connection.query(
                    """
                    INSERT INTO result_items (result_id, entry_number, outcome, method, finding, breached_basis, evidence)
                    VALUES (\(id), \(item.entry), \(item.outcome.rawValue), \(item.method.rawValue), \(item.finding), \(item.breachedBasis),
                            \(item.evidence))
                    """, logger: logger)
            }
            for (position, finding) in result.categories.enumerated() {
                _ = try await connection.query(
                    """
                    INSERT INTO result_categories (result_id, position, category, finding)
                    VALUES (\(id), \(position), \(finding.category.rawValue), \(try JSONText.encode(finding))::jsonb)
                    """, logger: logger)
            }
        }
        if before != nil, before != result {
            _ = try await connection.query(
                """
                UPDATE inspection_results SET status = \(result.status.rawValue), inspected_on = \(inspectedOn)::date,
                       remarks = \(result.remarks), entered_by = \(result.enteredBy), publish_due = \(result.publishDue.description)::date,
                       deadline_from = \(count.from.description)::date, deadline_working_days = \(count.workingDays),
                       version = \(result.version), withholding = \(try result.withholding.map(JSONText.encode))::jsonb,
                       relief = \(try result.relief.map(JSONText.encode))::jsonb, updated_at = now()
                WHERE id = \(id)
                """, logger: logger)
        } else if before == nil, result.status != .draft {
            _ = try await connection.query(
                "UPDATE inspection_results SET status = \(result.status.rawValue) WHERE id = \(id)", logger: logger)
        }
        return id
    }
}
