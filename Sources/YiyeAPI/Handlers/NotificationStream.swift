import AsyncAlgorithms
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import YiyeCore
import YiyeStore

/// `GET /api/v1/notifications/stream` (operation `streamNotifications` of the spec): the caller's department's
/// notifications as Server-Sent Events, served by a Hummingbird route with a response body writer, so that a slow
/// client slows the writer instead of filling memory.
///
/// It sends what was missed since `Last-Event-ID` first, then each notice as it is committed on any instance, and
/// every `keepAlive` a comment that keeps proxies from closing the stream. The keep-alive also checks the session: an
/// open stream counts as use of it, and ends with it (sign-out, disabled user, lifetime reached). The stream ends on
/// graceful shutdown, and clients reconnect elsewhere with their `Last-Event-ID`.
struct NotificationStream: Sendable {
    static let path = "/api/v1/notifications/stream"
    static let operationID = "streamNotifications"
    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    let notifications: NotificationRepository
    let sessions: SessionRepository
    let hub: NoticeHub
    let audit: AuditTrail
    let keepAlive: Duration
    let policy: SignInPolicy

    func respond(to request: Request) async throws -> Response {
        guard let actor = try await AccessMiddleware.admit(Self.operationID, audit: audit) else { throw APIError.internal }
        let resumeAfter = try request.headers[Self.lastEventID].map { header throws(APIError) in
            guard header.count <= 19, let id = Int64(header), id >= 0 else {
                throw APIError.badParameter("Last-Event-ID", "Last-Event-ID 须为收到的最后一条通知的编号")
            }
            return id
        }
        let tokenHash: String? = if case .session(_, let hash) = RequestScope.current.credentials { hash } else { nil }
        // Subscribed before the backlog is read, so that nothing committed in between is lost; what was already sent
        // is not sent again (by id: transactions may commit out of id order).
        let live = hub.subscribe(department: actor.department)
        let (notifications, sessions, policy, period) = (notifications, sessions, policy, keepAlive)
        let department = actor.department
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
            var sent = Set<Int64>()
            if var cursor = resumeAfter {
                while true {
                    let backlog = try await notifications.since(cursor, department: department, limit: 500)
                    for notice in backlog {
                        try await writer.write(Self.event(notice))
                        sent.insert(notice.id ?? 0)
                    }
                    cursor = backlog.last?.id ?? cursor
                    if backlog.count < 500 { break }
                }
            }
            let ticks = AsyncTimerSequence(interval: period, clock: .continuous).map { _ in Tick.keepAlive }
            events: for await tick in merge(live.map(Tick.notice), ticks).cancelOnGracefulShutdown() {
                switch tick {
                case .notice(let notice):
                    guard sent.insert(notice.id ?? 0).inserted else { continue }
                    if sent.count > 10_000 { sent = [notice.id ?? 0] }
                    try await writer.write(Self.event(notice))
                case .keepAlive:
                    if let tokenHash {
                        let ended: Bool
                        do {
                            ended = try await sessions.actor(tokenHash: tokenHash, policy: policy) == nil
                        } catch {
                            ended = false  // A database that does not answer now ends nothing; the next check decides.
                        }
                        if ended { break events }
                    }
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    private enum Tick: Sendable {
        case notice(Notice)
        case keepAlive
    }

    /// One notification as an SSE event: `id`, `event` (the kind) and `data` (the notification as JSON, on one line).
    static func event(_ notice: Notice) -> ByteBuffer {
        ByteBuffer(string: "id: \(notice.id ?? 0)\nevent: \(notice.kind.rawValue)\ndata: \(notice.json)\n\n")
    }
}
