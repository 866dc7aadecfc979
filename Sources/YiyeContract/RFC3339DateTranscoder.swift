package import Foundation
package import OpenAPIRuntime

/// Reads RFC 3339 times with or without fractional seconds (the runtime's default takes only the latter);
/// writes them without, in UTC.
package struct RFC3339DateTranscoder: DateTranscoder {
    package init() {}

    package func encode(_ date: Date) throws -> String {
        date.formatted(.iso8601)
    }

    package func decode(_ text: String) throws -> Date {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "不是 RFC 3339 时间：\(text)"))
    }
}
