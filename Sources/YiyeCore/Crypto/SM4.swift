import CNationalCrypto

/// SM4 (GB/T 32907) in CBC mode with PKCS#7 padding, computed by OpenSSL's libcrypto.
public enum SM4 {
    public static let keyLength = 16
    public static let blockLength = 16

    public static func cbcEncrypt(_ plaintext: [UInt8], key: [UInt8], iv: [UInt8]) -> [UInt8] {
        precondition(key.count == keyLength && iv.count == blockLength)
        var out = [UInt8](repeating: 0, count: plaintext.count + blockLength)
        var written = 0
        let ok = plaintext.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { yiye_sm4_cbc_encrypt(key, iv, p.baseAddress, p.count, $0.baseAddress, &written) }
        }
        // libcrypto only fails here when SM4 is compiled out, which makes personal data unreadable anyway.
        precondition(ok == 1, "OpenSSL libcrypto has no SM4-CBC")
        return Array(out.prefix(written))
    }

    /// The plaintext, or nil when `ciphertext` is not whole blocks or its padding is wrong.
    public static func cbcDecrypt(_ ciphertext: [UInt8], key: [UInt8], iv: [UInt8]) -> [UInt8]? {
        precondition(key.count == keyLength && iv.count == blockLength)
        var out = [UInt8](repeating: 0, count: ciphertext.count + blockLength)
        var written = 0
        let ok = ciphertext.withUnsafeBufferPointer { c in
            out.withUnsafeMutableBufferPointer { yiye_sm4_cbc_decrypt(key, iv, c.baseAddress, c.count, $0.baseAddress, &written) }
        }
        return ok == 1 ? Array(out.prefix(written)) : nil
    }
}

/// A 32-byte secret that seals short values so that they can be neither read nor changed unnoticed: SM4-CBC under a
/// fresh random IV, then HMAC-SM3 over the context, the IV and the ciphertext (encrypt-then-MAC; OpenSSL 3.0 has no
/// SM4-GCM). The context (which field, which key) is bound in, so a value moved to another field does not open.
public struct SealingKey: Sendable {
    public static let secretLength = 32
    private static let tagLength = 32

    private let encryption: [UInt8]
    private let authentication: [UInt8]

    public init(secret: [UInt8]) {
        precondition(secret.count == Self.secretLength)
        encryption = Array(HMACSM3.authenticationCode(for: Array("yiye sm4-cbc encryption".utf8), key: secret).prefix(SM4.keyLength))
        authentication = HMACSM3.authenticationCode(for: Array("yiye hmac-sm3 authentication".utf8), key: secret)
    }

    /// IV, ciphertext, tag.
    public func seal(_ plaintext: [UInt8], context: String) -> [UInt8] {
        let iv = SecureRandom.bytes(SM4.blockLength)
        let ciphertext = SM4.cbcEncrypt(plaintext, key: encryption, iv: iv)
        return iv + ciphertext + tag(iv: iv, ciphertext: ciphertext, context: context)
    }

    /// The plaintext, or nil when `sealed` was not sealed under this key and context or was changed since.
    public func open(_ sealed: [UInt8], context: String) -> [UInt8]? {
        guard sealed.count >= SM4.blockLength * 2 + Self.tagLength else { return nil }
        let iv = Array(sealed.prefix(SM4.blockLength))
        let ciphertext = Array(sealed.dropFirst(SM4.blockLength).dropLast(Self.tagLength))
        guard constantTimeEquals(tag(iv: iv, ciphertext: ciphertext, context: context), Array(sealed.suffix(Self.tagLength))) else {
            return nil
        }
        return SM4.cbcDecrypt(ciphertext, key: encryption, iv: iv)
    }

    private func tag(iv: [UInt8], ciphertext: [UInt8], context: String) -> [UInt8] {
        // The context never holds a NUL byte, so the separator makes the message unambiguous.
        HMACSM3.authenticationCode(for: Array(context.utf8) + [0] + iv + ciphertext, key: authentication)
    }
}
