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

        public init(industry: String? = nil, region: String? = nil, riskClass: String? = nil, kind: String? = nil,
                    status: String? = nil, name: String? = nil) {
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
    private typealias Row = (String, String, String, [String], String, String, String?, String?, String?, [String], String, [String])

    /// Objects in credit-code order after `cursor`. `visibleTo` narrows to what a department sees: objects it
    /// supervises and objects in industries it originates or participates in (nil: everything).
    public func search(_ search: Search, visibleTo department: String?, after cursor: String?, limit: Int) async throws -> [InspectedObject] {
        try await client.translatingErrors {
            let pattern = search.name.map { "%" + $0.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%" }
            let regionPrefix = search.region.map { $0 + "%" }
            let rows = try await client.query("""
                SELECT \(unescaped: Self.columns) FROM objects
                WHERE credit_code > \(cursor ?? "")
                  AND (\(search.industry)::text IS NULL OR industries @> ARRAY[\(search.industry)::text])
                  AND (\(regionPrefix)::text IS NULL OR region_code LIKE \(regionPrefix))
                  AND (\(search.riskClass)::text IS NULL OR risk_class = \(search.riskClass))
                  AND (\(search.kind)::text IS NULL OR kind = \(search.kind))
                  AND (\(search.status)::text IS NULL OR status = \(search.status))
                  AND (\(pattern)::text IS NULL OR name LIKE \(pattern))
                  AND (\(search.creditCode)::text IS NULL OR credit_code = \(search.creditCode))
                  AND (\(department)::text IS NULL
                       OR supervising_departments @> ARRAY[\(department)::text]
                       OR industries && ARRAY(SELECT code FROM industries WHERE originating_department = \(department)
                                              UNION SELECT industry_code FROM industry_participants
                                                    WHERE department_code = \(department)))
                ORDER BY credit_code LIMIT \(limit)
                """, logger: logger)
            return try await rows.decode(Row.self).all().map(Self.object)
        }
    }

    /// One object with its risk-class history (oldest first), when `department` (nil: the office) sees it.
    public func find(_ creditCode: String, visibleTo department: String?) async throws -> (InspectedObject, [(String, String)])? {
        var exactly = Search()
        exactly.creditCode = creditCode
        guard let object = try await search(exactly, visibleTo: department, after: nil, limit: 1).first else { return nil }
        let history = try await client.translatingErrors {
            try await client.query("""
                SELECT risk_class, to_char(rated_on, 'YYYY-MM-DD') FROM object_risk_history
                WHERE credit_code = \(creditCode) ORDER BY rated_on, id
                """, logger: logger).decode((String, String).self).all()
        }
        return (object, history.map { ($0.0, $0.1) })
    }

    private static func object(_ row: Row) -> InspectedObject {
        InspectedObject(
            creditCode: row.0, name: row.1, kind: .init(rawValue: row.2) ?? .enterprise, industries: row.3, regionCode: row.4,
            address: row.5, scale: row.6.flatMap(InspectedObject.Scale.init(rawValue:)),
            riskClass: row.7.flatMap(InspectedObject.RiskClass.init(rawValue:)), riskRatedOn: row.8.flatMap(CalendarDate.init),
            supervisingDepartments: row.9, status: .init(rawValue: row.10) ?? .active, tags: row.11
        )
    }
}
