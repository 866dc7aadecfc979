import Foundation

/// 一企一表 / 联合抽查表: for one drawn object, the joint-list items that apply to it grouped by department, the team,
/// and the object's registration and earlier inspections; and the 一次告知 notice to the business.
///
/// A merged entry (one item several departments check) is listed once, under its lead department, naming the
/// departments that check it with the lead (配合): the business is checked on it once, which is the point of 一业一查.
public struct JointInspectionSheet: Sendable {
    /// One joint-list entry as the team checks it.
    public struct Entry: Sendable {
        /// The entry's number in the joint list.
        public var number: Int
        public var item: InspectionItem
        /// The team's other departments that check this entry with the section's department (配合部门).
        public var coDepartments: [DepartmentCode]
    }

    /// The entries a department leads on this visit.
    public struct Section: Sendable {
        public var department: DepartmentCode
        public var entries: [Entry]

        public var items: [InspectionItem] { entries.map(\.item) }
    }

    public struct Member: Sendable {
        public var department: DepartmentCode
        /// The roster id.
        public var inspectorID: String
        public var name: String
        public var certificateNumber: String
        public var leader: Bool

        public init(department: DepartmentCode, inspectorID: String, name: String, certificateNumber: String, leader: Bool) {
            self.department = department
            self.inspectorID = inspectorID
            self.name = name
            self.certificateNumber = certificateNumber
            self.leader = leader
        }
    }

    public var taskName: String
    public var window: (start: CalendarDate, end: CalendarDate)
    public var object: InspectedObject
    public var sections: [Section]
    public var team: [Member]
    /// Earlier inspections of the object: (year, task name).
    public var history: [(year: Int, task: String)]
    public var departmentNames: [DepartmentCode: String]

    /// The sections of `joint` for an object of `kind` in a task on `entries` (empty: every included one), for the
    /// departments on the team, in the team's order. Each entry goes under its lead department, or, when the lead
    /// sent no one, the first of its departments on the team.
    public static func sections(_ joint: JointList, kind: InspectedObject.Kind, entries: [Int], departments: [DepartmentCode]) -> [Section]
    {
        var sections = departments.map { Section(department: $0, entries: []) }
        for entry in joint.includedEntries
        where (entries.isEmpty || entries.contains(entry.number)) && entry.item.objectKinds.contains(kind) {
            let present = entry.departments.filter(departments.contains)
            guard let owner = present.first, let index = sections.firstIndex(where: { $0.department == owner }) else { continue }
            sections[index].entries.append(Entry(number: entry.number, item: entry.item, coDepartments: Array(present.dropFirst())))
        }
        return sections.filter { !$0.entries.isEmpty }
    }

    public init(
        taskName: String, window: (start: CalendarDate, end: CalendarDate), object: InspectedObject, sections: [Section],
        team: [Member], history: [(year: Int, task: String)], departmentNames: [DepartmentCode: String]
    ) {
        self.taskName = taskName
        self.window = window
        self.object = object
        self.sections = sections
        self.team = team
        self.history = history
        self.departmentNames = departmentNames
    }

    private func name(_ department: DepartmentCode) -> String { departmentNames[name: department] }

    private func coDepartmentNames(_ entry: Entry) -> String {
        entry.coDepartments.isEmpty ? "—" : entry.coDepartments.map(name).joined(separator: "、")
    }

    /// The printable sheet the team takes on site.
    public var html: String {
        var page = HTMLPage(title: "部门联合抽查检查表（一企一表）")
        page.element("p", "\(taskName)；检查时间：\(window.start.chineseDescription)至\(window.end.chineseDescription)", class: "meta")
        page.element("h2", "一、检查对象")
        page.definitions([
            ("名称", object.name), ("统一社会信用代码", object.creditCode), ("类型", object.kind.label), ("地址", object.address),
            ("行政区划代码", object.regionCode), ("规模", object.scale?.label ?? ""),
            ("信用风险分类", object.riskClass.map { "\($0.rawValue) 类（\(object.riskRatedOn?.chineseDescription ?? "")评定）" } ?? "未评级"),
            ("经营状态", object.status.label), ("监管部门", object.supervisingDepartments.map(name).joined(separator: "、")),
            ("往次抽查", history.isEmpty ? "无" : history.map { "\($0.year) 年 \($0.task)" }.joined(separator: "；")),
        ])
        page.element("h2", "二、联合检查组")
        page.table(
            header: ["部门", "姓名", "执法证号", "职责"],
            rows: team.map {
                [name($0.department), $0.name, $0.certificateNumber, $0.leader ? "组长" : "组员"]
            })
        page.element("h2", "三、检查事项")
        for section in sections {
            page.element("h3", "\(name(section.department))（牵头）")
            page.table(
                header: ["检查项目", "检查内容", "检查依据", "检查方式", "配合部门", "检查结果（正常/不正常）", "备注"],
                rows: section.entries.map { entry in
                    let item = entry.item
                    return [
                        item.project + (item.subItem.isEmpty ? "" : "：\(item.subItem)"), item.content, item.legalBasis,
                        item.methods.map(\.label).joined(separator: "、"), coDepartmentNames(entry), "", "",
                    ]
                })
        }
        page.element("p", "检查人员（签名）：　　　　　　　被检查对象负责人（签名）：　　　　　　　日期：")
        return page.html
    }

    /// 一次告知: what the business is told once, before the visit.
    public var notice: String {
        var page = HTMLPage(title: "部门联合抽查告知书")
        page.element("p", "\(object.name)（统一社会信用代码 \(object.creditCode)）：")
        let departments = sections.map { name($0.department) }.joined(separator: "、")
        page.element(
            "p",
            "根据“双随机、一公开”部门联合抽查工作安排，你单位已被随机抽取为“\(taskName)”的检查对象。"
                + "\(departments)将组成联合检查组，于\(window.start.chineseDescription)至\(window.end.chineseDescription)期间"
                + "一次性上门开展检查（进一次门、查多项事）。检查组组长：\(team.first { $0.leader }.map { "\(name($0.department)) \($0.name)" } ?? "—")。")
        page.element("h2", "检查事项")
        page.table(
            header: ["牵头部门", "配合部门", "检查内容", "检查依据"],
            rows: sections.flatMap { section in
                section.entries.map { [name(section.department), coDepartmentNames($0), $0.item.content, $0.item.legalBasis] }
            })
        page.element("h2", "请提前准备")
        var materials: [String] = []
        for item in sections.flatMap(\.items) {
            let text = item.materials.isEmpty ? JointListSheet.defaultMaterials(item.methods) : item.materials
            for part in text.split(whereSeparator: { $0 == "；" || $0 == "、" }).map(String.init) where !materials.contains(part) {
                materials.append(part)
            }
        }
        page.open("ol")
        for material in materials { page.element("li", material) }
        page.close("ol")
        page.element("p", "检查人员将出示执法证件。对检查结果有异议的，可在结果公示之日起 60 日内提出。")
        return page.html
    }
}
