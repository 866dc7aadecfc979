import Testing
import YiyeCore

@Suite("一业一单: merging item lists, overlaps and their resolution")
struct JointListTests {
    static func item(
        _ code: String, _ content: String, _ basis: String, industries: [String] = ["fuel_retail"],
        kinds: [InspectedObject.Kind] = [.enterprise], methods: [InspectionMethod] = [.onSite],
        qualifications: [String] = []
    ) -> InspectionItem {
        InspectionItem(
            code: code, project: "检查项目\(code)", content: content, legalBasis: basis, objectKinds: kinds,
            methods: methods, industries: industries, qualifications: qualifications)
    }

    /// Fire and emergency both check fire equipment under the Fire Law, written differently.
    static let lists: [(department: DepartmentCode, version: Int, list: ItemList)] = [
        ("commerce", 2, ItemList(items: [item("SW-01", "成品油零售经营批准证书", "《成品油市场管理办法》第十条")])),
        (
            "fire", 1,
            ItemList(items: [
                item("XF-01", "消防设施、器材配置及完好有效情况", "《中华人民共和国消防法》第十六条", qualifications: ["消防监督"]),
                item("XF-09", "人员密集场所疏散通道", "《中华人民共和国消防法》第二十八条", industries: ["catering"]),
            ])
        ),
        (
            "emergency", 3,
            ItemList(items: [
                item(
                    "YJ-05", "消防设施，器材配置及完好有效情况。", "《中华人民共和国消防法》 第16条",
                    kinds: [.enterprise, .individualTrader], methods: [.documentReview], qualifications: ["危险化学品"])
            ])
        ),
    ]

    static func merged() -> JointList {
        JointList.merge(industry: "fuel_retail", originator: "commerce", lists: lists, missingDepartments: ["eco"])
    }

    @Test("normalization ignores punctuation, blanks, full-width forms and Chinese article numerals")
    func normalization() {
        #expect(LegalText.normalized("《中华人民共和国消防法》第十六条") == LegalText.normalized("中华人民共和国消防法 第16条"))
        #expect(LegalText.normalized("第一百零二条") == "第102条")
        #expect(LegalText.normalized("第二十条第三款") == "第20条第3款")
        #expect(LegalText.normalized("ＧＢ　５０１５６") == "gb50156")
        #expect(LegalText.normalized("第十六条") != LegalText.normalized("第十七条"))
        // A 第 not followed by a numbered unit is left alone.
        #expect(LegalText.normalized("第一批") == "第一批")
    }

    @Test("items of the industry are merged, the originator's first; the same basis and content is one overlap")
    func merge() {
        let joint = Self.merged()
        #expect(joint.entries.count == 2, "the catering-only item is left out")
        #expect(joint.entries[0].members.map(\.department) == ["commerce"])
        #expect(joint.entries[0].isResolved && !joint.entries[0].isOverlap)
        let overlap = joint.entries[1]
        #expect(overlap.match == .basisAndContent)
        #expect(overlap.members.map(\.ref) == [.init(department: "fire", code: "XF-01"), .init(department: "emergency", code: "YJ-05")])
        #expect(!overlap.isResolved)
        #expect(joint.unresolved == [2])
        #expect(
            joint.sources == [
                .init(department: "commerce", version: 2), .init(department: "fire", version: 1),
                .init(department: "emergency", version: 3),
            ])
        #expect(joint.missingDepartments == ["eco"])
    }

    @Test("publishing needs every overlap resolved; the lead's wording wins, the members' requirements are united")
    func resolution() throws {
        var joint = Self.merged()
        #expect(throws: DomainError.self) { try joint.validateForPublication() }
        do {
            try joint.validateForPublication()
        } catch {
            #expect(error.rule == .unresolvedOverlap)
            #expect(error.message.contains("2"))
        }
        // The lead must be one of the entry's items.
        #expect(throws: DomainError(.unknownItem, "牵头事项须为本条目中的事项", field: "lead")) {
            try joint.resolve(2, lead: .init(department: "commerce", code: "SW-01"), included: true, reason: "")
        }
        try joint.resolve(2, lead: .init(department: "emergency", code: "YJ-05"), included: true, reason: "应急牵头")
        let entry = joint.entries[1]
        #expect(entry.leadDepartment == "emergency")
        #expect(entry.coDepartments == ["fire"])
        #expect(entry.item.code == "YJ-05")
        #expect(entry.item.content == "消防设施，器材配置及完好有效情况。")
        #expect(entry.item.objectKinds == [.enterprise, .individualTrader])
        #expect(entry.item.methods == [.documentReview, .onSite])
        #expect(entry.item.qualifications == ["危险化学品", "消防监督"])
        try joint.validateForPublication()
    }

    @Test("excluding an item needs a reason; a list with nothing included is not published")
    func exclusion() throws {
        var joint = Self.merged()
        do {
            try joint.resolve(1, lead: nil, included: false, reason: "  ")
            Issue.record("an exclusion without a reason was accepted")
        } catch {
            #expect(error.rule == .reasonRequired)
        }
        try joint.resolve(1, lead: nil, included: false, reason: "已由年度专项检查覆盖")
        try joint.resolve(2, lead: .init(department: "fire", code: "XF-01"), included: false, reason: "另行安排")
        #expect(joint.includedEntries.isEmpty)
        #expect(throws: DomainError.self) { try joint.validateForPublication() }
        #expect(throws: DomainError.self) { try joint.resolve(9, lead: nil, included: true, reason: "") }
    }

    @Test("items are linked by hand into an overlap, and an overlap split back into single items")
    func linkAndSplit() throws {
        var joint = Self.merged()
        try joint.link([.init(department: "commerce", code: "SW-01"), .init(department: "fire", code: "XF-01")], reason: "同一检查")
        #expect(joint.entries.count == 1)
        #expect(joint.entries[0].match == .manual)
        #expect(joint.entries[0].members.count == 3)
        #expect(joint.unresolved == [1])
        #expect(throws: DomainError.self) {
            try joint.link([.init(department: "commerce", code: "SW-01"), .init(department: "samr", code: "X")], reason: "")
        }
        try joint.split(1)
        #expect(joint.entries.count == 3)
        #expect(joint.unresolved.isEmpty)
        #expect(Set(joint.entries.map(\.number)) == [1, 2, 3])
        #expect(throws: DomainError.self) { try joint.split(1) }
    }

    @Test("a new draft keeps the previous version's links, leads and exclusions where the items are still there")
    func carryOver() throws {
        var previous = Self.merged()
        try previous.resolve(2, lead: .init(department: "fire", code: "XF-01"), included: true, reason: "")
        try previous.resolve(1, lead: nil, included: false, reason: "不适用")
        let next = JointList.merge(
            industry: "fuel_retail", originator: "commerce", lists: Self.lists, missingDepartments: [],
            previous: previous)
        #expect(next.unresolved.isEmpty)
        #expect(next.entries[1].leadDepartment == "fire")
        #expect(next.entries[0].included == false)
        #expect(next.entries[0].reason == "不适用")
    }

    @Test("the CSV sheet has Chinese headers, a BOM, one row per entry; the handbook speaks to the business")
    func sheets() throws {
        var joint = Self.merged()
        try joint.resolve(2, lead: .init(department: "fire", code: "XF-01"), included: true, reason: "")
        try joint.resolve(1, lead: nil, included: false, reason: "=已另行检查")
        let sheet = JointListSheet(
            list: joint, version: 3, publishedAt: nil, industryName: "成品油零售",
            departmentNames: ["commerce": "商务局", "fire": "消防救援大队", "emergency": "应急管理局"])
        let lines = sheet.csv.split(separator: "\r\n")
        #expect(sheet.csv.hasPrefix("\u{FEFF}序号,检查项目"))
        #expect(lines.count == 3)
        #expect(lines[2].contains("消防救援大队,应急管理局"))
        #expect(lines[1].hasSuffix(",否,'=已另行检查"), "formula-like text is defused")
        #expect(sheet.html.contains("<title>成品油零售行业“一业一单”联合抽查事项清单</title>"))
        #expect(sheet.handbook.contains("请您准备"))
        #expect(!sheet.handbook.contains("成品油零售经营批准证书"), "excluded items are not in the handbook")
        #expect(sheet.handbook.contains("《中华人民共和国消防法》第十六条"))
    }

    @Test("HTML text is escaped")
    func escaping() {
        var page = HTMLPage(title: "<script>")
        page.element("p", "a & b < c \"d\"")
        #expect(page.html.contains("<title>&lt;script&gt;</title>"))
        #expect(page.html.contains("<p>a &amp; b &lt; c &quot;d&quot;</p>"))
        #expect(!page.html.contains("<script>"))
    }
}

@Suite("Item lists: validation")
struct ItemListTests {
    @Test("codes are unique, required texts present, ratios in range, at least one kind, method and industry")
    func validation() throws {
        let good = JointListTests.item("A-1", "内容", "依据")
        try ItemList(items: [good]).validate()
        func rule(_ change: (inout InspectionItem) -> Void) -> DomainError.Rule? {
            var item = good
            change(&item)
            do { try ItemList(items: [item]).validate() } catch { return error.rule }
            return nil
        }
        #expect(rule { $0.code = "不行" } == .invalidCode)
        #expect(rule { $0.content = "  " } == .invalidText)
        #expect(rule { $0.legalBasis = "" } == .invalidText)
        #expect(rule { $0.ratioPercent = 0 } == .invalidValue)
        #expect(rule { $0.ratioPercent = 100.5 } == .invalidValue)
        #expect(rule { $0.ratioPercent = 100 } == nil)
        #expect(rule { $0.methods = [] } == .invalidValue)
        #expect(rule { $0.objectKinds = [] } == .invalidValue)
        #expect(rule { $0.industries = [] } == .invalidValue)
        #expect(rule { $0.qualifications = [" 消防"] } == .invalidText)
        #expect(rule { $0.content = "内容\u{7}" } == .invalidText)
        do {
            try ItemList(items: [good, good]).validate()
            Issue.record("duplicate codes accepted")
        } catch {
            #expect(error.rule == .duplicateItemCode)
            #expect(error.field == "items[1].code")
        }
        #expect(throws: DomainError.self) { try ItemList().validateForPublication() }
    }

    @Test("一企一表: a merged entry is listed once, under its lead, naming the team's co-departments")
    func sheetListsMergedEntryOnce() throws {
        var joint = JointListTests.merged()
        try joint.resolve(2, lead: .init(department: "fire", code: "XF-01"), included: true, reason: "消防牵头")
        let sections = JointInspectionSheet.sections(joint, kind: .enterprise, entries: [], departments: ["commerce", "emergency", "fire"])
        #expect(sections.map(\.department) == ["commerce", "fire"], "emergency leads nothing here, so it has no section")
        #expect(sections.flatMap(\.entries).map(\.number) == [1, 2])
        #expect(sections[1].entries.map(\.coDepartments) == [["emergency"]])
        // Without fire on the team, emergency checks the item alone.
        let withoutFire = JointInspectionSheet.sections(joint, kind: .enterprise, entries: [], departments: ["commerce", "emergency"])
        #expect(withoutFire.map(\.department) == ["commerce", "emergency"])
        #expect(withoutFire[1].entries.map(\.coDepartments) == [[]])
        // A task on entry 1 only lists entry 1.
        #expect(
            JointInspectionSheet.sections(joint, kind: .enterprise, entries: [1], departments: ["commerce", "fire"])
                .flatMap(\.entries).map(\.number) == [1])
    }
}
