import Foundation
import HummingbirdTesting
import Testing
import YiyeContract
import YiyeCore
import YiyeTestSupport

@Suite("Draw v2 through the API: the beacon between commitments and reveals, a draw nobody revealed to voided and frozen anew")
struct DrawV2APITests {
    @Test("the beacon is entered after the commitments and before any reveal, which wait for it; the record says who entered it and when")
    func beaconOrder() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let draw = try await DrawAPITests.frozenDraw(client, freeze: ["beacon": "2026-12-02 福利彩票双色球开奖号码"])
            let originator = try await client.signIn("commerce.dept_admin")
            let early = try await client.request(.put, "/api/v1/draws/\(draw)/beacon", json: ["value": "03 07 12"], token: originator)
            #expect(early.status == .conflict && early.errorMessage == "承诺阶段结束后方可录入公共信标的取值")
            for department in DrawAPITests.contributors {
                let committed = try await client.request(
                    .post, "/api/v1/draws/\(draw)/commitments", json: ["commitment": SM3.hex(DrawAPITests.secret(department, ""))],
                    token: try await client.signIn("\(department).dept_head"))
                #expect(committed.status == .ok)
            }
            let reveal = try await client.request(
                .post, "/api/v1/draws/\(draw)/reveals", json: ["secret": DrawAPITests.secret("fire", "")],
                token: try await client.signIn("fire.dept_admin"))
            #expect(reveal.status == .conflict && reveal.errorMessage?.hasPrefix("须先录入公共信标") == true)
            let entered = try await client.request(.put, "/api/v1/draws/\(draw)/beacon", json: ["value": "03 07 12"], token: originator)
            #expect(entered.status == .ok)
            try await DrawAPITests.revealAll(client, draw: draw)
            let executed = try await client.request(.post, "/api/v1/draws/\(draw)/execute", token: originator)
            let record = try #require(try executed.decode(Schemas.DrawStatus.self).record)
            #expect(
                record.algorithm == "yiye-draw-v2" && record.beaconValue == "03 07 12" && record.beaconEntry?.by == "commerce.dept_admin")
            let at = try #require(record.beaconEntry.flatMap { try? Date($0.at, strategy: .iso8601) })
            #expect(abs(at.timeIntervalSinceNow) < 600)
        }
    }

    @Test("nobody revealed by the deadline: only the originator voids it, with a reason, after the deadline; the task freezes a new draw")
    func voidAndRefreeze() async throws {
        let clock = ManualClock(Date())
        try await DrawAPITests.withDemoData(clock: clock) { client, _ in
            let draw = try await DrawAPITests.frozenDraw(client)
            let originator = try await client.signIn("commerce.dept_head")
            let status = try await client.request(.get, "/api/v1/draws/\(draw)", token: originator).decode(Schemas.DrawStatus.self)
            let uri = "/api/v1/draws/\(draw)/void"
            let early = try await client.request(.post, uri, json: ["reason": "无人公开"], token: originator)
            #expect(early.status == .conflict && early.errorCode == "draw_phase")
            clock.advance(by: status.revealDeadline.timeIntervalSince(clock.now) + 1)
            let head = try await client.signIn("commerce.dept_head")
            #expect(
                try await client.request(.post, uri, json: ["reason": "无人公开"], token: try await client.signIn("fire.dept_head")).status
                    == .forbidden)
            let blank = try await client.request(.post, uri, json: ["reason": " "], token: head)
            #expect(blank.status == .unprocessableContent && blank.errorField == "reason")
            let execute = try await client.request(.post, "/api/v1/draws/\(draw)/execute", token: head)
            #expect(execute.errorMessage == "没有任何部门公开随机数，不能执行")
            let voided = try await client.request(.post, uri, json: ["reason": "公开期限届满，各部门均未公开随机数"], token: head)
            let after = try voided.decode(Schemas.DrawStatus.self)
            #expect(after.phase == .voided && after.voidReason == "公开期限届满，各部门均未公开随机数")
            #expect(try await client.request(.post, uri, json: ["reason": "再次"], token: head).errorCode == "draw_phase")
            #expect(try await client.request(.post, "/api/v1/draws/\(draw)/execute", token: head).errorMessage == "该抽取已作废，请重新冻结抽取")
            let again = try await client.request(.post, "/api/v1/tasks/\(status.taskId)/draw", json: [:], token: head)
            #expect(again.status == .created, "\(again.text)")
            let fresh = try again.decode(Schemas.DrawStatus.self)
            #expect(fresh.id != Int64(draw) && fresh.phase == .committing && fresh.taskId == status.taskId)
            let second = try await client.request(.post, "/api/v1/tasks/\(status.taskId)/draw", json: [:], token: head)
            #expect(second.status == .conflict, "one live draw per task")
        }
    }
}
