/// A department's random-inspection item list (随机抽查事项清单): one version's items.
public struct ItemList: Sendable, Codable, Equatable, VersionedDocument {
    public static let kind = "item_list"
    public static let maximumItems = 1000

    public var items: [InspectionItem]

    public init(items: [InspectionItem] = []) {
        self.items = items
    }

    public var entryCount: Int { items.count }

    /// Every item valid, codes unique, at most `maximumItems`.
    public func validate() throws(DomainError) {
        guard items.count <= Self.maximumItems else {
            throw DomainError(.invalidValue, "一份清单最多 \(Self.maximumItems) 个事项", field: "items")
        }
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            try item.validate(field: "items[\(index)]")
            if let earlier = seen[item.code] {
                throw DomainError(.duplicateItemCode, "事项编码 \(item.code) 与第 \(earlier + 1) 个事项重复", field: "items[\(index)].code")
            }
            seen[item.code] = index
        }
    }

    /// Checked before publication: an empty list is not published.
    public func validateForPublication() throws(DomainError) {
        try validate()
        guard !items.isEmpty else { throw DomainError(.emptyList, "清单没有事项，不能发布", field: "items") }
    }

    /// The items that apply to `industry`.
    public func items(for industry: String) -> [InspectionItem] {
        items.filter { $0.industries.contains(industry) }
    }
}
