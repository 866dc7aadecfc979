import Testing
import YiyeCore

/// The dashboard's medians, worked out from how many results took each number of days.
@Suite("看板中位数: medians from counts by day, as percentile_cont(0.5) gives them")
struct DashboardMedianTests {
    @Test("an odd count: the middle value; an even one: halfway between the two middle values")
    func middle() {
        // 3, 10, 10, 10, 35: the third is 10.
        #expect(DashboardFigures.median([10: 3, 3: 1, 35: 1]) == 10)
        // 3, 10 | 35, 35: halfway between 10 and 35.
        #expect(DashboardFigures.median([35: 2, 10: 1, 3: 1]) == 22.5)
        // 7, 7 | 7, 9: both middle values are 7.
        #expect(DashboardFigures.median([7: 3, 9: 1]) == 7)
        #expect(DashboardFigures.median([0: 1]) == 0)
    }

    @Test("nothing counted, or only counts of zero: no median")
    func nothing() {
        #expect(DashboardFigures.median([:]) == nil)
        #expect(DashboardFigures.median([4: 0]) == nil)
        // A count of zero does not move the middle: 1, 5 | 5, 8.
        #expect(DashboardFigures.median([1: 1, 3: 0, 5: 2, 8: 1]) == 5)
    }

    @Test("the figures' medians are those of their counts by day")
    func figures() {
        var figures = DashboardFigures()
        #expect(figures.medianDaysToPublish == nil && figures.medianDaysToClose == nil)
        figures.daysToPublish = [10: 2, 12: 2]
        figures.daysToClose = [30: 1]
        #expect(figures.medianDaysToPublish == 11 && figures.medianDaysToClose == 30)
    }
}
