import Foundation
import HummingbirdTesting
import Testing
import YiyeContract
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

    /// Commerce raises `call`; returns it with commerce's token.
    static func raise(_ client: any TestClientProtocol) async throws -> (call: Schemas.Call, commerce: String) {
        let commerce = try await client.signIn("commerce.dept_head")
        let raised = try await client.request(.post, "/api/v1/calls", json: call, token: commerce)
        guard raised.status == .created else { throw TestFailure("raise: \(raised.text)") }
        return (try raised.decode(), commerce)
    }

    static func state(of department: String, in response: JSONResponse) throws -> Schemas.Call.ResponsesPayloadPayload.StatePayload? {
        try response.decode(Schemas.Call.self).responses.first { $0.department == department }?.state
    }

    @Test("a call raised by the originator is due at the end of the next working day, China time")
    func raisedDeadline() async throws {
        try await withApp { client in
            let (call, _) = try await Self.raise(client)
            let today = CalendarDate(chinaDateOf: Date()).description
            let due = try await client.get("/api/v1/calendar/deadline?from=\(today)&workingDays=1", as: Schemas.Deadline.self)
            #expect(CalendarDate(chinaDateOf: call.deadline).description == due.date)
        }
    }

    @Test("a call and its answers are dated by the server's clock, as the dashboard's response hours count them")
    func datedByTheClock() async throws {
        let raised = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 - 3 * 86_400)
        let clock = ManualClock(raised)
        try await withAppDatabase(clock: clock) { client, _ in
            let (call, _) = try await Self.raise(client)
            clock.advance(by: 5 * 3600)
            let fire = try await client.signIn("fire.dept_admin")
            let accepted = try await client.request(
                .post, "/api/v1/calls/\(call.id)/actions", json: ["action": "accept", "text": "已安排"], token: fire)
            let answered = try accepted.decode(Schemas.Call.self)
            #expect(answered.history?.map(\.at) == [raised, raised.addingTimeInterval(5 * 3600)])
            #expect(answered.responses.first { $0.department == "fire" }?.respondedAt == raised.addingTimeInterval(5 * 3600))
            let figures = try await client.get(
                "/api/v1/coordination/figures", token: try await client.signIn("fire.dept_admin"), as: Items<Schemas.DepartmentFigures>.self
            )
            #expect(figures.items.first { $0.department == "fire" }?.medianResponseHours == 5)
        }
    }

    @Test("addressed departments read, ask, accept or decline with a reason; only the raiser answers")
    func responses() async throws {
        try await withApp { client in
            let (call, commerce) = try await Self.raise(client)
            let id = call.id
            let fire = try await client.signIn("fire.dept_admin")
            let read = try await client.request(.post, "/api/v1/calls/\(id)/actions", json: ["action": "read"], token: fire)
            #expect(try Self.state(of: "fire", in: read) == .read)
            _ = try await client.request(.post, "/api/v1/calls/\(id)/actions", json: ["action": "ask", "text": "需派几人？"], token: fire)
            #expect(
                try await client.request(.post, "/api/v1/calls/\(id)/answers", json: ["department": "fire", "text": "一人"], token: fire)
                    .status == .forbidden, "only the raiser answers")
            _ = try await client.request(
                .post, "/api/v1/calls/\(id)/answers", json: ["department": "fire", "text": "每个对象一人"], token: commerce)
            let accepted = try await client.request(
                .post, "/api/v1/calls/\(id)/actions", json: ["action": "accept", "text": "已安排"], token: fire)
            #expect(try Self.state(of: "fire", in: accepted) == .accepted)
            let samr = try await client.signIn("samr.dept_head")
            #expect(
                try await client.request(.post, "/api/v1/calls/\(id)/actions", json: ["action": "decline"], token: samr).errorCode
                    == "invalid_text", "a decline needs a reason")
            let declined = try await client.request(
                .post, "/api/v1/calls/\(id)/actions", json: ["action": "decline", "text": "人员不足"], token: samr)
            #expect(try Self.state(of: "samr", in: declined) == .declined)
            let history = try await client.get("/api/v1/calls/\(id)", token: commerce, as: Schemas.Call.self).history ?? []
            #expect(history.map(\.action) == ["raise", "read", "ask", "answer", "accept", "decline"])
        }
    }

    @Test("a department not addressed does not see a call; the office does")
    func visibility() async throws {
        try await withApp { client in
            let (call, _) = try await Self.raise(client)
            let eco = try await client.signIn("eco.dept_admin")
            #expect(
                try await client.request(.post, "/api/v1/calls/\(call.id)/actions", json: ["action": "read"], token: eco).status
                    == .notFound,
                "eco is a participant of the industry, but not addressed")
            let office = try await client.signIn("office.office_viewer")
            #expect(try await client.get("/api/v1/calls", token: office, as: Schemas.CallPage.self).items.map(\.id) == [call.id])
        }
    }

    @Test("only the raiser closes a call; a closed call takes no action, and each addressed department is told")
    func closure() async throws {
        try await withApp { client in
            let (call, commerce) = try await Self.raise(client)
            let fire = try await client.signIn("fire.dept_admin")
            let samr = try await client.signIn("samr.dept_head")
            #expect(try await client.request(.post, "/api/v1/calls/\(call.id)/closure", token: fire).status == .forbidden)
            let closed = try await client.request(.post, "/api/v1/calls/\(call.id)/closure", token: commerce).decode(Schemas.Call.self)
            #expect(closed.status == .closed)
            #expect(closed.history?.map(\.action) == ["raise", "close"])
            #expect(
                try await client.request(.post, "/api/v1/calls/\(call.id)/actions", json: ["action": "read"], token: samr).errorCode
                    == "call_closed")
            // The raiser is not told of its own closing.
            for (token, told) in [(fire, true), (samr, true), (commerce, false)] {
                let kinds = try await client.get("/api/v1/notifications", token: token, as: Schemas.NotificationPage.self).items.map(\.kind)
                #expect(kinds.contains(.callClosed) == told, "\(kinds)")
            }
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
            let planID = try plan.decode(Schemas.Plan.self).id
            var body = Self.call
            body["stage"] = "planning"
            body["planId"] = planID
            let raised = try await client.request(.post, "/api/v1/calls", json: body, token: commerce)
            #expect(raised.status == .created)
            #expect(try raised.decode(Schemas.Call.self).planId == planID)
            let samr = try await client.signIn("samr.dept_head")
            let catering = try await client.request(
                .post, "/api/v1/plans", json: ["industry": "catering", "year": 2026, "title": "餐饮计划"], token: samr)
            body["planId"] = try catering.decode(Schemas.Plan.self).id
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
