import Foundation
import Testing
import YiyeCore

@Suite("Working-day calendar API, with the shipped 2025 and 2026 data")
struct CalendarAPITests {
    @Test("2026 as shipped: the Spring Festival make-up Saturdays are working days")
    func shipped2026() async throws {
        try await withApp(demo: false) { client in
            let year = try await client.request(.get, "/api/v1/calendar/2026")
            #expect(year.status == .ok)
            let makeup = (year["makeupWorkdays"] as? [[String: String]] ?? []).compactMap { $0["date"] }
            #expect(makeup.contains("2026-02-14"))
            #expect(makeup.contains("2026-02-28"))
            let holidays = (year["holidays"] as? [[String: String]] ?? [])
            #expect(holidays.contains { $0["date"] == "2026-02-17" && $0["name"] == "春节" })
            #expect(try await client.request(.get, "/api/v1/calendar/2025").status == .ok)
            #expect(try await client.request(.get, "/api/v1/calendar/2030").status == .notFound)
        }
    }

    @Test("20 working days from 2026-02-10 across the Spring Festival end on 2026-03-16")
    func deadline() async throws {
        try await withApp(demo: false) { client in
            let deadline = try await client.request(.get, "/api/v1/calendar/deadline?from=2026-02-10&workingDays=20")
            #expect(deadline.status == .ok)
            #expect(deadline["date"] as? String == "2026-03-16")
            let national = try await client.request(.get, "/api/v1/calendar/deadline?from=2026-09-28&workingDays=5")
            #expect(national["date"] as? String == "2026-10-10")
            let acrossYear = try await client.request(.get, "/api/v1/calendar/deadline?from=2025-12-30&workingDays=5")
            #expect(acrossYear["date"] as? String == "2026-01-07")
        }
    }

    @Test("a year not entered counts weekends and fixed holidays, provisionally; the office is asked once; entering it counts again")
    func provisionalYear() async throws {
        try await withApp { client in
            // From Sunday 2026-12-20: 9 working days to 31 December, 1 January off, then 5 + 5 + 1: Monday 18 January 2027.
            let provisional = try await client.request(.get, "/api/v1/calendar/deadline?from=2026-12-20&workingDays=20")
            #expect(provisional.status == .ok)
            #expect(provisional["date"] as? String == "2027-01-18")
            #expect(provisional["provisional"] as? Bool == true)
            #expect(
                try await client.request(.get, "/api/v1/calendar/deadline?from=2026-12-20&workingDays=5")["provisional"] as? Bool == false)
            _ = try await client.request(.get, "/api/v1/calendar/deadline?from=2026-12-21&workingDays=20")
            let admin = try await client.signIn("office.office_admin")
            let asked = try await client.request(.get, "/api/v1/notifications", token: admin).items.filter {
                $0["kind"] as? String == "calendar_needed"
            }
            #expect(asked.compactMap { $0["subjectId"] as? Int } == [2027], "asked once for 2027")
            #expect(try await client.request(.get, "/api/v1/calendar/2027").status == .notFound, "a provisional year is not an entered one")

            // A call due in 60 working days lands in a year not entered, whatever today is (from late 2026 on).
            let commerce = try await client.signIn("commerce.dept_head")
            var body = CallAPITests.call
            body["deadlineWorkingDays"] = 60
            let call = try await client.request(.post, "/api/v1/calls", json: body, token: commerce)
            #expect(call["deadlineProvisional"] as? Bool == true)
            let id = try #require(call["id"] as? Int)
            let deadline = try #require((call["deadline"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            let due = CalendarDate(chinaDateOf: deadline)
            // The office enters that year: the fixed holidays as counted, and the call's last day a holiday too, so the
            // deadline moves to the next working day.
            let fixed = WorkingCalendar.Year.provisional(due.year).holidays.map { ["date": $0.key.description, "name": $0.value] }
            let year: [String: Any] = [
                "holidays": fixed + [["date": due.description, "name": "春节"]], "makeupWorkdays": [[String: String]](),
            ]
            let entered = try await client.request(.put, "/api/v1/calendar/\(due.year)", json: year, token: admin)
            #expect(entered.status == .ok)
            let recounted = entered["recounted"] as? [[String: Any]] ?? []
            #expect(Set(recounted.compactMap { $0["department"] as? String }) == ["fire", "samr"])
            #expect(
                recounted.allSatisfy {
                    $0["subjectType"] as? String == "call" && $0["subjectId"] as? Int == id && $0["before"] as? String == due.description
                })
            let next = try await client.request(.get, "/api/v1/calendar/deadline?from=\(due.description)&workingDays=1")["date"] as? String
            #expect(recounted.first?["after"] as? String == next)
            let moved = try await client.request(.get, "/api/v1/calls/\(id)", token: commerce)
            #expect(
                (moved["deadline"] as? String).flatMap { try? Date($0, strategy: .iso8601) }.map {
                    CalendarDate(chinaDateOf: $0).description
                } == next)
            let thisYear = CalendarDate(chinaDateOf: Date()).year
            #expect(
                moved["deadlineProvisional"] as? Bool == !(thisYear <= 2026 || thisYear == due.year),
                "provisional only while a year it was counted over is still missing")
            let fire = try await client.signIn("fire.dept_admin")
            let told = try await client.request(.get, "/api/v1/notifications", token: fire).items.filter {
                $0["kind"] as? String == "deadline_recounted"
            }
            #expect(told.count == 1)
            #expect((told.first?["title"] as? String)?.contains("调整为") == true)
            let audit = try await client.request(.get, "/api/v1/audit?objectType=calendar_year&objectId=\(due.year)", token: admin).items
            #expect((audit.first?["details"] as? String)?.contains("重新计算期限 2 项") == true)
        }
    }

    @Test("bad calendar input is refused and leaves the year as it was")
    func refusals() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let weekday = try await client.request(
                .put, "/api/v1/calendar/2026",
                json: [
                    "holidays": [[String: String]](), "makeupWorkdays": [["date": "2026-03-04", "name": "无"]],
                ], token: admin)
            #expect(weekday.errorCode == "invalid_calendar")
            let otherYear = try await client.request(
                .put, "/api/v1/calendar/2026",
                json: [
                    "holidays": [["date": "2027-01-01", "name": "元旦"]], "makeupWorkdays": [[String: String]](),
                ], token: admin)
            #expect(otherYear.errorCode == "invalid_calendar")
            let badDate = try await client.request(
                .put, "/api/v1/calendar/2026",
                json: [
                    "holidays": [["date": "2026-02-30", "name": "春节"]], "makeupWorkdays": [[String: String]](),
                ], token: admin)
            #expect(badDate.status == .badRequest)
            #expect(
                try await client.request(.get, "/api/v1/calendar/deadline?from=2026-02-10&workingDays=20")["date"] as? String
                    == "2026-03-16")
            #expect(try await client.request(.get, "/api/v1/calendar/deadline?from=2026-02-10&workingDays=-1").status == .badRequest)
            #expect(try await client.request(.get, "/api/v1/calendar/deadline?from=20260210&workingDays=1").status == .badRequest)
        }
    }
}
