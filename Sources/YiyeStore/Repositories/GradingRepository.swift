import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// 一业一评 in PostgreSQL: objects' current grades and their history, worked out by `grade_objects`
/// (sql/0036_industry_grading.sql) whenever what they read changes; the indicator systems themselves are versioned
/// documents (`ListVersionRepository<IndicatorSystem>`).
public struct GradingRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// How long grading a whole industry may take (a million objects take seconds; publication and a regrade wait
    /// for it in one transaction).
    public static let industryDeadline: Duration = .seconds(300)

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// A current grade as stored: each indicator's input and points in the order of its system version.
    public struct StoredGrade: Sendable {
        public var creditCode: String
        public var objectName: String
        public var systemVersion: Int
        public var grade: String
        public var inputs: [String]
        public var points: [Int]
        public var gradedAt: Date
    }

    /// One grade an object held: the current one or one before.
    public struct HistoryEntry: Sendable, Equatable {
        public var systemVersion: Int
        public var score: String
        public var grade: String
        public var level: Int
        public var previousGrade: String?
        public var cause: GradeCause
        public var gradedAt: Date
    }

    private typealias GradeRow = (String, String, Int, String, [String], [Int16], Date)

    /// The industry's grades in credit-code order after `cursor`, at most `limit`, of one grade when `grade` is given.
    public func grades(_ industry: String, grade: String?, after cursor: String?, limit: Int) async throws -> [StoredGrade] {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT g.credit_code, o.name, g.system_version, g.grade, g.inputs, g.points, g.graded_at
                FROM object_grades g JOIN objects o USING (credit_code)
                WHERE g.industry_code = \(industry) AND (\(grade)::text IS NULL OR g.grade = \(grade))
                  AND g.credit_code > \(cursor ?? "")
                ORDER BY g.credit_code LIMIT \(limit)
                """, logger: logger)
            return try await rows.decode(GradeRow.self).all().map(Self.grade)
        }
    }

    public func grade(_ industry: String, creditCode: String) async throws -> StoredGrade? {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT g.credit_code, o.name, g.system_version, g.grade, g.inputs, g.points, g.graded_at
                FROM object_grades g JOIN objects o USING (credit_code)
                WHERE g.industry_code = \(industry) AND g.credit_code = \(creditCode)
                """, logger: logger)
            return try await rows.decode(GradeRow.self).all().first.map(Self.grade)
        }
    }

    /// The object's grades in the industry, newest first: its current grade, then each it held before (at most 100
    /// in all). An entry's previous grade is the one it replaced, none when the object had no grade just before.
    public func history(_ industry: String, creditCode: String) async throws -> [HistoryEntry] {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT system_version, score::text, grade, level, cause, graded_at, superseded_at FROM (
                    SELECT NULL::bigint AS id, system_version, score, grade, level, cause, graded_at, NULL::timestamptz AS superseded_at
                    FROM object_grades WHERE industry_code = \(industry) AND credit_code = \(creditCode)
                    UNION ALL
                    SELECT id, system_version, score, grade, level, cause, graded_at, superseded_at
                    FROM object_grade_history WHERE industry_code = \(industry) AND credit_code = \(creditCode)
                ) e
                ORDER BY id DESC NULLS FIRST LIMIT 101
                """, logger: logger)
            var grades: [(entry: HistoryEntry, supersededAt: Date?)] = []
            for try await (version, score, grade, level, cause, at, superseded) in rows.decode(
                (Int, String, String, Int16, String, Date, Date?).self)
            {
                grades.append(
                    (
                        HistoryEntry(
                            systemVersion: version, score: score, grade: grade, level: Int(level), previousGrade: nil,
                            cause: try GradeCause(code: cause), gradedAt: at), superseded
                    ))
            }
            // A grade superseded in the very transaction that brought the next one is that one's previous grade.
            for index in grades.indices.dropLast() where grades[index + 1].supersededAt == grades[index].entry.gradedAt {
                grades[index].entry.previousGrade = grades[index + 1].entry.grade
            }
            return grades.prefix(100).map(\.entry)
        }
    }

    /// Each industry's 等级分布 (of `industries`, or all): every band of its latest published system, in order, with how
    /// many objects hold it, counting only the objects whose region code starts with `region` when one is given.
    public func distribution(industries: [String]?, region: String?) async throws -> [String: [GradeCount]] {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                WITH counted AS (
                    SELECT g.industry_code, g.grade, count(*)::int AS objects FROM object_grades g
                    WHERE (\(industries)::text[] IS NULL OR g.industry_code = ANY(\(industries)))
                      AND (\(region)::text IS NULL
                           OR EXISTS (SELECT 1 FROM objects o WHERE o.credit_code = g.credit_code AND o.region_code LIKE \(region) || '%'))
                    GROUP BY 1, 2
                )
                SELECT v.owner, b.x->>'code', b.x->>'name', (b.x->>'minimumScore')::int, b.ord::int, coalesce(c.objects, 0)
                FROM (SELECT DISTINCT ON (owner) owner, document FROM list_versions
                      WHERE kind = 'indicator_system' AND status = 'published' AND (\(industries)::text[] IS NULL OR owner = ANY(\(industries)))
                      ORDER BY owner, version DESC) v
                     CROSS JOIN LATERAL jsonb_array_elements(v.document->'bands') WITH ORDINALITY b(x, ord)
                     LEFT JOIN counted c ON c.industry_code = v.owner AND c.grade = b.x->>'code'
                ORDER BY v.owner, b.ord
                """, logger: logger)
            var counts: [String: [GradeCount]] = [:]
            for try await (industry, code, name, minimum, level, objects) in rows.decode((String, String, String, Int, Int, Int).self) {
                counts[industry, default: []].append(
                    GradeCount(band: GradeBand(code: code, name: name, minimumScore: minimum), level: level, objects: objects))
            }
            return counts
        }
    }

    /// Grades every object of the industry again from its latest published system, as one statement, and records it.
    public func regrade(_ industry: String, audit: AuditRecord.Entry) async throws -> (graded: Int, changed: Int) {
        try await client.transaction(logger: logger, deadline: Self.industryDeadline) { connection in
            let rows = try await connection.query(
                "SELECT graded::int, changed::int FROM grade_objects(\(industry), NULL, 'regrade')", logger: logger)
            guard let (graded, changed) = try await rows.decode((Int, Int).self).all().first else {
                throw StoreError.unexpected("grade_objects returned no row")
            }
            var entry = audit
            entry.details = "评定 \(graded) 个对象，\(changed) 个有变化"
            try await AuditTrail.append(entry, on: connection, logger: logger)
            return (graded, changed)
        }
    }

    private static func grade(_ row: GradeRow) -> StoredGrade {
        StoredGrade(
            creditCode: row.0, objectName: row.1, systemVersion: row.2, grade: row.3, inputs: row.4,
            points: row.5.map(Int.init), gradedAt: row.6)
    }
}
