import Testing
import YiyeCore

@Suite("HMAC-SM3, PBKDF2-HMAC-SM3 and SM2 through OpenSSL")
struct NationalCryptoTests {
    // Expected values computed independently with `openssl mac -digest SM3 HMAC` and Python's hashlib.
    @Test("HMAC-SM3 matches an independent implementation")
    func hmac() {
        let mac = HMACSM3.authenticationCode(for: Array("The quick brown fox jumps over the lazy dog".utf8), key: Array("key".utf8))
        #expect(Hex.encode(mac) == "bd4a34077888162b210645b8ebf74b9af357303789357a27c7fc457244ebd398")
        #expect(
            HMACSM3.authenticationCode(for: Array("x".utf8), key: Array("k1".utf8))
                != HMACSM3.authenticationCode(for: Array("x".utf8), key: Array("k2".utf8)))
    }

    @Test("PBKDF2-HMAC-SM3 matches an independent implementation")
    func pbkdf2() {
        let salt = Array("salt".utf8)
        #expect(
            Hex.encode(PBKDF2SM3.deriveKey(password: "password", salt: salt, iterations: 1))
                == "4612f922a1fdcefaf4312fc6f8f3322b489cbf24f2ea361b44c2bd8fa2c6dcb0")
        #expect(
            Hex.encode(PBKDF2SM3.deriveKey(password: "password", salt: salt, iterations: 1000))
                == "e8b635a41dfe5aaab7cf828cff6f3608e22cac59ba16edd70e000b293d00bc91")
    }

    @Test("SM2 signs and verifies with the standard ID")
    func roundTrip() throws {
        let key = try SM2.PrivateKey()
        let message = Array("审计检查点 seq=42 head=abc".utf8)
        let signature = try key.signature(for: message)
        #expect(key.publicKey.isValidSignature(signature, for: message))
    }

    @Test("a signature fails under another distinguishing ID")
    func wrongID() throws {
        let key = try SM2.PrivateKey()
        let message = Array("message".utf8)
        let signature = try key.signature(for: message)
        #expect(!key.publicKey.isValidSignature(signature, for: message, id: Array("8765432187654321".utf8)))
        let otherID = try key.signature(for: message, id: Array("yiye@example".utf8))
        #expect(!key.publicKey.isValidSignature(otherID, for: message))
        #expect(key.publicKey.isValidSignature(otherID, for: message, id: Array("yiye@example".utf8)))
    }

    @Test("a tampered message, a tampered signature or another key fails")
    func tampered() throws {
        let key = try SM2.PrivateKey()
        let message = Array("head=0001".utf8)
        var signature = try key.signature(for: message)
        #expect(!key.publicKey.isValidSignature(signature, for: Array("head=0002".utf8)))
        #expect(!(try SM2.PrivateKey()).publicKey.isValidSignature(signature, for: message))
        signature[signature.count / 2] ^= 0x01
        #expect(!key.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature([], for: message))
    }

    @Test("keys survive a PEM round trip; non-SM2 or broken PEM is refused")
    func pem() throws {
        let key = try SM2.PrivateKey()
        let restored = try SM2.PrivateKey(pem: key.pem)
        let message = Array("x".utf8)
        #expect(key.publicKey.isValidSignature(try restored.signature(for: message), for: message))
        let publicOnly = try SM2.PublicKey(pem: key.publicKey.pem)
        #expect(publicOnly.isValidSignature(try key.signature(for: message), for: message))
        #expect(throws: SM2.KeyError.invalidPEM) {
            try SM2.PrivateKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        }
        #expect(throws: SM2.KeyError.invalidPEM) { try SM2.PublicKey(pem: key.pem) }
    }

    @Test("random bytes differ between calls")
    func random() {
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
        #expect(SecureRandom.bytes(32).count == 32)
    }
}
