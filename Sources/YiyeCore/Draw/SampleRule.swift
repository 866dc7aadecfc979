/// How many candidates a stratum gives: a decimal ratio (`"0.03"`, computed exactly) or a fixed count.
public struct SampleRule: Sendable, Codable, Equatable {
    public var ratio: String?
    public var count: Int?

    public init(ratio: String) {
        self.ratio = ratio
    }

    public init(count: Int) {
        self.count = count
    }

    /// `k = ceil(n × ratio)` in exact decimal arithmetic, or the fixed count; never more than `n`.
    public func size(of n: Int) throws(DomainError) -> Int {
        switch (ratio, count) {
        case (let ratio?, nil):
            let (numerator, denominator) = try Self.decimal(ratio)
            return min(n, (n * numerator + denominator - 1) / denominator)
        case (nil, let count?):
            guard count >= 0 else { throw DomainError(.invalidSampling, "抽取数量不能为负数", field: "count") }
            return min(n, count)
        default:
            throw DomainError(.invalidSampling, "每一层须给出抽取比例或抽取数量之一", field: "sampling")
        }
    }

    /// A decimal string between 0 and 1 with at most 9 decimals, as an exact fraction.
    static func decimal(_ text: String) throws(DomainError) -> (Int, Int) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let digits: (Substring) -> Bool = { !$0.isEmpty && $0.utf8.allSatisfy { (48...57).contains($0) } }
        guard (1...2).contains(parts.count), digits(parts[0]), parts.count == 1 || (digits(parts[1]) && parts[1].count <= 9),
            parts[0].count <= 3
        else {
            throw DomainError(.invalidSampling, "抽取比例须为 0 至 1 之间的小数，如 0.03", field: "ratio")
        }
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        var denominator = 1
        for _ in fraction { denominator *= 10 }
        let numerator = Int(parts[0])! * denominator + (fraction.isEmpty ? 0 : Int(fraction)!)
        guard numerator <= denominator else {
            throw DomainError(.invalidSampling, "抽取比例不能大于 1", field: "ratio")
        }
        return (numerator, denominator)
    }
}
