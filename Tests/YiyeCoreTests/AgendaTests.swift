import Foundation
import Testing
import YiyeCore

@Suite("我的待办: what a user's roles may do, the most urgent first, how long is left")
struct AgendaTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func item(_ kind: AgendaItem.Kind, _ subject: Int64, due hours: Double?, since: Double = 0) -> AgendaItem {
        AgendaItem(
            kind: kind, subject: subject, title: "t", industry: "fuel_retail", count: 1,
            deadline: hours.map { now.addingTimeInterval($0 * 3600) }, since: now.addingTimeInterval(since * 3600))
    }

    static func actor(_ roles: Set<Role>) -> Actor {
        Actor(userID: 1, username: "fire.x", department: "fire", departmentKind: .regulator, roles: roles)
    }

    @Test("overdue first, then by deadline; without a deadline last, newest first; ties by the newest")
    func order() {
        let items = [
            Self.item(.meetingComing, 1, due: nil, since: -48), Self.item(.callToAnswer, 2, due: 30),
            Self.item(.clueToAccept, 3, due: -5), Self.item(.actionItemDue, 4, due: nil, since: -1),
            Self.item(.callToAnswer, 5, due: 30, since: 2), Self.item(.questionToAnswer, 6, due: 2),
        ]
        let agenda = Agenda(items, for: Self.actor([.deptAdmin]))
        #expect(agenda.items.map(\.subject) == [3, 6, 5, 2, 4, 1])
        #expect(agenda.counts.map { "\($0.kind.label) \($0.count)" } == ["待响应的吹哨 2", "待答复的询问 1", "待接收的线索 1", "待完成的议定事项 1", "即将召开的会商 1"])
    }

    @Test("each role sees what it may do: an inspector enters results, a reviewer reviews and publishes, not calls")
    func byRole() {
        let items = AgendaItem.Kind.allCases.enumerated().map { Self.item($0.element, Int64($0.offset), due: Double($0.offset)) }
        #expect(Agenda(items, for: Self.actor([.inspector])).items.map(\.kind) == [.resultToEnter])
        #expect(
            Agenda(items, for: Self.actor([.reviewer])).items.map(\.kind) == [
                .resultToEnter, .resultToReview, .resultToPublish, .objectionToReexamine,
            ])
        #expect(Agenda(items, for: Self.actor([.deptHead])).items.count == 10)
    }

    @Test("time left as officials write it, by hand: days and hours, hours, minutes, and overdue")
    func timeLeft() {
        let at = Self.now
        #expect(TimeLeft.text(until: at.addingTimeInterval(2 * 86_400 + 3 * 3600 + 59), at: at) == "剩余 2 天 3 小时")
        #expect(TimeLeft.text(until: at.addingTimeInterval(86_400), at: at) == "剩余 1 天")
        #expect(TimeLeft.text(until: at.addingTimeInterval(5 * 3600 + 20 * 60), at: at) == "剩余 5 小时")
        #expect(TimeLeft.text(until: at.addingTimeInterval(40 * 60 + 30), at: at) == "剩余 40 分钟")
        #expect(TimeLeft.text(until: at.addingTimeInterval(10), at: at) == "剩余 1 分钟")
        #expect(TimeLeft.text(until: at.addingTimeInterval(-5 * 3600), at: at) == "已逾期 5 小时")
        #expect(Self.item(.callToAnswer, 1, due: -1).isOverdue(at: at) && !Self.item(.callToAnswer, 1, due: 1).isOverdue(at: at))
        #expect(Self.item(.meetingComing, 1, due: nil).timeLeft(at: at) == nil)
    }
}
