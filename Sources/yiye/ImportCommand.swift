import ArgumentParser
import Foundation
import YiyeCore
import YiyeStore

/// `yiye import`: bulk loads into the directories.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Bulk import into the directories.", subcommands: [Objects.self]
    )

    /// `yiye import objects FILE`.
    struct Objects: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import objects (检查对象) from a CSV file: bad rows are reported by line, good rows upserted by 统一社会信用代码; on failure nothing is written."
        )

        @Argument(help: "CSV file with a header row (统一社会信用代码, 名称, 类型, 行政区划代码, 监管部门, ...).")
        var file: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let logger = commandLogger("yiye.import")
            guard let handle = FileHandle(forReadingAtPath: file) else { throw ValidationError("cannot read \(file)") }
            // Read on demand, a megabyte at a time: memory stays flat however large the file.
            let chunks = AsyncThrowingStream<[UInt8], any Error> {
                let data = handle.readData(ofLength: 1 << 20)
                return data.isEmpty ? nil : Array(data)
            }
            try await reportingFailures {
                let report = try await withDatabase(database.source(), logger: logger) { client in
                    try await ObjectRepository(client: client, logger: logger).importCSV(
                        chunks,
                        audit: AuditRecord.Entry(actor: "cli", action: "object.import", objectType: "object_directory", objectID: file)
                    )
                }
                for error in report.errors { print("第 \(error.line) 行：\(error.reason)") }
                print("rows \(report.rows), inserted \(report.inserted), updated \(report.updated), rejected \(report.rejected)")
            }
        }
    }
}
