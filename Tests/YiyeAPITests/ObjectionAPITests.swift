import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("异议: the business objects, follows its case, the department re-examines by someone not on the team and gives feedback")
struct ObjectionAPITests {
    typealias Target = ResultAPITests.Target

    /// fire's result of the target published; its public id and the business's name.
    static func published(_ client: any TestClientProtocol, _ target: Target) async throws -> (id: Int64, name: String) {
        _ = try await ResultVersionAPITests.published(client, target)
        let page = try await client.get("/api/v1/published-results?creditCode=\(target.object)", as: Schemas.PublishedResultPage.self)
        let item = try #require(page.items.first)
        return (item.id, item.latest.objectName)
    }

    static func filing(_ target: Target, name: String) -> [String: Any] {
        ["creditCode": target.object, "businessName": name, "contact": "王经理 13800000000", "grounds": "第一项检查时设备正在检修，非日常状态"]
    }

    @Test("the business objects without an account, gets a receipt and check code; the result shows 异议处理中; one objection at a time")
    func filedOnline() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await ResultAPITests.target(client)
            let (id, name) = try await Self.published(client, target)
            let uri = "/api/v1/published-results/\(id)/objections"
            var stranger = Self.filing(target, name: name)
            stranger["creditCode"] = "91430400MA4L000000"
            let refused = try await client.request(.post, uri, json: stranger)
            #expect(refused.status == .unprocessableContent && refused.errorField == "creditCode", "\(refused.text)")
            let misnamed = try await client.request(.post, uri, json: Self.filing(target, name: "别的公司"))
            #expect(misnamed.status == .unprocessableContent && misnamed.errorField == "businessName")

            let filed = try await client.request(.post, uri, json: Self.filing(target, name: name))
            #expect(filed.status == .created, "\(filed.text)")
            let receipt = try filed.decode(Schemas.ObjectionReceipt.self)
            #expect(receipt.receiptNumber.hasPrefix("YY") && receipt.checkCode.count == 8)
            let due = try await client.get(
                "/api/v1/calendar/deadline?from=\(receipt.receivedOn)&workingDays=20", as: Schemas.Deadline.self)
            #expect(receipt.reexamineDue == due.date, "20 working days from receipt, on the calendar")

            let page = try await client.get("/api/v1/published-results?creditCode=\(target.object)", as: Schemas.PublishedResultPage.self)
            #expect(page.items.first?.latest.underObjection == true)
            #expect(try await client.request(.get, "/public/results?creditCode=\(target.object)").text.contains("异议处理中"))
            let followed = try await client.get(
                "/api/v1/objection-receipts/\(receipt.receiptNumber)?checkCode=\(receipt.checkCode)", as: Schemas.ObjectionProgress.self)
            #expect(followed.status == .reexamining && followed.statusLabel == "异议处理中")
            let wrongCode = receipt.checkCode == "00000000" ? "11111111" : "00000000"
            #expect(
                try await client.request(.get, "/api/v1/objection-receipts/\(receipt.receiptNumber)?checkCode=\(wrongCode)").status
                    == .notFound)

            let second = try await client.request(.post, uri, json: Self.filing(target, name: name))
            #expect(second.status == .conflict && second.errorCode == "objection_state")
            let fire = try await client.get(
                "/api/v1/notifications", token: try await client.signIn("fire.reviewer"), as: Schemas.NotificationPage.self)
            #expect(fire.items.contains { $0.kind == .objectionReceived && $0.title.contains(receipt.receiptNumber) })
            let others = try await client.get(
                "/api/v1/objections", token: try await client.signIn("samr.dept_admin"), as: Schemas.ObjectionPage.self)
            #expect(others.items.isEmpty, "another department does not see fire's objections")
        }
    }

    @Test("a publication is dated by the server's one clock, as every deadline counted from it")
    func publishedByTheClock() async throws {
        let moment = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 - 3 * 86_400)
        try await DrawAPITests.withDemoData(clock: ManualClock(moment)) { client, _ in
            let target = try await ResultAPITests.target(client)
            _ = try await Self.published(client, target)
            let page = try await client.get("/api/v1/published-results?creditCode=\(target.object)", as: Schemas.PublishedResultPage.self)
            #expect(page.items.first?.latest.publishedAt == moment)
        }
    }

    @Test("an objection after 60 days is refused saying so; one not yet published is not found")
    func after60Days() async throws {
        let clock = ManualClock(Date())
        try await DrawAPITests.withDemoData(clock: clock) { client, _ in
            let target = try await ResultAPITests.target(client)
            #expect(
                try await client.request(.post, "/api/v1/published-results/1/objections", json: Self.filing(target, name: "x")).status
                    == .notFound)
            let (id, name) = try await Self.published(client, target)
            clock.advance(by: 61 * 86_400)
            let late = try await client.request(.post, "/api/v1/published-results/\(id)/objections", json: Self.filing(target, name: name))
            #expect(late.status == .unprocessableContent && late.errorCode == "objection_late", "\(late.text)")
            #expect(late.error?.message.contains("60 日内") == true)
        }
    }

    @Test("a paper objection is registered by the department; re-examined by one not on the team, upheld as version 2, then feedback once")
    func reexaminedAndUpheld() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let target = try await ResultAPITests.target(client)
            let (id, name) = try await Self.published(client, target)
            var paper = Self.filing(target, name: name)
            paper["resultId"] = id
            paper["receivedOn"] = CalendarDate(chinaDateOf: Date()).description
            let admin = try await client.signIn("fire.dept_admin")
            #expect(
                try await client.request(.post, "/api/v1/objections", json: paper, token: try await client.signIn("samr.dept_admin")).status
                    == .notFound)
            let registered = try await client.request(.post, "/api/v1/objections", json: paper, token: admin)
            #expect(registered.status == .created, "\(registered.text)")
            let objectionID = try registered.decode(Schemas.ObjectionReceipt.self).id
            let uri = "/api/v1/objections/\(objectionID)"
            let objection = try await client.get(uri, token: admin, as: Schemas.Objection.self)
            #expect(objection.channel == .paper && objection.registeredBy == "fire.dept_admin" && objection.version == 1)

            let correction = ResultVersionAPITests.correction(target)
            let upheld: [String: Any] = [
                "decision": "upheld", "opinion": "经复查，第一项确有问题，原记录有误",
                "correction": ["items": correction["items"] as Any, "categories": correction["categories"] as Any],
            ]
            // fire's admin entered the result; fire's team inspector was there: neither re-examines.
            let entrant = try await client.request(.post, "\(uri)/decision", json: upheld, token: admin)
            #expect(entrant.status == .forbidden && entrant.errorCode == "on_team")
            let head = try await client.signIn("fire.dept_head")
            #expect(
                try await client.request(.post, "\(uri)/feedback", json: ["feedback": "已电话告知"], token: head).errorCode == "objection_state",
                "no feedback before the decision")
            var bare = upheld
            bare["correction"] = nil
            #expect(try await client.request(.post, "\(uri)/decision", json: bare, token: head).errorField == "correction")

            let decided = try await client.request(.post, "\(uri)/decision", json: upheld, token: head)
            #expect(decided.status == .ok, "\(decided.text)")
            let result = try decided.decode(Schemas.Objection.self)
            #expect(result.status == .upheld && result.decidedBy == "fire.dept_head" && result.feedbackDue != nil)
            let versions = try await ResultVersionAPITests.versions(client, target)
            #expect(versions.map(\.version) == [1, 2] && versions[1].change == .objectionUpheld)
            #expect(versions[1].reason.contains("经复查，第一项确有问题") && versions.allSatisfy { $0.underObjection == false })
            #expect(try await client.request(.post, "\(uri)/decision", json: upheld, token: head).errorCode == "objection_state")

            let fed = try await client.request(.post, "\(uri)/feedback", json: ["feedback": "已书面告知复查结论"], token: head)
            #expect(try fed.decode(Schemas.Objection.self).feedbackOn != nil)
            #expect(
                try await client.request(.post, "\(uri)/feedback", json: ["feedback": "再次"], token: head).errorCode == "objection_state")
        }
    }

    @Test("a team inspector may not re-examine; maintained keeps one version; late re-examination and feedback are escalated once")
    func maintainedAndEscalated() async throws {
        try await DrawAPITests.withDemoData { client, url in
            let target = try await ResultAPITests.target(client)
            let (id, name) = try await Self.published(client, target)
            let receipt = try await client.request(
                .post, "/api/v1/published-results/\(id)/objections", json: Self.filing(target, name: name)
            )
            .decode(Schemas.ObjectionReceipt.self)
            let uri = "/api/v1/objections/\(receipt.id)"
            let maintained: [String: Any] = ["decision": "maintained", "opinion": "经复查，原检查结果认定事实清楚，予以维持"]
            // fire's head is on the roster as the inspector fire sent to this object: refused.
            let fireMember = try #require(target.team.members.first { $0.department == "fire" })
            try await withClient(url) { db async throws in
                _ = try await db.query(
                    """
                    UPDATE inspectors SET user_id = (SELECT id FROM users WHERE username = 'fire.dept_head')
                    WHERE id = \(try #require(Int64(fireMember.inspectorID)))
                    """)
            }
            let onTeam = try await client.request(
                .post, "\(uri)/decision", json: maintained, token: try await client.signIn("fire.dept_head"))
            #expect(onTeam.status == .forbidden && onTeam.errorCode == "on_team", "\(onTeam.text)")
            try await withClient(url) { db async throws in
                let sweeps = EscalationRepository(client: db, logger: quietLogger)
                let later = Date().addingTimeInterval(60 * 86_400)
                let escalated = try await sweeps.sweep(now: later, waiting: true).filter { $0.kind == .objectionReexamination }
                #expect(escalated.map(\.subjectID) == [receipt.id] && escalated.map(\.department.rawValue) == ["fire"])
                #expect(try await sweeps.sweep(now: later, waiting: true).filter { $0.kind == .objectionReexamination }.isEmpty, "once")
            }
            let decided = try await client.request(
                .post, "\(uri)/decision", json: maintained, token: try await client.signIn("fire.reviewer"))
            #expect(try decided.decode(Schemas.Objection.self).status == .maintained)
            #expect(try await ResultVersionAPITests.versions(client, target).map(\.version) == [1])
            try await withClient(url) { db async throws in
                let sweeps = EscalationRepository(client: db, logger: quietLogger)
                let later = Date().addingTimeInterval(60 * 86_400)
                #expect(
                    try await sweeps.sweep(now: later, waiting: true).filter { $0.kind == .objectionFeedback }.map(\.subjectID) == [
                        receipt.id
                    ])
                await #expect(throws: PSQLError.self) {
                    _ = try await db.query("UPDATE objections SET opinion = 'x' WHERE id = \(receipt.id)")
                }
            }
            let office = try await client.get(
                "/api/v1/notifications", token: try await client.signIn("office.office_viewer"), as: Schemas.NotificationPage.self)
            #expect(office.items.contains { $0.kind == .objectionEscalated && $0.title.contains("异议复查逾期") })
        }
    }
}
