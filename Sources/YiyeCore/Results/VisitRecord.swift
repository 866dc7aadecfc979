import Foundation

/// 联合检查记录表: the printable record of a visit: the object, the team present, every department's items with the
/// results it entered, and the business's confirmation; carrying the SM3 digest of its text, so that a printout can
/// be checked against the system.
public struct VisitRecord: Sendable {
    public var sheet: JointInspectionSheet
    public var visit: SiteVisit
    /// The results entered so far, by department.
    public var results: [DepartmentCode: InspectionResult]

    public init(sheet: JointInspectionSheet, visit: SiteVisit, results: [InspectionResult]) {
        self.sheet = sheet
        self.visit = visit
        self.results = Dictionary(results.map { ($0.department, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private func name(_ department: DepartmentCode) -> String { sheet.departmentNames[name: department] }

    private var present: [JointInspectionSheet.Member] {
        visit.inspectors.compactMap { id in sheet.team.first { $0.inspectorID == id } }
    }

    private var visitedAt: String {
        let date = CalendarDate(chinaDateOf: visit.visitedAt)
        let minutes = Int((visit.visitedAt.timeIntervalSince1970 + 8 * 3600).truncatingRemainder(dividingBy: 86_400)) / 60
        return "\(date.chineseDescription) \(String(format: "%02d:%02d", minutes / 60, minutes % 60))"
    }

    private var confirmation: String {
        switch visit.confirmation {
        case .signed:
            "\(visit.confirmation.label)：\(visit.signedBy)" + (visit.signature.isEmpty ? "" : "（手写签名图像 \(visit.signature)）")
        case .refused:
            "\(visit.confirmation.label)；录音录像编号：\(visit.recordingReference)"
                + (visit.witness.map { "；见证人：\($0.name)（\($0.contact)）" } ?? "")
        }
    }

    /// Each department's lines: (entry number, content, result, what was found).
    private var lines: [(department: DepartmentCode, rows: [[String]])] {
        sheet.sections.map { section in
            let entered = results[section.department]
            return (
                section.department,
                section.entries.map { entry in
                    let item = entered?.items.first { $0.entry == entry.number }
                    return [String(entry.number), entry.item.content, item?.outcome.label ?? "未录入", item?.finding ?? ""]
                }
            )
        }
    }

    /// The text the digest covers: every field of the record, one per line, in the order printed.
    public var canonicalText: String {
        var text = ["联合检查记录表", sheet.taskName, sheet.object.creditCode, sheet.object.name, sheet.object.address, visitedAt]
        text += present.map { "\(name($0.department))|\($0.name)|\($0.certificateNumber)" }
        text.append(visit.credentialsShown ? "已出示执法证件" : "未出示执法证件")
        for (department, rows) in lines {
            text.append(name(department))
            text += rows.map { $0.joined(separator: "|") }
            if let result = results[department] { text.append(result.categories.map(\.category.label).joined(separator: "；")) }
        }
        text.append(confirmation)
        return text.joined(separator: "\n")
    }

    /// SM3 of `canonicalText`, in hex.
    public var digest: String { SM3.hex(canonicalText) }

    public var html: String {
        var page = HTMLPage(title: "联合检查记录表")
        page.element("p", "\(sheet.taskName)", class: "meta")
        page.definitions([
            ("被检查对象", sheet.object.name), ("统一社会信用代码", sheet.object.creditCode), ("地址", sheet.object.address), ("检查时间", visitedAt),
        ])
        page.element("h2", "一、到场检查人员")
        page.table(
            header: ["部门", "姓名", "执法证号", "职责"],
            rows: present.map { [name($0.department), $0.name, $0.certificateNumber, $0.leader ? "组长" : "组员"] })
        page.element("p", visit.credentialsShown ? "检查人员已出示执法证件。" : "检查人员未出示执法证件。")
        page.element("h2", "二、检查事项及结果")
        for (department, rows) in lines {
            page.element("h3", name(department))
            page.table(header: ["序号", "检查内容", "检查结果", "发现的问题"], rows: rows)
            if let result = results[department], !result.categories.isEmpty {
                page.element("p", "检查结论：\(result.categories.map(\.category.label).joined(separator: "；"))")
            }
        }
        page.element("h2", "三、被检查对象确认")
        page.element("p", confirmation)
        page.element("p", "本记录 SM3 摘要：\(digest)", class: "meta")
        return page.html
    }
}
