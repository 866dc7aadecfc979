import Foundation

/// What the public sees of one published result: the columns of the national enterprise credit publicity system
/// (检查实施机关, 类型, 日期, 结果, 备注) and the items checked. Department names are public; inspector names are not.
public struct PublicResult: Sendable, Equatable, Codable {
    public struct Category: Sendable, Equatable, Codable {
        public var code: ResultCategory
        public var label: String
    }

    public struct Item: Sendable, Equatable, Codable {
        public var number: Int
        public var content: String
        public var outcome: ItemResult.Outcome
        public var outcomeLabel: String
    }

    /// 类型 of every joint random inspection.
    public static let jointInspectionType = "部门联合双随机抽查"

    public var creditCode: String
    public var objectName: String
    public var industry: String
    /// 检查实施机关: the department's name.
    public var authority: String
    public var department: DepartmentCode
    public var inspectionType: String
    /// 日期: the visit, or the task window's end.
    public var inspectedOn: CalendarDate
    /// 结果
    public var categories: [Category]
    /// 备注
    public var remarks: String
    public var items: [Item]
    public var taskName: String

    /// The public face of `result`, an approved result of the department on `object` in the task named `taskName`;
    /// `entries` are the sheet's items by number.
    public init(
        _ result: InspectionResult, object: InspectedObject, industry: String, taskName: String, windowEnd: CalendarDate,
        authority: String, entries: [Int: InspectionItem]
    ) {
        creditCode = object.creditCode
        objectName = object.name
        self.industry = industry
        self.authority = authority
        department = result.department
        inspectionType = Self.jointInspectionType
        inspectedOn = result.inspectedOn ?? windowEnd
        categories = result.categories.map { Category(code: $0.category, label: $0.category.label) }
        remarks = result.remarks
        items = result.items.sorted { $0.entry < $1.entry }.map {
            Item(number: $0.entry, content: entries[$0.entry]?.content ?? "", outcome: $0.outcome, outcomeLabel: $0.outcome.label)
        }
        self.taskName = taskName
    }
}

/// One published version of a result, with why it replaced the one before.
public struct PublishedVersion: Sendable, Equatable {
    public var resultID: Int64
    public var version: Int
    public var publishedAt: Date
    public var reason: String
    public var content: PublicResult

    public init(resultID: Int64, version: Int, publishedAt: Date, reason: String, content: PublicResult) {
        self.resultID = resultID
        self.version = version
        self.publishedAt = publishedAt
        self.reason = reason
        self.content = content
    }
}
