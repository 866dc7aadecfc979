import Foundation
import YiyeContract
import YiyeCore
import YiyeStore

/// `GET /api/v1/dashboard`: the leadership office's figures (docs/DASHBOARD.md), narrowed for a department to its
/// own rows and the industries it takes part in.
extension APIHandlers {
    func getDashboard(_ input: Operations.GetDashboard.Input) async throws -> Operations.GetDashboard.Output {
        let actor = try admittedActor()
        let (scope, names, industryNames) = try await dashboardScope(input.query, actor: actor)
        let rows = try await dashboard.figures(scope).filter { actor.sees($0.key) }
        let overdue = try await escalations.overdue(now: scope.now).filter { item in
            actor.sees(item) && (scope.industries?.contains(item.industry) ?? true)
                && (scope.department.map { [item.department, item.waitingDepartment].contains($0) } ?? true)
        }.sorted { ($0.due, $0.kind.rawValue, $0.subjectID) < ($1.due, $1.kind.rawValue, $1.subjectID) }
        let sorted = rows.sorted {
            ($0.key.department?.rawValue ?? "", $0.key.industry ?? "") < ($1.key.department?.rawValue ?? "", $1.key.industry ?? "")
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        period: .init(scope.period),
                        asOf: scope.now,
                        total: try .init(rows[.total] ?? DashboardFigures()),
                        departments: try sorted.compactMap { key, figures in
                            guard let department = key.department, key.industry == nil else { return nil }
                            return .init(department: department.rawValue, name: names[name: department], figures: try .init(figures))
                        },
                        industries: try sorted.compactMap { key, figures in
                            guard key.department == nil, let industry = key.industry else { return nil }
                            return .init(industry: industry, name: industryNames[industry] ?? industry, figures: try .init(figures))
                        },
                        cells: try sorted.compactMap { key, figures in
                            guard let department = key.department, let industry = key.industry else { return nil }
                            return .init(department: department.rawValue, industry: industry, figures: try .init(figures))
                        },
                        overdue: try overdue.map { try .init($0, names: names) }))))
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
        let path =
            switch item.link {
            case .call: "calls"
            case .draw: "draws"
            case .meeting: "meetings"
            case .clue: "clues"
            case .objection: "objections"
            case .calendar: "calendar"
            }
        self.init(
            kind: try .init(code: item.kind.rawValue), kindLabel: item.kind.label, department: item.department.rawValue,
            departmentName: names[name: item.department], waitingDepartment: item.waitingDepartment.rawValue, industry: item.industry,
            about: item.about, due: item.due, subjectType: try .init(code: item.link.rawValue), subjectId: item.linkID,
            href: "/api/v1/\(path)/\(item.linkID)")
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
                        riskClass: try .init(code: code), label: label, directory: directory, inspected: inspected,
                        rate: DashboardFigures.rate(inspected, of: directory))
                }),
            joint: .init(
                visits: figures.visits, jointVisits: figures.jointVisits, jointShare: figures.jointShare,
                departmentsPerVisit: figures.departmentsPerVisit, visitsAvoided: figures.visitsAvoided,
                businessesInspected: figures.businessesInspected,
                businessesByVisits: figures.businessesByVisits.sorted { $0.key < $1.key }.map {
                    .init(visits: $0.key, businesses: $0.value)
                },
                businessesAtCap: figures.businessesAtCap),
            results: .init(
                published: figures.resultsPublished, withProblems: figures.resultsWithProblems, problemRate: figures.problemRate,
                medianDaysToPublish: figures.medianDaysToPublish,
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
                actionItemsOverdue: figures.actionItemsOverdue))
    }
}
