import Foundation
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/meetings`: 议事会商 convened by an industry's originator, their minutes (versions; finalized ones
/// never change) and action items. A department sees the meetings it convenes or is invited to; the office all.
extension APIHandlers {
    func listMeetings(_ input: Operations.ListMeetings.Input) async throws -> Operations.ListMeetings.Output {
        let actor = try admittedActor()
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let fetched = try await meetings.list(
            department: actor.viewpoint, industry: input.query.industry,
            after: try page.numericCursor(), limit: page.limit + 1)
        let (items, next) = page.page(fetched) { String($0.id ?? 0) }
        return .ok(
            .init(
                body: .json(
                    .init(items: try items.map { try .init($0, minutes: nil, actionItems: nil, today: clock.today) }, nextCursor: next))))
    }

    func convokeMeeting(_ input: Operations.ConvokeMeeting.Input) async throws -> Operations.ConvokeMeeting.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let departments = try await industryDepartments(body.industry, actor: actor)
        let meeting = Meeting(
            industry: body.industry, kind: try .init(code: body.kind.rawValue), title: body.title, agenda: body.agenda ?? [],
            startsAt: body.startsAt, location: body.location ?? "", convenedBy: actor.department, invitees: body.invitees.departmentCodes,
            taskIDs: (body.taskIds ?? []).map { TaskID($0) }, callIDs: body.callIds ?? [], clueIDs: body.clueIds ?? []
        )
        try meeting.validate(departments: departments)
        guard try await meetings.linksBelong(to: meeting.industry, tasks: meeting.taskIDs, calls: meeting.callIDs, clues: meeting.clueIDs)
        else {
            throw DomainError(.invalidValue, "关联的任务、吹哨或线索须属于本行业", field: "links")
        }
        let ids = try await meetings.create(
            [meeting], audit: entry(actor, "meeting.convoke", "meeting", meeting.industry, details: meeting.title),
            names: try await self.departments.names())
        return .created(.init(body: .json(try await meetingSchema(ids[0]))))
    }

    func scheduleMeetings(_ input: Operations.ScheduleMeetings.Input) async throws -> Operations.ScheduleMeetings.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let departments = try await industryDepartments(body.industry, actor: actor)
        let months =
            switch body.frequency {
            case .monthly: 1
            case .quarterly: 3
            case .halfYearly: 6
            }
        let scheduled = try Meeting.regularSchedule(
            industry: body.industry, year: body.year, everyMonths: months, title: body.title ?? "联席会商", location: body.location ?? "",
            convenedBy: actor.department, invitees: body.invitees?.departmentCodes ?? departments.participants, departments: departments,
            calendar: try await calendar.calendar(covering: [body.year])
        )
        let ids = try await meetings.create(
            scheduled,
            audit: entry(
                actor, "meeting.schedule", "meeting", body.industry,
                details: "\(body.year)年 \(scheduled.count) 次"),
            names: try await self.departments.names())
        var items: [Components.Schemas.Meeting] = []
        for id in ids { items.append(try await meetingSchema(id)) }
        return .created(.init(body: .json(.init(items: items))))
    }

    func getMeeting(_ input: Operations.GetMeeting.Input) async throws -> Operations.GetMeeting.Output {
        let actor = try admittedActor()
        _ = try await visibleMeeting(input.path.id, to: actor)
        return .ok(.init(body: .json(try await meetingSchema(input.path.id))))
    }

    func writeMinutes(_ input: Operations.WriteMinutes.Input) async throws -> Operations.WriteMinutes.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let meeting = try await convenedMeeting(input.path.id, by: actor)
        let text = Minutes(
            version: 0, attendees: (body.attendees ?? []).departmentCodes, content: body.content, decisions: body.decisions ?? [],
            amendmentReason: body.amendmentReason ?? "", writtenBy: actor.username)
        _ = try await meetings.writeMinutes(input.path.id, audit: entry(actor, "meeting.minutes", "meeting", String(input.path.id))) {
            try Minutes.draft(text, after: $0, of: meeting)
        }
        return .ok(.init(body: .json(try await meetingSchema(input.path.id))))
    }

    func finalizeMinutes(_ input: Operations.FinalizeMinutes.Input) async throws -> Operations.FinalizeMinutes.Output {
        let actor = try admittedActor()
        _ = try await convenedMeeting(input.path.id, by: actor)
        let username = actor.username
        _ = try await meetings.writeMinutes(input.path.id, audit: entry(actor, "meeting.finalize", "meeting", String(input.path.id))) {
            try Minutes.finalize($0, by: username, at: clock.now)
        }
        return .ok(.init(body: .json(try await meetingSchema(input.path.id))))
    }

    func addActionItem(_ input: Operations.AddActionItem.Input) async throws -> Operations.AddActionItem.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let meeting = try await convenedMeeting(input.path.id, by: actor)
        guard let due = CalendarDate(body.due) else { throw APIError.badParameter("due", "日期格式须为 YYYY-MM-DD") }
        let item = ActionItem(meetingID: input.path.id, description: body.description, owner: DepartmentCode(body.owner), due: due)
        try item.validate(in: meeting, today: clock.today, calendar: try await calendar.calendar(covering: [due.year]))
        _ = try await meetings.addActionItem(
            item, meetingTitle: meeting.title,
            audit: entry(actor, "meeting.action_item", "meeting", String(input.path.id), details: item.owner.rawValue))
        return .created(.init(body: .json(try await meetingSchema(input.path.id))))
    }

    func completeActionItem(_ input: Operations.CompleteActionItem.Input) async throws -> Operations.CompleteActionItem.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        guard let item = try await meetings.actionItem(input.path.id) else { throw APIError.notFound("议定事项") }
        _ = try await visibleMeeting(item.meetingID, to: actor)
        let (department, username) = (actor.department, actor.username)
        let done = try await meetings.updateActionItem(
            input.path.id,
            audit: entry(
                actor, "meeting.action_item.complete", "action_item",
                String(input.path.id))
        ) {
            try $0.complete(by: department, actor: username, note: body.note, at: clock.now)
        }
        return .ok(.init(body: .json(try .init(done, today: clock.today))))
    }

    private func meetingSchema(_ id: Int64) async throws -> Components.Schemas.Meeting {
        guard let meeting = try await meetings.find(id) else { throw APIError.notFound("议事会商") }
        return try .init(
            meeting, minutes: try await meetings.minutes(id), actionItems: try await meetings.actionItems(meeting: id), today: clock.today)
    }
}

extension Components.Schemas.Meeting {
    init(_ meeting: Meeting, minutes: [Minutes]?, actionItems: [ActionItem]?, today: CalendarDate) throws {
        self.init(
            id: meeting.id ?? 0, industry: meeting.industry, kind: try .init(code: meeting.kind.rawValue), title: meeting.title,
            agenda: meeting.agenda, startsAt: meeting.startsAt, location: meeting.location, convenedBy: meeting.convenedBy.rawValue,
            invitees: meeting.invitees.codes, taskIds: meeting.taskIDs.map(\.rawValue), callIds: meeting.callIDs, clueIds: meeting.clueIDs,
            minutes: minutes?.map {
                .init(
                    version: $0.version, attendees: $0.attendees.codes, content: $0.content, decisions: $0.decisions,
                    amendmentReason: $0.amendmentReason, writtenBy: $0.writtenBy, final: $0.isFinal, finalizedBy: $0.finalizedBy,
                    finalizedAt: $0.finalizedAt)
            },
            actionItems: try actionItems?.map { try .init($0, today: today) }
        )
    }
}

extension Components.Schemas.ActionItem {
    init(_ item: ActionItem, today: CalendarDate) throws {
        self.init(
            id: item.id ?? 0, meetingId: item.meetingID, description: item.description, owner: item.owner.rawValue,
            due: item.due.description,
            status: try .init(code: item.status.rawValue), completionNote: item.completionNote, completedBy: item.completedBy,
            completedAt: item.completedAt, overdue: item.isOverdue(on: today))
    }
}
