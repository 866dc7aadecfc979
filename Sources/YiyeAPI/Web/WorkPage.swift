import Foundation
import Hummingbird
import YiyeContract
import YiyeCore

/// 我的待办: what waits for the user and their department, as `GET /api/v1/agenda` gives it, the most urgent first,
/// each with its deadline and how long is left; the counts follow the notification stream.
extension WebPages {
    func workPage(_ request: Request) async throws -> Response {
        try await view(request, "getAgenda") { actor in
            guard case .ok(let answer) = try await handlers.getAgenda(.init()), case .json(let agenda) = answer.body else {
                throw APIError.internal
            }
            let industries = try await industryNames()
            var context = try await frame(request, actor, title: "我的待办", current: "work")
            context["total"] = agenda.items.count
            context["hasItems"] = !agenda.items.isEmpty
            context["counts"] = agenda.counts.map { ["kind": $0.kind, "label": $0.label, "count": $0.count] }
            context["items"] = agenda.items.map { item -> [String: Any] in
                var row: [String: Any] = [
                    "kind": item.kind.rawValue, "label": item.label, "title": item.title,
                    "industry": industries[item.industry] ?? item.industry,
                    "count": item.count > 1 ? "\(item.count) 项" : "",
                    "deadline": item.deadline.map(PageText.time) ?? "不限期",
                    "timeLeft": item.timeLeft ?? "", "overdue": item.overdue,
                ]
                row["href"] = Self.link(item.kind.rawValue, item.subject)
                return row
            }
            context["liveKinds"] = Notice.Kind.allCases.map(\.rawValue).joined(separator: " ")
            return page("work", context, status: .ok)
        }
    }

    /// The page where an agenda item is done; nil where that page is not built yet (the API does it).
    static func link(_ kind: String, _ subject: Int64) -> String? {
        switch AgendaItem.Kind(rawValue: kind) {
        case .callToAnswer, .questionToAnswer: "/calls/\(subject)"
        case .commitmentToMake, .revealToMake, .assignmentToConfirm: "/draws/\(subject)"
        case .resultToEnter, .resultToReview, .resultToPublish: "/draws/\(subject)/results"
        case .clueToAccept, .clueToConclude: "/clues/\(subject)"
        case .meetingComing: "/meetings/\(subject)"
        case .actionItemDue: "/action-items/\(subject)"
        default: nil
        }
    }

    func industryNames() async throws -> [String: String] {
        Dictionary(
            try await handlers.industries.list(after: nil, limit: 1000).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }
}
