/// Writes RFC 4180 CSV for spreadsheets officials open: UTF-8 with a byte-order mark (so Excel reads the Chinese),
/// CRLF line ends, fields quoted when they hold a comma, quote or line break. Fields that a spreadsheet would run as
/// a formula (starting with = + - @) are prefixed with an apostrophe.
public struct CSVWriter: Sendable {
    /// What every file starts with, so that Excel reads UTF-8.
    public static let byteOrderMark = "\u{FEFF}"

    public private(set) var text = Self.byteOrderMark

    public init() {}

    public mutating func row(_ fields: [String]) {
        text += Self.line(fields)
    }

    /// One row, escaped, with its line end: for writers that stream.
    public static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\r\n"
    }

    static func escape(_ field: String) -> String {
        var field = field
        if let first = field.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) { field = "'" + field }
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
