import Foundation
import Testing
import YiyeCore

@Suite("吹哨响应: raising, reading, responding, answering, closing, overdue")
struct WhistleCallTests {
    static let departments = IndustryDepartments(originator: "commerce", participants: ["eco", "emergency", "fire", "samr"])
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func call(raisedBy: DepartmentCode = "commerce", addressed: [DepartmentCode] = ["fire", "samr"]) -> WhistleCall {
        WhistleCall(
            industry: "fuel_retail", stage: .drawing, title: "请参与12月联合抽取", content: "定于12月1日冻结候选池",
            actionRequired: "提交承诺值", raisedBy: raisedBy, raisedAt: now, deadline: now.addingTimeInterval(86_400),
            responses: addressed.map { .init(department: $0) })
    }

    @Test("the originator addresses participants; a participant addresses only the originator")
    func addressing() throws {
        try Self.call().validate(departments: Self.departments)
        try Self.call(raisedBy: "fire", addressed: ["commerce"]).validate(departments: Self.departments)
        #expect(throws: DomainError.self) {
            try Self.call(raisedBy: "fire", addressed: ["samr"]).validate(departments: Self.departments)
        }
        #expect(throws: DomainError.self) { try Self.call(addressed: ["health"]).validate(departments: Self.departments) }
        #expect(throws: DomainError.self) { try Self.call(addressed: []).validate(departments: Self.departments) }
        #expect(throws: DomainError.self) {
            try Self.call(addressed: ["fire", "fire"]).validate(departments: Self.departments)
        }
        #expect(throws: DomainError.self) {
            try Self.call(raisedBy: "health", addressed: ["commerce"]).validate(departments: Self.departments)
        }
        var late = Self.call()
        late.deadline = Self.now
        #expect(throws: DomainError.self) { try late.validate(departments: Self.departments) }
    }

    @Test("each department acts for itself: read, ask and get an answer, accept or decline once; only the raiser closes")
    func workflow() throws {
        var call = Self.call()
        try call.act(.read, by: "fire", text: "", at: Self.now)
        #expect(call.responses[0].state == .read && call.responses[0].readAt == Self.now)
        try call.act(.ask, by: "fire", text: "需要派几名人员？", at: Self.now.addingTimeInterval(60))
        #expect(call.responses[0].state == .infoRequested)
        #expect(throws: DomainError.self) { try call.answer("samr", text: "两名", by: call.raisedBy) }
        #expect { try call.answer("fire", text: "两名", by: "fire") } throws: { ($0 as? DomainError)?.rule == .notOriginator }
        try call.answer("fire", text: "每个对象一名", by: call.raisedBy)
        #expect(call.responses[0].state == .read)
        try call.act(.accept, by: "fire", text: "已安排", at: Self.now.addingTimeInterval(120))
        #expect(throws: DomainError.self) { try call.act(.decline, by: "fire", text: "改变主意", at: Self.now) }
        #expect(throws: DomainError(.notAddressed, "本部门不是该吹哨的响应部门", field: "department")) {
            try call.act(.accept, by: "eco", text: "代为响应", at: Self.now)
        }
        do {
            try call.act(.decline, by: "samr", text: " ", at: Self.now)
            Issue.record("a decline without a reason was accepted")
        } catch {
            #expect(error.rule == .invalidText)
        }
        try call.act(.decline, by: "samr", text: "本月计量器具检定任务冲突", at: Self.now)
        #expect(throws: DomainError.self) { try call.close(by: "fire") }
        try call.close(by: "commerce")
        #expect(throws: DomainError.self) { try call.close(by: "commerce") }
    }

    @Test("a call past its deadline is overdue for the departments that have not accepted or declined")
    func overdue() throws {
        var call = Self.call()
        try call.act(.accept, by: "fire", text: "已安排", at: Self.now)
        try call.act(.read, by: "samr", text: "", at: Self.now)
        #expect(call.overdue(at: Self.now.addingTimeInterval(3600)).isEmpty)
        #expect(call.overdue(at: Self.now.addingTimeInterval(90_000)) == ["samr"])
        try call.close(by: "commerce")
        #expect(call.overdue(at: Self.now.addingTimeInterval(90_000)).isEmpty)
    }
}
