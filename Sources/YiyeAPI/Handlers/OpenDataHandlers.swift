import Foundation
import OpenAPIRuntime
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/open-data/results`: 开放数据, published results as a platform imports them, streamed page by page so that
/// memory stays flat whatever the export's size.
extension APIHandlers {
    func exportPublishedResults(_ input: Operations.ExportPublishedResults.Input) async throws -> Operations.ExportPublishedResults.Output {
        let query = input.query
        let from = try query.from.map { text throws(APIError) in
            guard let date = CalendarDate(text) else { throw .badParameter("from", "日期格式须为 YYYY-MM-DD") }
            return date
        }
        let to = try query.to.map { text throws(APIError) in
            guard let date = CalendarDate(text) else { throw .badParameter("to", "日期格式须为 YYYY-MM-DD") }
            return date
        }
        if let from, let to, from > to { throw DomainError(.invalidPeriod, "起始日期不能晚于截止日期", field: "from") }
        let export = ResultExport(results: results, from: from, to: to, jsonLines: query.format == .jsonl)
        let body = HTTPBody(export, length: .unknown, iterationBehavior: .single)
        return .ok(.init(body: query.format == .jsonl ? .applicationJsonl(body) : .csv(body)))
    }

    func getOpenDataDictionary(_ input: Operations.GetOpenDataDictionary.Input) async throws -> Operations.GetOpenDataDictionary.Output {
        .ok(
            .init(
                body: .json(
                    .init(columns: OpenDataLayout.columns.map { .init(key: $0.key, header: $0.header, description: $0.description) }))))
    }
}
