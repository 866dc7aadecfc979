import Logging
import NIOCore
import PostgresNIO
import YiyeCore

/// The object directory in PostgreSQL: bulk import through COPY, search, history.
public struct ObjectRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }
}

extension ObjectRepository {
    /// Search filters; all optional. `region` matches a region code prefix (3301 finds 330110).
    public struct Search: Sendable {
        public var industry: String?
        public var region: String?
        public var riskClass: String?
        public var kind: String?
        public var status: String?
        /// Part of the name.
        public var name: String?
        /// Exactly this object.
        public var creditCode: String?

        public init(
            industry: String? = nil, region: String? = nil, riskClass: String? = nil, kind: String? = nil,
            status: String? = nil, name: String? = nil
        ) {
            self.industry = industry
            self.region = region
            self.riskClass = riskClass
            self.kind = kind
            self.status = status
            self.name = name
        }
    }

    private static let columns = """
        credit_code, name, kind, industries, region_code, address, scale, risk_class,
        to_char(risk_rated_on, 'YYYY-MM-DD'), supervising_departments, status, tags
        """
    private typealias Row = (
        String, String, String, [String], String, String, String?, String?, String?, [DepartmentCode], String, [String]
    )

    /// Objects in credit-code order after `cursor`. `visibleTo` narrows to what a department sees: objects it
    /// supervises and objects in industries it originates or participates in (nil: everything).
    public func search(_ search: Search, visibleTo department: DepartmentCode?, after cursor: String?, limit: Int) async throws
        -> [InspectedObject]
    {
        try await client.translatingErrors {
            let query = try await query(search, visibleTo: department, after: cursor, limit: limit)
            return try await client.query(query, logger: logger).decode(Row.self).all().map(Self.object)
        }
    }

    /// PostgreSQL's plan for a search, with timings (`EXPLAIN ANALYZE`), for benchmarks and diagnosis.
    public func explain(_ search: Search, visibleTo department: DepartmentCode?, limit: Int) async throws -> String {
        try await client.translatingErrors {
            let query = try await query(search, visibleTo: department, after: nil, limit: limit)
            let plan = try await client.query(
                PostgresQuery(unsafeSQL: "EXPLAIN (ANALYZE, BUFFERS) " + query.sql, binds: query.binds),
                logger: logger
            ).decode(String.self).all()
            return plan.joined(separator: "\n")
        }
    }

    /// The search as SQL holding only the filters given, so the planner picks the index that fits them.
    private func query(_ search: Search, visibleTo department: DepartmentCode?, after cursor: String?, limit: Int) async throws
        -> PostgresQuery
    {
        var conditions = SQLConditions()
        if let cursor { conditions.add("credit_code > \(try conditions.bind(cursor))") }
        if let code = search.creditCode { conditions.add("credit_code = \(try conditions.bind(code))") }
        if let industry = search.industry { conditions.add("industries @> ARRAY[\(try conditions.bind(industry))]") }
        if let region = search.region {
            // A full code is an equality, so the (region_code, credit_code) index returns rows already in order.
            conditions.add(
                region.count == 6
                    ? "region_code = \(try conditions.bind(region))"
                    : "region_code LIKE \(try conditions.bind(region + "%"))")
        }
        if let risk = search.riskClass { conditions.add("risk_class = \(try conditions.bind(risk))") }
        if let kind = search.kind { conditions.add("kind = \(try conditions.bind(kind))") }
        if let status = search.status { conditions.add("status = \(try conditions.bind(status))") }
        if let name = search.name { conditions.add("name LIKE \(try conditions.bind(SQLConditions.containing(name)))") }
        if let department {
            let industries = try await client.query(
                """
                SELECT code FROM industries WHERE originating_department = \(department)
                UNION SELECT industry_code FROM industry_participants WHERE department_code = \(department)
                """, logger: logger
            ).decode(String.self).all()
            conditions.add(
                """
                supervising_departments @> ARRAY[\(try conditions.bind(department))] OR industries && \(try conditions.bind(industries))::text[]
                """)
        }
        let sql = "SELECT \(Self.columns) FROM objects \(conditions.whereClause) ORDER BY credit_code LIMIT \(limit)"
        return PostgresQuery(unsafeSQL: sql, binds: conditions.binds)
    }

    /// One object with its risk-class history (oldest first), when `department` (nil: the office) sees it.
    public func find(_ creditCode: String, visibleTo department: DepartmentCode?) async throws -> (InspectedObject, [(String, String)])? {
        var exactly = Search()
        exactly.creditCode = creditCode
        guard let object = try await search(exactly, visibleTo: department, after: nil, limit: 1).first else { return nil }
        let history = try await client.translatingErrors {
            try await client.query(
                """
                SELECT risk_class, to_char(rated_on, 'YYYY-MM-DD') FROM object_risk_history
                WHERE credit_code = \(creditCode) ORDER BY rated_on, id
                """, logger: logger
            ).decode((String, String).self).all()
        }
        return (object, history.map { ($0.0, $0.1) })
    }

    private static func object(_ row: Row) throws -> InspectedObject {
        let (creditCode, name, kind, industries, regionCode, address, scale, riskClass, ratedOn, supervisors, status, tags) = row
        return InspectedObject(
            creditCode: creditCode, name: name, kind: try .init(code: kind), industries: industries, regionCode: regionCode,
            address: address, scale: try scale.map { try InspectedObject.Scale(code: $0) },
            riskClass: try riskClass.map { try InspectedObject.RiskClass(code: $0) },
            riskRatedOn: try ratedOn.map { try CalendarDate(stored: $0) },
            supervisingDepartments: supervisors, status: try .init(code: status), tags: tags
        )
    }
}
