import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("Demo master data: item lists, joint lists, objects, inspectors, conflicts")
struct DemoDataTests {
    static let industries = ["fuel_retail", "catering", "hazardous_chemicals", "drug_retail"]

    @Test("loading the sample data twice loads it once")
    func loadedOnce() async throws {
        try await withAppDatabase { client, url in
            try await withClient(url) { db async throws in
                let personalData = TestDatabase.personalData(db)
                try await DemoCounty.loadSampleData(client: db, personalData: personalData, clock: SystemClock(), logger: quietLogger)
                try await DemoCounty.loadSampleData(client: db, personalData: personalData, clock: SystemClock(), logger: quietLogger)
            }
            for industry in Self.industries {
                #expect(
                    try await client.get("/api/v1/joint-lists/\(industry)", as: Schemas.JointListVersion.self).version == 1, "\(industry)")
            }
            let office = try await client.signIn("office.office_viewer")
            #expect(try await client.get("/api/v1/tasks", token: office, as: Schemas.TaskPage.self).items.count == 4)
        }
    }

    @Test("every demo industry has a published joint list with every department's items and its overlaps resolved")
    func jointLists() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            for industry in Self.industries {
                let list = try await client.get("/api/v1/joint-lists/\(industry)", as: Schemas.JointListVersion.self)
                #expect(list.entries.count >= 3, "\(industry)")
                #expect(list.missingDepartments == [])
                if industry != "drug_retail" {
                    let overlaps = list.entries.filter(\.overlap)
                    #expect(!overlaps.isEmpty && overlaps.allSatisfy { $0.resolved }, "\(industry)")
                }
            }
            let fuel = try await client.get("/api/v1/joint-lists/fuel_retail", as: Schemas.JointListVersion.self)
            let fire = fuel.entries.first(where: \.overlap)
            #expect(fire?.leadDepartment == "fire")
            #expect(fire?.coDepartments == ["emergency"])
            let handbook = try await client.request(.get, "/api/v1/joint-lists/catering/handbook.html")
            #expect(handbook.text.contains("餐饮具消毒记录"))
        }
    }

    @Test("the demo has its 5000 objects, paged, in every risk class")
    func objects() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let office = try await client.signIn("office.office_viewer")
            var total = 0
            var cursor: String?
            var riskClasses = Set<Schemas.RiskClass>()
            repeat {
                let page = try await client.get(
                    "/api/v1/objects?limit=200" + (cursor.map { "&cursor=\($0)" } ?? ""), token: office, as: Schemas.ObjectPage.self)
                total += page.items.count
                riskClasses.formUnion(page.items.compactMap(\.riskClass))
                cursor = page.nextCursor
            } while cursor != nil
            #expect(total == DemoCounty.sampleObjectCount)
            #expect(riskClasses == [.a, .b, .c, .d])
        }
    }

    @Test("the demo has 120 inspectors with qualifications, fire.inspector linked, and a declared conflict")
    func inspectors() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let office = try await client.signIn("office.office_viewer")
            func roster(_ query: String) async throws -> [Schemas.Inspector] {
                try await client.get("/api/v1/inspectors?\(query)", token: office, as: Schemas.InspectorPage.self).items
            }
            var inspectors = 0
            for department in ["samr", "commerce", "emergency", "fire", "eco", "health"] {
                let page = try await roster("department=\(department)&limit=200")
                inspectors += page.count
                #expect(page.contains { !$0.qualifications.isEmpty })
            }
            #expect(inspectors == 120)
            #expect(try await roster("department=fire&limit=1").first?.username == "fire.inspector")
            // The second fire inspector declared a conflict with a petrol station.
            let second = try #require(try await roster("department=fire&limit=2").last)
            let conflicts = try await client.get("/api/v1/inspectors/\(second.id)/conflicts", token: office, as: Schemas.ConflictList.self)
            #expect(conflicts.items.count == 1)
        }
    }

    @Test("one executed draw per demo industry, its public record verifying against its pool file")
    func draws() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let office = try await client.signIn("office.office_viewer")
            let tasks = try await client.get("/api/v1/tasks", token: office, as: Schemas.TaskPage.self).items
            #expect(Set(tasks.map(\.industry)) == Set(Self.industries))
            for task in tasks {
                let draw = try #require(task.drawId)
                let record = try await client.request(.get, "/api/v1/draws/\(draw)/record")
                let pool = try await client.request(.get, "/api/v1/draws/\(draw)/pool.txt")
                let decoded = try JSONDecoder().decode(DrawRecord.self, from: record.body)
                #expect(!decoded.selected.isEmpty)
                #expect(await DrawVerifier.differences(record: decoded, objectPoolFile: Array(pool.text.utf8)).isEmpty)
            }
        }
    }

    @Test("the demo's calls: answered in every way, one overdue, escalated to the office")
    func demoCalls() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let office = try await client.signIn("office.office_viewer")
            let calls = try await client.get("/api/v1/calls", token: office, as: Schemas.CallPage.self).items
            #expect(calls.count == 4)
            let states = Set(calls.flatMap { $0.responses.map(\.state) })
            #expect(states.isSuperset(of: [.accepted, .declined, .read, .unread]))
            #expect(calls.filter { !$0.overdue.isEmpty }.count == 1)
            let inbox = try await client.get("/api/v1/notifications", token: office, as: Schemas.NotificationPage.self).items
            #expect(Set(inbox.map(\.kind)).subtracting([.calendarNeeded]) == [.callEscalated, .actionItemEscalated, .clueReturned])
            // Results are due 20 working days after the demo tasks' windows: when that reaches a year the office has not
            // entered, the office is asked for it.
            let entered = try await client.request(.get, "/api/v1/calendar/\(CalendarDate(chinaDateOf: Date()).year + 1)").status == .ok
            #expect(inbox.filter { $0.kind == .calendarNeeded }.allSatisfy { !entered && $0.subjectId > 2026 })
            let figures = try await client.get("/api/v1/coordination/figures", token: office, as: Items<Schemas.DepartmentFigures>.self)
            #expect(figures.items.first { $0.department == "fire" }?.overdueNow == 1)
        }
    }

    @Test("the demo's meeting has finalized minutes and action items open and done; its clues are in every state")
    func demoMeetingsAndClues() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let office = try await client.signIn("office.office_viewer")
            let meetings = try await client.get("/api/v1/meetings", token: office, as: Schemas.MeetingPage.self).items
            let meeting = try await client.get(
                "/api/v1/meetings/\(try #require(meetings.first?.id))", token: office, as: Schemas.Meeting.self)
            #expect(meeting.minutes?.first?.final == true)
            #expect(meeting.actionItems?.map(\.status) == [.open, .done, .open])
            let clues = try await client.get("/api/v1/clues", token: office, as: Schemas.CluePage.self).items
            #expect(Set(clues.map(\.status)) == [.routed, .handling, .concluded, .awaitingRouting])
            #expect(clues.contains { $0.jointCallId != nil })
        }
    }
}
