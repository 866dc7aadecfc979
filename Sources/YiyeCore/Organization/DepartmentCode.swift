/// A department's stable code (`samr`, `fire`, `office`), the key every record names a department by. Its own type, so
/// that on its way between the layers a department is never taken for a username, an industry or a credit code.
/// Encodes as its text, so JSON, CSV and stored rows read exactly as before.
public struct DepartmentCode: RawRepresentable, Hashable, Comparable, Sendable, Codable, CodingKeyRepresentable,
    CustomStringConvertible, ExpressibleByStringLiteral
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public static func < (lhs: DepartmentCode, rhs: DepartmentCode) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }

    // A dictionary keyed by department encodes as a JSON object, as one keyed by its text would.
    public var codingKey: any CodingKey { AnyKey(stringValue: rawValue) }
    public init?<T: CodingKey>(codingKey: T) { rawValue = codingKey.stringValue }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension Dictionary where Key == DepartmentCode, Value == String {
    /// The Chinese name of `code` in this table of names, or the code itself when its name is not known.
    public subscript(name code: DepartmentCode) -> String { self[code] ?? code.rawValue }
}

extension Sequence<String> {
    /// These texts as department codes (at the edge, where codes arrive as text).
    public var departmentCodes: [DepartmentCode] { map { DepartmentCode($0) } }
}

extension Sequence<DepartmentCode> {
    /// These codes as text (at the edge, where codes leave as text).
    public var codes: [String] { map(\.rawValue) }
}
