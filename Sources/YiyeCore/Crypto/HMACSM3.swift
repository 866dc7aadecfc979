import CNationalCrypto

/// HMAC with SM3 (GB/T 15852.2 with SM3), for signing webhook bodies and keyed digests.
public enum HMACSM3 {
    public static func authenticationCode(for message: some Collection<UInt8>, key: some Collection<UInt8>) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: 32)
        let key = Array(key)
        let message = Array(message)
        let ok = key.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                mac.withUnsafeMutableBufferPointer { yiye_hmac_sm3(k.baseAddress, k.count, m.baseAddress, m.count, $0.baseAddress) }
            }
        }
        precondition(ok == 1, "OpenSSL libcrypto has no HMAC-SM3")
        return mac
    }
}

/// PBKDF2 (RFC 8018) with HMAC-SM3, for password hashes.
public enum PBKDF2SM3 {
    public static func deriveKey(password: String, salt: [UInt8], iterations: UInt32, length: Int = 32) -> [UInt8] {
        precondition(iterations > 0 && length > 0)
        var out = [UInt8](repeating: 0, count: length)
        let password = Array(password.utf8)
        let ok = password.withUnsafeBufferPointer { p in
            salt.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer {
                    yiye_pbkdf2_sm3(p.baseAddress, p.count, s.baseAddress, s.count, iterations, $0.baseAddress, $0.count)
                }
            }
        }
        precondition(ok == 1, "OpenSSL libcrypto has no PBKDF2-HMAC-SM3")
        return out
    }
}

/// Bytes from OpenSSL's CSPRNG (session tokens, salts, draw secrets).
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBufferPointer { yiye_random_bytes($0.baseAddress, $0.count) }
        precondition(ok == 1, "OpenSSL's random generator failed")
        return out
    }
}

/// Compares two byte strings in time independent of where they differ.
public func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for (x, y) in zip(a, b) { difference |= x ^ y }
    return difference == 0
}
