import Foundation
import OpenAPIRuntime
import ServiceLifecycle
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/notifications`: the department's inbox with each user's read state, and its live stream (SSE) fed by
/// PostgreSQL NOTIFY through this instance's hub.
extension APIHandlers {
    func listNotifications(_ input: Operations.ListNotifications.Input) async throws -> Operations.ListNotifications.Output {
        let actor = try admittedActor()
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let fetched = try await notifications.inbox(
            department: actor.department, user: actor.userID, unreadOnly: input.query.unread ?? false,
            before: try page.numericCursor(), limit: page.limit + 1)
        let (items, next) = page.page(fetched) { String($0.notice.id ?? 0) }
        let unread = try await notifications.unreadCount(department: actor.department, user: actor.userID)
        return .ok(
            .init(body: .json(.init(items: try items.map { try .init($0.notice, read: $0.read) }, nextCursor: next, unreadCount: unread))))
    }

    func markNotificationRead(_ input: Operations.MarkNotificationRead.Input) async throws -> Operations.MarkNotificationRead.Output {
        let actor = try admittedActor()
        guard try await notifications.markRead(input.path.id, department: actor.department, user: actor.userID) else {
            throw APIError.notFound("通知")
        }
        return .noContent(.init())
    }

    func markAllNotificationsRead(_ input: Operations.MarkAllNotificationsRead.Input) async throws
        -> Operations.MarkAllNotificationsRead.Output
    {
        let actor = try admittedActor()
        let marked = try await notifications.markAllRead(department: actor.department, user: actor.userID)
        return .ok(.init(body: .json(.init(marked: marked))))
    }

    func getCoordinationFigures(_ input: Operations.GetCoordinationFigures.Input) async throws -> Operations.GetCoordinationFigures.Output {
        let actor = try admittedActor()
        // As on the dashboard: the office sees every department's row, a department its own.
        let figures = try await escalations.figures(now: clock.now).filter { actor.sees(DashboardKey(department: $0.department)) }
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: figures.map {
                            .init(
                                department: $0.department.rawValue, callsAddressed: $0.callsAddressed, callsAnswered: $0.callsAnswered,
                                medianResponseHours: $0.medianResponseHours, overdueNow: $0.overdueNow,
                                escalations: .init(additionalProperties: $0.escalations))
                        }))))
    }
}

extension Components.Schemas.Notification {
    /// A stored notice (it has its id and time).
    init(_ notice: Notice, read: Bool) throws {
        guard let createdAt = notice.createdAt else { throw StoreError.unexpected("notice \(notice.id ?? 0) has no time") }
        self.init(
            id: notice.id ?? 0, department: notice.department.rawValue, kind: try .init(code: notice.kind.rawValue),
            title: notice.title, subjectType: try .init(code: notice.subjectType.rawValue), subjectId: notice.subjectID,
            createdAt: createdAt, read: read)
    }
}
