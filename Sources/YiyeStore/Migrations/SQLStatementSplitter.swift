import Foundation

/// Splits a PostgreSQL script into statements at top-level semicolons.
///
/// The extended query protocol that PostgresNIO speaks runs one statement per query, so migration files are split
/// first. A semicolon does not end a statement inside a string (`'…'`, `E'…'` with backslash escapes), a quoted
/// identifier (`"…"`), a comment (`--` to end of line, nested `/* … */`) or a dollar-quoted body (`$$…$$`,
/// `$tag$…$tag$`). Statements that hold only whitespace and comments are dropped.
public enum SQLStatementSplitter {
    public static func split(_ script: String) -> [String] {
        let bytes = Array(script.utf8)
        var statements: [String] = []
        var start = 0
        var hasCode = false
        var i = 0

        func flush(upTo end: Int) {
            if hasCode {
                let text = String(decoding: bytes[start..<end], as: UTF8.self)
                statements.append(text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            hasCode = false
        }

        while i < bytes.count {
            let byte = bytes[i]
            let next: UInt8? = i + 1 < bytes.count ? bytes[i + 1] : nil
            switch byte {
            case .minus where next == .minus:
                i = skipLineComment(bytes, from: i)
            case .slash where next == .star:
                i = skipBlockComment(bytes, from: i)
            case .quote:
                let escapes =
                    i > 0 && (bytes[i - 1] == .upperE || bytes[i - 1] == .lowerE)
                    && (i < 2 || !bytes[i - 2].isIdentifierByte)
                i = skipQuoted(bytes, from: i, delimiter: .quote, backslashEscapes: escapes)
                hasCode = true
            case .doubleQuote:
                i = skipQuoted(bytes, from: i, delimiter: .doubleQuote, backslashEscapes: false)
                hasCode = true
            case .dollar:
                if let tagEnd = dollarTagEnd(bytes, from: i), i == 0 || !bytes[i - 1].isIdentifierByte {
                    i = skipDollarQuoted(bytes, tag: Array(bytes[i...tagEnd]), bodyStart: tagEnd + 1)
                } else {
                    i += 1
                }
                hasCode = true
            case .semicolon:
                flush(upTo: i)
                i += 1
                start = i
            default:
                if !byte.isWhitespace { hasCode = true }
                i += 1
            }
        }
        flush(upTo: bytes.count)
        return statements
    }

    private static func skipLineComment(_ bytes: [UInt8], from index: Int) -> Int {
        var i = index + 2
        while i < bytes.count, bytes[i] != .newline { i += 1 }
        return i
    }

    /// PostgreSQL block comments nest.
    private static func skipBlockComment(_ bytes: [UInt8], from index: Int) -> Int {
        var depth = 0
        var i = index
        while i < bytes.count {
            if bytes[i] == .slash, i + 1 < bytes.count, bytes[i + 1] == .star {
                depth += 1
                i += 2
            } else if bytes[i] == .star, i + 1 < bytes.count, bytes[i + 1] == .slash {
                depth -= 1
                i += 2
                if depth == 0 { return i }
            } else {
                i += 1
            }
        }
        return i
    }

    /// Skips a quoted run; a doubled delimiter is an escaped delimiter.
    private static func skipQuoted(_ bytes: [UInt8], from index: Int, delimiter: UInt8, backslashEscapes: Bool) -> Int {
        var i = index + 1
        while i < bytes.count {
            if backslashEscapes, bytes[i] == .backslash {
                i += 2
            } else if bytes[i] == delimiter {
                if i + 1 < bytes.count, bytes[i + 1] == delimiter {
                    i += 2
                } else {
                    return i + 1
                }
            } else {
                i += 1
            }
        }
        return i
    }

    /// The index of the closing `$` of a dollar-quote tag starting at `index`, or nil when this `$` is not one
    /// (for example a positional parameter `$1`).
    private static func dollarTagEnd(_ bytes: [UInt8], from index: Int) -> Int? {
        var i = index + 1
        if i < bytes.count, bytes[i].isDigit { return nil }
        while i < bytes.count, bytes[i].isIdentifierByte { i += 1 }
        return i < bytes.count && bytes[i] == .dollar ? i : nil
    }

    private static func skipDollarQuoted(_ bytes: [UInt8], tag: [UInt8], bodyStart: Int) -> Int {
        var i = bodyStart
        while i + tag.count <= bytes.count {
            if bytes[i] == .dollar, bytes[i..<(i + tag.count)].elementsEqual(tag) { return i + tag.count }
            i += 1
        }
        return bytes.count
    }
}

extension UInt8 {
    fileprivate static let minus = UInt8(ascii: "-")
    fileprivate static let slash = UInt8(ascii: "/")
    fileprivate static let star = UInt8(ascii: "*")
    fileprivate static let quote = UInt8(ascii: "'")
    fileprivate static let doubleQuote = UInt8(ascii: "\"")
    fileprivate static let dollar = UInt8(ascii: "$")
    fileprivate static let semicolon = UInt8(ascii: ";")
    fileprivate static let backslash = UInt8(ascii: "\\")
    fileprivate static let newline = UInt8(ascii: "\n")
    fileprivate static let upperE = UInt8(ascii: "E")
    fileprivate static let lowerE = UInt8(ascii: "e")

    fileprivate var isWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0a || self == 0x0d }
    fileprivate var isDigit: Bool { (0x30...0x39).contains(self) }
    /// Letters, digits, `_`, and any byte of a multi-byte UTF-8 character (PostgreSQL allows those in names).
    fileprivate var isIdentifierByte: Bool {
        isDigit || (0x41...0x5a).contains(self) || (0x61...0x7a).contains(self) || self == 0x5f || self >= 0x80
    }
}
