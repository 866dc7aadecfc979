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

    @Test(
        "routed, returned with a reason, routed again by the originator, accepted, concluded with an outcome fed back; joint verification once"
    )
    func workflow() async throws {
        try await withAppDatabase { client, url in
            let fire = try await client.signIn("fire.inspector")
            let reported = try await client.request(.post, "/api/v1/clues", json: Self.clue, token: fire)
            #expect(reported.status == .created, "\(reported.text)")
            let clue = try reported.decode(Schemas.Clue.self)
            let id = clue.id
            #expect(clue.status == .routed && clue.foundBy == "fire")
            func inbox(_ token: String) async throws -> [Schemas.Notification] {
                try await client.get("/api/v1/notifications", token: token, as: Schemas.NotificationPage.self).items
            }
            let samr = try await client.signIn("samr.dept_head")
            #expect(try await inbox(samr).first?.kind == .clueRouted)

            // Nobody decides for another department; a department outside the clue does not see it.
            #expect(
                try await client.request(
                    .post, "/api/v1/clues/\(id)/decisions", json: ["decision": "accept"],
                    token: try await client.signIn("health.dept_head")
                ).status == .notFound)
            #expect(
                try await client.request(
                    .post, "/api/v1/clues/\(id)/decisions", json: ["decision": "conclude", "outcome": "case_filed", "reason": "x"],
                    token: samr
                ).errorCode == "clue_state", "accept before concluding")
            #expect(
                try await client.request(.post, "/api/v1/clues/\(id)/decisions", json: ["decision": "return"], token: samr).errorCode
                    == "invalid_text")
            let returned = try await client.request(
                .post, "/api/v1/clues/\(id)/decisions",
                json: ["decision": "return", "reason": "散装销售汽油属应急管理部门职责"], token: samr)
            #expect(try returned.decode(Schemas.Clue.self).routes.first { $0.department == "samr" }?.state == .returned)
            let commerce = try await client.signIn("commerce.dept_head")
            let told = try await inbox(commerce).first
            #expect(told?.kind == .clueReturned && told?.title.contains("散装销售汽油属应急管理部门职责") == true)

            // Routing again is for the originator or the office, not the finder.
            let routing: [String: Any] = ["departments": ["eco"], "deadlineWorkingDays": 3]
            #expect(
                try await client.request(
                    .post, "/api/v1/clues/\(id)/routes", json: routing, token: try await client.signIn("fire.dept_head")
                )
                .status == .forbidden)
            #expect(
                try await client.request(.post, "/api/v1/clues/\(id)/routes", json: ["departments": ["fire"]], token: commerce).errorField
                    == "departments", "not back to the finder")
            #expect(
                try await client.request(.post, "/api/v1/clues/\(id)/routes", json: ["departments": ["office"]], token: commerce).errorCode
                    == "unknown_department")
            let rerouted = try await client.request(.post, "/api/v1/clues/\(id)/routes", json: routing, token: commerce)
            #expect(try rerouted.decode(Schemas.Clue.self).status == .routed)

            let emergency = try await client.signIn("emergency.dept_admin")
            _ = try await client.request(.post, "/api/v1/clues/\(id)/decisions", json: ["decision": "accept"], token: emergency)
            #expect(
                try await client.request(
                    .post, "/api/v1/clues/\(id)/decisions", json: ["decision": "conclude", "reason": "已立案"], token: emergency
                )
                .errorField == "outcome")
            let concluded = try await client.request(
                .post, "/api/v1/clues/\(id)/decisions",
                json: ["decision": "conclude", "outcome": "case_filed", "reason": "已立案，罚款五万元"], token: emergency)
            #expect(try concluded.decode(Schemas.Clue.self).status == .routed, "eco has yet to accept")
            let finderInbox = try await inbox(fire)
            #expect(finderInbox.first?.kind == .clueOutcome && finderInbox.first?.title.contains("立案查处") == true)

            // Held by emergency and eco: the originator organises one joint verification, a call and a meeting.
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

            let history = try await client.get("/api/v1/clues/\(id)", token: fire, as: Schemas.Clue.self).history ?? []
            #expect(history.map(\.action) == ["report", "return", "route", "accept", "conclude", "joint_verification"])

            // eco never answers: past its deadline the route escalates, once.
            try await withClient(url) { db in
                let later = Date().addingTimeInterval(30 * 86_400)
                let escalated = try await EscalationRepository(client: db, logger: quietLogger).sweep(now: later)
                #expect(escalated.filter { $0.kind == .clueRoute }.map(\.department) == ["eco"])
                #expect(try await EscalationRepository(client: db, logger: quietLogger).sweep(now: later).isEmpty)
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
