/// The result of one item of the joint sheet for one object (正常 / 不正常, or 合格 / 不合格 for a sampling test).
public struct ItemResult: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable, CaseIterable, Labelled {
        case normal
        case abnormal
        case pass
        case fail

        public var label: String {
            switch self {
            case .normal: "正常"
            case .abnormal: "不正常"
            case .pass: "合格"
            case .fail: "不合格"
            }
        }

        /// Whether the outcome reports a problem.
        public var isProblem: Bool { self == .abnormal || self == .fail }
        /// Whether the outcome is one of a sampling test.
        public var isSamplingTest: Bool { self == .pass || self == .fail }
    }

    /// The entry's number in the joint list.
    public var entry: Int
    public var outcome: Outcome
    public var method: InspectionMethod
    /// What was found; required when the outcome is a problem.
    public var finding: String
    /// The legal basis breached, when a problem was found.
    public var breachedBasis: String
    /// References to the evidence (files, records).
    public var evidence: [String]

    public init(
        entry: Int, outcome: Outcome, method: InspectionMethod, finding: String = "", breachedBasis: String = "", evidence: [String] = []
    ) {
        self.entry = entry
        self.outcome = outcome
        self.method = method
        self.finding = finding
        self.breachedBasis = breachedBasis
        self.evidence = evidence
    }

    /// Checks the item against the sheet's entry it answers; `index` names it in errors (`items[2].finding`).
    public func validate(against item: InspectionItem, index: Int) throws(DomainError) {
        guard item.methods.contains(method) else {
            throw DomainError(
                .invalidValue, "第 \(index + 1) 项的检查方式须为该事项的检查方式之一：\(item.methods.map(\.label).joined(separator: "、"))",
                field: "items[\(index)].method")
        }
        guard (method == .samplingTest) == outcome.isSamplingTest else {
            throw DomainError(
                .invalidValue, method == .samplingTest ? "抽样检测事项的结果为合格或不合格" : "检查事项的结果为正常或不正常（合格、不合格仅用于抽样检测）",
                field: "items[\(index)].outcome")
        }
        try Validation.text(
            finding, field: "items[\(index)].finding", label: "第 \(index + 1) 项发现的问题", required: outcome.isProblem, maximum: 2000)
        try Validation.text(breachedBasis, field: "items[\(index)].breachedBasis", label: "违反的法律依据", maximum: 500)
        guard evidence.count <= 50 else { throw DomainError(.invalidValue, "证据不超过 50 项", field: "items[\(index)].evidence") }
        for (number, reference) in evidence.enumerated() {
            try Validation.text(
                reference, field: "items[\(index)].evidence[\(number)]", label: "证据", required: true, maximum: 200)
        }
    }
}
