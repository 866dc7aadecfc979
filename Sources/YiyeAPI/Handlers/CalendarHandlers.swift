import YiyeContract
import YiyeCore

/// `/api/v1/calendar`: the working-day calendar every deadline is counted on.
extension APIHandlers {
    func getCalendarYear(_ input: Operations.GetCalendarYear.Input) async throws -> Operations.GetCalendarYear.Output {
        guard let year = try await calendar.year(input.path.year) else { throw APIError.notFound("\(input.path.year) 年的工作日历") }
        return .ok(.init(body: .json(.init(year))))
    }

    func replaceCalendarYear(_ input: Operations.ReplaceCalendarYear.Input) async throws -> Operations.ReplaceCalendarYear.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let year = WorkingCalendar.Year(
            year: input.path.year,
            holidays: try Self.days(body.holidays, field: "holidays"),
            makeupWorkdays: try Self.days(body.makeupWorkdays, field: "makeupWorkdays")
        )
        try year.validate()
        let recounted = try await calendar.replace(
            year,
            audit: entry(
                actor, "calendar.replace", "calendar_year", String(year.year),
                details: "假日 \(year.holidays.count) 天，调休上班 \(year.makeupWorkdays.count) 天"
            ))
        var answer = Components.Schemas.CalendarYear(year)
        answer.recounted = try recounted.map {
            .init(
                subjectType: try .init(code: $0.subject.rawValue), subjectId: $0.subjectID, department: $0.department.rawValue,
                before: $0.before.description, after: $0.after.description)
        }
        return .ok(.init(body: .json(answer)))
    }

    func getDeadline(_ input: Operations.GetDeadline.Input) async throws -> Operations.GetDeadline.Output {
        guard let start = CalendarDate(input.query.from) else { throw APIError.badParameter("from", "日期格式须为 YYYY-MM-DD") }
        let count = input.query.workingDays
        let (end, provisional) = try await calendar.deadline(WorkingDayCount(from: start, workingDays: count))
        return .ok(.init(body: .json(.init(from: input.query.from, workingDays: count, date: end.description, provisional: provisional))))
    }

    private static func days(_ days: [Components.Schemas.CalendarDay], field: String) throws -> [CalendarDate: String] {
        var result: [CalendarDate: String] = [:]
        for day in days {
            guard let date = CalendarDate(day.date) else { throw APIError.badParameter(field, "日期格式须为 YYYY-MM-DD：\(day.date)") }
            guard result.updateValue(day.name, forKey: date) == nil else {
                throw DomainError(.invalidCalendar, "日期 \(day.date) 重复", field: field)
            }
            try Validation.name(day.name, field: field)
        }
        return result
    }
}

extension Components.Schemas.CalendarYear {
    init(_ year: WorkingCalendar.Year) {
        func list(_ days: [CalendarDate: String]) -> [Components.Schemas.CalendarDay] {
            days.sorted { $0.key < $1.key }.map { .init(date: $0.key.description, name: $0.value) }
        }
        self.init(year: year.year, holidays: list(year.holidays), makeupWorkdays: list(year.makeupWorkdays))
    }
}
