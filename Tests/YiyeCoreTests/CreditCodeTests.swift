import Testing
import YiyeCore

@Suite("统一社会信用代码 check character (GB 32100-2015)")
struct CreditCodeTests {
    // Expected results cross-checked with python-stdnum's independent implementation (stdnum.cn.uscc).
    @Test(
        "valid codes pass",
        arguments: ["91350100M000100Y43", "91440300708461136T", "9144030071526726XG", "91110000100000000R", "91330110MA2B00000L"])
    func valid(code: String) {
        #expect(rule(of: { () throws(DomainError) in try CreditCode.validate(code) }) == nil)
    }

    @Test(
        "a changed character, a wrong length or a forbidden letter fails",
        arguments: [
            "91350100M000100Y44", "911100001000097039", "91350100M000100Y4", "91350100M000100Y433", "9135010OM000100Y43",
            "91350100m000100Y43",
            "91AB0100M000100Y43", "",
        ])
    func invalid(code: String) {
        #expect(rule(of: { () throws(DomainError) in try CreditCode.validate(code) }) == .invalidCreditCode)
    }

    @Test("the check character is computed from the first 17")
    func computed() {
        #expect(CreditCode.checkCharacter(for: "91350100M000100Y4") == "3")
        #expect(CreditCode.checkCharacter(for: "92330110MA2C12345") == "Y")
        #expect(CreditCode.checkCharacter(for: "9135010OM000100Y4") == nil)
    }
}
