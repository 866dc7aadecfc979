import Logging
import PostgresNIO
import YiyeCore

/// The demo county's 一业一评: one published indicator system per industry (docs/GRADING.md), which grades its
/// objects as it is published; results and clues published later move the grades on their own.
extension DemoCounty {
    /// Seven indicators weighing 100, with the demo directory's tag for objects under close watch, and four bands.
    static let indicatorSystem = IndicatorSystem(
        indicators: [
            Indicator(
                code: "credit", name: "通用信用风险分类", kind: .creditClass, weight: 35,
                points: ["A": 0, "B": 30, "C": 70, "D": 100, Indicator.unrated: 50]),
            Indicator(
                code: "status", name: "登记状态", kind: .registrationStatus, weight: 10,
                points: ["abnormal_list": 60, "serious_violation_list": 100]),
            Indicator(
                code: "scale", name: "经营规模", kind: .scale, weight: 10,
                points: ["micro": 10, "small": 30, "medium": 60, "large": 100, Indicator.unknownScale: 50]),
            Indicator(code: "watched", name: "重点监管对象", kind: .tag, weight: 10, tag: "重点监管"),
            Indicator(code: "problems", name: "近三年抽查发现问题", kind: .problemResults, weight: 20, years: 3, pointsEach: 50),
            Indicator(code: "clues", name: "近两年线索查实", kind: .concludedClues, weight: 10, years: 2, pointsEach: 100),
            Indicator(code: "open", name: "未办结的后续处置", kind: .openFollowUps, weight: 5, pointsEach: 100),
        ],
        bands: [
            GradeBand(code: "1", name: "一级（低风险）", minimumScore: 0), GradeBand(code: "2", name: "二级（一般风险）", minimumScore: 25),
            GradeBand(code: "3", name: "三级（较高风险）", minimumScore: 45), GradeBand(code: "4", name: "四级（高风险）", minimumScore: 65),
        ])

    static func loadIndicatorSystems(client: PostgresClient, logger: Logger) async throws {
        let systems = ListVersionRepository<IndicatorSystem>(client: client, logger: logger)
        for industry in industries {
            guard try await systems.published(industry.code) == nil, try await systems.draft(industry.code) == nil else { continue }
            let audit = AuditRecord.Entry(
                actor: "demo", action: "indicator_system.publish", objectType: "indicator_system", objectID: industry.code,
                details: "示范数据")
            _ = try await systems.createDraft(industry.code, note: "示范县 2026 年“一业一评”指标体系", document: indicatorSystem, audit: audit)
            _ = try await systems.publishDraft(industry.code, audit: audit, deadline: GradingRepository.industryDeadline)
        }
    }
}
