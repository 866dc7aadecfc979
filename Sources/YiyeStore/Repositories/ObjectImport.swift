import Logging
import NIOCore
import PostgresNIO
import YiyeCore

/// Bulk import into the object directory through COPY.
extension ObjectRepository {
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
                _ = try await connection.query(
                    """
                    CREATE TEMP TABLE object_import (line integer NOT NULL, LIKE objects INCLUDING DEFAULTS) ON COMMIT DROP
                    """, logger: logger)
                var report = ImportReport()
                try await connection.copyFrom(
                    table: "object_import",
                    columns: [
                        "line", "credit_code", "name", "kind", "industries", "region_code", "address", "scale", "risk_class",
                        "risk_rated_on", "supervising_departments", "status", "tags",
                    ],
                    logger: logger
                ) { writer in
                    report = try await CSVImport.stream(
                        chunks, layout: ObjectCSV.init(header:),
                        row: { layout, fields, line, buffer throws(DomainError) in
                            let object = try layout.object(from: fields)
                            if let refusal = accept(object) { throw DomainError(.invalidValue, refusal, field: "supervisingDepartments") }
                            CopyText.append(object, line: line, to: &buffer)
                        }, into: writer)
                }
                try await CSVImport.rejectDuplicates(
                    in: "object_import", key: "credit_code", label: "统一社会信用代码",
                    report: &report, on: connection, logger: logger)
                let counts = try await connection.query(
                    """
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
                    """, logger: logger)
                try await CSVImport.finish(&report, counts: counts, audit: audit, on: connection, logger: logger)
                return report
            }
        }
    }
}
