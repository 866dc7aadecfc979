import Foundation

/// The published 一业一单 as officials and businesses read it: a CSV sheet, a printable HTML sheet, and the 一业一册
/// handbook written from the business's side.
public struct JointListSheet: Sendable {
    public var list: JointList
    public var version: Int
    public var publishedAt: Date?
    public var industryName: String
    /// Department code → Chinese name.
    public var departmentNames: [DepartmentCode: String]

    public init(list: JointList, version: Int, publishedAt: Date?, industryName: String, departmentNames: [DepartmentCode: String]) {
        self.list = list
        self.version = version
        self.publishedAt = publishedAt
        self.industryName = industryName
        self.departmentNames = departmentNames
    }

    static let header = [
        "序号", "检查项目", "检查子项", "检查内容", "检查依据", "检查对象", "检查方式", "牵头部门", "配合部门",
        "检查人员要求", "抽查比例", "抽查频次", "来源事项", "是否纳入", "说明",
    ]

    /// One row per entry (excluded ones too, marked, so the sheet shows every decision).
    func rows() -> [[String]] {
        list.entries.enumerated().map { index, entry in
            let item = entry.item
            return [
                String(index + 1), item.project, item.subItem, item.content, item.legalBasis,
                item.objectKinds.map(\.label).joined(separator: "、"), item.methods.map(\.label).joined(separator: "、"),
                entry.leadDepartment.map(name) ?? "", entry.coDepartments.map(name).joined(separator: "、"),
                item.qualifications.joined(separator: "、"), item.ratioPercent.map(Self.percent) ?? "", item.frequency,
                entry.members.map { "\(name($0.department)) \($0.item.code)" }.joined(separator: "；"),
                entry.included ? "是" : "否", entry.reason,
            ]
        }
    }

    public var csv: String {
        var writer = CSVWriter()
        writer.row(Self.header)
        for row in rows() { writer.row(row) }
        return writer.text
    }

    public var html: String {
        var page = HTMLPage(title: "\(industryName)行业“一业一单”联合抽查事项清单")
        page.element(
            "p",
            "第 \(version) 版\(publishedDate.map { "，\($0) 发布" } ?? "")；发起部门：\(name(list.originator))；"
                + "参与部门：\(list.sources.map(\.department).filter { $0 != list.originator }.map(name).joined(separator: "、"))",
            class: "meta")
        page.table(header: Self.header, rows: rows())
        return page.html
    }

    /// 一业一册: what the business will be checked on, under which law, how, and what to have ready.
    public var handbook: String {
        var page = HTMLPage(title: "\(industryName)行业“一业一册”合规经营指引")
        page.element("p", "第 \(version) 版\(publishedDate.map { "，\($0) 发布" } ?? "")", class: "meta")
        page.element(
            "p",
            "本指引依据\(industryName)行业“一业一单”编制，一次性告知经营者在部门联合“双随机、一公开”抽查中"
                + "将被检查的全部事项。联合检查由\(name(list.originator))牵头，相关部门组成联合检查小组，"
                + "“进一次门、查多项事”。请对照以下事项自查，并在检查时备齐相关材料。")
        for (index, entry) in list.includedEntries.enumerated() {
            let item = entry.item
            page.open("section")
            page.element("h2", "\(index + 1). \(item.project)\(item.subItem.isEmpty ? "" : "：\(item.subItem)")")
            page.definitions([
                ("将检查什么", item.content),
                ("依据什么规定", item.legalBasis),
                ("由谁检查", ([entry.leadDepartment].compactMap { $0 } + entry.coDepartments).map(name).joined(separator: "、")),
                ("怎么检查", item.methods.map(\.label).joined(separator: "、")),
                ("检查要点", item.guideline.points),
                ("请您准备", item.materials.isEmpty ? Self.defaultMaterials(item.methods) : item.materials),
            ])
            page.close("section")
        }
        return page.html
    }

    /// What to have ready when an item says nothing: derived from how it is checked.
    static func defaultMaterials(_ methods: [InspectionMethod]) -> String {
        var materials: [String] = ["营业执照及相关许可证件"]
        if methods.contains(.documentReview) { materials.append("相关台账、记录和制度文件") }
        if methods.contains(.onSite) { materials.append("配合现场核查的负责人员") }
        if methods.contains(.samplingTest) { materials.append("可供抽样的产品及其进货查验记录") }
        return materials.joined(separator: "；")
    }

    private func name(_ department: DepartmentCode) -> String { departmentNames[name: department] }

    private var publishedDate: String? {
        publishedAt.map { CalendarDate(chinaDateOf: $0).chineseDescription }
    }

    static func percent(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }
}
