import AsyncHTTPClient
import Foundation
import NIOCore

/// One Server-Sent Event as a client sees it.
struct ReceivedEvent: Sendable {
    var id: Int64
    var event: String
    var data: [String: String]
}

/// A real streaming HTTP client on `/api/v1/notifications/stream`: opens the stream, runs `action` once the
/// response headers arrived (the server has subscribed by then), and returns the first `count` events, failing
/// after `timeout`.
func receiveEvents(
    port: Int, token: String, lastEventID: Int64? = nil, count: Int, timeout: Duration = .seconds(15),
    whileOpen action: @escaping @Sendable () async throws -> Void = {}
) async throws -> [ReceivedEvent] {
    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/notifications/stream")
    request.headers.add(name: "Authorization", value: "Bearer \(token)")
    if let lastEventID { request.headers.add(name: "Last-Event-ID", value: String(lastEventID)) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    guard response.status == .ok, response.headers.first(name: "content-type")?.hasPrefix("text/event-stream") == true else {
        throw TestFailure("stream answered \(response.status) \(response.headers)")
    }
    return try await withThrowingTaskGroup(of: [ReceivedEvent]?.self) { group in
        group.addTask {
            var text = ""
            var events: [ReceivedEvent] = []
            for try await chunk in response.body {
                text += String(buffer: chunk)
                while let end = text.range(of: "\n\n") {
                    let block = String(text[..<end.lowerBound])
                    text.removeSubrange(..<end.upperBound)
                    if let event = parse(block) { events.append(event) }
                    if events.count == count { return events }
                }
            }
            throw TestFailure("the stream ended after \(events.count) events")
        }
        group.addTask {
            try await action()
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let events = try await group.next() ?? nil else { throw TestFailure("fewer than \(count) events within \(timeout)") }
        return events
    }
}

private func parse(_ block: String) -> ReceivedEvent? {
    var id: Int64?
    var event = "message"
    var data = ""
    for line in block.split(separator: "\n") {
        if line.hasPrefix("id: ") { id = Int64(line.dropFirst(4)) }
        if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
        if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
    }
    guard let id else { return nil }
    let json = (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:]
    return ReceivedEvent(id: id, event: event, data: json.mapValues { "\($0)" })
}

extension AsyncSequence where Self: Sendable {
    /// Every element, in order.
    func collected() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}
