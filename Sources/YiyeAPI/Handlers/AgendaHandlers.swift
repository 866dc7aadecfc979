import Foundation
import YiyeContract
import YiyeCore

/// `/api/v1/agenda`: my work (待办), what waits for the caller's department that the caller may act on.
extension APIHandlers {
    func getAgenda(_ input: Operations.GetAgenda.Input) async throws -> Operations.GetAgenda.Output {
        let actor = try admittedActor()
        let now = clock.now
        let agenda = Agenda(try await self.agenda.items(for: actor.department, at: now), for: actor)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: try agenda.items.map { item in
                            .init(
                                kind: try .init(code: item.kind.rawValue), label: item.kind.label, subject: item.subject,
                                title: item.title, industry: item.industry, count: item.count, deadline: item.deadline,
                                timeLeft: item.timeLeft(at: now), overdue: item.isOverdue(at: now), since: item.since)
                        },
                        counts: agenda.counts.map { .init(kind: $0.kind.rawValue, label: $0.kind.label, count: $0.count) }))))
    }
}
