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

    /// What an import did.
    public struct ImportReport: Sendable, Equatable {
        public var rows = 0
        public var inserted = 0
        public var updated = 0
        /// Bad rows: (line, reason), the first `maximumErrorsListed` of them.
        public var errors: [(line: Int, reason: String)] = []
        public var rejected = 0

        public static let maximumErrorsListed = 1000

        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.rows == rhs.rows && lhs.inserted == rhs.inserted && lhs.updated == rhs.updated && lhs.rejected == rhs.rejected
                && lhs.errors.map(\.line) == rhs.errors.map(\.line) && lhs.errors.map(\.reason) == rhs.errors.map(\.reason)
        }

        mutating func reject(_ line: Int, _ reason: String) {
            rejected += 1
            if errors.count < Self.maximumErrorsListed { errors.append((line, reason)) }
        }
    }

    /// Imports the CSV bytes of `chunks` in one transaction: every bad row is reported with its
    /// line and reason, good rows are upserted by 统一社会信用代码 (risk-class changes go to the history), and on any
    /// failure nothing is written. `accept` may refuse a valid row (e.g. outside the importer's remit).
    public func importCSV<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks,
        audit: AuditRecord.Entry,
        accept: @Sendable @escaping (InspectedObject) -> String? = { _ in nil }
    ) async throws -> ImportReport where Chunks.Element: Collection<UInt8> {
        try await client.translatingErrors(deadline: .seconds(3600)) {
            try await client.withTransaction(logger: logger) { connection in
                _ = try await connection.query("""
                    CREATE TEMP TABLE object_import (LIKE objects INCLUDING DEFAULTS) ON COMMIT DROP
                    """, logger: logger)
                var report = ImportReport()
                try await connection.copyFrom(
                    table: "object_import",
                    columns: ["credit_code", "name", "kind", "industries", "region_code", "address", "scale", "risk_class",
                              "risk_rated_on", "supervising_departments", "status", "tags"],
                    logger: logger
                ) { writer in
                    report = try await Self.stream(chunks, accept: accept, into: writer)
                }
                let counts = try await connection.query("""
                    WITH history AS (
                        INSERT INTO object_risk_history (credit_code, risk_class, rated_on)
                        SELECT i.credit_code, i.risk_class, i.risk_rated_on
                        FROM object_import i LEFT JOIN objects o ON o.credit_code = i.credit_code
                        WHERE i.risk_class IS NOT NULL
                          AND (o.credit_code IS NULL OR o.risk_class IS DISTINCT FROM i.risk_class
                               OR o.risk_rated_on IS DISTINCT FROM i.risk_rated_on)
                    ), upserted AS (
                        INSERT INTO objects (credit_code, name, kind, industries, region_code, address, scale, risk_class,
                                             risk_rated_on, supervising_departments, status, tags)
                        SELECT credit_code, name, kind, industries, region_code, address, scale, risk_class,
                               risk_rated_on, supervising_departments, status, tags FROM object_import
                        ON CONFLICT (credit_code) DO UPDATE SET
                            name = excluded.name, kind = excluded.kind, industries = excluded.industries,
                            region_code = excluded.region_code, address = excluded.address, scale = excluded.scale,
                            risk_class = excluded.risk_class, risk_rated_on = excluded.risk_rated_on,
                            supervising_departments = excluded.supervising_departments, status = excluded.status,
                            tags = excluded.tags, updated_at = now()
                        RETURNING (xmax = 0) AS inserted
                    )
                    SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM upserted
                    """, logger: logger).decode((Int, Int).self).all()
                report.inserted = counts.first?.0 ?? 0
                report.updated = counts.first?.1 ?? 0
                var entry = audit
                entry.details = "导入 \(report.rows) 行：新增 \(report.inserted)，更新 \(report.updated)，拒绝 \(report.rejected)"
                try await AuditTrail.append(entry, on: connection, logger: logger)
                return report
            }
        }
    }

    /// Parses, checks and writes rows to COPY in text format, flushing about every 256 KiB.
    private static func stream<Chunks: AsyncSequence>(
        _ chunks: Chunks, accept: (InspectedObject) -> String?, into writer: PostgresCopyFromWriter
    ) async throws -> ImportReport where Chunks.Element: Collection<UInt8> {
        var report = ImportReport()
        var reader = CSVReader()
        var layout: ObjectCSV?
        var headerError: DomainError?
        var seen: [String: Int] = [:]
        var buffer = ByteBuffer()
        func handle(_ record: CSVReader.Record) {
            guard let layout else {
                do throws(DomainError) { layout = try ObjectCSV(header: record.fields) } catch { headerError = error }
                return
            }
            report.rows += 1
            do throws(DomainError) {
                let object = try layout.object(from: record.fields)
                if let earlier = seen[object.creditCode] {
                    throw DomainError(.duplicateRow, "统一社会信用代码与第 \(earlier) 行重复", field: "creditCode")
                }
                if let refusal = accept(object) { throw DomainError(.invalidValue, refusal, field: "supervisingDepartments") }
                seen[object.creditCode] = record.line
                CopyText.append(object, to: &buffer)
            } catch {
                report.reject(record.line, error.message)
            }
        }
        for try await chunk in chunks {
            reader.read(chunk, emit: handle)
            if let headerError { throw headerError }
            if buffer.readableBytes > 256 * 1024 {
                try await writer.write(buffer)
                buffer.clear()
            }
        }
        reader.finish(emit: handle)
        if let headerError { throw headerError }
        if layout == nil { throw DomainError(.missingColumn, "文件为空：第 1 行须为表头", field: "header") }
        if buffer.readableBytes > 0 { try await writer.write(buffer) }
        return report
    }
}

/// PostgreSQL's COPY text format: tab-separated, `\N` for null, backslash escapes, arrays as `{"a","b"}`.
enum CopyText {
    static func append(_ object: InspectedObject, to buffer: inout ByteBuffer) {
        field(object.creditCode, &buffer)
        field(object.name, &buffer)
        field(object.kind.rawValue, &buffer)
        array(object.industries, &buffer)
        field(object.regionCode, &buffer)
        field(object.address, &buffer)
        field(object.scale?.rawValue, &buffer)
        field(object.riskClass?.rawValue, &buffer)
        field(object.riskRatedOn?.description, &buffer)
        array(object.supervisingDepartments, &buffer)
        field(object.status.rawValue, &buffer)
        array(object.tags, &buffer, last: true)
    }

    private static func field(_ value: String?, _ buffer: inout ByteBuffer, last: Bool = false) {
        if let value {
            escaped(value, &buffer, inArray: false)
        } else {
            buffer.writeStaticString("\\N")
        }
        buffer.writeInteger(last ? UInt8(ascii: "\n") : UInt8(ascii: "\t"))
    }

    /// An array literal with every element quoted; array escapes (`\"`, `\\`) are then escaped again for COPY.
    private static func array(_ values: [String], _ buffer: inout ByteBuffer, last: Bool = false) {
        buffer.writeInteger(UInt8(ascii: "{"))
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            buffer.writeInteger(UInt8(ascii: "\""))
            escaped(value, &buffer, inArray: true)
            buffer.writeInteger(UInt8(ascii: "\""))
        }
        buffer.writeInteger(UInt8(ascii: "}"))
        buffer.writeInteger(last ? UInt8(ascii: "\n") : UInt8(ascii: "\t"))
    }

    private static func escaped(_ value: String, _ buffer: inout ByteBuffer, inArray: Bool) {
        let special: (UInt8) -> Bool = { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || (inArray && $0 == 0x22) }
        guard value.utf8.contains(where: special) else {
            buffer.writeString(value)
            return
        }
        for byte in value.utf8 {
            switch byte {
            case 0x5C: buffer.writeStaticString(inArray ? "\\\\\\\\" : "\\\\")
            case 0x22 where inArray: buffer.writeStaticString("\\\\\"")
            case 0x09: buffer.writeStaticString("\\t")
            case 0x0A: buffer.writeStaticString("\\n")
            case 0x0D: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
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
