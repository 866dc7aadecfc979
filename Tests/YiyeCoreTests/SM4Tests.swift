import Testing
import YiyeCore

@Suite("SM4 through OpenSSL, and values sealed with SM4 and HMAC-SM3")
struct SM4Tests {
    static let key = Hex.decode("0123456789abcdeffedcba9876543210")!

    // GB/T 32907-2016, appendix A, example 1: the key encrypting itself is 681edf34d206965e86b3e94f536e4246. In CBC with
    // a zero IV the first block is that block cipher's output; the second is the padding block.
    @Test("SM4-CBC gives the standard's example, and what `openssl enc -sm4-cbc` gives")
    func standardVector() throws {
        let first = SM4.cbcEncrypt(Self.key, key: Self.key, iv: [UInt8](repeating: 0, count: 16))
        #expect(first.count == 32)
        #expect(Hex.encode(first.prefix(16)) == "681edf34d206965e86b3e94f536e4246")
        // printf 13812345678 | openssl enc -sm4-cbc -K 0123…3210 -iv 0001…0e0f | xxd -p
        let iv = (0..<16).map(UInt8.init)
        let phone = SM4.cbcEncrypt(Array("13812345678".utf8), key: Self.key, iv: iv)
        #expect(Hex.encode(phone) == "04a507ce3c6799a45f4e712727c8f88e")
        #expect(SM4.cbcDecrypt(phone, key: Self.key, iv: iv) == Array("13812345678".utf8))
        #expect(SM4.cbcDecrypt(Array(phone.prefix(15)), key: Self.key, iv: iv) == nil, "not a whole block")
    }

    @Test("a sealed value opens under its key and context only, and any changed byte is caught")
    func sealing() throws {
        let key = SealingKey(secret: SecureRandom.bytes(32))
        let plaintext = Array("王经理 13800000000".utf8)
        let sealed = key.seal(plaintext, context: "objections.contact#1")
        #expect(sealed.count == 16 + 32 + 32, "IV, two blocks of ciphertext, the HMAC-SM3 tag")
        #expect(key.open(sealed, context: "objections.contact#1") == plaintext)
        #expect(key.seal(plaintext, context: "objections.contact#1") != sealed, "a fresh IV each time")
        #expect(key.open(sealed, context: "inspectors.phone#1") == nil, "moved to another field")
        #expect(SealingKey(secret: SecureRandom.bytes(32)).open(sealed, context: "objections.contact#1") == nil, "another key")
        for index in [0, 20, sealed.count - 1] {
            var changed = sealed
            changed[index] ^= 0x01
            #expect(key.open(changed, context: "objections.contact#1") == nil, "byte \(index) changed")
        }
        #expect(key.open(Array(sealed.dropLast()), context: "objections.contact#1") == nil, "cut short")
        #expect(key.open([], context: "objections.contact#1") == nil)
    }
}
