import Foundation
import Logging
import YiyeCore

/// The server's SM2 key that signs audit checkpoints, kept in a PEM file only its owner can read.
public enum AuditSigningKey {
    /// Reads the key at `url`, creating it on first start.
    public static func loadOrCreate(at url: URL, logger: Logger) throws -> SM2.PrivateKey {
        if FileManager.default.fileExists(atPath: url.path) { return try load(at: url) }
        let key = try SM2.PrivateKey()
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: Data(key.pem.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw AuditKeyError.unwritable(url.path)
        }
        logger.notice("generated the audit signing key (SM2)", metadata: ["path": "\(url.path)"])
        return key
    }

    public static func load(at url: URL) throws -> SM2.PrivateKey {
        guard let pem = try? String(contentsOf: url, encoding: .utf8) else { throw AuditKeyError.unreadable(url.path) }
        do {
            return try SM2.PrivateKey(pem: pem)
        } catch {
            throw AuditKeyError.notSM2(url.path)
        }
    }
}

public enum AuditKeyError: Error, CustomStringConvertible {
    case unreadable(String)
    case unwritable(String)
    case notSM2(String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read the audit signing key \(path) (--audit-key)"
        case .unwritable(let path): "cannot create the audit signing key \(path) (--audit-key)"
        case .notSM2(let path): "\(path) is not an SM2 private key in PEM form"
        }
    }
}
