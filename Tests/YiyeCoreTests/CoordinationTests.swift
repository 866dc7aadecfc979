import Foundation
import Testing

@testable import YiyeCore

@Suite("Coordination rules: notices, escalations, minutes, action items, clues")
struct CoordinationTests {
    static let meeting = Meeting(
        id: 7, industry: "fuel_retail", kind: .adHoc, title: "会商", agenda: [], startsAt: Date(), location: "",
        convenedBy: "commerce", invitees: ["fire", "samr"])
    static let departments = IndustryDepartments(originator: "commerce", participants: ["eco", "fire", "samr"])

    @Test("an escalation reaches the office, the waiting department and the late one, once each")
    func escalationNotices() {
        let late = Escalation(
            kind: .callResponse, subjectID: 3, department: "fire", waitingDepartment: "commerce", link: .call, linkID: 3,
            about: "请派员", due: Date(), industry: "fuel_retail")
        let notices = late.notices(offices: ["office"], names: ["fire": "消防救援大队"])
        #expect(notices.map(\.department) == ["office", "commerce", "fire"])
        #expect(notices.allSatisfy { $0.kind == .callEscalated && $0.title == "吹哨响应逾期：消防救援大队未在期限内办理「请派员」" })
        // The office waiting for itself is told once.
        #expect(Notice.each(["office", "office", "fire"], kind: .clueRouted, title: "t", subject: .clue, id: 1).count == 2)
    }

    @Test("a call notifies whom it addresses; a response its raiser; reading nobody")
    func callNotices() throws {
        var call = WhistleCall(
            id: 9, industry: "fuel_retail", stage: .drawing, title: "参加抽取", content: "c", actionRequired: "a",
            raisedBy: "commerce", raisedAt: Date(), deadline: Date().addingTimeInterval(3600), responses: [.init(department: "fire")])
        #expect(call.notices(raisedAs: 9, names: [:]).map(\.department) == ["fire"])
        try call.act(.read, by: "fire", text: "", at: Date())
        #expect(call.notices(after: .read, by: "fire", names: [:]).isEmpty)
        try call.act(.decline, by: "fire", text: "人手不足", at: Date())
        let notices = call.notices(after: .decline, by: "fire", names: [:])
        #expect(notices.map(\.department) == ["commerce"] && notices.first?.title.contains("已拒绝") == true)
    }

    @Test("minutes: a draft is rewritten in place, finalized once, amended as a new version that needs its reason")
    func minutes() throws {
        let text = Minutes(version: 0, attendees: ["commerce", "fire"], content: "纪要", decisions: ["决定一"], writtenBy: "a")
        let first = try Minutes.draft(text, after: [], of: Self.meeting)
        #expect(first.version == 1 && !first.isFinal)
        #expect(try Minutes.draft(text, after: [first], of: Self.meeting).version == 1)
        let final = try Minutes.finalize([first], by: "b", at: Date())
        #expect(final.isFinal && final.finalizedBy == "b")
        #expect(throws: DomainError.self) { try Minutes.finalize([final], by: "b", at: Date()) }
        #expect(throws: DomainError.self) { try Minutes.draft(text, after: [final], of: Self.meeting) }
        var amendment = text
        amendment.amendmentReason = "更正"
        #expect(try Minutes.draft(amendment, after: [final], of: Self.meeting).version == 2)
        var stranger = text
        stranger.attendees = ["eco"]
        #expect(throws: DomainError.self) { try Minutes.draft(stranger, after: [], of: Self.meeting) }
        var empty = first
        empty.content = "  "
        #expect(throws: DomainError.self) { try Minutes.finalize([empty], by: "b", at: Date()) }
    }

    @Test("an action item is completed by its owner, once, and is overdue only while open after its due date")
    func actionItem() throws {
        let due = try #require(CalendarDate("2026-12-01"))
        var item = ActionItem(meetingID: 7, description: "复查", owner: "fire", due: due)
        #expect(item.isOverdue(on: due.adding(days: 1)) && !item.isOverdue(on: due))
        #expect(throws: DomainError.self) {
            try item.validate(in: Self.meeting, today: due.adding(days: 1), calendar: WorkingCalendar(years: [.provisional(due.year)]))
        }
        #expect(throws: DomainError.self) { try item.complete(by: "samr", actor: "s", note: "好", at: Date()) }
        try item.complete(by: "fire", actor: "f", note: "已复查", at: Date())
        #expect(item.status == .done && !item.isOverdue(on: due.adding(days: 9)))
        #expect(throws: DomainError.self) { try item.complete(by: "fire", actor: "f", note: "再次", at: Date()) }
    }

    @Test("regular meetings: the first working day of each period at 09:30 China time")
    func regularDates() throws {
        let calendar = WorkingCalendar(years: [.init(year: 2026, holidays: [CalendarDate("2026-10-01")!: "国庆节"], makeupWorkdays: [:])])
        let dates = try Meeting.regularDates(year: 2026, everyMonths: 6, calendar: calendar)
        #expect(dates.map { CalendarDate(chinaDateOf: $0).description } == ["2026-01-01", "2026-07-01"])
        #expect(dates[0].formatted(.iso8601) == "2026-01-01T01:30:00Z")
        #expect(throws: DomainError.self) { try Meeting.regularDates(year: 2026, everyMonths: 4, calendar: calendar) }
        #expect(throws: DomainError.self) { try Meeting.regularDates(year: 2027, everyMonths: 3, calendar: calendar) }
        // 1 October is a holiday and 3–4 October a weekend in this calendar: the fourth quarter's meeting is on Friday 2 October.
        #expect(
            try Meeting.regularDates(year: 2026, everyMonths: 3, calendar: calendar).map { CalendarDate(chinaDateOf: $0).description }.last
                == "2026-10-02")
    }

    @Test(
        "a clue moves routed → accepted → concluded or routed → returned, by its receiver only; rerouting is for the originator or office")
    func clueStates() throws {
        let later = Date().addingTimeInterval(86_400)
        var clue = Clue(id: 1, industry: "fuel_retail", source: .complaint, description: "举报", suspectedViolation: "违规", foundBy: "fire")
        #expect(clue.status == .awaitingRouting)
        let regulators: Set<DepartmentCode> = ["commerce", "fire", "samr", "eco"]
        #expect(throws: DomainError.self, "only the finder routes a new clue") {
            try clue.route(
                to: ["samr"], deadline: later, by: "commerce", actor: "c", originator: "commerce", isOffice: false,
                regulators: regulators, now: Date())
        }
        try clue.route(
            to: ["samr", "eco"], deadline: later, by: "fire", actor: "f", originator: "commerce", isOffice: false,
            regulators: regulators, now: Date())
        #expect(clue.status == .routed && clue.needsJointVerification)
        #expect(throws: DomainError.self, "not routed to health") {
            try clue.decide(.accept, by: "health", reason: "", outcome: nil, at: Date())
        }
        try clue.decide(.return, by: "samr", reason: "不属本部门职责", outcome: nil, at: Date())
        #expect(throws: DomainError.self, "a returned route is settled") {
            try clue.decide(.accept, by: "samr", reason: "", outcome: nil, at: Date())
        }
        #expect(!clue.needsJointVerification, "only eco holds it now")
        #expect(throws: DomainError.self, "the finder does not route again") {
            try clue.route(
                to: ["commerce"], deadline: later, by: "fire", actor: "f", originator: "commerce", isOffice: false,
                regulators: regulators, now: Date())
        }
        #expect(throws: DomainError.self, "eco already holds it") {
            try clue.route(
                to: ["eco"], deadline: later, by: "office", actor: "o", originator: "commerce", isOffice: true,
                regulators: regulators, now: Date())
        }
        try clue.decide(.accept, by: "eco", reason: "", outcome: nil, at: Date())
        #expect(clue.status == .handling)
        #expect(clue.routes.last?.isOverdue(at: later.addingTimeInterval(1)) == true, "accepted but not concluded by the deadline")
        try clue.decide(.conclude, by: "eco", reason: "已整改到位", outcome: .rectified, at: Date())
        #expect(clue.status == .concluded)
        #expect(clue.routes.last?.isOverdue(at: later.addingTimeInterval(1)) == false)
        let notices = clue.decisionNotices(.conclude, by: "eco", originator: "commerce", offices: ["office"], names: [:])
        #expect(notices.map(\.department) == ["fire", "commerce"] && notices.allSatisfy { $0.title.contains("已整改") })
        #expect(throws: DomainError.self, "a concluded clue is not routed again") {
            try clue.route(
                to: ["samr"], deadline: later, by: "commerce", actor: "c", originator: "commerce", isOffice: false,
                regulators: regulators, now: Date())
        }
    }

    @Test("a webhook signature is what `openssl dgst -sm3 -hmac` gives for timestamp.body; only http(s) URLs with a host")
    func webhookSignature() throws {
        // printf '%s.%s' 1700000000 '{"id":1}' | openssl dgst -sm3 -hmac s3cret
        #expect(
            Webhook.signature(secret: "s3cret", timestamp: 1_700_000_000, body: Array(#"{"id":1}"#.utf8))
                == "hmac-sm3=b157680e1cbb4acac8ecb01f6b7ec2911b2d12f3b61993cb97175bcf105ca49b")
        try Webhook.validate(url: "https://hooks.example.gov.cn/yiye")
        for bad in [
            "ftp://x.cn/a", "https:///nohost", "http://user:pw@x.cn/", "not a url", "https://x.cn/" + String(repeating: "a", count: 500),
        ] {
            #expect(throws: DomainError.self, "\(bad)") { try Webhook.validate(url: bad) }
        }
    }
}
