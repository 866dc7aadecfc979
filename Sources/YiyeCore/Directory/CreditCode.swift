/// The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters — registering authority,
/// organisation type, 6-digit region code, 9-character organisation code, and a check character.
public enum CreditCode {
    /// The 31 characters the code uses (no I, O, S, V, Z), in the order of their values 0–30.
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    /// Each byte's value in the alphabet, or -1: a table, since imports check millions of codes.
    static let values: [Int] = (0..<256).map { byte in alphabet.firstIndex(of: UInt8(byte)) ?? -1 }
    /// Weight of position i (from 0) is 3^i mod 31.
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// The check character for the first 17 characters, or nil when one is outside the alphabet.
    public static func checkCharacter(for body: String) -> Character? {
        let bytes = Array(body.utf8)
        guard bytes.count == 17 else { return nil }
        var sum = 0
        for (index, byte) in bytes.enumerated() {
            let value = values[Int(byte)]
            guard value >= 0 else { return nil }
            sum += value * weights[index]
        }
        let check = (31 - sum % 31) % 31
        return Character(UnicodeScalar(alphabet[check]))
    }

    /// Checks length, alphabet, the region digits and the check character.
    public static func validate(_ code: String, field: String = "creditCode") throws(DomainError) {
        let bytes = Array(code.utf8)
        guard bytes.count == 18, bytes.allSatisfy({ values[Int($0)] >= 0 }) else {
            throw DomainError(.invalidCreditCode, "统一社会信用代码须为 18 位数字或大写字母（不含 I、O、S、V、Z）", field: field)
        }
        guard bytes[2..<8].allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw DomainError(.invalidCreditCode, "统一社会信用代码第 3 至 8 位须为行政区划代码", field: field)
        }
        guard let check = checkCharacter(for: String(decoding: bytes[0..<17], as: UTF8.self)),
            check == Character(UnicodeScalar(bytes[17]))
        else {
            throw DomainError(.invalidCreditCode, "统一社会信用代码校验位错误（GB 32100-2015）", field: field)
        }
    }
}
