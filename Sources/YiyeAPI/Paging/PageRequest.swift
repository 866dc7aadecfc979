import Foundation

/// A list request's page: at most `limit` items after the opaque cursor.
struct PageRequest: Sendable {
    static let defaultLimit = 50
    static let maximumLimit = 200

    var limit: Int
    /// The sort key of the last item of the previous page.
    var after: String?

    init(limit: Int?, cursor: String?) throws(APIError) {
        let limit = limit ?? Self.defaultLimit
        guard (1...Self.maximumLimit).contains(limit) else {
            throw .badParameter("limit", "每页条数须在 1 至 \(Self.maximumLimit) 之间")
        }
        self.limit = limit
        if let cursor {
            guard let key = Self.decode(cursor) else { throw .badParameter("cursor", "分页游标无效") }
            self.after = key
        }
    }

    /// The cursor as a numeric id (lists ordered by id).
    func numericCursor() throws(APIError) -> Int64? {
        guard let after else { return nil }
        guard let id = Int64(after) else { throw .badParameter("cursor", "分页游标无效") }
        return id
    }

    /// Splits one extra fetched row off into the next cursor: repositories are asked for `limit + 1` rows.
    func page<Item>(_ fetched: [Item], key: (Item) -> String) -> (items: [Item], nextCursor: String?) {
        guard fetched.count > limit else { return (fetched, nil) }
        let items = Array(fetched.prefix(limit))
        return (items, items.last.map { Self.encode(key($0)) })
    }

    static func encode(_ key: String) -> String {
        Base64URL.encode(Array("v1:\(key)".utf8))
    }

    static func decode(_ cursor: String) -> String? {
        guard let data = Base64URL.decode(cursor), let text = String(data: data, encoding: .utf8), text.hasPrefix("v1:")
        else { return nil }
        return String(text.dropFirst(3))
    }
}
