/// A column of an import file: its English name (the raw value), its Chinese name, and whether a file must have it.
public protocol CSVColumn: RawRepresentable<String>, CaseIterable, Hashable, Sendable {
    var chineseName: String { get }
    var required: Bool { get }
}

/// Where an import file's columns are, read from its header row (Chinese or English names), and the typed reading
/// of a row's fields.
///
/// Enumerated values take the English code or the Chinese label; lists are separated by `;`, `；` or `|`; dates are
/// `YYYY-MM-DD`.
public struct CSVLayout<Column: CSVColumn>: Sendable {
    private let positions: [Column: Int]

    /// Reads the header row; a missing required column or an unknown one is refused.
    public init(header: [String]) throws(DomainError) {
        var positions: [Column: Int] = [:]
        for (index, raw) in header.enumerated() {
            let name = raw.trimmingWhitespaceString
            guard let column = Column.allCases.first(where: { $0.rawValue == name || $0.chineseName == name }) else {
                throw DomainError(.missingColumn, "第 1 行：未知的列「\(name)」", field: "header")
            }
            positions[column] = index
        }
        if let missing = Column.allCases.first(where: { $0.required && positions[$0] == nil }) {
            throw DomainError(.missingColumn, "第 1 行：缺少必填列「\(missing.chineseName)」（\(missing.rawValue)）", field: "header")
        }
        self.positions = positions
    }

    /// One row's fields, read by column.
    public struct Row {
        let layout: CSVLayout
        let fields: [String]

        public func value(_ column: Column) -> String {
            guard let index = layout.positions[column], index < fields.count else { return "" }
            return fields[index].trimmingWhitespaceString
        }

        public func list(_ column: Column) -> [String] {
            value(column).split(whereSeparator: { $0 == ";" || $0 == "；" || $0 == "|" })
                .map { String($0).trimmingWhitespaceString }.filter { !$0.isEmpty }
        }

        /// The value as one of `T`'s cases by code or label; nil when empty.
        public func enumerated<T: RawRepresentable & CaseIterable>(_ column: Column, _ label: (T) -> String) throws(DomainError) -> T?
        where T.RawValue == String {
            let text = value(column)
            if text.isEmpty { return nil }
            guard let found = T.allCases.first(where: { $0.rawValue == text || label($0) == text }) else {
                throw DomainError(.invalidValue, "「\(column.chineseName)」的值「\(text)」无效", field: column.rawValue)
            }
            return found
        }

        /// The value as a date; nil when empty.
        public func date(_ column: Column) throws(DomainError) -> CalendarDate? {
            let text = value(column)
            if text.isEmpty { return nil }
            guard let date = CalendarDate(text) else {
                throw DomainError(.invalidValue, "「\(column.chineseName)」须为 YYYY-MM-DD", field: column.rawValue)
            }
            return date
        }
    }

    /// A row, refused when a field holds a NUL byte.
    public func row(_ fields: [String]) throws(DomainError) -> Row {
        guard !fields.contains(where: { $0.unicodeScalars.contains("\u{0}") }) else {
            throw DomainError(.invalidValue, "含有空字符（\\0）", field: "row")
        }
        return Row(layout: self, fields: fields)
    }
}

extension String {
    var trimmingWhitespaceString: String { String(trimmingWhitespace) }
}
