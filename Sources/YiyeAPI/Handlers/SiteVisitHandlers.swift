import Foundation
import OpenAPIRuntime
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/draws/{id}/objects/{creditCode}/visit` and `/visit-record`: 现场确认 and the printable 联合检查记录表.
extension APIHandlers {
    func recordSiteVisit(_ input: Operations.RecordSiteVisit.Input) async throws -> Operations.RecordSiteVisit.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let drawn = try await drawnObject(DrawID(input.path.id), object: input.path.creditCode, for: actor)
        try drawn.task.checkOpen()
        try drawn.team.checkResultWriter(actor, for: actor.department, inspectorID: try await inspectors.id(ofUser: actor.userID))
        let visit = SiteVisit(
            visitedAt: body.visitedAt, inspectors: body.inspectors, credentialsShown: body.credentialsShown,
            confirmation: try .init(code: body.confirmation.rawValue), signedBy: body.signedBy ?? "", signature: body.signature ?? "",
            recordingReference: body.recordingReference ?? "",
            witness: body.witness.map { SiteVisit.Witness(name: $0.name, contact: $0.contact ?? "") }, recordedBy: actor.username)
        try visit.validate(team: drawn.team, window: drawn.task.windowStart...drawn.task.windowEnd, now: clock.now)
        if let digest = EvidenceFile.digest(of: visit.signature),
            try await evidence.uploaded([digest], draw: drawn.draw.id, object: drawn.object.creditCode).isEmpty
        {
            throw DomainError(.invalidValue, "签名图像 sm3:\(digest.prefix(12))… 未上传到该检查对象", field: "signature")
        }
        guard try await visits.visit(draw: drawn.draw.id, object: drawn.object.creditCode) == nil else {
            throw DomainError(.visitRecorded, "该对象的现场检查已记录，不可更改", field: "visit")
        }
        try await visits.record(
            visit, draw: drawn.draw.id, object: drawn.object.creditCode,
            audit: entry(actor, "visit.record", "visit", "\(drawn.draw.id)/\(drawn.object.creditCode)", details: visit.confirmation.label))
        return .created(.init(body: .json(try await siteVisit(input.path.id, input.path.creditCode, for: actor).schema)))
    }

    func getSiteVisit(_ input: Operations.GetSiteVisit.Input) async throws -> Operations.GetSiteVisit.Output {
        .ok(.init(body: .json(try await siteVisit(input.path.id, input.path.creditCode, for: try admittedActor()).schema)))
    }

    func getVisitRecord(_ input: Operations.GetVisitRecord.Input) async throws -> Operations.GetVisitRecord.Output {
        .ok(.init(body: .html(HTTPBody(try await siteVisit(input.path.id, input.path.creditCode, for: try admittedActor()).html))))
    }

    /// The visit's record, with the sheet and the results entered so far; not found before the visit is recorded.
    private func siteVisit(_ drawID: Int64, _ creditCode: String, for actor: Actor) async throws -> VisitRecord {
        let sheet = try await jointInspectionSheet(DrawID(drawID), object: creditCode, for: actor)
        guard let visit = try await visits.visit(draw: DrawID(drawID), object: sheet.object.creditCode) else {
            throw APIError.notFound("现场检查记录")
        }
        let entered = try await results.results(of: DrawID(drawID), object: sheet.object.creditCode).map(\.0)
        return VisitRecord(sheet: sheet, visit: visit, results: entered)
    }
}

extension VisitRecord {
    var schema: Components.Schemas.SiteVisit {
        get throws {
            .init(
                visitedAt: visit.visitedAt,
                inspectors: visit.inspectors.map { id in
                    let member = sheet.team.first { $0.inspectorID == id }
                    return .init(
                        inspectorId: id, department: member?.department.rawValue ?? "", name: member?.name ?? id,
                        certificateNumber: member?.certificateNumber ?? "")
                },
                credentialsShown: visit.credentialsShown, confirmation: try .init(code: visit.confirmation.rawValue),
                confirmationLabel: visit.confirmation.label, signedBy: visit.signedBy,
                signature: visit.signature.isEmpty ? nil : visit.signature, recordingReference: visit.recordingReference,
                witness: visit.witness.map { .init(name: $0.name, contact: $0.contact) }, recordedBy: visit.recordedBy, recordDigest: digest
            )
        }
    }
}
