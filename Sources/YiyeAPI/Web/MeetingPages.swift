import Foundation
import Hummingbird
import YiyeContract
import YiyeCore

/// 议事会商 pages: the meetings a department convened or is invited to, the form that convenes one, and a meeting
/// with its minutes (written, amended with a reason, finalized once) and its action items (assigned by the convener,
/// completed by their owner). Each runs the API's operation of the same name.
extension WebPages {
    func registerMeetingPages(on router: Router<YiyeRequestContext>) {
        router.get("/meetings") { request, _ in try await meetingsPage(request) }
        router.get("/meetings/new") { request, _ in
            try await view(request, "convokeMeeting") { try await newMeetingPage(request, $0) }
        }
        router.post("/meetings") { request, _ in try await convokeMeeting(request) }
        router.get("/meetings/{id}") { request, context in
            try await view(request, "getMeeting") { try await meetingPage(request, $0, id: try Self.pathID(context, "会商")) }
        }
        router.post("/meetings/{id}/minutes") { request, context in
            let id = try Self.pathID(context, "会商")
            return try await meetingStep(request, "writeMinutes", id: id) { form, _ in
                _ = try await handlers.writeMinutes(
                    .init(
                        path: .init(id: id),
                        body: .json(
                            .init(
                                attendees: form.all("attendees"), content: form["content"] ?? "", decisions: Self.lines(form["decisions"]),
                                amendmentReason: form["amendmentReason"]))))
            }
        }
        router.post("/meetings/{id}/minutes/finalization") { request, context in
            let id = try Self.pathID(context, "会商")
            return try await meetingStep(request, "finalizeMinutes", id: id) { _, _ in
                _ = try await handlers.finalizeMinutes(.init(path: .init(id: id)))
            }
        }
        router.post("/meetings/{id}/action-items") { request, context in
            let id = try Self.pathID(context, "会商")
            return try await meetingStep(request, "addActionItem", id: id) { form, _ in
                _ = try await handlers.addActionItem(
                    .init(
                        path: .init(id: id),
                        body: .json(.init(description: form["description"] ?? "", owner: form["owner"] ?? "", due: form["due"] ?? ""))))
            }
        }
        // An action item lives on its meeting's page.
        router.get("/action-items/{id}") { request, context in
            try await view(request, "getMeeting") { _ in
                let id = try Self.pathID(context, "议定事项")
                guard let item = try await handlers.meetings.actionItem(id) else { throw APIError.notFound("议定事项") }
                return Response.redirect(to: "/meetings/\(item.meetingID)#item-\(id)", type: .normal)
            }
        }
        router.post("/action-items/{id}/completion") { request, context in
            let id = try Self.pathID(context, "议定事项")
            return try await submit(request, "completeActionItem", back: "/action-items/\(id)") { form, _ in
                guard
                    case .ok(let answer) = try await handlers.completeActionItem(
                        .init(path: .init(id: id), body: .json(.init(note: form["note"] ?? "")))),
                    case .json(let item) = answer.body
                else { throw APIError.internal }
                return Response.redirect(to: "/meetings/\(item.meetingId)#item-\(id)", type: .normal)
            } refused: { _, error in
                // Shown on the item's meeting when the user sees it, else as the refusal it is.
                guard let item = try await handlers.meetings.actionItem(id) else { return try refusal(error) }
                return try await meetingPage(request, try handlers.admittedActor(), id: item.meetingID, error: error, status: error.status)
            }
        }
    }

    /// A textarea's non-empty lines.
    static func lines(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func meetingsPage(_ request: Request) async throws -> Response {
        try await view(request, "listMeetings") { actor in
            let cursor = request.uri.queryParameters.get("cursor")
            guard case .ok(let answer) = try await handlers.listMeetings(.init(query: .init(limit: 50, cursor: cursor))),
                case .json(let meetings) = answer.body
            else { throw APIError.internal }
            let (names, industries) = (try await handlers.departments.names(), try await industryNames())
            var context = try await frame(request, actor, title: "议事会商", current: "meetings")
            context["mayConvoke"] = actor.has(.coordinate) && actor.departmentKind == .regulator
            context["meetings"] = meetings.items.map { meeting -> [String: Any] in
                [
                    "id": meeting.id, "title": meeting.title, "industry": industries[meeting.industry] ?? meeting.industry,
                    "kind": Meeting.Kind(rawValue: meeting.kind.rawValue)?.label ?? "", "startsAt": PageText.time(meeting.startsAt),
                    "convenedBy": names[name: DepartmentCode(meeting.convenedBy)],
                    "minutes": meeting.minutes?.last.map { $0.final ? "纪要已定稿" : "纪要草稿" } ?? "暂无纪要",
                ]
            }
            context["next"] = meetings.nextCursor.map { "/meetings?cursor=" + $0 }
            return page("meetings", context, status: .ok)
        }
    }

    func newMeetingPage(
        _ request: Request, _ actor: Actor, form: WebForm? = nil, error: APIError? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var context = try await frame(request, actor, title: "召集会商", current: "meetings")
        let (industries, chosen) = try await industryChoice(request, actor, form: form)
        context["industries"] = industries
        context["error"] = Self.formError(error, fields: ["industry", "title", "startsAt", "location", "agenda", "invitees"])
        if let industry = chosen, let departments = industry.departments {
            let names = try await handlers.departments.names()
            let invitable = ([departments.originator] + departments.participants).filter { $0 != actor.department }
            let invited = Set(form?.all("invitees") ?? invitable.map(\.rawValue))
            context["industry"] = [
                "code": industry.code, "name": industry.name,
                "departments": invitable.map { ["code": $0.rawValue, "name": names[name: $0], "checked": invited.contains($0.rawValue)] },
                "title": form?["title"] ?? "", "startsAt": form?["startsAt"] ?? "", "location": form?["location"] ?? "",
                "agenda": form?["agenda"] ?? "",
            ]
        }
        return page("meeting-new", context, status: status)
    }

    func convokeMeeting(_ request: Request) async throws -> Response {
        try await submit(request, "convokeMeeting", back: "/meetings/new") { form, _ in
            guard let startsAt = form["startsAt"].flatMap(PageText.chinaTime) else {
                throw APIError.badParameter("startsAt", "请填写会商时间")
            }
            let input = Components.Schemas.MeetingInput(
                industry: form["industry"] ?? "", kind: .adHoc, title: form["title"] ?? "", agenda: Self.lines(form["agenda"]),
                startsAt: startsAt, location: form["location"], invitees: form.all("invitees"))
            guard case .created(let answer) = try await handlers.convokeMeeting(.init(body: .json(input))),
                case .json(let meeting) = answer.body
            else { throw APIError.internal }
            return Response.redirect(to: "/meetings/\(meeting.id)", type: .normal)
        } refused: { form, error in
            try await newMeetingPage(request, try handlers.admittedActor(), form: form, error: error, status: error.status)
        }
    }

    /// A step on the meeting (minutes, an action item), then back to it; a refusal shows on it.
    private func meetingStep(_ request: Request, _ operation: String, id: Int64, _ step: (WebForm, Actor) async throws -> Void) async throws
        -> Response
    {
        try await self.step(
            request, operation, returningTo: "/meetings/\(id)",
            show: { try await meetingPage(request, $0, id: id, error: $1, status: $1.status) }, step)
    }

    func meetingPage(
        _ request: Request, _ actor: Actor, id: Int64, error: APIError? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard case .ok(let answer) = try await handlers.getMeeting(.init(path: .init(id: id))), case .json(let meeting) = answer.body
        else { throw APIError.internal }
        let (names, industries) = (try await handlers.departments.names(), try await industryNames())
        let convener = meeting.convenedBy == actor.department.rawValue && actor.has(.coordinate)
        let latest = meeting.minutes?.last
        var context = try await frame(request, actor, title: meeting.title, current: "meetings")
        let departments = [meeting.convenedBy] + meeting.invitees
        context["meeting"] = [
            "id": meeting.id, "title": meeting.title, "industry": industries[meeting.industry] ?? meeting.industry,
            "kind": Meeting.Kind(rawValue: meeting.kind.rawValue)?.label ?? "", "startsAt": PageText.time(meeting.startsAt),
            "location": meeting.location, "convenedBy": names[name: DepartmentCode(meeting.convenedBy)],
            "invitees": meeting.invitees.map { names[name: DepartmentCode($0)] }.joined(separator: "、"),
            "agenda": meeting.agenda, "hasAgenda": !meeting.agenda.isEmpty,
        ]
        if let latest {
            context["minutes"] = [
                "version": latest.version, "final": latest.final, "content": latest.content, "decisions": latest.decisions,
                "attendees": latest.attendees.map { names[name: DepartmentCode($0)] }.joined(separator: "、"),
                "state": latest.final ? "已定稿（\(latest.finalizedAt.map(PageText.time) ?? "")）" : "草稿",
            ]
        }
        // The convener drafts version 1 freely; a finalized version is amended as the next one, with the reason, as
        // is any draft after the first (Minutes.draft).
        if convener {
            let attended = Set(latest?.attendees ?? departments)
            context["writeMinutes"] = [
                "attendees": departments.map { ["code": $0, "name": names[name: DepartmentCode($0)], "checked": attended.contains($0)] },
                "content": latest?.content ?? "", "decisions": (latest?.decisions ?? []).joined(separator: "\n"),
                "amending": latest.map { $0.final || $0.version > 1 } ?? false,
            ]
            if let latest, !latest.final { context["finalizable"] = true }
        }
        context["items"] = (meeting.actionItems ?? []).map { item -> [String: Any] in
            [
                "id": item.id, "description": item.description, "owner": names[name: DepartmentCode(item.owner)],
                "due": PageText.day(item.due), "overdue": item.overdue,
                "status": item.status == .done ? "已完成：\(item.completionNote)" : item.overdue ? "已逾期" : "办理中",
                "completable": item.status == .open && item.owner == actor.department.rawValue && actor.has(.coordinate),
            ]
        }
        if convener {
            context["addItem"] = ["owners": departments.map { ["code": $0, "name": names[name: DepartmentCode($0)]] }]
        }
        context["error"] = Self.formError(error, fields: ["content", "amendmentReason", "description", "owner", "due", "note"])
        return page("meeting", context, status: status)
    }
}
