import CNationalCrypto

/// SM2 (GB/T 32918) signatures with SM3, through OpenSSL 3.
public enum SM2 {
    /// The standard distinguishing ID (GB/T 35276): `1234567812345678`.
    public static let defaultID = Array("1234567812345678".utf8)

    /// Why an SM2 key could not be used.
    public enum KeyError: Error, Equatable, CustomStringConvertible {
        case invalidPEM
        case generationFailed
        case signingFailed

        public var description: String {
            switch self {
            case .invalidPEM: "not an SM2 key in PEM form"
            case .generationFailed: "OpenSSL could not generate an SM2 key"
            case .signingFailed: "OpenSSL could not sign with the SM2 key"
            }
        }
    }

    /// A private key; it also verifies.
    public final class PrivateKey: @unchecked Sendable {
        let handle: OpaquePointer

        /// A new random key.
        public init() throws(KeyError) {
            guard let handle = yiye_sm2_generate() else { throw .generationFailed }
            self.handle = handle
        }

        /// Reads a PKCS#8 PEM private key.
        public init(pem: String) throws(KeyError) {
            let bytes = Array(pem.utf8)
            guard
                let handle = bytes.withUnsafeBufferPointer({ buffer in
                    buffer.withMemoryRebound(to: CChar.self) { yiye_sm2_private_from_pem($0.baseAddress, $0.count) }
                })
            else { throw .invalidPEM }
            self.handle = handle
        }

        deinit { yiye_sm2_free(handle) }

        public var pem: String { SM2.text { yiye_sm2_private_pem(handle, $0, $1) } }
        public var publicKey: PublicKey { try! PublicKey(pem: SM2.text { yiye_sm2_public_pem(handle, $0, $1) }) }

        /// The DER signature of `message` under the distinguishing `id`.
        public func signature(for message: some Collection<UInt8>, id: [UInt8] = SM2.defaultID) throws(KeyError) -> [UInt8] {
            var signature = [UInt8](repeating: 0, count: 80)
            var length = signature.count
            let message = Array(message)
            let ok = id.withUnsafeBufferPointer { i in
                message.withUnsafeBufferPointer { m in
                    signature.withUnsafeMutableBufferPointer {
                        yiye_sm2_sign(handle, i.baseAddress, i.count, m.baseAddress, m.count, $0.baseAddress, &length)
                    }
                }
            }
            guard ok == 1 else { throw .signingFailed }
            return Array(signature.prefix(length))
        }
    }

    /// A public key, which verifies.
    public final class PublicKey: @unchecked Sendable {
        let handle: OpaquePointer

        /// Reads a SubjectPublicKeyInfo PEM public key.
        public init(pem: String) throws(KeyError) {
            let bytes = Array(pem.utf8)
            guard
                let handle = bytes.withUnsafeBufferPointer({ buffer in
                    buffer.withMemoryRebound(to: CChar.self) { yiye_sm2_public_from_pem($0.baseAddress, $0.count) }
                })
            else { throw .invalidPEM }
            self.handle = handle
        }

        deinit { yiye_sm2_free(handle) }

        public var pem: String { SM2.text { yiye_sm2_public_pem(handle, $0, $1) } }

        /// Whether `signature` signs `message` under the distinguishing `id`.
        public func isValidSignature(_ signature: [UInt8], for message: some Collection<UInt8>, id: [UInt8] = SM2.defaultID) -> Bool {
            let message = Array(message)
            return id.withUnsafeBufferPointer { i in
                message.withUnsafeBufferPointer { m in
                    signature.withUnsafeBufferPointer {
                        yiye_sm2_verify(handle, i.baseAddress, i.count, m.baseAddress, m.count, $0.baseAddress, $0.count)
                    }
                }
            } == 1
        }
    }

    private static func text(_ export: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, UnsafeMutablePointer<Int>) -> Int32) -> String {
        var pointer: UnsafeMutablePointer<CChar>?
        var length = 0
        guard export(&pointer, &length) == 1, let pointer else { preconditionFailure("OpenSSL could not write a PEM key") }
        defer { yiye_free(pointer) }
        return String(cString: pointer)
    }
}
