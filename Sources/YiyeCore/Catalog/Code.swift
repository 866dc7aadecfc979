/// A code read back (from the database, or from one layer's enumeration into another's) that this build does not
/// know. Never replaced by a default: a stored change kind the code does not know must not become another kind.
public struct UnknownCode: Error, Equatable, CustomStringConvertible {
    public var type: String
    public var code: String

    public init(type: String, code: String) {
        self.type = type
        self.code = code
    }

    public var description: String { "unknown \(type) code \"\(code)\"" }
}

extension RawRepresentable where RawValue == String {
    /// The value whose code is `code`, or `UnknownCode` naming the type and the code.
    public init(code: String) throws(UnknownCode) {
        guard let value = Self(rawValue: code) else { throw UnknownCode(type: String(describing: Self.self), code: code) }
        self = value
    }
}
