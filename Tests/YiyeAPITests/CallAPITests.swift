import Foundation
import HummingbirdTesting
import Testing
import YiyeCore
import YiyeTestSupport

@Suite("吹哨响应 through the API")
struct CallAPITests {
    static var call: [String: Any] {
        [
            "industry": "fuel_retail", "stage": "drawing", "title": "请参加12月联合抽取", "content": "12月1日冻结候选池，请派员参加。",
            "actionRequired": "提交承诺值并确认派员", "addressed": ["fire", "samr"], "deadlineWorkingDays": 1,
        ]
    }

    @Test("the originator raises, addressed departments read, ask, accept or decline, the originator answers and closes")
    func workflow() async throws {
        try await withApp { client in
            let commerce = try await client.signIn("commerce.dept_head")
            let raised = try await client.request(.post, "/api/v1/calls", json: Self.call, token: commerce)
            #expect(raised.status == .created, "\(raised.json ?? "")")
            let id = try #require(raised["id"] as? Int)
            // The deadline is the end of the next working day, China time.
            let today = CalendarDate(chinaDateOf: Date()).description
            let due = try await client.request(.get, "/api/v1/calendar/deadline?from=\(today)&workingDays=1")
            #expect((raised["deadline"] as? String)?.hasPrefix(due["date"] as? String ?? "?") == true)

            let fire = try await client.signIn("fire.dept_admin")
            let read = try await client.request(.post, "/api/v1/calls/\(id)/actions", json: ["action": "read"], token: fire)
            #expect((read["responses"] as? [[String: Any]])?.first { $0["department"] as? String == "fire" }?["state"] as? String == "read")
            _ = try await client.request(.post, "/api/v1/calls/\(id)/actions", json: ["action": "ask", "text": "需派几人？"], token: fire)
            #expect(
                try await client.request(.post, "/api/v1/calls/\(id)/answers", json: ["department": "fire", "text": "一人"], token: fire)
                    .status == .forbidden, "only the raiser answers")
            _ = try await client.request(
                .post, "/api/v1/calls/\(id)/answers", json: ["department": "fire", "text": "每个对象一人"], token: commerce)
            let accepted = try await client.request(
                .post, "/api/v1/calls/\(id)/actions", json: ["action": "accept", "text": "已安排"], token: fire)
            #expect(
                (accepted["responses"] as? [[String: Any]])?.first { $0["department"] as? String == "fire" }?["state"] as? String
                    == "accepted")
            let samr = try await client.signIn("samr.dept_head")
            #expect(
                try await client.request(.post, "/api/v1/calls/\(id)/actions", json: ["action": "decline"], token: samr).errorCode
                    == "invalid_text", "a decline needs a reason")
            _ = try await client.request(.post, "/api/v1/calls/\(id)/actions", json: ["action": "decline", "text": "人员不足"], token: samr)
            // Not addressed: eco (a participant) does not see it; a participant cannot close the originator's call.
            #expect(
                try await client.request(
                    .post, "/api/v1/calls/\(id)/actions", json: ["action": "read"],
                    token: try await client.signIn("eco.dept_admin")
                ).status == .notFound)
            #expect(try await client.request(.post, "/api/v1/calls/\(id)/closure", token: fire).status == .forbidden)
            let closed = try await client.request(.post, "/api/v1/calls/\(id)/closure", token: commerce)
            #expect(closed["status"] as? String == "closed")
            #expect(
                (closed["history"] as? [[String: Any]])?.compactMap { $0["action"] as? String }
                    == ["raise", "read", "ask", "answer", "accept", "decline", "close"])
            #expect(
                try await client.request(.post, "/api/v1/calls/\(id)/actions", json: ["action": "read"], token: samr).errorCode
                    == "call_closed")
            // Each addressed department is told the call is closed; the raiser is not told of its own closing.
            for (token, told) in [(fire, true), (samr, true), (commerce, false)] {
                let kinds = try await client.request(.get, "/api/v1/notifications", token: token).items.compactMap { $0["kind"] as? String }
                #expect(kinds.contains("call_closed") == told, "\(kinds)")
            }
            let office = try await client.signIn("office.office_viewer")
            #expect(try await client.request(.get, "/api/v1/calls", token: office).items.count == 1)
        }
    }

    @Test("a participant raises a call only to the originator; bad deadlines and addressees are refused")
    func participantCall() async throws {
        try await withApp { client in
            let fire = try await client.signIn("fire.dept_head")
            var body = Self.call
            body["addressed"] = ["samr"]
            #expect(try await client.request(.post, "/api/v1/calls", json: body, token: fire).errorCode == "unknown_department")
            body["addressed"] = ["commerce"]
            body["deadlineWorkingDays"] = nil
            #expect(try await client.request(.post, "/api/v1/calls", json: body, token: fire).status == .badRequest)
            body["deadlineHours"] = 4
            let raised = try await client.request(.post, "/api/v1/calls", json: body, token: fire)
            #expect(raised.status == .created)
            #expect(
                try await client.request(.post, "/api/v1/calls", json: Self.call, token: try await client.signIn("health.dept_head")).status
                    == .notFound, "a department outside the industry")
            #expect(
                try await client.request(.post, "/api/v1/calls", json: Self.call, token: try await client.signIn("commerce.inspector"))
                    .status
                    == .forbidden)
        }
    }

    @Test("a call raised on an annual plan names it; a plan of another industry is refused")
    func planCall() async throws {
        try await withApp { client in
            let commerce = try await client.signIn("commerce.dept_head")
            let plan = try await client.request(
                .post, "/api/v1/plans", json: ["industry": "fuel_retail", "year": 2026, "title": "2026 年度计划"],
                token: commerce)
            let planID = try #require(plan["id"] as? Int)
            var body = Self.call
            body["stage"] = "planning"
            body["planId"] = planID
            let raised = try await client.request(.post, "/api/v1/calls", json: body, token: commerce)
            #expect(raised.status == .created && raised["planId"] as? Int == planID)
            let samr = try await client.signIn("samr.dept_head")
            let catering = try await client.request(
                .post, "/api/v1/plans", json: ["industry": "catering", "year": 2026, "title": "餐饮计划"], token: samr)
            body["planId"] = try #require(catering["id"] as? Int)
            #expect(
                try await client.request(.post, "/api/v1/calls", json: body, token: commerce).status == .notFound,
                "commerce does not see it")
            body["industry"] = "catering"
            body["addressed"] = ["fire"]
            #expect(try await client.request(.post, "/api/v1/calls", json: body, token: samr).status == .created)
            body["industry"] = "fuel_retail"
            body["addressed"] = ["commerce"]
            #expect(
                try await client.request(.post, "/api/v1/calls", json: body, token: samr).errorField == "planId",
                "samr sees the catering plan, but the call is on fuel retail")
        }
    }
}
