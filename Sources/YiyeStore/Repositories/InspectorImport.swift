import Logging
import NIOCore
import PostgresNIO
import YiyeCore

/// Bulk import into the inspector roster through COPY.
extension InspectorRepository {
    /// Imports the CSV bytes of `chunks` into `department`'s roster in one transaction: bad rows reported with their
    /// line and reason (including a 执法证号 held by another department), good rows upserted by 执法证号; on any
    /// failure nothing is written.
    public func importCSV<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, department: DepartmentCode, audit: AuditRecord.Entry
    ) async throws -> ImportReport where Chunks.Element: Collection<UInt8> {
        let keys = try await cipher.keys()
        return try await client.translatingErrors(deadline: .seconds(600)) {
            try await client.withTransaction(logger: logger) { connection in
                _ = try await connection.query(
                    """
                    CREATE TEMP TABLE inspector_import (
                        line integer NOT NULL, department_code text, name text, position text, certificate_number text,
                        post text, phone text, level text, region_code text, categories text[], qualifications text[],
                        expertise text[], status text, is_expert boolean, institution text
                    ) ON COMMIT DROP
                    """, logger: logger)
                var report = ImportReport()
                try await connection.copyFrom(
                    table: "inspector_import",
                    columns: [
                        "line", "department_code", "name", "position", "certificate_number", "post", "phone", "level",
                        "region_code", "categories", "qualifications", "expertise", "status", "is_expert", "institution",
                    ],
                    logger: logger
                ) { writer in
                    report = try await CSVImport.stream(
                        chunks, layout: InspectorCSV.init(header:),
                        row: { layout, fields, line, buffer throws(DomainError) in
                            var inspector = try layout.inspector(from: fields, department: department)
                            inspector.phone = keys.seal(inspector.phone, .inspectorPhone)
                            CopyText.append(inspector, line: line, to: &buffer)
                        }, into: writer)
                }
                try await CSVImport.rejectDuplicates(
                    in: "inspector_import", key: "certificate_number", label: "执法证号",
                    report: &report, on: connection, logger: logger)
                let foreign = try await connection.query(
                    """
                    DELETE FROM inspector_import t USING inspectors x
                    WHERE x.certificate_number = t.certificate_number AND x.department_code <> t.department_code
                    RETURNING t.line
                    """, logger: logger)
                for try await line in foreign.decode(Int.self) { report.reject(line, "执法证号已登记在其他部门的名录中") }
                let counts = try await connection.query(
                    """
                    WITH upserted AS (
                        INSERT INTO inspectors (department_code, name, position, certificate_number, post, phone, level,
                                                region_code, categories, qualifications, expertise, status, is_expert, institution)
                        SELECT department_code, name, position, certificate_number, post, phone, level, region_code,
                               categories, qualifications, expertise, status, is_expert, institution
                        FROM inspector_import ORDER BY line
                        ON CONFLICT (certificate_number) DO UPDATE SET
                            name = excluded.name, position = excluded.position, post = excluded.post, phone = excluded.phone,
                            level = excluded.level, region_code = excluded.region_code, categories = excluded.categories,
                            qualifications = excluded.qualifications, expertise = excluded.expertise, status = excluded.status,
                            is_expert = excluded.is_expert, institution = excluded.institution, updated_at = now()
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
