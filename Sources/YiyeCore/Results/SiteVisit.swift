import Foundation

/// 现场确认: the joint team's visit to one drawn object: when, which inspectors were present (at least 2, credentials
/// shown), and the business's confirmation: signed by a named person, or refused, noted with the recording's reference
/// and, optionally, a witness (见证人). Recorded once and never changed.
public struct SiteVisit: Sendable, Equatable {
    public enum Confirmation: String, Sendable, CaseIterable, Labelled {
        case signed
        case refused

        public var label: String {
            switch self {
            case .signed: "被检查对象签字确认"
            case .refused: "被检查对象拒绝签字"
            }
        }
    }

    public struct Witness: Sendable, Equatable {
        public var name: String
        public var contact: String

        public init(name: String, contact: String) {
            self.name = name
            self.contact = contact
        }
    }

    /// Inspectors on a site inspection (docs/DOMAIN.md, rules with numbers).
    public static let minimumInspectors = 2

    public var visitedAt: Date
    /// The team members present, by roster id.
    public var inspectors: [String]
    public var credentialsShown: Bool
    public var confirmation: Confirmation
    /// Who signed for the business (signed).
    public var signedBy: String
    /// Their signature drawn on the screen, an evidence file of the object (`sm3:<digest>`); empty when signed on paper.
    public var signature: String
    /// The recording of the refusal (refused).
    public var recordingReference: String
    public var witness: Witness?
    public var recordedBy: String

    public init(
        visitedAt: Date, inspectors: [String], credentialsShown: Bool, confirmation: Confirmation, signedBy: String = "",
        signature: String = "", recordingReference: String = "", witness: Witness? = nil, recordedBy: String
    ) {
        self.visitedAt = visitedAt
        self.inspectors = inspectors
        self.credentialsShown = credentialsShown
        self.confirmation = confirmation
        self.signedBy = signedBy
        self.signature = signature
        self.recordingReference = recordingReference
        self.witness = witness
        self.recordedBy = recordedBy
    }

    /// Checks the visit against the object's team as it stands, the task window and now.
    public func validate(team: StandingTeam, window: ClosedRange<CalendarDate>, now: Date) throws(DomainError) {
        guard visitedAt <= now, window.contains(CalendarDate(chinaDateOf: visitedAt)) else {
            throw DomainError(.invalidPeriod, "检查时间须在任务期限内且不晚于现在", field: "visitedAt")
        }
        guard Set(inspectors).count == inspectors.count else { throw DomainError(.invalidValue, "检查人员重复", field: "inspectors") }
        for (index, inspector) in inspectors.enumerated() where !team.members.contains(where: { $0.inspectorID == inspector }) {
            throw DomainError(.invalidValue, "检查人员 \(inspector) 不在该对象的联合检查组中", field: "inspectors[\(index)]")
        }
        guard inspectors.count >= Self.minimumInspectors else {
            throw DomainError(.invalidValue, "现场检查人员不少于 \(Self.minimumInspectors) 名", field: "inspectors")
        }
        guard credentialsShown else { throw DomainError(.invalidValue, "检查人员须出示执法证件", field: "credentialsShown") }
        switch confirmation {
        case .signed:
            try Validation.text(signedBy, field: "signedBy", label: "签字确认人", required: true, maximum: 50)
            guard signature.isEmpty || EvidenceFile.digest(of: signature) != nil else {
                throw DomainError(.invalidValue, "签名须为已上传的签名图像（sm3:摘要）", field: "signature")
            }
            guard recordingReference.isEmpty, witness == nil else {
                throw DomainError(.invalidValue, "签字确认的不填写拒签录像与见证人", field: "confirmation")
            }
        case .refused:
            try Validation.text(recordingReference, field: "recordingReference", label: "拒签录音录像编号", required: true, maximum: 200)
            guard signedBy.isEmpty, signature.isEmpty else {
                throw DomainError(.invalidValue, "拒绝签字的不填写签字确认人与签名", field: "signedBy")
            }
            if let witness {
                try Validation.text(witness.name, field: "witness.name", label: "见证人姓名", required: true, maximum: 50)
                try Validation.text(witness.contact, field: "witness.contact", label: "见证人联系方式", maximum: 100)
            }
        }
    }
}
