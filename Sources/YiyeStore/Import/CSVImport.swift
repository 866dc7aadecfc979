import Logging
import NIOCore
import PostgresNIO
import YiyeCore

/// The way every directory import runs: CSV streamed through the reader, each row checked in Swift, the good rows
/// written to a temporary table through COPY with their line number; duplicates are found by SQL, so memory does
/// not grow with the file.
enum CSVImport {
    /// Parses the header with `layout`, then each row with `row`, which writes the good ones (starting with the
    /// line number) to the buffer or throws the rule they break. Flushes to COPY about every 256 KiB.
    static func stream<Chunks: AsyncSequence, Layout>(
        _ chunks: Chunks,
        layout makeLayout: ([String]) throws(DomainError) -> Layout,
        row: (Layout, [String], Int, inout ByteBuffer) throws(DomainError) -> Void,
        into writer: PostgresCopyFromWriter
    ) async throws -> ImportReport where Chunks.Element: Collection<UInt8> {
        var report = ImportReport()
        var reader = CSVReader()
        var layout: Layout?
        var headerError: DomainError?
        var buffer = ByteBuffer()
        func handle(_ record: CSVReader.Record) {
            guard let layout else {
                do throws(DomainError) { layout = try makeLayout(record.fields) } catch { headerError = error }
                return
            }
            report.rows += 1
            do throws(DomainError) {
                try row(layout, record.fields, record.line, &buffer)
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

    /// Removes rows of `table` whose `key` repeats an earlier line's and reports them.
    static func rejectDuplicates(
        in table: String, key: String, label: String, report: inout ImportReport, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    WITH ranked AS (SELECT line, min(line) OVER (PARTITION BY \(key)) AS first FROM \(table))
                    DELETE FROM \(table) t USING ranked r WHERE t.line = r.line AND r.line <> r.first
                    RETURNING t.line, r.first
                    """), logger: logger)
        for try await (line, first) in rows.decode((Int, Int).self) {
            report.reject(line, "\(label)与第 \(first) 行重复")
        }
    }

    /// Takes the inserted and updated counts from the upsert's `(inserted, updated)` row and records the import in
    /// the audit trail, in the import's transaction.
    static func finish(
        _ report: inout ImportReport, counts: PostgresRowSequence, audit: AuditRecord.Entry, on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let row = try await counts.decode((Int, Int).self).all().first
        report.inserted = row?.0 ?? 0
        report.updated = row?.1 ?? 0
        var entry = audit
        entry.details = "导入 \(report.rows) 行：新增 \(report.inserted)，更新 \(report.updated)，拒绝 \(report.rejected)"
        try await AuditTrail.append(entry, on: connection, logger: logger)
    }
}
