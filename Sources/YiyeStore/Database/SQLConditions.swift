import PostgresNIO

/// A WHERE clause built from the filters a caller actually gave, so the planner sees only those (and can pick the
/// index that fits them) instead of one statement with every filter switched off by `$n IS NULL`.
struct SQLConditions {
    private var clauses: [String] = []
    private(set) var binds = PostgresBindings()

    /// A placeholder for `value`, to use in a clause.
    mutating func bind<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value) throws -> String {
        try binds.append(value)
        return "$\(binds.count)"
    }

    mutating func add(_ clause: String) {
        clauses.append(clause)
    }

    /// `WHERE a AND b …`, or nothing.
    var whereClause: String {
        clauses.isEmpty ? "" : "WHERE " + clauses.map { "(\($0))" }.joined(separator: " AND ")
    }

    /// `text` as a LIKE pattern matching it anywhere, with LIKE's own characters escaped.
    static func containing(_ text: String) -> String {
        "%" + escapedForLike(text) + "%"
    }

    /// `text` as a LIKE pattern matching what starts with it.
    static func startingWith(_ text: String) -> String {
        escapedForLike(text) + "%"
    }

    private static func escapedForLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(
            of: "_", with: "\\_")
    }
}
