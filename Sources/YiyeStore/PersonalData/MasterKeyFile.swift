import Foundation
import Logging
import YiyeCore

#if canImport(Glibc)
    import Glibc
#endif

/// The master key of personal data (个人信息主密钥): 32 random bytes in a file outside the database, readable by its
/// owner only. It wraps the data keys kept in `personal_data_keys`; it never touches the data itself. During a
/// rotation the file holds the new key and, on the lines after, those it replaces.
public struct MasterKeyFile: Sendable {
    public struct Key: Sendable {
        let secret: [UInt8]
        public let sealing: SealingKey
        /// The first 16 hex characters of SM3 over the key, as `personal_data_keys.master_key` names it.
        public let fingerprint: String

        init(secret: [UInt8]) {
            self.secret = secret
            sealing = SealingKey(secret: secret)
            fingerprint = String(SM3.hex(secret).prefix(16))
        }
    }

    public let url: URL
    /// The newest first.
    public let keys: [Key]

    /// The conventional place beside the audit signing key: `<data-dir>/personal-data-sm4.key`.
    public static func defaultURL(besides auditKey: URL) -> URL {
        auditKey.deletingLastPathComponent().appendingPathComponent("personal-data-sm4.key")
    }

    /// Reads the file at `url`, creating it with a new key on first start (of several starting at once, one creates
    /// it and the others read it).
    public static func loadOrCreate(at url: URL, logger: Logger) throws -> MasterKeyFile {
        if FileManager.default.fileExists(atPath: url.path) { return try load(at: url) }
        if try write([SecureRandom.bytes(SealingKey.secretLength)], to: url, replacing: false) {
            logger.notice("generated the personal-data master key (SM4)", metadata: ["path": "\(url.path)"])
        }
        return try load(at: url)
    }

    public static func load(at url: URL) throws -> MasterKeyFile {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw PersonalDataError.masterKeyUnreadable(url.path) }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        var keys: [Key] = []
        for line in lines {
            guard let secret = Hex.decode(line), secret.count == SealingKey.secretLength else {
                throw PersonalDataError.masterKeyUnreadable(url.path)
            }
            keys.append(Key(secret: secret))
        }
        guard !keys.isEmpty, keys.count <= 8 else { throw PersonalDataError.masterKeyUnreadable(url.path) }
        return MasterKeyFile(url: url, keys: keys)
    }

    /// Writes the file whole (a new file put in place at once), readable by its owner only: replacing the one there, or
    /// only when there is none (false when there was one).
    @discardableResult
    static func write(_ secrets: [[UInt8]], to url: URL, replacing: Bool = true) throws -> Bool {
        let text =
            "# Yiye 个人信息主密钥（SM4 / HMAC-SM3）：保存在数据库之外，丢失则个人信息无法解密。见 README「Operations」。\n"
            + secrets.map { Hex.encode($0) + "\n" }.joined()
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let staging = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max))")
        guard FileManager.default.createFile(atPath: staging.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw PersonalDataError.masterKeyUnwritable(url.path)
        }
        defer { try? FileManager.default.removeItem(at: staging) }
        if replacing {
            guard rename(staging.path, url.path) == 0 else { throw PersonalDataError.masterKeyUnwritable(url.path) }
            return true
        }
        // link(2) fails when the name exists: of two writers, exactly one puts its file in place.
        if link(staging.path, url.path) == 0 { return true }
        guard errno == EEXIST else { throw PersonalDataError.masterKeyUnwritable(url.path) }
        return false
    }
}

public enum PersonalDataError: Error, CustomStringConvertible {
    case masterKeyUnreadable(String)
    case masterKeyUnwritable(String)
    /// No key of the file wraps the data key `id`, which `fingerprint` wrapped.
    case masterKeyMismatch(path: String, id: Int, fingerprint: String)
    /// A data key row that does not open under the master key that names it.
    case dataKeyDamaged(id: Int)
    /// A stored value that does not open: changed in the database, or sealed under a data key that is gone.
    case valueDamaged(field: String)

    public var description: String {
        switch self {
        case .masterKeyUnreadable(let path): "个人信息主密钥文件 \(path) 无法读取或格式不符（--personal-data-key）"
        case .masterKeyUnwritable(let path): "无法写入个人信息主密钥文件 \(path)（--personal-data-key）"
        case .masterKeyMismatch(let path, let id, let fingerprint):
            "个人信息主密钥文件 \(path) 与数据库不符：数据密钥 \(id) 由指纹 \(fingerprint) 的主密钥封装；请使用该主密钥文件（--personal-data-key）"
        case .dataKeyDamaged(let id): "数据密钥 \(id) 无法以其主密钥解封，疑似被篡改"
        case .valueDamaged(let field): "\(field) 中的个人信息无法解密，疑似被篡改"
        }
    }
}
