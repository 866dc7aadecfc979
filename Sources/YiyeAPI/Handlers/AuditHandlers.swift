import Foundation
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/audit`: reading and verifying the trail (auditors and the office).
extension APIHandlers {
    func listAuditRecords(_ input: Operations.ListAuditRecords.Input) async throws -> Operations.ListAuditRecords.Output {
        _ = try admittedActor()
        let query = input.query
        let page = try PageRequest(limit: query.limit, cursor: query.cursor)
        var before: Int64?
        if let after = page.after {
            guard let seq = Int64(after) else { throw APIError.badParameter("cursor", "分页游标无效") }
            before = seq
        }
        let formatter = ISO8601DateFormatter()
        let filter = AuditTrail.Filter(
            actor: query.actor, department: query.department.map { DepartmentCode($0) }, objectType: query.objectType,
            objectID: query.objectId,
            action: query.action, from: query.from.map(formatter.string(from:)), to: query.to.map(formatter.string(from:))
        )
        let fetched = try await audit.list(filter, before: before, limit: page.limit + 1)
        let (items, next) = page.page(fetched) { String($0.seq) }
        return .ok(.init(body: .json(.init(items: try items.map(Components.Schemas.AuditRecord.init), nextCursor: next))))
    }

    func verifyAuditTrail(_ input: Operations.VerifyAuditTrail.Input) async throws -> Operations.VerifyAuditTrail.Output {
        _ = try admittedActor()
        let report = try await audit.verify(key: auditPublicKey)
        return .ok(.init(body: .json(try .init(report))))
    }

    func listAuditCheckpoints(_ input: Operations.ListAuditCheckpoints.Input) async throws -> Operations.ListAuditCheckpoints.Output {
        _ = try admittedActor()
        let checkpoints = try await audit.checkpoints()
        return .ok(
            .init(
                body: .json(
                    .init(
                        publicKey: auditPublicKey.pem,
                        items: checkpoints.map { .init(seq: $0.seq, headHash: $0.headHash, signedAt: $0.signedAt, signature: $0.signature) }
                    ))))
    }
}

extension Components.Schemas.AuditRecord {
    init(_ record: AuditRecord) throws {
        let entry = record.entry
        self.init(
            seq: record.seq, at: ISO8601DateFormatter.microseconds.date(from: record.at) ?? Date(timeIntervalSince1970: 0),
            actor: entry.actor, department: entry.department?.rawValue, role: entry.role, action: entry.action,
            objectType: entry.objectType, objectId: entry.objectID, outcome: try .init(code: entry.outcome.rawValue),
            clientAddress: entry.clientAddress, requestId: entry.requestID, details: entry.details,
            prevHash: record.previousHash, hash: record.hash
        )
    }
}

extension Components.Schemas.AuditReport {
    init(_ report: AuditVerifier.Report) throws {
        self.init(
            intact: report.isIntact, recordsChecked: report.recordsChecked, checkpointsChecked: report.checkpointsChecked,
            signedThrough: report.signedThrough,
            problem: try report.problem.map { .init(kind: try .init(code: $0.kind.rawValue), seq: $0.seq, message: $0.message) }
        )
    }
}

extension ISO8601DateFormatter {
    /// Reads the audit trail's `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    nonisolated(unsafe) static let microseconds: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
