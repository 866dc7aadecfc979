import CNationalCrypto

/// SM3 (GB/T 32905), computed by OpenSSL's libcrypto.
public enum SM3 {
    /// The 32-byte digest of `bytes`.
    public static func digest(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let ok = Array(bytes).withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { yiye_sm3(input.baseAddress, input.count, $0.baseAddress) }
        }
        // libcrypto only fails here when SM3 is compiled out, which makes the whole product meaningless.
        precondition(ok == 1, "OpenSSL libcrypto has no SM3")
        return out
    }

    /// The digest of `bytes` as 64 lowercase hex characters, the form docs/DRAW-SPEC.md calls `H(x)`.
    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        Hex.encode(digest(bytes))
    }

    /// The digest of the UTF-8 bytes of `text` as lowercase hex.
    public static func hex(_ text: String) -> String {
        hex(Array(text.utf8))
    }
}

/// SM3 of a message that arrives in parts (an uploaded file, streamed): `update` with each part, then `finalize`.
/// Holds an OpenSSL context; use one per message, not across threads.
public final class SM3Hasher {
    private let context: OpaquePointer

    public init() {
        guard let context = yiye_sm3_new() else { preconditionFailure("OpenSSL libcrypto has no SM3") }
        self.context = context
    }

    deinit {
        yiye_sm3_free(context)
    }

    public func update(_ bytes: some Collection<UInt8>) {
        let ok =
            bytes.withContiguousStorageIfAvailable { yiye_sm3_update(context, $0.baseAddress, $0.count) }
            ?? Array(bytes).withUnsafeBufferPointer { yiye_sm3_update(context, $0.baseAddress, $0.count) }
        precondition(ok == 1, "SM3 update failed")
    }

    /// The digest of everything given, as 64 lowercase hex characters.
    public func finalize() -> String {
        var out = [UInt8](repeating: 0, count: 32)
        precondition(out.withUnsafeMutableBufferPointer { yiye_sm3_final(context, $0.baseAddress) } == 1, "SM3 final failed")
        return Hex.encode(out)
    }
}

/// SM3 of many messages that share a prefix (a draw's seed): the prefix is absorbed once and each message costs only
/// its own blocks. Holds OpenSSL contexts; use one per task, not across threads.
public final class SM3PrefixHasher {
    private let prefix: OpaquePointer
    private let work: OpaquePointer

    public init(prefix bytes: some Collection<UInt8>) {
        guard let prefix = yiye_sm3_new(), let work = yiye_sm3_new() else {
            preconditionFailure("OpenSSL libcrypto has no SM3")
        }
        precondition(Array(bytes).withUnsafeBufferPointer { yiye_sm3_update(prefix, $0.baseAddress, $0.count) } == 1)
        self.prefix = prefix
        self.work = work
    }

    deinit {
        yiye_sm3_free(prefix)
        yiye_sm3_free(work)
    }

    /// SM3(prefix + suffix) into the 32 bytes at `digest`.
    public func digest(_ suffix: UnsafeBufferPointer<UInt8>, into digest: UnsafeMutablePointer<UInt8>) {
        precondition(yiye_sm3_with_prefix(prefix, work, suffix.baseAddress, suffix.count, digest) == 1)
    }
}

/// Lowercase hexadecimal encoding.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` as lowercase hex.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
