import Foundation
import Testing
import YiyeContract
import YiyeCore

@Suite("Working-day calendar API, with the shipped 2025 and 2026 data")
struct CalendarAPITests {
    @Test("2026 as shipped: the Spring Festival make-up Saturdays are working days")
    func shipped2026() async throws {
        try await withApp(demo: false) { client in
            let year = try await client.get("/api/v1/calendar/2026", as: Schemas.CalendarYear.self)
            let makeup = year.makeupWorkdays.map(\.date)
            #expect(makeup.contains("2026-02-14"))
            #expect(makeup.contains("2026-02-28"))
            #expect(year.holidays.contains { $0.date == "2026-02-17" && $0.name == "春节" })
            #expect(try await client.request(.get, "/api/v1/calendar/2025").status == .ok)
            #expect(try await client.request(.get, "/api/v1/calendar/2030").status == .notFound)
        }
    }

    @Test("20 working days from 2026-02-10 across the Spring Festival end on 2026-03-16")
    func deadline() async throws {
        try await withApp(demo: false) { client in
            func deadline(from: String, _ days: Int) async throws -> String {
                try await client.get("/api/v1/calendar/deadline?from=\(from)&workingDays=\(days)", as: Schemas.Deadline.self).date
            }
            let springFestival = try await deadline(from: "2026-02-10", 20)
            let nationalDay = try await deadline(from: "2026-09-28", 5)
            let acrossYear = try await deadline(from: "2025-12-30", 5)
            #expect(springFestival == "2026-03-16")
            #expect(nationalDay == "2026-10-10")
            #expect(acrossYear == "2026-01-07")
        }
    }

    @Test("a year not entered counts weekends and fixed holidays, provisionally, and the office is asked for it once")
    func provisionalYear() async throws {
        try await withApp { client in
            // From Sunday 2026-12-20: 9 working days to 31 December, 1 January off, then 5 + 5 + 1: Monday 18 January 2027.
            let provisional = try await client.get("/api/v1/calendar/deadline?from=2026-12-20&workingDays=20", as: Schemas.Deadline.self)
            #expect(provisional.date == "2027-01-18")
            #expect(provisional.provisional)
            #expect(
                !(try await client.get("/api/v1/calendar/deadline?from=2026-12-20&workingDays=5", as: Schemas.Deadline.self).provisional))
            _ = try await client.request(.get, "/api/v1/calendar/deadline?from=2026-12-21&workingDays=20")
            let admin = try await client.signIn("office.office_admin")
            let asked = try await client.get("/api/v1/notifications", token: admin, as: Schemas.NotificationPage.self).items
                .filter { $0.kind == .calendarNeeded }
            #expect(asked.map(\.subjectId) == [2027], "asked once for 2027")
            #expect(try await client.request(.get, "/api/v1/calendar/2027").status == .notFound, "a provisional year is not an entered one")
        }
    }

    @Test("entering a year counts the open deadlines over it again, tells the departments and audits it")
    func enteringYearRecounts() async throws {
        try await withApp { client in
            // A call due in 60 working days lands in a year not entered, whatever today is (from late 2026 on).
            let commerce = try await client.signIn("commerce.dept_head")
            var body = CallAPITests.call
            body["deadlineWorkingDays"] = 60
            let call = try await client.request(.post, "/api/v1/calls", json: body, token: commerce).decode(Schemas.Call.self)
            #expect(call.deadlineProvisional == true)
            let due = CalendarDate(chinaDateOf: call.deadline)
            // The office enters that year: the fixed holidays as counted, and the call's last day a holiday too, so the
            // deadline moves to the next working day.
            let fixed = WorkingCalendar.Year.provisional(due.year).holidays.map { ["date": $0.key.description, "name": $0.value] }
            let year: [String: Any] = [
                "holidays": fixed + [["date": due.description, "name": "春节"]], "makeupWorkdays": [[String: String]](),
            ]
            let admin = try await client.signIn("office.office_admin")
            let entered = try await client.request(.put, "/api/v1/calendar/\(due.year)", json: year, token: admin)
            #expect(entered.status == .ok)
            let recounted = try entered.decode(Schemas.CalendarYear.self).recounted ?? []
            #expect(Set(recounted.map(\.department)) == ["fire", "samr"])
            #expect(recounted.allSatisfy { $0.subjectType == .call && $0.subjectId == call.id && $0.before == due.description })
            let next = try await client.get("/api/v1/calendar/deadline?from=\(due.description)&workingDays=1", as: Schemas.Deadline.self)
                .date
            #expect(recounted.first?.after == next)
            let moved = try await client.get("/api/v1/calls/\(call.id)", token: commerce, as: Schemas.Call.self)
            #expect(CalendarDate(chinaDateOf: moved.deadline).description == next)
            let thisYear = CalendarDate(chinaDateOf: Date()).year
            #expect(
                moved.deadlineProvisional == !(thisYear <= 2026 || thisYear == due.year),
                "provisional only while a year it was counted over is still missing")
            let fire = try await client.signIn("fire.dept_admin")
            let told = try await client.get("/api/v1/notifications", token: fire, as: Schemas.NotificationPage.self).items
                .filter { $0.kind == .deadlineRecounted }
            #expect(told.count == 1)
            #expect(told.first?.title.contains("调整为") == true)
            let audit = try await client.get(
                "/api/v1/audit?objectType=calendar_year&objectId=\(due.year)", token: admin, as: Schemas.AuditPage.self)
            #expect(audit.items.first?.details.contains("重新计算期限 2 项") == true)
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
                try await client.get("/api/v1/calendar/deadline?from=2026-02-10&workingDays=20", as: Schemas.Deadline.self).date
                    == "2026-03-16")
            #expect(try await client.request(.get, "/api/v1/calendar/deadline?from=2026-02-10&workingDays=-1").status == .badRequest)
            #expect(try await client.request(.get, "/api/v1/calendar/deadline?from=20260210&workingDays=1").status == .badRequest)
        }
    }
}
