import Foundation
import Testing
import YiyeCore

@Suite("一业一评 rules: an indicator system's checks and a grade's explanation")
struct GradingTests {
    static let system = IndicatorSystem(
        indicators: [
            Indicator(code: "credit", name: "信用风险分类", kind: .creditClass, weight: 60, points: ["B": 30, "unrated": 50]),
            Indicator(code: "problems", name: "近三年发现问题", kind: .problemResults, weight: 40, years: 3, pointsEach: 40),
        ],
        bands: [GradeBand(code: "1", name: "一级", minimumScore: 0), GradeBand(code: "2", name: "二级", minimumScore: 30)])

    @Test("a grade read back explains itself: 30 × 60 + 80 × 40 = 5000 hundredths, 50.00, in the band from 30")
    func explained() throws {
        let grade = try #require(
            ObjectGrade(
                industry: "fuel_retail", creditCode: "913301000000000001", objectName: "一号加油站", systemVersion: 1, system: Self.system,
                bandCode: "2", inputs: ["B", "2"], points: [30, 80], gradedAt: Date()))
        #expect(grade.hundredths == 5000 && grade.score == "50.00" && grade.level == 2)
        #expect(grade.contributions.map(\.basis) == ["信用风险分类：一般风险（B类），得 30 分 × 权重 60% = 18.00", "近三年发现问题：2 次，得 80 分 × 权重 40% = 32.00"])
        #expect(Self.system.band(forHundredths: 2999)?.band.code == "1")
        #expect(Self.system.band(forHundredths: 3000)?.band.code == "2")
        // A stored row that does not fit its system version is not explained.
        #expect(
            ObjectGrade(
                industry: "fuel_retail", creditCode: "913301000000000001", objectName: "", systemVersion: 1, system: Self.system,
                bandCode: "2", inputs: ["B"], points: [30], gradedAt: Date()) == nil)
    }

    @Test("each broken rule names its field")
    func refusals() throws {
        try Self.system.validateForPublication()
        func field(_ change: (inout IndicatorSystem) -> Void) -> String? {
            var system = Self.system
            change(&system)
            do {
                try system.validateForPublication()
                return nil
            } catch {
                return error.field
            }
        }
        #expect(field { $0.indicators[0].weight = 0 } == "indicators[0].weight")
        #expect(field { $0.indicators[0].weight = 50 } == "indicators")
        #expect(field { $0.indicators[0].points = ["E": 1] } == "indicators[0].points.E")
        #expect(field { $0.indicators[0].points = ["B": 101] } == "indicators[0].points.B")
        #expect(field { $0.indicators[0].years = 3 } == "indicators[0].years")
        #expect(field { $0.indicators[1].years = nil } == "indicators[1].years")
        #expect(field { $0.indicators[1].pointsEach = 0 } == "indicators[1].pointsEach")
        #expect(field { $0.indicators[1].code = "credit" } == "indicators[1].code")
        #expect(
            field { $0.indicators[1] = Indicator(code: "again", name: "再次", kind: .creditClass, weight: 40, points: ["A": 0]) }
                == "indicators[1].kind")
        #expect(field { $0.indicators[1] = Indicator(code: "hazard", name: "危化", kind: .tag, weight: 40) } == "indicators[1].tag")
        #expect(field { $0.bands[0].minimumScore = 10 } == "bands[0].minimumScore")
        #expect(field { $0.bands[1].minimumScore = 101 } == "bands[1].minimumScore")
        #expect(field { $0.bands[1].code = "1" } == "bands[1].code")
        #expect(field { $0.bands[1].code = "二级" } == "bands[1].code")
        #expect(field { $0.bands.removeLast() } == "bands")
    }
}
