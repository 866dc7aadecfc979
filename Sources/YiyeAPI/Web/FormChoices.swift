import Foundation
import Hummingbird
import YiyeCore

/// Choices several forms offer: the industries the user's department takes part in, an industry's open tasks, and
/// deadlines in working days shown as the date they end on.
extension WebPages {
    /// The industries of the user's department as options, and the one chosen (by the form, else by `?industry=`).
    func industryChoice(_ request: Request, _ actor: Actor, form: WebForm?) async throws -> (options: [[String: Any]], chosen: Industry?) {
        let industries = try await handlers.industries.list(after: nil, limit: 1000, department: actor.department)
        let chosen = form?["industry"] ?? request.uri.queryParameters.get("industry")
        return (
            industries.map { ["value": $0.code, "label": $0.name, "selected": $0.code == chosen] },
            industries.first { $0.code == chosen && $0.departments != nil }
        )
    }

    /// The industry's open tasks the department takes part in, the newest 50, as options.
    func taskChoices(_ industry: Industry, _ actor: Actor, selected: String?) async throws -> [[String: Any]] {
        let tasks = try await handlers.tasks.list(industry: industry.code, department: actor.department, after: nil, limit: 1000)
        return tasks.filter { $0.status == .open }.suffix(50).reversed().map {
            ["value": $0.id?.rawValue ?? 0, "label": $0.name, "selected": selected == String($0.id?.rawValue ?? 0)]
        }
    }

    /// The roster name of the inspector with roster id `id` (as teams name them); the id when there is none.
    func inspectorName(_ id: String) async throws -> String {
        guard let number = Int64(id), let inspector = try await handlers.inspectors.find(number) else { return id }
        return inspector.name
    }

    /// Deadlines of 1 to 20 working days from today, each with the moment it ends.
    func deadlineChoices(selected: String) async throws -> [[String: Any]] {
        var choices: [[String: Any]] = []
        for count in [1, 2, 3, 5, 10, 20] {
            let end = try await handlers.deadline(workingDays: count).end
            choices.append(["value": count, "label": "\(count) 个工作日（\(PageText.time(end)) 前）", "selected": String(count) == selected])
        }
        return choices
    }
}
