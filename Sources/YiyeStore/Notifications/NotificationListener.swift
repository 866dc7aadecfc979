import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import YiyeCore

/// LISTENs for the notifications any instance commits and hands them to this instance's hub. When the connection
/// drops it listens again after a pause; at shutdown it closes the hub, which ends every open stream.
public struct NotificationListener: Service {
    public static let channel = "yiye_notifications"

    let client: PostgresClient
    let hub: NoticeHub
    let gate: StartupGate
    let logger: Logger

    public init(client: PostgresClient, hub: NoticeHub, gate: StartupGate, logger: Logger) {
        self.client = client
        self.hub = hub
        self.gate = gate
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await gate.wait()
            // The newest notification handed on; after listening again, what was committed meanwhile is handed on
            // first (streams skip what they already sent).
            var newest: Int64?
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: Self.channel) { notifications in
                            if let after = newest {
                                for notice in try await NotificationRepository.after(after, on: connection, logger: logger) {
                                    hub.publish(notice)
                                    newest = max(newest ?? 0, notice.id ?? 0)
                                }
                            } else {
                                // The first time: where the table stands.
                                newest = try await NotificationRepository.newest(on: connection, logger: logger)
                            }
                            for try await notification in notifications {
                                guard let notice = Self.decode(notification.payload) else {
                                    logger.warning("unreadable notification payload", metadata: ["payload": "\(notification.payload)"])
                                    continue
                                }
                                hub.publish(notice)
                                newest = max(newest ?? 0, notice.id ?? 0)
                            }
                        }
                    }
                } catch  where !Task.isCancelled {
                    logger.warning("notification listener lost its connection; listening again", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                } catch {}
            }
        }
        hub.close()
    }

    /// The trigger's JSON: the notification's columns, `createdAt` in seconds since 1970.
    static func decode(_ payload: String) -> Notice? {
        struct Payload: Decodable {
            var id: Int64, department: DepartmentCode, kind: String, title: String, subjectType: String, subjectId: Int64, createdAt: Double
        }
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(payload.utf8)),
            let kind = Notice.Kind(rawValue: payload.kind), let subject = Notice.Subject(rawValue: payload.subjectType)
        else { return nil }
        return Notice(
            id: payload.id, department: payload.department, kind: kind, title: payload.title, subjectType: subject,
            subjectID: payload.subjectId, createdAt: Date(timeIntervalSince1970: payload.createdAt))
    }
}
