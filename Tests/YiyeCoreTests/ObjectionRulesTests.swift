import Foundation
import Testing
import YiyeCore

@Suite("异议 and versions: the 60 days, the re-examiner, the feedback; corrections and withholding of a published result")
struct ObjectionRulesTests {
    static let station = InspectedObject(
        creditCode: "91330110MA2ABCDE10", name: "示范加油站", kind: .enterprise, industries: ["fuel_retail"], regionCode: "330110",
        address: "示范路 1 号", supervisingDepartments: ["commerce"])
    static let published = PublishedVersion(
        resultID: 7, version: 1, publishedAt: Date(), change: nil, reason: "",
        content: PublicResult(
            ResultRulesTests.result(ResultRulesTests.clean), object: Self.station, industry: "fuel_retail", taskName: "加油站联合抽查",
            windowEnd: CalendarDate("2026-11-27")!, authority: "消防救援大队", entries: ResultRulesTests.own))

    static func objection(receivedOn: String, name: String = Self.station.name) -> Objection {
        Objection(
            resultID: 7, department: "fire", version: 1, channel: .paper, creditCode: Self.station.creditCode, businessName: name,
            contact: "王经理", grounds: "第一项不属实", receivedOn: CalendarDate(receivedOn)!, reexamineDue: CalendarDate("2026-04-08")!)
    }

    @Test("published on 10 January: the 60th day is 11 March (accepted), 12 March is late, naming both dates")
    func sixtyDays() throws {
        let publishedOn = CalendarDate("2026-01-10")!
        let today = CalendarDate("2026-11-30")!
        try Self.objection(receivedOn: "2026-03-11").checkFiling(
            latest: Self.published, publishedOn: publishedOn, open: false, today: today)
        #expect {
            try Self.objection(receivedOn: "2026-03-12").checkFiling(
                latest: Self.published, publishedOn: publishedOn, open: false, today: today)
        } throws: { error in
            let error = error as? DomainError
            return error?.rule == .objectionLate && error?.message.contains("2026年1月10日公示") == true
                && error?.message.contains("2026年3月11日届满") == true
        }
        #expect(throws: DomainError(.objectionState, "该检查结果已有异议正在处理，请等待复查结论", field: "result")) {
            try Self.objection(receivedOn: "2026-03-11").checkFiling(
                latest: Self.published, publishedOn: publishedOn, open: true, today: today)
        }
        #expect(throws: DomainError.self) {
            try Self.objection(receivedOn: "2026-01-09").checkFiling(
                latest: Self.published, publishedOn: publishedOn, open: false, today: today)
        }
        #expect(throws: DomainError.self) {
            try Self.objection(receivedOn: "2026-03-01", name: "别的公司")
                .checkFiling(latest: Self.published, publishedOn: publishedOn, open: false, today: today)
        }
    }

    @Test("decided once with an opinion, feedback once after the decision")
    func decisionAndFeedback() throws {
        var objection = Self.objection(receivedOn: "2026-03-11")
        let today = CalendarDate("2026-03-20")!
        #expect(throws: DomainError.self) { try objection.giveFeedback("已告知", on: today) }
        #expect(throws: DomainError.self) {
            try objection.decide(.maintained, by: "fire.dept_head", opinion: " ", on: today, feedbackDue: today)
        }
        try objection.decide(.maintained, by: "fire.dept_head", opinion: "维持", on: today, feedbackDue: CalendarDate("2026-04-10")!)
        #expect(objection.status == .maintained && objection.feedbackDue == CalendarDate("2026-04-10"))
        #expect(throws: DomainError.self) { try objection.decide(.upheld, by: "x", opinion: "成立", on: today, feedbackDue: today) }
        try objection.giveFeedback("已书面告知", on: today)
        #expect(throws: DomainError.self) { try objection.giveFeedback("再次", on: today) }
    }

    @Test("the re-examiner is neither on the team nor the one who entered the result")
    func reexaminer() throws {
        let team = StandingTeam(
            drawn: DrawRecord.Team(
                objectID: Self.station.creditCode, needs: [],
                members: [DrawRecord.Member(department: "fire", inspectorID: "12", rank: "1", leader: false)], unstaffed: nil))
        let head = Actor(userID: 5, username: "fire.dept_head", department: "fire", departmentKind: .regulator, roles: [.deptHead])
        #expect(throws: DomainError.self) { try team.checkReexaminer(head, inspectorID: 12, enteredBy: "fire.dept_admin") }
        #expect(throws: DomainError.self) { try team.checkReexaminer(head, inspectorID: nil, enteredBy: "fire.dept_head") }
        try team.checkReexaminer(head, inspectorID: 13, enteredBy: "fire.dept_admin")
    }

    @Test("withholding items leaves them out of the public face with the ground; the whole leaves only that it exists")
    func withholding() throws {
        var result = ResultRulesTests.result(ResultRulesTests.clean)
        result.remarks = "负责人张三称设备检修"
        try result.withhold(
            Withholding(ground: .personalPrivacy, scope: .remarks, reason: "含个人信息", approvedBy: "fire.dept_head"),
            own: ResultRulesTests.own)
        #expect(result.version == 0, "not yet published: applied at publication")
        var face = PublicResult(
            result, object: Self.station, industry: "fuel_retail", taskName: "t", windowEnd: CalendarDate("2026-11-27")!,
            authority: "消防救援大队", entries: ResultRulesTests.own)
        #expect(face.remarks.isEmpty && face.items.count == 2 && face.withheld?.groundLabel == "涉及个人隐私")
        #expect(throws: DomainError.self) {
            try result.withhold(
                Withholding(ground: .tradeSecret, scope: .items, items: [9], reason: "x", approvedBy: "fire.dept_head"),
                own: ResultRulesTests.own)
        }
        result.status = .published
        result.version = 1
        try result.withhold(
            Withholding(ground: .stateSecret, scope: .whole, reason: "涉密", approvedBy: "fire.dept_head"), own: ResultRulesTests.own)
        #expect(result.version == 2)
        face = PublicResult(
            result, object: Self.station, industry: "fuel_retail", taskName: "t", windowEnd: CalendarDate("2026-11-27")!,
            authority: "消防救援大队", entries: ResultRulesTests.own)
        #expect(face.categories.isEmpty && face.items.isEmpty && face.withheld?.scope == .whole && face.authority == "消防救援大队")
    }

    @Test("停止公示 three years on, counted from the first publication; 29 February gives 28 February; the stopped face shows nothing")
    func stopPublication() throws {
        #expect(PublicityRelief.stopAllowed(after: CalendarDate("2024-02-29")!) == CalendarDate("2027-02-28")!)
        #expect(PublicityRelief.stopAllowed(after: CalendarDate("2026-11-30")!) == CalendarDate("2029-11-30")!)
        var result = ResultRulesTests.result(ResultRulesTests.clean)
        result.status = .published
        result.version = 1
        let first = CalendarDate("2026-11-30")!
        let stop = { (applied: String) in
            PublicityRelief(
                kind: .stopPublication, applicant: "王经理", appliedOn: CalendarDate(applied)!, ground: "公示期满", grantedBy: "fire.dept_head",
                grantedOn: CalendarDate("2029-12-01")!)
        }
        let early = #expect(throws: DomainError.self) {
            try result.grant(
                stop("2029-11-29"), firstPublished: first, followUpClosedOn: nil, underObjection: false, today: CalendarDate("2029-12-01")!)
        }
        #expect(early?.rule == .publicityPeriod && early?.message.contains("2029年11月30日") == true)
        let objected = #expect(throws: DomainError.self) {
            try result.grant(
                stop("2029-11-30"), firstPublished: first, followUpClosedOn: nil, underObjection: true, today: CalendarDate("2029-12-01")!)
        }
        #expect(objected?.rule == .objectionState)
        try result.grant(
            stop("2029-11-30"), firstPublished: first, followUpClosedOn: nil, underObjection: false, today: CalendarDate("2029-12-01")!)
        #expect(result.version == 2)
        let face = PublicResult(
            result, object: Self.station, industry: "fuel_retail", taskName: "t", windowEnd: CalendarDate("2026-11-27")!,
            authority: "消防救援大队", entries: ResultRulesTests.own)
        #expect(face.categories.isEmpty && face.items.isEmpty && face.remarks.isEmpty && face.relief?.kindLabel == "停止公示")
        let after = #expect(throws: DomainError.self) {
            try result.withhold(
                Withholding(ground: .stateSecret, scope: .whole, reason: "涉密", approvedBy: "fire.dept_head"), own: ResultRulesTests.own)
        }
        #expect(after?.rule == .resultStatus)
    }
}
