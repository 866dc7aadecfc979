import Testing
import YiyeCore

@Suite("SM3 through OpenSSL")
struct SM3Tests {
    @Test("SM3(\"abc\") is the GB/T 32905 example value")
    func standardVector() {
        #expect(SM3.hex("abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
    }

    @Test("the 64-byte GB/T 32905 example (abcd × 16) hashes to its published value")
    func standardVectorTwoBlocks() {
        let input = String(repeating: "abcd", count: 16)
        #expect(SM3.hex(input) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")
    }

    @Test("a one-byte change gives a different digest")
    func sensitivity() {
        #expect(SM3.hex("abc") != SM3.hex("abd"))
        #expect(SM3.digest(Array("abc".utf8)).count == 32)
    }
}
