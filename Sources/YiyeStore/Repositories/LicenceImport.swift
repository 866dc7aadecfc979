import Logging
import NIOCore
import PostgresNIO
import YiyeCore

/// The licences departments issue (许可证), imported through COPY and read with the object.
extension ObjectRepository {
    /// Imports the CSV bytes of `chunks` as licences issued by `department`, in one transaction: every bad row is
    /// reported with its line and reason; a row about an object not in the directory, outside the department's remit
    /// (unless `anyObject`), or replacing another department's licence is refused; good rows replace the object's
    /// licence of the same name, which grades the object again (`sql/0040_object_licences.sql`).
    public func importLicences<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, department: DepartmentCode, anyObject: Bool, audit: AuditRecord.Entry
    ) async throws -> ImportReport where Chunks.Element: Collection<UInt8> {
        try await client.translatingErrors(deadline: .seconds(3600)) {
            try await client.withTransaction(logger: logger) { connection in
                _ = try await connection.query(
                    """
                    CREATE TEMP TABLE licence_import (line integer NOT NULL, credit_code text, licence text, number text, issued_by text,
                                                      valid_until date, status text) ON COMMIT DROP
                    """, logger: logger)
                var report = ImportReport()
                try await connection.copyFrom(
                    table: "licence_import", columns: ["line", "credit_code", "licence", "number", "issued_by", "valid_until", "status"],
                    logger: logger
                ) { writer in
                    report = try await CSVImport.stream(
                        chunks, layout: LicenceCSV.init(header:),
                        row: { layout, fields, line, buffer throws(DomainError) in
                            CopyText.append(try layout.licence(from: fields, issuedBy: department), line: line, to: &buffer)
                        }, into: writer)
                }
                try await CSVImport.rejectDuplicates(
                    in: "licence_import", key: "credit_code, licence", label: "同一对象的同名许可证", report: &report, on: connection,
                    logger: logger)
                let refused = try await connection.query(
                    """
                    WITH judged AS (
                        SELECT t.line,
                               CASE WHEN o.credit_code IS NULL THEN 'unknown'
                                    WHEN l.credit_code IS NOT NULL THEN 'other'
                                    WHEN NOT \(anyObject) AND NOT t.issued_by = ANY (o.supervising_departments) THEN 'remit' END AS why
                        FROM licence_import t LEFT JOIN objects o ON o.credit_code = t.credit_code
                             LEFT JOIN object_licences l ON l.credit_code = t.credit_code AND l.licence = t.licence AND l.issued_by <> t.issued_by
                    )
                    DELETE FROM licence_import t USING judged j WHERE j.line = t.line AND j.why IS NOT NULL
                    RETURNING t.line, j.why
                    """, logger: logger)
                for try await (line, why) in refused.decode((Int, String).self) {
                    let reason =
                        switch why {
                        case "unknown": "统一社会信用代码不在检查对象名录中"
                        case "other": "该对象的同名许可证由其他部门核发，不能替换"
                        default: "不在本部门监管范围内（监管部门须包含 \(department)）"
                        }
                    report.reject(line, reason)
                }
                let counts = try await connection.query(
                    """
                    WITH upserted AS (
                        INSERT INTO object_licences AS l (credit_code, licence, number, issued_by, valid_until, status)
                        SELECT credit_code, licence, number, issued_by, valid_until, status FROM licence_import ORDER BY line
                        ON CONFLICT (credit_code, licence) DO UPDATE
                            SET number = excluded.number, valid_until = excluded.valid_until, status = excluded.status, imported_at = now()
                            WHERE (l.number, l.valid_until, l.status) IS DISTINCT FROM (excluded.number, excluded.valid_until, excluded.status)
                        RETURNING (xmax = 0) AS inserted
                    )
                    SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM upserted
                    """, logger: logger)
                try await CSVImport.finish(&report, counts: counts, audit: audit, on: connection, logger: logger)
                return report
            }
        }
    }

    /// The object's licences, by name.
    public func licences(of creditCode: String) async throws -> [ObjectLicence] {
        try await client.translatingErrors {
            let rows = try await client.query(
                """
                SELECT licence, number, issued_by, to_char(valid_until, 'YYYY-MM-DD'), status FROM object_licences
                WHERE credit_code = \(creditCode) ORDER BY licence
                """, logger: logger)
            var licences: [ObjectLicence] = []
            for try await (licence, number, issuedBy, validUntil, status) in rows.decode((String, String, String, String?, String).self) {
                licences.append(
                    ObjectLicence(
                        creditCode: creditCode, licence: licence, number: number, issuedBy: DepartmentCode(issuedBy),
                        validUntil: try validUntil.map { try CalendarDate(stored: $0) }, status: try .init(code: status)))
            }
            return licences
        }
    }
}
