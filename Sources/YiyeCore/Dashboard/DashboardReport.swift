import Foundation

/// 汇总上报: the dashboard's figures for a period as a table to file upward — the total, each department, each
/// industry — written as an XLSX workbook, a CSV file (UTF-8 with BOM) or a printable page, with the same columns.
public struct DashboardReport: Sendable {
    public var title: String
    /// The period and whose view it is, e.g. 2026年第二季度 · 领导小组办公室.
    public var subtitle: String
    /// Each row's name (合计, 部门：…, 行业：…) and figures.
    public var rows: [(name: String, figures: DashboardFigures)]

    public init(title: String, subtitle: String, rows: [(name: String, figures: DashboardFigures)]) {
        self.title = title
        self.subtitle = subtitle
        self.rows = rows
    }

    /// The columns: each a header and how to read it from a row's figures.
    static let columns: [(header: String, value: @Sendable (DashboardFigures) -> SpreadsheetWorkbook.Cell)] = [
        ("计划任务数", { .count($0.tasksPlanned) }),
        ("已抽取任务数", { .count($0.tasksDrawn) }),
        ("已完成任务数", { .count($0.tasksCompleted) }),
        ("计划完成率", { share($0.completionRate) }),
        ("名录对象数", { .count($0.directoryTotal) }),
        ("已检查对象数", { .count($0.inspectedTotal) }),
        ("抽查覆盖率", { share($0.coverageRate) }),
        ("检查户次", { .count($0.visits) }),
        ("联合检查户次", { .count($0.jointVisits) }),
        ("联合抽查占比", { share($0.jointShare) }),
        ("减少入企次数", { .count($0.visitsAvoided) }),
        ("公示结果数", { .count($0.resultsPublished) }),
        ("发现问题数", { .count($0.resultsWithProblems) }),
        ("问题发现率", { share($0.problemRate) }),
        ("应公示结果数", { .count($0.resultsDue) }),
        ("已公示数", { .count($0.resultsDuePublished) }),
        ("结果公示率", { share($0.publicationRate) }),
        ("按期公示数", { .count($0.resultsPublishedOnTime) }),
        ("公示及时率", { share($0.timelyRate) }),
        ("需后续处置数", { .count($0.followUpsNeeded) }),
        ("已办结数", { .count($0.followUpsClosed) }),
        ("处理完结率", { share($0.closureRate) }),
        ("收到异议数", { .count($0.objections.values.reduce(0, +)) }),
        ("吹哨应响应数", { .count($0.callsAddressed) }),
        ("已响应数", { .count($0.callsAnswered) }),
        ("吹哨响应率", { share($0.responseRate) }),
        ("响应中位用时（小时）", { $0.medianResponseHours.map(SpreadsheetWorkbook.Cell.decimal) ?? .empty }),
        ("逾期升级次数", { .count($0.escalations.values.reduce(0, +)) }),
        ("线索分办数", { .count($0.clueRoutes.values.reduce(0, +)) }),
        ("召开会商次数", { .count($0.meetingsHeld) }),
        ("议定事项逾期数", { .count($0.actionItemsOverdue) }),
        ("风险预警数", { .count($0.warningsRaised) }),
        ("已研判预警数", { .count($0.warningsJudged) }),
        ("转触发式检查数", { .count($0.warnings(.tasked)) }),
        ("触发检查发现问题数", { .count($0.triggeredProblems) }),
    ]

    static func share(_ rate: Double?) -> SpreadsheetWorkbook.Cell { rate.map(SpreadsheetWorkbook.Cell.share) ?? .empty }

    public var header: [String] { ["统计对象"] + Self.columns.map(\.header) }

    var cells: [[SpreadsheetWorkbook.Cell]] {
        rows.map { row in [.text(row.name)] + Self.columns.map { $0.value(row.figures) } }
    }

    public var xlsx: [UInt8] {
        SpreadsheetWorkbook(sheetName: "汇总", title: title, subtitle: subtitle, header: header, rows: cells).bytes
    }

    public var csv: String {
        var writer = CSVWriter()
        writer.row([title])
        writer.row([subtitle])
        writer.row(header)
        for row in cells { writer.row(row.map(Self.text)) }
        return writer.text
    }

    public var html: String {
        var page = HTMLPage(title: title)
        page.element("p", subtitle, class: "meta")
        page.table(header: header, rows: cells.map { $0.map(Self.text) })
        return page.html
    }

    /// A cell as text: counts as they are, shares as 25.0%, decimals with one place, nothing as a dash.
    static func text(_ cell: SpreadsheetWorkbook.Cell) -> String {
        switch cell {
        case .text(let text): text
        case .count(let value): String(value)
        case .share(let value): String(format: "%.1f%%", value * 100)
        case .decimal(let value): String(format: "%.1f", value)
        case .empty: "—"
        }
    }
}
