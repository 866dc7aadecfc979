import Foundation
import YiyeCore

/// What the dashboard page shows (统计看板), worked out from the same board as `GET /api/v1/dashboard`: every
/// number on the page is the API's, formatted the way officials read them.
struct DashboardView {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct KPI {
        var key: String
        var label: String
        var value: String
        var note: String
    }

    struct Chart {
        var title: String
        var svg: String
    }

    struct Row {
        var name: String
        var link: String
        var cells: [String]
    }

    struct Download {
        var label: String
        var href: String
        /// The name to save it as; the printable page opens instead.
        var file: String?
    }

    struct Overdue {
        var kind: String
        var about: String
        var department: String
        var waiting: String
        var industry: String
        var since: String
        var href: String
    }

    var periodLabel: String
    var asOf: String
    var scopeNote: String
    var years: [Option]
    var quarters: [Option]
    var months: [Option]
    var industries: [Option]
    var departments: [Option]
    var showDepartments: Bool
    var region: String
    var kpis: [KPI]
    var charts: [Chart]
    var columns: [String]
    var departmentRows: [Row]
    var industryRows: [Row]
    /// 风险预警与一业一评: the total, then each industry with its grade distribution now.
    var riskColumns = Self.riskColumns
    var riskRows: [Row]
    var overdue: [Overdue]
    var overdueCount: Int
    /// What the list leaves out (it shows the longest overdue), if anything.
    var overdueMore: String?
    /// The API query the page's script refreshes the live figures with.
    var apiQuery: String
    /// 汇总上报: the report of what the page shows, as a workbook, CSV or a printable page.
    var downloads: [Download]
    /// The notices (SSE event names) on which the page refreshes them.
    var liveKinds = Notice.Kind.allCases.map(\.rawValue).joined(separator: " ")

    static let riskColumns = ["预警", "上报", "待研判", "已排除", "列入会商", "转为任务", "任务公示结果", "发现问题", "当前等级分布"]
    static let columns = ["计划任务", "已完成", "检查户次", "联合户次", "减少入企", "公示结果", "问题发现率", "公示及时率", "处理完结率", "吹哨响应率"]

    init(board: DashboardBoard, actor: Actor, query: [String: String]) {
        let scope = board.scope
        let period = scope.period
        let total = board.total
        periodLabel = period.label
        asOf = PageText.time(scope.now)
        let year = CalendarDate(chinaDateOf: scope.now).year
        years = (year - 4...year).reversed().map { Option(value: String($0), label: "\($0)年", selected: $0 == period.year) }
        let quarter: Int? = if case .quarter(let number) = period.part { number } else { nil }
        let month: Int? = if case .month(let number) = period.part { number } else { nil }
        quarters = (1...4).map { Option(value: String($0), label: "第\(["一", "二", "三", "四"][$0 - 1])季度", selected: $0 == quarter) }
        months = (1...12).map { Option(value: String($0), label: "\($0)月", selected: $0 == month) }
        industries = board.industryNames.sorted { $0.key < $1.key }.map {
            Option(value: $0.key, label: $0.value, selected: query["industry"] == $0.key)
        }
        showDepartments = actor.readsEverything
        departments = board.departmentNames.filter { actor.readsEverything && $0.key.rawValue != actor.department.rawValue }
            .sorted { $0.key.rawValue < $1.key.rawValue }
            .map { Option(value: $0.key.rawValue, label: $0.value, selected: query["department"] == $0.key.rawValue) }
        region = query["region"] ?? ""
        scopeNote =
            actor.readsEverything
            ? "领导小组办公室视角：全部部门与行业"
            : "本部门视角：\(board.departmentNames[name: actor.department])及其参与的行业"
        kpis = [
            KPI(
                key: "completion", label: "计划完成率", value: Self.percent(total.completionRate),
                note: "已完成 \(total.tasksCompleted) / 计划 \(total.tasksPlanned) 项任务"),
            KPI(
                key: "coverage", label: "抽查覆盖率", value: Self.percent(total.coverageRate),
                note: "\(total.inspectedTotal) / \(total.directoryTotal) 户，\(total.floorMet ? "达到" : "未达到") 3% 底线"),
            KPI(
                key: "joint", label: "联合抽查占比", value: Self.percent(total.jointShare), note: "联合 \(total.jointVisits) / 共 \(total.visits) 户次"
            ),
            KPI(key: "avoided", label: "减少入企次数", value: String(total.visitsAvoided), note: "一次入企、联合检查节省的户次"),
            KPI(
                key: "problems", label: "问题发现率", value: Self.percent(total.problemRate),
                note: "\(total.resultsWithProblems) / \(total.resultsPublished) 条公示结果"),
            KPI(
                key: "publication", label: "结果公示率", value: Self.percent(total.publicationRate),
                note: "已公示 \(total.resultsDuePublished) / 应公示 \(total.resultsDue) 条"),
            KPI(key: "timely", label: "公示及时率", value: Self.percent(total.timelyRate), note: "按期公示 \(total.resultsPublishedOnTime) 条"),
            KPI(
                key: "closure", label: "处理完结率", value: Self.percent(total.closureRate),
                note: "已办结 \(total.followUpsClosed) / \(total.followUpsNeeded) 条"),
            KPI(
                key: "response", label: "吹哨响应率", value: Self.percent(total.responseRate),
                note: "响应中位用时 \(total.medianResponseHours.map { String(format: "%.1f", $0) } ?? "—") 小时"),
            KPI(
                key: "warnings", label: "风险预警", value: String(total.warningsRaised),
                note: "待研判 \(total.warnings(.raised))，转为任务 \(total.warnings(.tasked)) 条"),
            KPI(key: "overdue", label: "当前逾期事项", value: String(board.overdue.count), note: "实时更新"),
        ]
        let names = board.departmentNames
        charts = [
            Chart(
                title: "各部门检查户次",
                svg: BarChart(title: "各部门检查户次", bars: board.departmentRows.map { .init(label: names[name: $0.0], value: $0.1.visits) }).svg),
            Chart(
                title: "各月检查户次",
                svg: BarChart(title: "各月检查户次", bars: period.months.map { .init(label: "\($0)月", value: total.visitsByMonth[$0] ?? 0) }).svg),
            Chart(
                title: "检查结果分类",
                svg: BarChart(
                    title: "检查结果分类",
                    bars: ResultCategory.allCases.compactMap { category in
                        total.categories[category].map { .init(label: category.label, value: $0) }
                    }
                ).svg),
        ]
        columns = Self.columns
        let base = query.filter { ["year", "quarter", "month", "region"].contains($0.key) }
        departmentRows = board.departmentRows.map { code, figures in
            Row(name: names[name: code], link: Self.link(base.merging(["department": code.rawValue]) { $1 }), cells: Self.cells(figures))
        }
        industryRows = board.industryRows.map { code, figures in
            Row(
                name: board.industryNames[code] ?? code, link: Self.link(base.merging(["industry": code]) { $1 }),
                cells: Self.cells(figures))
        }
        riskRows =
            [Row(name: "合计", link: Self.link(base), cells: Self.riskCells(total, grades: nil))]
            + board.industryRows.map { code, figures in
                Row(
                    name: board.industryNames[code] ?? code, link: Self.link(base.merging(["industry": code]) { $1 }),
                    cells: Self.riskCells(figures, grades: board.grades[code] ?? []))
            }
        overdue = board.overdue.prefix(DashboardBoard.overdueShown).map { item in
            Overdue(
                kind: item.kind.label, about: item.about, department: names[name: item.department],
                waiting: names[name: item.waitingDepartment],
                industry: board.industryNames[item.industry] ?? item.industry, since: PageText.time(item.due),
                href: item.apiPath)
        }
        overdueCount = board.overdue.count
        let left = board.overdue.count - DashboardBoard.overdueShown
        overdueMore = left > 0 ? "仅列出逾期最久的 \(DashboardBoard.overdueShown) 项，另有 \(left) 项未列出。" : nil
        apiQuery = Self.query(query)
        downloads = [("导出 Excel", "xlsx"), ("导出 CSV", "csv"), ("打印版", "html")].map { label, format in
            Download(
                label: label, href: "/api/v1/dashboard/report?" + Self.query(query.merging(["format": format]) { $1 }),
                file: format == "html" ? nil : "汇总上报_\(period.label).\(format)")
        }
    }

    static func cells(_ figures: DashboardFigures) -> [String] {
        [
            String(figures.tasksPlanned), String(figures.tasksCompleted), String(figures.visits), String(figures.jointVisits),
            String(figures.visitsAvoided), String(figures.resultsPublished), percent(figures.problemRate), percent(figures.timelyRate),
            percent(figures.closureRate), percent(figures.responseRate),
        ]
    }

    /// A row of the risk table; `grades` is the industry's distribution (none for the total: bands differ by industry).
    static func riskCells(_ figures: DashboardFigures, grades: [GradeCount]?) -> [String] {
        let counts = [
            figures.warningsRaised, figures.warningsReported, figures.warnings(.raised), figures.warnings(.dismissed),
            figures.warnings(.onAgenda), figures.warnings(.tasked), figures.triggeredResults, figures.triggeredProblems,
        ]
        let distribution =
            grades.map { grades in
                grades.isEmpty ? "未发布指标体系" : grades.map { "\($0.band.name) \($0.objects)" }.joined(separator: " · ")
            } ?? "—"
        return counts.map(String.init) + [distribution]
    }

    /// A share as officials write it, one decimal: 25.0%; a dash when there was nothing to count.
    static func percent(_ rate: Double?) -> String {
        rate.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
    }

    static func query(_ parameters: [String: String]) -> String {
        parameters.sorted { $0.key < $1.key }.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "+"])) ?? "")"
        }.joined(separator: "&")
    }

    static func link(_ parameters: [String: String]) -> String { "/dashboard?" + query(parameters) }
}
