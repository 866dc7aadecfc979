import Foundation
import OpenAPIRuntime
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/draws/{id}/objects/{creditCode}/evidence`: 证据材料, uploaded by a department on the object's team, kept by
/// SM3 digest, downloaded by the task's departments and the office.
extension APIHandlers {
    func uploadEvidence(_ input: Operations.UploadEvidence.Input) async throws -> Operations.UploadEvidence.Output {
        let actor = try admittedActor()
        let drawn = try await drawnObject(DrawID(input.path.id), object: input.path.creditCode, for: actor)
        try drawn.task.checkOpen()
        try drawn.team.checkResultWriter(actor, for: actor.department, inspectorID: try await inspectors.id(ofUser: actor.userID))
        let name = input.query.name ?? ""
        try Validation.text(name, field: "name", label: "文件名", maximum: 200)
        let (body, declared): (HTTPBody, EvidenceFile.Kind?) =
            switch input.body {
            case .jpeg(let body): (body, .jpeg)
            case .png(let body): (body, .png)
            case .pdf(let body): (body, .pdf)
            case .videoMp4(let body): (body, .mp4)
            case .audioMpeg(let body): (body, .mp3)
            case .audioWav(let body): (body, .wav)
            case .binary(let body): (body, nil)
            }
        let stored: (digest: String, size: Int64, kind: EvidenceFile.Kind)
        do {
            stored = try await evidenceStore.store(body, limit: evidenceLimitBytes)
        } catch let refusal as EvidenceStore.Refusal {
            switch refusal {
            case .tooLarge(let limit):
                throw APIError(.contentTooLarge, "file_too_large", "证据文件不超过 \(limit / 1_048_576) MiB", field: "body")
            case .unrecognised:
                throw APIError(.unsupportedMediaType, "unsupported_file_type", "证据文件仅接受：\(EvidenceFile.Kind.accepted)", field: "body")
            case .empty:
                throw APIError(.badRequest, "malformed_request", "缺少文件内容", field: "body")
            }
        }
        // A file whose bytes are not what it was declared as is refused; its bytes, recorded nowhere, are swept.
        if let declared, declared != stored.kind {
            throw APIError(
                .unsupportedMediaType, "unsupported_file_type", "文件内容是\(stored.kind.label)，与声明的类型\(declared.mediaType)不符",
                field: "body")
        }
        let file = EvidenceFile(
            digest: stored.digest, size: stored.size, kind: stored.kind, name: name, department: actor.department,
            uploadedBy: actor.username, uploadedAt: clock.now)
        try await evidence.record(
            file, draw: drawn.draw.id, object: drawn.object.creditCode,
            audit: entry(
                actor, "evidence.upload", "evidence", stored.digest,
                details: "\(drawn.draw.id)/\(drawn.object.creditCode) \(stored.kind.label) \(stored.size) 字节"))
        return .created(.init(body: .json(try .init(file))))
    }

    func downloadEvidence(_ input: Operations.DownloadEvidence.Input) async throws -> Operations.DownloadEvidence.Output {
        let actor = try admittedActor()
        let drawn = try await drawnObject(DrawID(input.path.id), object: input.path.creditCode, for: actor)
        guard let file = try await evidence.file(input.path.digest, draw: drawn.draw.id, object: drawn.object.creditCode),
            let bytes = evidenceStore.contents(of: file.digest)
        else { throw APIError.notFound("证据文件") }
        let body = HTTPBody(bytes, length: .known(file.size), iterationBehavior: .single)
        return .ok(
            .init(
                body: {
                    switch file.kind {
                    case .jpeg: .jpeg(body)
                    case .png: .png(body)
                    case .pdf: .pdf(body)
                    case .mp4: .videoMp4(body)
                    case .mp3: .audioMpeg(body)
                    case .wav: .audioWav(body)
                    }
                }()))
    }

    /// Checks that every `sm3:` reference among `items`' evidence names a file uploaded for the object.
    func checkEvidence(_ items: [ItemResult], of drawn: DrawnObject) async throws {
        let references = items.enumerated().flatMap { index, item in
            item.evidence.enumerated().map { (field: "items[\(index)].evidence[\($0.offset)]", reference: $0.element) }
        }
        let named = references.compactMap { reference in EvidenceFile.digest(of: reference.reference).map { (reference.field, $0) } }
        let uploaded = try await evidence.uploaded(named.map(\.1), draw: drawn.draw.id, object: drawn.object.creditCode)
        if let missing = named.first(where: { !uploaded.contains($0.1) }) {
            throw DomainError(.invalidValue, "证据文件 sm3:\(missing.1.prefix(12))… 未上传到该检查对象", field: missing.0)
        }
    }
}

extension Components.Schemas.EvidenceFile {
    init(_ file: EvidenceFile) throws {
        self.init(
            digest: file.digest, reference: EvidenceFile.reference(to: file.digest), size: file.size,
            kind: try .init(code: file.kind.rawValue),
            kindLabel: file.kind.label, mediaType: file.kind.mediaType, name: file.name, department: file.department.rawValue,
            uploadedBy: file.uploadedBy, uploadedAt: file.uploadedAt)
    }
}
