import Testing

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

    @Test("a deadline in a year not entered is refused; once the office enters it, it counts")
    func missingYear() async throws {
        try await withApp { client in
            let refused = try await client.request(.get, "/api/v1/calendar/deadline?from=2026-12-20&workingDays=20")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorCode == "invalid_calendar")

            let year2027: [String: Any] = [
                "holidays": [["date": "2027-01-01", "name": "元旦"]],
                "makeupWorkdays": [[String: String]](),
            ]
            let inspector = try await client.signIn("samr.dept_admin")
            #expect(try await client.request(.put, "/api/v1/calendar/2027", json: year2027, token: inspector).status == .forbidden)
            let admin = try await client.signIn("office.office_admin")
            let stored = try await client.request(.put, "/api/v1/calendar/2027", json: year2027, token: admin)
            #expect(stored.status == .ok)
            let counted = try await client.request(.get, "/api/v1/calendar/deadline?from=2026-12-30&workingDays=2")
            #expect(counted["date"] as? String == "2027-01-04")
        }
    }

    @Test("bad calendar input is refused and leaves the year as it was")
    func refusals() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let weekday = try await client.request(.put, "/api/v1/calendar/2026", json: [
                "holidays": [[String: String]](), "makeupWorkdays": [["date": "2026-03-04", "name": "无"]],
            ], token: admin)
            #expect(weekday.errorCode == "invalid_calendar")
            let otherYear = try await client.request(.put, "/api/v1/calendar/2026", json: [
                "holidays": [["date": "2027-01-01", "name": "元旦"]], "makeupWorkdays": [[String: String]](),
            ], token: admin)
            #expect(otherYear.errorCode == "invalid_calendar")
            let badDate = try await client.request(.put, "/api/v1/calendar/2026", json: [
                "holidays": [["date": "2026-02-30", "name": "春节"]], "makeupWorkdays": [[String: String]](),
            ], token: admin)
            #expect(badDate.status == .badRequest)
            #expect(try await client.request(.get, "/api/v1/calendar/deadline?from=2026-02-10&workingDays=20")["date"] as? String == "2026-03-16")
            #expect(try await client.request(.get, "/api/v1/calendar/deadline?from=2026-02-10&workingDays=-1").status == .badRequest)
            #expect(try await client.request(.get, "/api/v1/calendar/deadline?from=20260210&workingDays=1").status == .badRequest)
        }
    }
}
