import Foundation
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/webhooks`: a department's outbound webhooks and their delivery log. A department admin manages its
/// own department's; the office admin sees all.
extension APIHandlers {
    func listWebhooks(_ input: Operations.ListWebhooks.Input) async throws -> Operations.ListWebhooks.Output {
        let actor = try admittedActor()
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let fetched = try await webhooks.list(department: actor.viewpoint, after: try page.numericCursor(), limit: page.limit + 1)
        let (items, next) = page.page(fetched) { String($0.id ?? 0) }
        return .ok(.init(body: .json(.init(items: items.map { .init($0, secret: nil) }, nextCursor: next))))
    }

    func createWebhook(_ input: Operations.CreateWebhook.Input) async throws -> Operations.CreateWebhook.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        try Webhook.validate(url: body.url)
        try await webhookTargets.check(body.url)
        var webhook = Webhook(department: actor.department, url: body.url)
        let secret = Hex.encode(SecureRandom.bytes(32))
        webhook.id = try await webhooks.create(
            webhook, secret: secret,
            audit: entry(
                actor, "webhook.create", "webhook", actor.department.rawValue,
                details: body.url))
        return .created(.init(body: .json(.init(webhook, secret: secret))))
    }

    func deleteWebhook(_ input: Operations.DeleteWebhook.Input) async throws -> Operations.DeleteWebhook.Output {
        let actor = try admittedActor()
        _ = try await ownWebhook(input.path.id, actor: actor)
        try await webhooks.deactivate(input.path.id, audit: entry(actor, "webhook.stop", "webhook", String(input.path.id)))
        return .noContent(.init())
    }

    func listWebhookDeliveries(_ input: Operations.ListWebhookDeliveries.Input) async throws -> Operations.ListWebhookDeliveries.Output {
        let actor = try admittedActor()
        _ = try await ownWebhook(input.path.id, actor: actor)
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let fetched = try await webhooks.deliveries(of: input.path.id, before: try page.numericCursor(), limit: page.limit + 1)
        let (items, next) = page.page(fetched) { String($0.id) }
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: try items.map { delivery in
                            .init(
                                id: delivery.id, notificationId: delivery.notificationID, status: try .init(code: delivery.status),
                                deliveredAt: delivery.deliveredAt,
                                attempts: delivery.attempts.map { .init(at: $0.at, statusCode: $0.statusCode, error: $0.error) })
                        }, nextCursor: next))))
    }

    /// The webhook, when it is the actor's department's (or the actor is the office).
    private func ownWebhook(_ id: Int64, actor: Actor) async throws -> Webhook {
        guard let webhook = try await webhooks.find(id) else { throw APIError.notFound("Webhook") }
        guard actor.governs(webhook.department) else { throw try await hidden(actor, "webhook", String(id), what: "Webhook") }
        return webhook
    }
}

extension Components.Schemas.Webhook {
    init(_ webhook: Webhook, secret: String?) {
        self.init(id: webhook.id ?? 0, department: webhook.department.rawValue, url: webhook.url, active: webhook.active, secret: secret)
    }
}
