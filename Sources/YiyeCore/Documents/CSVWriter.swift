/// Writes RFC 4180 CSV for spreadsheets officials open: UTF-8 with a byte-order mark (so Excel reads the Chinese),
/// CRLF line ends, fields quoted when they hold a comma, quote or line break. Fields that a spreadsheet would run as
/// a formula (starting with = + - @) are prefixed with an apostrophe.
public struct CSVWriter: Sendable {
    public private(set) var text = "\u{FEFF}"

    public init() {}

    public mutating func row(_ fields: [String]) {
        text += fields.map(Self.escape).joined(separator: ",") + "\r\n"
    }

    static func escape(_ field: String) -> String {
        var field = field
        if let first = field.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) { field = "'" + field }
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
