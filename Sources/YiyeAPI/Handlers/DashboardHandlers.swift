import Foundation
import OpenAPIRuntime
import YiyeContract
import YiyeCore
import YiyeStore

/// `GET /api/v1/dashboard`: the leadership office's figures (docs/DASHBOARD.md), narrowed for a department to its
/// own rows and the industries it takes part in.
extension APIHandlers {
    func getDashboard(_ input: Operations.GetDashboard.Input) async throws -> Operations.GetDashboard.Output {
        let board = try await dashboardBoard(input.query, actor: try admittedActor())
        let (names, industryNames) = (board.departmentNames, board.industryNames)
        return .ok(
            .init(
                body: .json(
                    .init(
                        period: .init(board.scope.period),
                        asOf: board.scope.now,
                        total: try .init(board.total),
                        departments: try board.departmentRows.map { department, figures in
                            .init(department: department.rawValue, name: names[name: department], figures: try .init(figures))
                        },
                        industries: try board.industryRows.map { industry, figures in
                            .init(
                                industry: industry, name: industryNames[industry] ?? industry, figures: try .init(figures),
                                grades: (board.grades[industry] ?? []).map(Components.Schemas.GradeDistributionPayload.init))
                        },
                        cells: try board.cells.map { department, industry, figures in
                            .init(department: department.rawValue, industry: industry, figures: try .init(figures))
                        },
                        overdue: try board.overdue.prefix(DashboardBoard.overdueShown).map { try .init($0, names: names) },
                        overdueTotal: board.overdue.count))))
    }

    /// The dashboard as the actor may see it, for the API and the page alike.
    func dashboardBoard(_ query: Operations.GetDashboard.Input.Query, actor: Actor) async throws -> DashboardBoard {
        let (scope, names, industryNames) = try await dashboardScope(query, actor: actor)
        // The figures and the overdue list are read at once, on connections of their own.
        async let figures = dashboard.figures(scope)
        async let grades = grading.distribution(industries: scope.industries, region: scope.region)
        let overdue = try await escalations.overdue(now: scope.now).filter { item in
            actor.sees(item) && (scope.industries?.contains(item.industry) ?? true)
                && (scope.department.map { [item.department, item.waitingDepartment].contains($0) } ?? true)
        }.sorted { ($0.due, $0.kind.rawValue, $0.subjectID) < ($1.due, $1.kind.rawValue, $1.subjectID) }
        let rows = try await figures.filter { actor.sees($0.key) }
        return DashboardBoard(
            scope: scope, rows: rows, grades: try await grades, overdue: overdue, departmentNames: names, industryNames: industryNames)
    }

    /// What the actor's dashboard counts: the period asked for (this year by default), the industries the actor sees
    /// (or the one asked for), the department asked for (nothing, for a department asking for another's), the region.
    func dashboardScope(
        _ query: Operations.GetDashboard.Input.Query, actor: Actor
    ) async throws -> (DashboardRepository.Scope, names: [DepartmentCode: String], industries: [String: String]) {
        let now = clock.now
        let period = try DashboardPeriod(
            year: query.year ?? CalendarDate(chinaDateOf: now).year, quarter: query.quarter, month: query.month)
        let names = try await departments.names()
        var visible = try await industries.list(after: nil, limit: 10_000, department: actor.viewpoint)
        if let code = query.industry { visible = [try await visibleIndustry(code, to: actor)] }
        var counted: [String]? = query.industry != nil || !actor.readsEverything ? visible.map(\.code) : nil
        let department = query.department.map { DepartmentCode($0) }
        if let department {
            guard names[department] != nil else { throw APIError.notFound("部门") }
            if actor.listScope(asking: department) == .none { counted = [] }
        }
        let scope = DashboardRepository.Scope(period: period, industries: counted, department: department, region: query.region, now: now)
        return (scope, names, Dictionary(visible.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first }))
    }
}

/// What the dashboard shows an actor: the rows the actor sees, what is overdue, and the names to show them by.
struct DashboardBoard {
    var scope: DashboardRepository.Scope
    var rows: [DashboardKey: DashboardFigures]
    /// Each industry's 等级分布 now, in the region asked for.
    var grades: [String: [GradeCount]]
    /// All that is overdue, longest first; the API and the page show the first `overdueShown` and the count of all.
    var overdue: [Escalation]
    static let overdueShown = 100
    var departmentNames: [DepartmentCode: String]
    var industryNames: [String: String]

    var total: DashboardFigures { rows[.total] ?? DashboardFigures() }

    /// Each department's row, in code order.
    var departmentRows: [(DepartmentCode, DashboardFigures)] {
        rows.compactMap { key, figures in key.industry == nil ? key.department.map { ($0, figures) } : nil }.sorted {
            $0.0.rawValue < $1.0.rawValue
        }
    }

    /// Each industry's row, in code order.
    var industryRows: [(String, DashboardFigures)] {
        rows.compactMap { key, figures in key.department == nil ? key.industry.map { ($0, figures) } : nil }.sorted { $0.0 < $1.0 }
    }

    /// Each department's row within each industry, by department, then industry.
    var cells: [(DepartmentCode, String, DashboardFigures)] {
        rows.compactMap { key, figures in
            guard let department = key.department, let industry = key.industry else { return nil }
            return (department, industry, figures)
        }.sorted { ($0.0.rawValue, $0.1) < ($1.0.rawValue, $1.1) }
    }
}

extension Components.Schemas.Dashboard.PeriodPayload {
    init(_ period: DashboardPeriod) {
        var quarter: Int?
        var month: Int?
        switch period.part {
        case .year: break
        case .quarter(let number): quarter = number
        case .month(let number): month = number
        }
        self.init(
            year: period.year, quarter: quarter, month: month, label: period.label, from: period.first.description,
            to: period.last.description)
    }
}

extension Components.Schemas.OverdueItem {
    init(_ item: Escalation, names: [DepartmentCode: String]) throws {
        self.init(
            kind: try .init(code: item.kind.rawValue), kindLabel: item.kind.label, department: item.department.rawValue,
            departmentName: names[name: item.department], waitingDepartment: item.waitingDepartment.rawValue, industry: item.industry,
            about: item.about, due: item.due, subjectType: try .init(code: item.link.rawValue), subjectId: item.linkID,
            href: item.apiPath)
    }
}

extension Escalation {
    /// Where the API shows what is late.
    var apiPath: String {
        let collection =
            switch link {
            case .call: "calls"
            case .draw: "draws"
            case .meeting: "meetings"
            case .clue: "clues"
            case .objection: "objections"
            case .calendar: "calendar"
            case .warning: "warnings"
            }
        return "/api/v1/\(collection)/\(linkID)"
    }
}

extension Components.Schemas.DashboardFigures {
    init(_ figures: DashboardFigures) throws {
        let riskClasses = InspectedObject.RiskClass.allCases.map { ($0.rawValue, $0.label) } + [("-", "未评级")]
        self.init(
            plan: .init(
                tasksPlanned: figures.tasksPlanned, tasksDrawn: figures.tasksDrawn, tasksCompleted: figures.tasksCompleted,
                completionRate: figures.completionRate),
            coverage: .init(
                directory: figures.directoryTotal, inspected: figures.inspectedTotal, rate: figures.coverageRate,
                floor: DashboardFigures.coverageFloor, floorMet: figures.floorMet,
                byRiskClass: try riskClasses.map { code, label in
                    let (directory, inspected) = (figures.directory[code] ?? 0, figures.inspected[code] ?? 0)
                    return .init(
                        riskClass: code == "-" ? nil : try .init(code: code), label: label, directory: directory, inspected: inspected,
                        rate: DashboardFigures.rate(inspected, of: directory))
                }),
            joint: .init(
                visits: figures.visits, jointVisits: figures.jointVisits, jointShare: figures.jointShare,
                departmentsPerVisit: figures.departmentsPerVisit, visitsAvoided: figures.visitsAvoided,
                businessesInspected: figures.businessesInspected,
                businessesByVisits: figures.businessesByVisits.sorted { $0.key < $1.key }.map {
                    .init(visits: $0.key, businesses: $0.value)
                },
                businessesAtCap: figures.businessesAtCap, visitsByMonth: Self.months(figures.visitsByMonth)),
            results: .init(
                published: figures.resultsPublished, withProblems: figures.resultsWithProblems, problemRate: figures.problemRate,
                medianDaysToPublish: figures.medianDaysToPublish, publishedByMonth: Self.months(figures.publishedByMonth),
                categories: ResultCategory.allCases.compactMap { category in
                    figures.categories[category].map { .init(category: category.rawValue, label: category.label, count: $0) }
                }),
            timeliness: .init(
                due: figures.resultsDue, published: figures.resultsDuePublished, onTime: figures.resultsPublishedOnTime,
                publicationRate: figures.publicationRate, timelyRate: figures.timelyRate),
            followUp: .init(
                needed: figures.followUpsNeeded, closed: figures.followUpsClosed, open: figures.followUpsOpen,
                closureRate: figures.closureRate, medianDaysToClose: figures.medianDaysToClose,
                objections: .init(
                    received: figures.objections.values.reduce(0, +), reexamining: figures.objections["reexamining"] ?? 0,
                    upheld: figures.objections["upheld"] ?? 0, maintained: figures.objections["maintained"] ?? 0)),
            coordination: .init(
                callsAddressed: figures.callsAddressed, callsAnswered: figures.callsAnswered, responseRate: figures.responseRate,
                medianResponseHours: figures.medianResponseHours,
                escalations: try Escalation.Kind.allCases.compactMap { kind in
                    try figures.escalations[kind.rawValue].map { .init(kind: try .init(code: kind.rawValue), label: kind.label, count: $0) }
                },
                clueRoutes: .init(
                    routed: figures.clueRoutes.values.reduce(0, +), pending: figures.clueRoutes["routed"] ?? 0,
                    accepted: figures.clueRoutes["accepted"] ?? 0, returned: figures.clueRoutes["returned"] ?? 0,
                    concluded: figures.clueRoutes["concluded"] ?? 0),
                meetingsHeld: figures.meetingsHeld, actionItemsDue: figures.actionItemsDue, actionItemsOpen: figures.actionItemsOpen,
                actionItemsOverdue: figures.actionItemsOverdue),
            risk: .init(
                raised: figures.warningsRaised, reported: figures.warningsReported, pending: figures.warnings(.raised),
                dismissed: figures.warnings(.dismissed), onAgenda: figures.warnings(.onAgenda),
                tasked: figures.warnings(.tasked), triggeredResults: figures.triggeredResults,
                triggeredProblems: figures.triggeredProblems, triggeredProblemRate: figures.triggeredProblemRate))
    }

    static func months(_ counts: [Int: Int]) -> Components.Schemas.MonthCounts {
        counts.sorted { $0.key < $1.key }.map { .init(month: $0.key, count: $0.value) }
    }
}

/// `GET /api/v1/dashboard/report`: 汇总上报, the board's rows as a workbook, a CSV file or a printable page.
extension APIHandlers {
    func getDashboardReport(_ input: Operations.GetDashboardReport.Input) async throws -> Operations.GetDashboardReport.Output {
        let actor = try admittedActor()
        let query = input.query
        let board = try await dashboardBoard(
            .init(
                year: query.year, quarter: query.quarter, month: query.month, industry: query.industry, department: query.department,
                region: query.region),
            actor: actor)
        let report = DashboardReport(board: board, actor: actor)
        return switch query.format ?? .xlsx {
        case .xlsx:
            .ok(.init(body: .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(HTTPBody(report.xlsx))))
        case .csv: .ok(.init(body: .csv(HTTPBody(report.csv))))
        case .html: .ok(.init(body: .html(HTTPBody(report.html))))
        }
    }
}

extension DashboardReport {
    /// The report of what the actor's board shows: the total, then each department, then each industry.
    init(board: DashboardBoard, actor: Actor) {
        let names = board.departmentNames
        let filters = [
            board.scope.department.map { "部门：\(names[name: $0])" }, board.scope.region.map { "地区：\($0)" },
            board.scope.industries.flatMap { $0.count == 1 ? "行业：\(board.industryNames[$0[0]] ?? $0[0])" : nil },
        ].compactMap { $0 }
        self.init(
            title: "“双随机、一公开”联合抽查工作汇总表",
            subtitle: ([board.scope.period.label, "填报单位：\(names[name: actor.department])"] + filters).joined(separator: " · "),
            rows: [("合计", board.total)] + board.departmentRows.map { ("部门：\(names[name: $0.0])", $0.1) }
                + board.industryRows.map { ("行业：\(board.industryNames[$0.0] ?? $0.0)", $0.1) })
    }
}
