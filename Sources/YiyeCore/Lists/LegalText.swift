/// Normalizes legal bases and check contents so that the same check written two ways is recognised as one:
/// full-width forms become half-width, letters lowercase, blanks and punctuation (《》、，。（）…) go, and the Chinese
/// numerals of 第…条/款/项/章/节 become Arabic (第十六条 = 第16条).
public enum LegalText {
    public static func normalized(_ text: String) -> String {
        var scalars: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            var scalar = scalar
            if (0xFF01...0xFF5E).contains(scalar.value), let narrow = Unicode.Scalar(scalar.value - 0xFEE0) { scalar = narrow }
            switch scalar.properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator, .control, .format,
                .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol, .otherSymbol:
                continue
            default:
                scalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return arabicArticleNumbers(String(String.UnicodeScalarView(scalars)))
    }

    /// The key two items share when they check the same thing under the same legal basis.
    public static func overlapKey(_ item: InspectionItem) -> String {
        normalized(item.legalBasis) + "|" + normalized(item.content)
    }

    private static let digits: [Character: Int] = [
        "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    ]
    private static let units: [Character: Int] = ["十": 10, "百": 100, "千": 1000]
    private static let numbered: Set<Character> = ["条", "款", "项", "章", "节", "编"]

    /// 第十六条 → 第16条; other text unchanged.
    static func arabicArticleNumbers(_ text: String) -> String {
        let characters = Array(text)
        var result = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            result.append(character)
            index += 1
            guard character == "第" else { continue }
            var end = index
            while end < characters.count, digits[characters[end]] != nil || units[characters[end]] != nil { end += 1 }
            guard end > index, end < characters.count, numbered.contains(characters[end]),
                let value = chineseNumber(characters[index..<end])
            else { continue }
            result += String(value)
            index = end
        }
        return result
    }

    /// 十六 = 16, 一百零二 = 102, 二十 = 20; nil when not a well-formed numeral.
    static func chineseNumber(_ characters: ArraySlice<Character>) -> Int? {
        var total = 0
        var pending: Int?
        for character in characters {
            if let digit = digits[character] {
                pending = digit
            } else if let unit = units[character] {
                total += (pending ?? 1) * unit
                pending = nil
            } else {
                return nil
            }
        }
        return total + (pending ?? 0)
    }
}
