import Foundation

/// A document kept in versions: drafted, published, and never changed once published (立改废 makes a new version).
public protocol VersionedDocument: Sendable, Codable {
    /// The stable name of the kind of document, as stored.
    static var kind: String { get }
    /// How many items or entries the document holds, for version summaries.
    var entryCount: Int { get }
    func validateForPublication() throws(DomainError)
}

/// One version of a versioned document, with who made and published it.
public struct ListVersion<Document: VersionedDocument>: Sendable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case draft, published

        public var label: String {
            switch self {
            case .draft: "草稿"
            case .published: "已发布"
            }
        }
    }

    /// The department (item lists) or industry (joint lists) the document belongs to.
    public var owner: String
    public var version: Int
    public var status: Status
    public var note: String
    public var createdBy: String
    public var createdAt: Date
    public var publishedBy: String?
    public var publishedAt: Date?
    public var document: Document

    public init(
        owner: String, version: Int, status: Status, note: String, createdBy: String, createdAt: Date,
        publishedBy: String?, publishedAt: Date?, document: Document
    ) {
        self.owner = owner
        self.version = version
        self.status = status
        self.note = note
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.publishedBy = publishedBy
        self.publishedAt = publishedAt
        self.document = document
    }

    /// A version note: up to 500 characters.
    public static func validate(note: String) throws(DomainError) {
        try Validation.text(note, field: "note", label: "版本说明", maximum: 500)
    }
}
