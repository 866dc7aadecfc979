/// One entry of the tamper-evident audit trail (全程留痕).
///
/// Records form an SM3 hash chain: each record's hash covers its own fields and the previous record's hash, so
/// editing, deleting or inserting a record breaks every later link unless the whole tail is rewritten, and a
/// rewritten tail no longer matches the last SM2-signed checkpoint.
public struct AuditRecord: Sendable, Equatable {
    /// What happened, before the chain places it.
    public struct Entry: Sendable, Equatable {
        public var actor: String?
        public var department: DepartmentCode?
        public var role: String?
        /// Dotted verb, e.g. `department.create`, `session.login`.
        public var action: String
        public var objectType: String?
        public var objectID: String?
        public var outcome: Outcome
        public var clientAddress: String?
        public var requestID: String?
        public var details: String

        public init(
            actor: String? = nil, department: DepartmentCode? = nil, role: String? = nil, action: String,
            objectType: String? = nil, objectID: String? = nil, outcome: Outcome = .success,
            clientAddress: String? = nil, requestID: String? = nil, details: String = ""
        ) {
            self.actor = actor
            self.department = department
            self.role = role
            self.action = action
            self.objectType = objectType
            self.objectID = objectID
            self.outcome = outcome
            self.clientAddress = clientAddress
            self.requestID = requestID
            self.details = details
        }
    }

    public enum Outcome: String, Sendable, CaseIterable {
        case success
        /// The request was refused for bad input or a broken rule.
        case failure
        /// Authentication or authorization refused it.
        case denied
    }

    /// Gap-free position in the chain, from 1.
    public var seq: Int64
    /// UTC time with microseconds, `YYYY-MM-DDTHH:MM:SS.ffffffZ`: hashed as text, so it must be exactly this form.
    public var at: String
    public var entry: Entry
    public var previousHash: String
    public var hash: String

    /// The previous hash of the first record.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Places `entry` after `previousHash` at position `seq`.
    public init(seq: Int64, at: String, entry: Entry, previousHash: String) {
        self.seq = seq
        self.at = at
        self.entry = entry
        self.previousHash = previousHash
        self.hash = Self.hash(seq: seq, at: at, entry: entry, previousHash: previousHash)
    }

    /// A record as stored, with its stored hash (which `verify` may find wrong).
    public init(seq: Int64, at: String, entry: Entry, previousHash: String, hash: String) {
        self.seq = seq
        self.at = at
        self.entry = entry
        self.previousHash = previousHash
        self.hash = hash
    }

    /// SM3 over the length-prefixed fields, `<byte length>:<bytes>` each, in a fixed order; an absent field
    /// is `-1:`, distinct from an empty one.
    public static func hash(seq: Int64, at: String, entry: Entry, previousHash: String) -> String {
        let fields: [String?] = [
            "yiye-audit-v1", String(seq), at, entry.actor, entry.department?.rawValue, entry.role, entry.action,
            entry.objectType, entry.objectID, entry.outcome.rawValue, entry.clientAddress, entry.requestID,
            entry.details, previousHash,
        ]
        var bytes: [UInt8] = []
        for field in fields {
            if let field {
                bytes += Array("\(field.utf8.count):".utf8) + Array(field.utf8)
            } else {
                bytes += Array("-1:".utf8)
            }
        }
        return SM3.hex(bytes)
    }

    /// Whether the stored hash is the one the fields give.
    public var isIntact: Bool {
        hash == Self.hash(seq: seq, at: at, entry: entry, previousHash: previousHash)
    }
}

/// A signed statement that the chain's head was `headHash` at `seq`.
public struct AuditCheckpoint: Sendable, Equatable {
    public var seq: Int64
    public var headHash: String
    public var signedAt: String
    /// DER SM2 signature as hex.
    public var signature: String

    public init(seq: Int64, headHash: String, signedAt: String, signature: String) {
        self.seq = seq
        self.headHash = headHash
        self.signedAt = signedAt
        self.signature = signature
    }

    /// The bytes that are signed.
    public static func message(seq: Int64, headHash: String, signedAt: String) -> [UInt8] {
        Array("yiye-audit-checkpoint-v1|\(seq)|\(headHash)|\(signedAt)".utf8)
    }

    /// Signs the head with the server's key.
    public static func sign(seq: Int64, headHash: String, signedAt: String, key: SM2.PrivateKey) throws -> AuditCheckpoint {
        let signature = try key.signature(for: message(seq: seq, headHash: headHash, signedAt: signedAt))
        return AuditCheckpoint(seq: seq, headHash: headHash, signedAt: signedAt, signature: Hex.encode(signature))
    }

    public func isSigned(by key: SM2.PublicKey) -> Bool {
        guard let signature = Hex.decode(signature) else { return false }
        return key.isValidSignature(signature, for: Self.message(seq: seq, headHash: headHash, signedAt: signedAt))
    }
}
