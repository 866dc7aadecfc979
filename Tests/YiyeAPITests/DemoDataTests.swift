import Foundation
import HummingbirdTesting
import PostgresNIO
import Testing
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("Demo master data: item lists, joint lists, objects, inspectors, conflicts")
struct DemoDataTests {
    @Test("the demo loads published lists with resolved overlaps, 5000 objects, 120 inspectors and conflicts, once")
    func demoData() async throws {
        try await withAppDatabase { client, url in
            try await withClient(url) { db async throws in
                try await DemoCounty.loadSampleData(client: db, clock: SystemClock(), logger: quietLogger)
                try await DemoCounty.loadSampleData(client: db, clock: SystemClock(), logger: quietLogger)
            }
            for industry in ["fuel_retail", "catering", "hazardous_chemicals", "drug_retail"] {
                let list = try await client.request(.get, "/api/v1/joint-lists/\(industry)")
                #expect(list["version"] as? Int == 1, "\(industry): loaded once")
                let entries = list["entries"] as? [[String: Any]] ?? []
                #expect(entries.count >= 3, "\(industry)")
                #expect(list["missingDepartments"] as? [String] == [])
                if industry != "drug_retail" {
                    let overlaps = entries.filter { $0["overlap"] as? Bool == true }
                    #expect(!overlaps.isEmpty && overlaps.allSatisfy { $0["resolved"] as? Bool == true }, "\(industry)")
                }
            }
            let fuel = try await client.request(.get, "/api/v1/joint-lists/fuel_retail")
            let fire = (fuel["entries"] as? [[String: Any]] ?? []).first { $0["overlap"] as? Bool == true }
            #expect(fire?["leadDepartment"] as? String == "fire")
            #expect(fire?["coDepartments"] as? [String] == ["emergency"])
            let handbook = try await client.request(.get, "/api/v1/joint-lists/catering/handbook.html")
            #expect(handbook.text.contains("餐饮具消毒记录"))

            let office = try await client.signIn("office.office_viewer")
            var total = 0
            var cursor: String?
            var riskClasses = Set<String>()
            repeat {
                let page = try await client.request(
                    .get, "/api/v1/objects?limit=200" + (cursor.map { "&cursor=\($0)" } ?? ""), token: office)
                total += page.items.count
                riskClasses.formUnion(page.items.compactMap { $0["riskClass"] as? String })
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            #expect(total == DemoCounty.sampleObjectCount)
            #expect(riskClasses == ["A", "B", "C", "D"])

            var inspectors = 0
            for department in ["samr", "commerce", "emergency", "fire", "eco", "health"] {
                let roster = try await client.request(.get, "/api/v1/inspectors?department=\(department)&limit=200", token: office)
                inspectors += roster.items.count
                #expect(roster.items.contains { ($0["qualifications"] as? [String])?.isEmpty == false })
            }
            #expect(inspectors == 120)
            let linked = try await client.request(.get, "/api/v1/inspectors?department=fire&limit=1", token: office)
            #expect(linked.items.first?["username"] as? String == "fire.inspector")
            // The second fire inspector declared a conflict with a petrol station.
            let second = try await client.request(.get, "/api/v1/inspectors?department=fire&limit=2", token: office).items.last
            let id = try #require(second?["id"] as? Int)
            let conflicts = try await client.request(.get, "/api/v1/inspectors/\(id)/conflicts", token: office)
            #expect(conflicts.items.count == 1)

            // One executed draw per industry, its public record verifying against its pool file.
            let tasks = try await client.request(.get, "/api/v1/tasks", token: office)
            #expect(tasks.items.count == 4)
            for task in tasks.items {
                let draw = try #require(task["drawId"] as? Int)
                let record = try await client.request(.get, "/api/v1/draws/\(draw)/record")
                let pool = try await client.request(.get, "/api/v1/draws/\(draw)/pool.txt")
                let decoded = try JSONDecoder().decode(DrawRecord.self, from: Data(record.text.utf8))
                #expect(!decoded.selected.isEmpty)
                #expect(DrawVerifier.differences(record: decoded, objectPoolFile: Array(pool.text.utf8)).isEmpty)
            }
        }
    }

    @Test("the demo's coordination: answered calls, one escalated; finalized minutes with action items; clues in every state")
    func demoCoordination() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let office = try await client.signIn("office.office_viewer")
            let calls = try await client.request(.get, "/api/v1/calls", token: office).items
            #expect(calls.count == 4)
            let states = Set(calls.flatMap { ($0["responses"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String } })
            #expect(states.isSuperset(of: ["accepted", "declined", "read", "unread"]))
            #expect(calls.filter { !($0["overdue"] as? [String] ?? []).isEmpty }.count == 1)
            let inbox = try await client.request(.get, "/api/v1/notifications", token: office).items.compactMap { $0["kind"] as? String }
            #expect(Set(inbox) == ["call_escalated", "action_item_escalated", "clue_returned"])

            let meetings = try await client.request(.get, "/api/v1/meetings", token: office).items
            let meeting = try await client.request(.get, "/api/v1/meetings/\(try #require(meetings.first?["id"] as? Int))", token: office)
            #expect((meeting["minutes"] as? [[String: Any]])?.first?["final"] as? Bool == true)
            #expect((meeting["actionItems"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["open", "done", "open"])

            let clues = try await client.request(.get, "/api/v1/clues", token: office).items
            #expect(Set(clues.compactMap { $0["status"] as? String }) == ["routed", "handling", "concluded", "awaiting_routing"])
            #expect(clues.contains { $0["jointCallId"] is Int })
            let figures = try await client.request(.get, "/api/v1/coordination/figures", token: office).items
            #expect(figures.first { $0["department"] as? String == "fire" }?["overdueNow"] as? Int == 1)
        }
    }
}
