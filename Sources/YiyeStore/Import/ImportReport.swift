/// What a CSV import did: rows read, inserted, updated, and the bad rows with their line and reason.
public struct ImportReport: Sendable, Equatable {
    public var rows = 0
    public var inserted = 0
    public var updated = 0
    public var rejected = 0
    /// Bad rows in line order: the first `maximumErrorsListed` of them.
    public private(set) var errors: [Rejection] = []

    public struct Rejection: Sendable, Equatable {
        public var line: Int
        public var reason: String
    }

    public static let maximumErrorsListed = 1000

    public init() {}

    mutating func reject(_ line: Int, _ reason: String) {
        rejected += 1
        if errors.count < Self.maximumErrorsListed || line < errors[errors.count - 1].line {
            let index = errors.firstIndex { $0.line > line } ?? errors.endIndex
            errors.insert(Rejection(line: line, reason: reason), at: index)
            if errors.count > Self.maximumErrorsListed { errors.removeLast() }
        }
    }
}
