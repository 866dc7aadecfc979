import Foundation
import OpenAPIRuntime
import ServiceLifecycle
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

    func streamNotifications(_ input: Operations.StreamNotifications.Input) async throws -> Operations.StreamNotifications.Output {
        let actor = try admittedActor()
        let department = actor.department
        let resumeAfter = try input.headers.lastEventID.map { header throws(APIError) in
            guard let id = Int64(header), id >= 0 else { throw APIError.badParameter("Last-Event-ID", "Last-Event-ID 须为收到的最后一条通知的编号") }
            return id
        }
        // Subscribe before reading the backlog, so that nothing committed in between is lost; what was already
        // sent is not sent again (ids, not their order: transactions may commit out of id order).
        let live = hub.subscribe(department: department)
        let notifications = notifications
        let (events, continuation) = AsyncStream.makeStream(of: ArraySlice<UInt8>.self)
        let forward = Task {
            continuation.yield(ArraySlice("retry: 3000\n\n".utf8))
            var sent = Set<Int64>()
            // What was missed, a batch at a time, before the live notices. Should the database fail here the stream
            // ends, and the client's reconnection (with its Last-Event-ID) replays it.
            if var cursor = resumeAfter {
                do {
                    while true {
                        let backlog = try await notifications.since(cursor, department: department, limit: 500)
                        for notice in backlog {
                            continuation.yield(ServerSentEvent.encode(notice))
                            sent.insert(notice.id ?? 0)
                        }
                        cursor = backlog.last?.id ?? cursor
                        if backlog.count < 500 { break }
                    }
                } catch {
                    continuation.finish()
                    return
                }
            }
            // The server drains open requests before it stops: streams end there, and clients reconnect elsewhere.
            await withGracefulShutdownHandler {
                for await notice in live where sent.insert(notice.id ?? 0).inserted {
                    continuation.yield(ServerSentEvent.encode(notice))
                    if sent.count > 10_000 { sent = [notice.id ?? 0] }
                }
            } onGracefulShutdown: {
                continuation.finish()
            }
            continuation.finish()
        }
        // Every 15 seconds (`streamKeepAlive`) a comment keeps proxies from closing the stream, and the session is checked: an open
        // stream counts as use of the session, and ends with it (sign-out, disabled user, lifetime reached).
        let tokenHash: String? = if case .session(_, let hash) = RequestScope.current.credentials { hash } else { nil }
        let (sessions, policy, period) = (sessions, signIn, streamKeepAlive)
        let keepAlive = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: period)
                if let tokenHash {
                    do {
                        guard try await sessions.actor(tokenHash: tokenHash, policy: policy) != nil else {
                            continuation.finish()
                            return
                        }
                    } catch {
                        // A database that does not answer now ends nothing; the next check decides.
                    }
                }
                continuation.yield(ArraySlice(": keep-alive\n\n".utf8))
            }
        }
        continuation.onTermination = { _ in
            forward.cancel()
            keepAlive.cancel()
        }
        return .ok(.init(body: .textEventStream(HTTPBody(events, length: .unknown, iterationBehavior: .single))))
    }

    func getCoordinationFigures(_ input: Operations.GetCoordinationFigures.Input) async throws -> Operations.GetCoordinationFigures.Output {
        _ = try admittedActor()
        let figures = try await escalations.figures(now: clock.now)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: figures.map {
                            .init(
                                department: $0.department, callsAddressed: $0.callsAddressed, callsAnswered: $0.callsAnswered,
                                medianResponseHours: $0.medianResponseHours, overdueNow: $0.overdueNow,
                                escalations: .init(additionalProperties: $0.escalations))
                        }))))
    }
}

/// One notification as an SSE event: `id`, `event` (the kind) and `data` (the notification as JSON, on one line).
enum ServerSentEvent {
    static func encode(_ notice: Notice) -> ArraySlice<UInt8> {
        ArraySlice("id: \(notice.id ?? 0)\nevent: \(notice.kind.rawValue)\ndata: \(notice.json)\n\n".utf8)
    }
}

extension Components.Schemas.Notification {
    /// A stored notice (it has its id and time).
    init(_ notice: Notice, read: Bool) throws {
        guard let createdAt = notice.createdAt else { throw StoreError.unexpected("notice \(notice.id ?? 0) has no time") }
        self.init(
            id: notice.id ?? 0, department: notice.department, kind: try .init(code: notice.kind.rawValue),
            title: notice.title, subjectType: try .init(code: notice.subjectType.rawValue), subjectId: notice.subjectID,
            createdAt: createdAt, read: read)
    }
}
