import Foundation
import HummingbirdTesting
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("问题线索分办、转办 through the API")
struct ClueAPITests {
    static var clue: [String: Any] {
        [
            "industry": "fuel_retail", "source": "complaint", "description": "群众举报某加油站夜间向无证车辆散装销售汽油。",
            "suspectedViolation": "违规散装销售汽油", "legalBasis": "《危险化学品安全管理条例》", "evidence": ["举报录音 2026-11-20"],
            "departments": ["samr", "emergency"], "deadlineWorkingDays": 5,
        ]
    }

    static func inbox(_ client: any TestClientProtocol, _ token: String) async throws -> [Schemas.Notification] {
        try await client.get("/api/v1/notifications", token: token, as: Schemas.NotificationPage.self).items
    }

    /// fire's inspector reports `clue` to samr and emergency; returns its id.
    static func reported(_ client: any TestClientProtocol) async throws -> Int64 {
        let reported = try await client.request(.post, "/api/v1/clues", json: clue, token: try await client.signIn("fire.inspector"))
        guard reported.status == .created else { throw TestFailure("report: \(reported.text)") }
        return try reported.decode(Schemas.Clue.self).id
    }

    static func decide(_ client: any TestClientProtocol, _ id: Int64, _ body: [String: Any], as user: String) async throws -> JSONResponse {
        try await client.request(.post, "/api/v1/clues/\(id)/decisions", json: body, token: try await client.signIn(user))
    }

    /// Reported; samr returns it as not its remit; commerce (the originator) routes it to eco; emergency accepts and
    /// concludes it with a case filed. eco has not answered.
    static func concluded(_ client: any TestClientProtocol) async throws -> Int64 {
        let id = try await reported(client)
        _ = try await decide(client, id, ["decision": "return", "reason": "散装销售汽油属应急管理部门职责"], as: "samr.dept_head")
        let commerce = try await client.signIn("commerce.dept_head")
        let rerouted = try await client.request(
            .post, "/api/v1/clues/\(id)/routes", json: ["departments": ["eco"], "deadlineWorkingDays": 3], token: commerce)
        guard rerouted.status == .ok else { throw TestFailure("reroute: \(rerouted.text)") }
        _ = try await decide(client, id, ["decision": "accept"], as: "emergency.dept_admin")
        let concluded = try await decide(
            client, id, ["decision": "conclude", "outcome": "case_filed", "reason": "已立案，罚款五万元"], as: "emergency.dept_admin")
        guard concluded.status == .ok else { throw TestFailure("conclude: \(concluded.text)") }
        return id
    }

    @Test("a reported clue is routed and its departments told; outsiders do not see it; a department accepts before concluding")
    func reporting() async throws {
        try await withApp { client in
            let fire = try await client.signIn("fire.inspector")
            let reported = try await client.request(.post, "/api/v1/clues", json: Self.clue, token: fire)
            #expect(reported.status == .created, "\(reported.text)")
            let clue = try reported.decode(Schemas.Clue.self)
            #expect(clue.status == .routed && clue.foundBy == "fire")
            #expect(Set(clue.routes.map(\.department)) == ["samr", "emergency"])
            #expect(try await Self.inbox(client, try await client.signIn("samr.dept_head")).first?.kind == .clueRouted)
            #expect(try await Self.decide(client, clue.id, ["decision": "accept"], as: "health.dept_head").status == .notFound)
            let early = try await Self.decide(
                client, clue.id, ["decision": "conclude", "outcome": "case_filed", "reason": "x"], as: "samr.dept_head")
            #expect(early.errorCode == "clue_state", "accept before concluding")
        }
    }

    @Test("a department returns a clue outside its remit with a reason, and the originator is told why")
    func returning() async throws {
        try await withApp { client in
            let id = try await Self.reported(client)
            #expect(try await Self.decide(client, id, ["decision": "return"], as: "samr.dept_head").errorCode == "invalid_text")
            let returned = try await Self.decide(client, id, ["decision": "return", "reason": "散装销售汽油属应急管理部门职责"], as: "samr.dept_head")
            #expect(try returned.decode(Schemas.Clue.self).routes.first { $0.department == "samr" }?.state == .returned)
            let told = try await Self.inbox(client, try await client.signIn("commerce.dept_head")).first
            #expect(told?.kind == .clueReturned && told?.title.contains("散装销售汽油属应急管理部门职责") == true)
        }
    }

    @Test("only the originator or the office routes a clue again, to a regulator other than the finder")
    func rerouting() async throws {
        try await withApp { client in
            let id = try await Self.reported(client)
            _ = try await Self.decide(client, id, ["decision": "return", "reason": "散装销售汽油属应急管理部门职责"], as: "samr.dept_head")
            let routing: [String: Any] = ["departments": ["eco"], "deadlineWorkingDays": 3]
            let finder = try await client.signIn("fire.dept_head")
            #expect(try await client.request(.post, "/api/v1/clues/\(id)/routes", json: routing, token: finder).status == .forbidden)
            let commerce = try await client.signIn("commerce.dept_head")
            #expect(
                try await client.request(.post, "/api/v1/clues/\(id)/routes", json: ["departments": ["fire"]], token: commerce).errorField
                    == "departments", "not back to the finder")
            #expect(
                try await client.request(.post, "/api/v1/clues/\(id)/routes", json: ["departments": ["office"]], token: commerce).errorCode
                    == "unknown_department")
            let rerouted = try await client.request(.post, "/api/v1/clues/\(id)/routes", json: routing, token: commerce)
            let clue = try rerouted.decode(Schemas.Clue.self)
            #expect(clue.status == .routed)
            #expect(clue.routes.contains { $0.department == "eco" && $0.state == .routed })
        }
    }

    @Test("a conclusion names its outcome and is fed back to the finder; the clue stays routed while a department has not answered")
    func concluding() async throws {
        try await withApp { client in
            let id = try await Self.concluded(client)
            #expect(
                try await Self.decide(client, id, ["decision": "conclude", "reason": "已立案"], as: "emergency.dept_admin").errorCode
                    == "clue_state", "concluded once")
            let clue = try await client.get("/api/v1/clues/\(id)", token: try await client.signIn("fire.inspector"), as: Schemas.Clue.self)
            #expect(clue.status == .routed, "eco has yet to accept")
            #expect(clue.routes.first { $0.department == "emergency" }?.outcome == .caseFiled)
            let finderInbox = try await Self.inbox(client, try await client.signIn("fire.inspector"))
            #expect(finderInbox.first?.kind == .clueOutcome && finderInbox.first?.title.contains("立案查处") == true)
        }
    }

    @Test("a conclusion without an outcome is refused, naming the outcome")
    func conclusionNeedsOutcome() async throws {
        try await withApp { client in
            let id = try await Self.reported(client)
            _ = try await Self.decide(client, id, ["decision": "accept"], as: "emergency.dept_admin")
            let refused = try await Self.decide(client, id, ["decision": "conclude", "reason": "已立案"], as: "emergency.dept_admin")
            #expect(refused.errorField == "outcome")
        }
    }

    @Test("a clue held by several departments gets one joint verification from the originator: a call and a meeting")
    func jointVerification() async throws {
        try await withApp { client in
            let id = try await Self.concluded(client)
            let emergency = try await client.signIn("emergency.dept_admin")
            let commerce = try await client.signIn("commerce.dept_head")
            #expect(
                try await client.request(.post, "/api/v1/clues/\(id)/joint-verification", json: [:], token: emergency).status == .forbidden)
            let joint = try await client.request(
                .post, "/api/v1/clues/\(id)/joint-verification",
                json: ["deadlineWorkingDays": 2, "meetingStartsAt": MeetingAPITests.startsAt], token: commerce)
            let verified = try joint.decode(Schemas.Clue.self)
            let callID = try #require(verified.jointCallId)
            let meetingID = try #require(verified.jointMeetingId)
            let call = try await client.get("/api/v1/calls/\(callID)", token: emergency, as: Schemas.Call.self)
            #expect(call.responses.map(\.department) == ["eco", "emergency"])
            let meeting = try await client.get("/api/v1/meetings/\(meetingID)", token: emergency, as: Schemas.Meeting.self)
            #expect(meeting.clueIds == [id] && meeting.callIds == [callID])
            #expect(
                try await client.request(.post, "/api/v1/clues/\(id)/joint-verification", json: [:], token: commerce).errorCode
                    == "clue_state")
            let history = try await client.get("/api/v1/clues/\(id)", token: emergency, as: Schemas.Clue.self).history ?? []
            #expect(history.map(\.action) == ["report", "return", "route", "accept", "conclude", "joint_verification"])
        }
    }

    @Test("a route not answered by its deadline escalates once; a concluded route never changes, even in SQL")
    func escalation() async throws {
        try await withAppDatabase { client, url in
            _ = try await Self.concluded(client)
            try await withClient(url) { db in
                let later = Date().addingTimeInterval(30 * 86_400)
                let escalated = try await EscalationRepository(client: db, logger: quietLogger).sweep(now: later, waiting: true)
                #expect(escalated.filter { $0.kind == .clueRoute }.map(\.department) == ["eco"])
                #expect(try await EscalationRepository(client: db, logger: quietLogger).sweep(now: later, waiting: true).isEmpty)
                await #expect(throws: (any Error).self, "a concluded route never changes") {
                    _ = try await db.query("UPDATE clue_routes SET outcome = 'no_case' WHERE state = 'concluded'", logger: quietLogger)
                }
            }
        }
    }

    @Test("bad clues are refused with the field named")
    func validation() async throws {
        try await withApp { client in
            let fire = try await client.signIn("fire.dept_admin")
            var clue = Self.clue
            clue["source"] = "inspection"
            #expect(try await client.request(.post, "/api/v1/clues", json: clue, token: fire).errorField == "taskId")
            clue = Self.clue
            clue["objectCreditCode"] = "91330110MA2ABCDE1X"
            #expect(try await client.request(.post, "/api/v1/clues", json: clue, token: fire).errorCode == "invalid_credit_code")
            clue = Self.clue
            clue["departments"] = []
            #expect(try await client.request(.post, "/api/v1/clues", json: clue, token: fire).errorField == "departments")
            clue["departments"] = ["samr", "samr"]
            #expect(try await client.request(.post, "/api/v1/clues", json: clue, token: fire).errorField == "departments")
            clue = Self.clue
            clue["suspectedViolation"] = ""
            #expect(try await client.request(.post, "/api/v1/clues", json: clue, token: fire).errorCode == "invalid_text")
            #expect(
                try await client.request(.post, "/api/v1/clues", json: Self.clue, token: try await client.signIn("fire.reviewer")).status
                    == .forbidden)
            #expect(try await client.request(.get, "/api/v1/clues/abc", token: fire).status == .badRequest)
            #expect(try await client.request(.get, "/api/v1/clues/424242", token: fire).status == .notFound)
        }
    }
}
