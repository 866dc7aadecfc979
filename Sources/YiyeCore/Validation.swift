/// Field rules shared by the domain types.
public enum Validation {
    /// Stable codes: lowercase ASCII letter first, then letters, digits or `_`, 2 to 32 characters.
    public static func code(_ value: String, field: String) throws(DomainError) {
        let bytes = Array(value.utf8)
        let valid =
            (2...32).contains(bytes.count)
            && bytes[0].isLowercaseLetter
            && bytes.allSatisfy { $0.isLowercaseLetter || $0.isDigit || $0 == UInt8(ascii: "_") }
        guard valid else {
            throw DomainError(.invalidCode, "编码须为 2 至 32 位小写字母、数字或下划线，并以字母开头", field: field)
        }
    }

    /// Display names: 1 to 100 characters after trimming, no control characters.
    public static func name(_ value: String, field: String) throws(DomainError) {
        let trimmed = value.trimmingWhitespace
        let valid =
            !trimmed.isEmpty && trimmed.count <= 100 && trimmed.count == value.count
            && !value.unicodeScalars.contains { $0.properties.generalCategory == .control }
        guard valid else {
            throw DomainError(.invalidName, "名称不能为空，不超过 100 个字符，首尾不能有空白", field: field)
        }
    }

    /// Administrative division codes (GB/T 2260): six digits, the first not zero.
    public static func regionCode(_ value: String, field: String) throws(DomainError) {
        let bytes = Array(value.utf8)
        guard bytes.count == 6, bytes.allSatisfy(\.isDigit), bytes[0] != UInt8(ascii: "0") else {
            throw DomainError(.invalidRegionCode, "行政区划代码须为 6 位数字（GB/T 2260）", field: field)
        }
    }

    /// GB/T 4754-2017 codes: a section letter A–T, optionally followed by a 2-, 3- or 4-digit class.
    public static func gbtIndustryCode(_ value: String, field: String) throws(DomainError) {
        let bytes = Array(value.utf8)
        let valid =
            !bytes.isEmpty
            && (UInt8(ascii: "A")...UInt8(ascii: "T")).contains(bytes[0])
            && [0, 2, 3, 4].contains(bytes.count - 1)
            && bytes.dropFirst().allSatisfy(\.isDigit)
        guard valid else {
            throw DomainError(.invalidGBTIndustryCode, "国民经济行业分类代码须为门类字母 A–T 加 2 至 4 位数字（GB/T 4754-2017）", field: field)
        }
    }
}

extension Validation {
    /// Item codes: 1 to 40 ASCII letters, digits, `-`, `_` or `.`, starting with a letter or digit.
    public static func itemCode(_ value: String, field: String) throws(DomainError) {
        let bytes = Array(value.utf8)
        let allowed: (UInt8) -> Bool = { $0.isDigit || $0.isLowercaseLetter || (65...90).contains($0) }
        let valid =
            (1...40).contains(bytes.count) && allowed(bytes[0])
            && bytes.allSatisfy { allowed($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
        guard valid else {
            throw DomainError(.invalidCode, "事项编码须为 1 至 40 位字母、数字或 - _ .，以字母或数字开头", field: field)
        }
    }

    /// Free text: at most `maximum` characters, no control characters except line breaks and tabs, and not blank
    /// when `required`.
    public static func text(_ value: String, field: String, label: String, required: Bool = false, maximum: Int) throws(DomainError) {
        if required, value.trimmingWhitespace.isEmpty {
            throw DomainError(.invalidText, "\(label)不能为空", field: field)
        }
        guard value.count <= maximum else {
            throw DomainError(.invalidText, "\(label)不超过 \(maximum) 个字符", field: field)
        }
        let control = value.unicodeScalars.contains {
            $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" && $0 != "\t"
        }
        guard !control else { throw DomainError(.invalidText, "\(label)含有控制字符", field: field) }
    }

    /// Tags (qualifications, categories, expertise): 1 to 30 characters, no surrounding blanks.
    public static func tag(_ value: String, field: String) throws(DomainError) {
        guard !value.isEmpty, value.count <= 30, value.trimmingWhitespace.count == value.count,
            !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw DomainError(.invalidText, "标签须为 1 至 30 个字符，首尾不能有空白", field: field)
        }
    }
}

extension UInt8 {
    var isDigit: Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) }
    var isLowercaseLetter: Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) }
}

extension String {
    var trimmingWhitespace: Substring {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[start...end]
    }
}
