/// A record's id in the database, typed by what it identifies, so that a task's id is never passed where a draw's is
/// meant. Encodes as its number.
public struct Identifier<Subject>: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    public var rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public init(integerLiteral value: Int64) { rawValue = value }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}

/// An inspection task's id (抽查任务).
public typealias TaskID = Identifier<InspectionTask>
/// A joint draw's id (联合抽取).
public typealias DrawID = Identifier<DrawRecord>
