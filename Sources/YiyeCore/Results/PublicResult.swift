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

    /// What the public is told of a withholding (不予公开): that it exists, its ground, and what it covers.
    public struct Withheld: Sendable, Equatable, Codable {
        public var ground: Withholding.Ground
        public var groundLabel: String
        public var scope: Withholding.Scope
        public var scopeLabel: String
        /// The entries withheld, when only some are.
        public var items: [Int]
    }

    /// What the public is told of a relief granted: which, and since when.
    public struct Relief: Sendable, Equatable, Codable {
        public var kind: PublicityRelief.Kind
        public var kindLabel: String
        public var grantedOn: CalendarDate
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
    /// Set when the result, or a part of it, is withheld; what is withheld is left out above.
    public var withheld: Withheld?
    /// Set when 信用修复 or 停止公示 was granted; a stopped result shows nothing of what it found.
    public var relief: Relief?

    /// The public face of `result`, an approved result of the department on `object` in the task named `taskName`,
    /// without what its withholding covers; `entries` are the sheet's items by number.
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
        if let withholding = result.withholding {
            withheld = Withheld(
                ground: withholding.ground, groundLabel: withholding.ground.label, scope: withholding.scope,
                scopeLabel: withholding.scope.label, items: withholding.items.sorted())
            switch withholding.scope {
            case .whole:
                categories = []
                remarks = ""
                items = []
            case .items:
                items.removeAll { withholding.items.contains($0.number) }
            case .remarks:
                remarks = ""
            }
        }
        if let granted = result.relief {
            relief = Relief(kind: granted.kind, kindLabel: granted.kind.label, grantedOn: granted.grantedOn)
            if granted.kind == .stopPublication {
                categories = []
                remarks = ""
                items = []
            }
        }
    }
}

/// Why a published result has a new version: it never changes otherwise (docs/DOMAIN.md, integrity rules).
public enum VersionChange: String, Sendable, CaseIterable, Labelled {
    /// The department corrects its own error, with a head's approval.
    case correction
    /// The result, or a part of it, is withheld after publication, with a head's approval.
    case withheld
    /// An objection upheld on re-examination.
    case objectionUpheld = "objection_upheld"
    /// 待后续处理 resolved after the investigation.
    case followUpResolved = "follow_up_resolved"
    /// 信用修复 granted on the business's application.
    case creditRepaired = "credit_repaired"
    /// 停止公示 granted on the business's application after the statutory period: the last version.
    case publicationStopped = "publication_stopped"

    /// The change a relief makes.
    public init(_ relief: PublicityRelief.Kind) {
        switch relief {
        case .creditRepair: self = .creditRepaired
        case .stopPublication: self = .publicationStopped
        }
    }

    public var label: String {
        switch self {
        case .correction: "本部门更正"
        case .withheld: "不予公开"
        case .objectionUpheld: "异议复查更正"
        case .followUpResolved: "后续处理办结"
        case .creditRepaired: "信用修复"
        case .publicationStopped: "停止公示"
        }
    }
}

/// One published version of a result, with why it replaced the one before.
public struct PublishedVersion: Sendable, Equatable {
    public var resultID: Int64
    public var version: Int
    public var publishedAt: Date
    /// What made this version (none for the first).
    public var change: VersionChange?
    public var reason: String
    public var content: PublicResult
    /// Whether an objection to it is being re-examined (异议处理中).
    public var underObjection: Bool

    public init(
        resultID: Int64, version: Int, publishedAt: Date, change: VersionChange?, reason: String, content: PublicResult,
        underObjection: Bool = false
    ) {
        self.resultID = resultID
        self.version = version
        self.publishedAt = publishedAt
        self.change = change
        self.reason = reason
        self.content = content
        self.underObjection = underObjection
    }
}
