/// 不予公开: a result, or a part of it, kept from the public for a state secret, a trade secret or personal privacy, on a
/// department head's approval. The public still sees that the result exists, that it is withheld and on which ground.
public struct Withholding: Sendable, Equatable, Codable {
    public enum Ground: String, Sendable, Codable, CaseIterable, Labelled {
        case stateSecret = "state_secret"
        case tradeSecret = "trade_secret"
        case personalPrivacy = "personal_privacy"

        public var label: String {
            switch self {
            case .stateSecret: "涉及国家秘密"
            case .tradeSecret: "涉及商业秘密"
            case .personalPrivacy: "涉及个人隐私"
            }
        }
    }

    /// What is withheld.
    public enum Scope: String, Sendable, Codable, CaseIterable, Labelled {
        case whole
        case items
        case remarks

        public var label: String {
            switch self {
            case .whole: "检查结果不予公开"
            case .items: "部分检查事项不予公开"
            case .remarks: "备注不予公开"
            }
        }
    }

    public var ground: Ground
    public var scope: Scope
    /// The entries withheld, when the scope is `items`.
    public var items: [Int]
    /// Why, in the department's words (kept, not published).
    public var reason: String
    /// The head who approved it.
    public var approvedBy: String

    public init(ground: Ground, scope: Scope, items: [Int] = [], reason: String, approvedBy: String) {
        self.ground = ground
        self.scope = scope
        self.items = items
        self.reason = reason
        self.approvedBy = approvedBy
    }

    /// Checks the decision against the department's entries of the sheet (`own`).
    public func validate(own: [Int: InspectionItem]) throws(DomainError) {
        try Validation.text(reason, field: "reason", label: "不予公开的理由", required: true, maximum: 1000)
        switch scope {
        case .items:
            guard !items.isEmpty else { throw DomainError(.invalidValue, "请指明不予公开的检查事项", field: "items") }
            for (index, entry) in items.enumerated() where own[entry] == nil {
                throw DomainError(.unknownItem, "第 \(entry) 项不是本部门在该对象检查表中的事项", field: "items[\(index)]")
            }
            guard Set(items).count == items.count else { throw DomainError(.invalidValue, "检查事项重复", field: "items") }
        case .whole, .remarks:
            guard items.isEmpty else {
                throw DomainError(.invalidValue, "只有部分检查事项不予公开时才列出事项", field: "items")
            }
        }
    }
}
