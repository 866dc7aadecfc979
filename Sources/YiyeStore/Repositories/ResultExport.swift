import Foundation
import YiyeCore

/// 开放数据's bytes: the CSV header (or nothing, for JSON Lines), then one page of published versions at a time, so that
/// memory stays flat whatever the export's size.
public struct ResultExport: AsyncSequence, Sendable {
    public typealias Element = ArraySlice<UInt8>

    static let pageSize = 2000

    let results: ResultRepository
    let from: CalendarDate?
    let to: CalendarDate?
    let jsonLines: Bool

    public init(results: ResultRepository, from: CalendarDate?, to: CalendarDate?, jsonLines: Bool) {
        self.results = results
        self.from = from
        self.to = to
        self.jsonLines = jsonLines
    }

    public func makeAsyncIterator() -> Iterator { Iterator(export: self) }

    public struct Iterator: AsyncIteratorProtocol {
        typealias Page = (versions: [PublishedVersion], next: ResultRepository.ExportCursor?)

        let export: ResultExport
        let encoder = OpenDataLayout.jsonEncoder()
        /// The next page, read from the database while the current one is formatted.
        var pending: Task<Page, any Error>?
        var started = false
        var finished = false

        init(export: ResultExport) { self.export = export }

        public mutating func next() async throws -> ArraySlice<UInt8>? {
            guard !finished else { return nil }
            let page = try await (pending ?? fetch(after: nil)).value
            finished = page.versions.count < ResultExport.pageSize
            pending = finished ? nil : fetch(after: page.next)
            var text = started || export.jsonLines ? "" : OpenDataLayout.csvHeader
            started = true
            for version in page.versions {
                text += export.jsonLines ? try OpenDataLayout.jsonLine(version, encoder: encoder) : OpenDataLayout.csvRow(version)
            }
            return text.isEmpty ? nil : ArraySlice(text.utf8)
        }

        private func fetch(after cursor: ResultRepository.ExportCursor?) -> Task<Page, any Error> {
            let export = export
            return Task { try await export.results.exported(from: export.from, to: export.to, after: cursor, limit: ResultExport.pageSize) }
        }
    }
}
