/// The password rules (等保2.0 level 3 identification): length and character classes, not the username.
public enum PasswordPolicy {
    public static let minimumLength = 10
    public static let maximumLength = 128

    public static func validate(_ password: String, username: String, field: String = "password") throws(DomainError) {
        let classes = [
            password.contains { $0.isUppercase },
            password.contains { $0.isLowercase },
            password.contains { $0.isNumber },
            password.contains { !$0.isLetter && !$0.isNumber },
        ].filter { $0 }.count
        guard (minimumLength...maximumLength).contains(password.count), classes >= 3 else {
            throw DomainError(.weakPassword, "密码须为 \(minimumLength) 至 \(maximumLength) 位，且包含大写字母、小写字母、数字、符号中的至少三类", field: field)
        }
        guard username.isEmpty || !password.lowercased().contains(username.lowercased()) else {
            throw DomainError(.weakPassword, "密码不能包含用户名", field: field)
        }
    }
}

/// A stored password: PBKDF2-HMAC-SM3 with a per-user salt, encoded `pbkdf2-sm3$ITERATIONS$SALT$HASH` (hex).
public struct PasswordHash: Sendable, Equatable {
    /// About 70–130 ms on a 2-core server: slow enough to make guessing expensive, kept per hash so it can rise.
    public static let defaultIterations: UInt32 = 100_000

    public var iterations: UInt32
    public var salt: [UInt8]
    public var hash: [UInt8]

    /// Hashes `password` with a fresh random salt.
    public init(password: String, iterations: UInt32 = defaultIterations) {
        self.iterations = iterations
        self.salt = SecureRandom.bytes(16)
        self.hash = PBKDF2SM3.deriveKey(password: password, salt: salt, iterations: iterations)
    }

    /// Parses the stored form; nil when it is not one.
    public init?(encoded: String) {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sm3", let iterations = UInt32(parts[1]), iterations > 0,
            let salt = Hex.decode(String(parts[2])), let hash = Hex.decode(String(parts[3])), hash.count == 32
        else { return nil }
        self.iterations = iterations
        self.salt = salt
        self.hash = hash
    }

    public var encoded: String {
        "pbkdf2-sm3$\(iterations)$\(Hex.encode(salt))$\(Hex.encode(hash))"
    }

    /// Whether `password` is the one hashed, compared in constant time.
    public func matches(_ password: String) -> Bool {
        constantTimeEquals(PBKDF2SM3.deriveKey(password: password, salt: salt, iterations: iterations), hash)
    }
}

extension Hex {
    /// Bytes from hex text (either case); nil when it is not hex.
    public static func decode(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard bytes.count % 2 == 0 else { return nil }
        func value(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2)
        var index = 0
        while index < bytes.count {
            guard let high = value(bytes[index]), let low = value(bytes[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
