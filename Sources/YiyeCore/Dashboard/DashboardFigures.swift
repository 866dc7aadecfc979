import Foundation

/// One row of the leadership office's dashboard (领导驾驶舱): the counts behind every figure for a department, an
/// industry, a department within an industry, or all of them, over a period. `docs/DASHBOARD.md` defines each count;
/// the rates are worked out here from the counts, so that a rate and what it is made of never disagree.
public struct DashboardFigures: Sendable, Equatable {
    /// 计划完成: tasks whose window starts in the period, those drawn, those whose owed results are all published.
    public var tasksPlanned = 0
    public var tasksDrawn = 0
    public var tasksCompleted = 0

    /// 覆盖: objects in the directory (not deregistered) and those inspected in the period, by credit-risk class
    /// (`-` for objects not yet rated).
    public var directory: [String: Int] = [:]
    public var inspected: [String: Int] = [:]

    /// 联合抽查: visits (one drawn object inspected in the period, by however many departments), those made by two
    /// departments or more, and the departments of all visits together.
    public var visits = 0
    public var jointVisits = 0
    public var visitDepartments = 0
    /// Businesses inspected in the period, by how many visits they had (1, 2, 3 or more), and those whose counted
    /// inspections of the year reached the annual cap.
    public var businessesByVisits: [Int: Int] = [:]
    public var businessesAtCap = 0
    /// Visits by the month of their (first) inspection day, 1–12.
    public var visitsByMonth: [Int: Int] = [:]

    /// 结果: results first published in the period, those that found a problem, by category, and by the days from the
    /// inspection to publication.
    public var resultsPublished = 0
    public var resultsWithProblems = 0
    public var categories: [ResultCategory: Int] = [:]
    public var daysToPublish: [Int: Int] = [:]
    /// Results first published, by the month of publication, 1–12.
    public var publishedByMonth: [Int: Int] = [:]

    /// 公示时效: entered results whose deadline fell in the period and has passed, those published, those published
    /// by the deadline.
    public var resultsDue = 0
    public var resultsDuePublished = 0
    public var resultsPublishedOnTime = 0

    /// 后续处置: of the results first published in the period, those needing a follow-up, those closed, and those
    /// closed by the days from publication to closing; objections received in the period by status.
    public var followUpsNeeded = 0
    public var followUpsClosed = 0
    public var daysToClose: [Int: Int] = [:]
    public var objections: [String: Int] = [:]

    /// 协同: responses owed to calls raised in the period, those given (accepted or declined), the median hours to
    /// give them; escalations in the period by kind; clue routes made in the period by state; meetings held; action
    /// items due in the period, open, and overdue now.
    public var callsAddressed = 0
    public var callsAnswered = 0
    public var medianResponseHours: Double?
    public var escalations: [String: Int] = [:]
    public var clueRoutes: [String: Int] = [:]
    public var meetingsHeld = 0
    public var actionItemsDue = 0
    public var actionItemsOpen = 0
    public var actionItemsOverdue = 0

    /// 风险预警: warnings raised in the period by their state now (raised, dismissed, on_agenda, tasked), those
    /// reported to the office; of the tasks they became, the results published so far and those that found a problem.
    public var warnings: [RiskWarning.State: Int] = [:]
    public var warningsReported = 0
    public var triggeredResults = 0
    public var triggeredProblems = 0

    public init() {}

    /// The share `part / whole`, none when nothing was there to count.
    public static func rate(_ part: Int, of whole: Int) -> Double? {
        whole == 0 ? nil : Double(part) / Double(whole)
    }

    /// 计划完成率.
    public var completionRate: Double? { Self.rate(tasksCompleted, of: tasksPlanned) }
    public var directoryTotal: Int { directory.values.reduce(0, +) }
    public var inspectedTotal: Int { inspected.values.reduce(0, +) }
    /// 抽查覆盖率.
    public var coverageRate: Double? { Self.rate(inspectedTotal, of: directoryTotal) }
    /// Whether the inspected share reaches the yearly floor of 3% of the directory (DOMAIN.md, [002]).
    public var floorMet: Bool { (coverageRate ?? 0) >= Self.coverageFloor }
    public static let coverageFloor = 0.03
    /// The median of the values counted in `histogram` (value: how many times), as PostgreSQL's
    /// `percentile_cont(0.5)` gives it: the middle value, or halfway between the two middle ones; none of nothing.
    public static func median(_ histogram: [Int: Int]) -> Double? {
        let counted = histogram.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        let total = counted.reduce(0) { $0 + $1.value }
        guard total > 0 else { return nil }
        // The values at (0-based) places (total − 1) / 2 rounded down and up.
        func value(at place: Int) -> Int {
            var seen = 0
            for (value, times) in counted {
                seen += times
                if place < seen { return value }
            }
            return counted[counted.count - 1].key
        }
        return Double(value(at: (total - 1) / 2) + value(at: total / 2)) / 2
    }

    public var medianDaysToPublish: Double? { Self.median(daysToPublish) }
    public var medianDaysToClose: Double? { Self.median(daysToClose) }
    /// 联合抽查占比.
    public var jointShare: Double? { Self.rate(jointVisits, of: visits) }
    /// Departments per visit, on average.
    public var departmentsPerVisit: Double? { visits == 0 ? nil : Double(visitDepartments) / Double(visits) }
    /// Visits the joint mode saved businesses: a joint visit of n departments saves n − 1 (进一次门、查多项事).
    public var visitsAvoided: Int { visitDepartments - visits }
    public var businessesInspected: Int { businessesByVisits.values.reduce(0, +) }
    /// 问题发现率.
    public var problemRate: Double? { Self.rate(resultsWithProblems, of: resultsPublished) }
    /// 结果公示率: of the results due, those published.
    public var publicationRate: Double? { Self.rate(resultsDuePublished, of: resultsDue) }
    /// 公示及时率: of the results due, those published by their deadline.
    public var timelyRate: Double? { Self.rate(resultsPublishedOnTime, of: resultsDue) }
    public var followUpsOpen: Int { followUpsNeeded - followUpsClosed }
    /// 处理完结率.
    public var closureRate: Double? { Self.rate(followUpsClosed, of: followUpsNeeded) }
    /// 响应率.
    public var responseRate: Double? { Self.rate(callsAnswered, of: callsAddressed) }
    public var warningsRaised: Int { warnings.values.reduce(0, +) }
    /// Of the warnings raised in the period, those in `state` now.
    public func warnings(_ state: RiskWarning.State) -> Int { warnings[state] ?? 0 }
    /// Warnings judged: dismissed, put on an agenda or turned into a task.
    public var warningsJudged: Int { warningsRaised - warnings(.raised) }
    /// Of the triggered tasks' published results, those that found a problem.
    public var triggeredProblemRate: Double? { Self.rate(triggeredProblems, of: triggeredResults) }
}

/// Which row of the dashboard: a department, an industry, a department within an industry, or (both nil) the total.
public struct DashboardKey: Sendable, Hashable {
    public var department: DepartmentCode?
    public var industry: String?

    public init(department: DepartmentCode? = nil, industry: String? = nil) {
        self.department = department
        self.industry = industry
    }

    public static let total = DashboardKey()
}
