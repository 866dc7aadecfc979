/// 一业一单: the joint item list of one industry, merged from the published item lists of its originating and
/// participating departments. Items that check the same thing under the same legal basis are overlaps; the
/// originator resolves each into one merged item with a lead department and co-departments, and may leave items
/// out with a reason.
public struct JointList: Sendable, Codable, Equatable, VersionedDocument {
    public static let kind = "joint_list"

    /// An item of one department's list.
    public struct ItemRef: Sendable, Codable, Hashable {
        public var department: DepartmentCode
        public var code: String

        public init(department: DepartmentCode, code: String) {
            self.department = department
            self.code = code
        }
    }

    /// The published item-list version a department contributed.
    public struct Source: Sendable, Codable, Equatable {
        public var department: DepartmentCode
        public var version: Int

        public init(department: DepartmentCode, version: Int) {
            self.department = department
            self.version = version
        }
    }

    /// A department's item as it was merged.
    public struct Member: Sendable, Codable, Equatable {
        public var department: DepartmentCode
        public var item: InspectionItem

        public init(department: DepartmentCode, item: InspectionItem) {
            self.department = department
            self.item = item
        }

        public var ref: ItemRef { ItemRef(department: department, code: item.code) }
    }

    /// How an entry's members came together.
    public enum Match: String, Sendable, Codable, CaseIterable {
        /// One item alone.
        case single
        /// Same normalized legal basis and content.
        case basisAndContent = "basis_and_content"
        /// Linked by hand by the originator.
        case manual

        public var label: String {
            switch self {
            case .single: "单一事项"
            case .basisAndContent: "依据与内容相同"
            case .manual: "人工关联"
            }
        }
    }

    public struct Entry: Sendable, Codable, Equatable {
        /// Stable within the list; a sheet shows running 序号 instead.
        public var number: Int
        public var members: [Member]
        public var match: Match
        /// The lead item, once chosen; a single item leads itself.
        public var lead: ItemRef?
        public var included: Bool
        /// Why the item was left out, or a note on the resolution.
        public var reason: String

        /// Two or more items merged into one.
        public var isOverlap: Bool { members.count > 1 }
        public var isResolved: Bool { lead != nil }
        public var leadDepartment: DepartmentCode? { lead?.department }

        /// The other departments that check this item with the lead.
        public var coDepartments: [DepartmentCode] {
            var seen: Set<DepartmentCode> = lead.map { [$0.department] } ?? []
            return members.map(\.department).filter { seen.insert($0).inserted }
        }

        /// Every department taking part in this entry, the lead first.
        public var departments: [DepartmentCode] {
            (leadDepartment.map { [$0] } ?? []) + coDepartments
        }

        /// The merged item: the lead's wording and basis, with the object kinds, methods and qualifications of all
        /// members, so that no department's requirement is lost. Before resolution, the first member's.
        public var item: InspectionItem {
            var merged = members.first { $0.ref == lead }?.item ?? members[0].item
            for member in members {
                merged.objectKinds.appendMissing(member.item.objectKinds)
                merged.methods.appendMissing(member.item.methods)
                merged.qualifications.appendMissing(member.item.qualifications)
            }
            return merged
        }
    }

    public var industry: String
    public var originator: DepartmentCode
    public var sources: [Source]
    /// Departments of the industry that had no published item list when the draft was made.
    public var missingDepartments: [DepartmentCode]
    public var entries: [Entry]

    public var entryCount: Int { entries.count }

    /// The entries whose overlap still needs a lead department.
    public var unresolved: [Int] { entries.filter { !$0.isResolved }.map(\.number) }

    /// Merges the departments' published lists, the originator's first: items that apply to the industry, grouped by
    /// normalized legal basis and content. `previous`, the last published joint list, passes on its manual links,
    /// leads and exclusions where the same items are still there.
    public static func merge(
        industry: String, originator: DepartmentCode, lists: [(department: DepartmentCode, version: Int, list: ItemList)],
        missingDepartments: [DepartmentCode], previous: JointList? = nil
    ) -> JointList {
        var entries: [Entry] = []
        var byKey: [String: Int] = [:]
        for (department, _, list) in lists {
            for item in list.items(for: industry) {
                let member = Member(department: department, item: item)
                let key = LegalText.overlapKey(item)
                if let index = byKey[key] {
                    entries[index].members.append(member)
                    entries[index].match = .basisAndContent
                    entries[index].lead = nil
                } else {
                    byKey[key] = entries.count
                    entries.append(
                        Entry(
                            number: entries.count + 1, members: [member], match: .single,
                            lead: member.ref, included: true, reason: ""))
                }
            }
        }
        var joint = JointList(
            industry: industry, originator: originator,
            sources: lists.map { Source(department: $0.department, version: $0.version) },
            missingDepartments: missingDepartments, entries: entries
        )
        if let previous { joint.carryOver(previous) }
        return joint
    }

    /// Applies the earlier version's manual links and decisions where their items are all still present.
    mutating func carryOver(_ previous: JointList) {
        for old in previous.entries where old.match == .manual {
            let refs = old.members.map(\.ref)
            if refs.allSatisfy({ entryIndex(of: $0) != nil }) { try? link(refs, reason: old.reason) }
        }
        for old in previous.entries {
            let refs = Set(old.members.map(\.ref))
            guard let index = entries.firstIndex(where: { Set($0.members.map(\.ref)) == refs }) else { continue }
            if let lead = old.lead { entries[index].lead = lead }
            entries[index].included = old.included
            entries[index].reason = old.reason
        }
    }

    /// Links items into one overlap entry by hand (the originator saw they check the same thing).
    public mutating func link(_ refs: [ItemRef], reason: String) throws(DomainError) {
        try Validation.text(reason, field: "reason", label: "说明", maximum: 500)
        let unique = Array(Set(refs))
        guard unique.count >= 2 else { throw DomainError(.invalidValue, "至少须关联两个不同的事项", field: "items") }
        var indexes: [Int] = []
        for ref in unique {
            guard let index = entryIndex(of: ref) else {
                throw DomainError(.unknownItem, "本清单中没有 \(ref.department) 的事项 \(ref.code)", field: "items")
            }
            if !indexes.contains(index) { indexes.append(index) }
        }
        guard indexes.count >= 2 else { throw DomainError(.invalidValue, "这些事项已在同一条目中", field: "items") }
        indexes.sort()
        let target = indexes[0]
        for index in indexes.dropFirst() { entries[target].members += entries[index].members }
        entries[target].match = .manual
        entries[target].lead = nil
        entries[target].included = true
        entries[target].reason = reason
        for index in indexes.dropFirst().reversed() { entries.remove(at: index) }
    }

    /// Splits an entry back into one entry per item (the match was not a real overlap).
    public mutating func split(_ number: Int) throws(DomainError) {
        let index = try entryIndex(number)
        let entry = entries[index]
        guard entry.isOverlap else { throw DomainError(.invalidValue, "该条目只有一个事项，无需拆分", field: "number") }
        var next = (entries.map(\.number).max() ?? 0) + 1
        entries[index] = Entry(
            number: entry.number, members: [entry.members[0]], match: .single,
            lead: entry.members[0].ref, included: true, reason: "")
        for member in entry.members.dropFirst() {
            entries.append(Entry(number: next, members: [member], match: .single, lead: member.ref, included: true, reason: ""))
            next += 1
        }
    }

    /// Resolves an entry: its lead item (which must be one of its members), and whether it is included; leaving an
    /// item out needs a reason.
    public mutating func resolve(_ number: Int, lead: ItemRef?, included: Bool, reason: String) throws(DomainError) {
        try Validation.text(reason, field: "reason", label: "说明", maximum: 500)
        let index = try entryIndex(number)
        if let lead {
            guard entries[index].members.contains(where: { $0.ref == lead }) else {
                throw DomainError(.unknownItem, "牵头事项须为本条目中的事项", field: "lead")
            }
            entries[index].lead = lead
        }
        if !included, reason.trimmingWhitespace.isEmpty {
            throw DomainError(.reasonRequired, "不纳入一业一单的事项须说明理由", field: "reason")
        }
        entries[index].included = included
        entries[index].reason = reason
    }

    /// Every overlap resolved and at least one item included.
    public func validateForPublication() throws(DomainError) {
        let open = unresolved
        guard open.isEmpty else {
            throw DomainError(.unresolvedOverlap, "以下条目存在重叠尚未确定牵头部门：\(open.map(String.init).joined(separator: "、"))", field: "entries")
        }
        guard entries.contains(where: \.included) else {
            throw DomainError(.emptyList, "一业一单没有纳入任何事项，不能发布", field: "entries")
        }
    }

    /// The included entries, in order: what the joint team checks.
    public var includedEntries: [Entry] { entries.filter(\.included) }

    /// The entry numbers a task checks: those it chose, or, when it chose none, every included one.
    public func taskEntries(chosen: [Int]) -> [Int] {
        chosen.isEmpty ? includedEntries.map(\.number) : chosen
    }

    private func entryIndex(of ref: ItemRef) -> Int? {
        entries.firstIndex { $0.members.contains { $0.ref == ref } }
    }

    private func entryIndex(_ number: Int) throws(DomainError) -> Int {
        guard let index = entries.firstIndex(where: { $0.number == number }) else {
            throw DomainError(.unknownItem, "条目 \(number) 不存在", field: "number")
        }
        return index
    }
}

extension Array where Element: Equatable {
    mutating func appendMissing(_ others: [Element]) {
        for other in others where !contains(other) { append(other) }
    }
}
