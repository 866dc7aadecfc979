/// A conflict-of-interest declaration (利害关系回避): the inspector must not inspect the object during the period.
public struct ConflictDeclaration: Sendable, Equatable {
    public var id: Int64?
    public var inspectorID: Int64
    public var creditCode: String
    public var reason: String
    public var from: CalendarDate
    /// Open-ended when nil.
    public var until: CalendarDate?
    public var declaredBy: String

    public init(
        id: Int64? = nil, inspectorID: Int64, creditCode: String, reason: String, from: CalendarDate,
        until: CalendarDate? = nil, declaredBy: String
    ) {
        self.id = id
        self.inspectorID = inspectorID
        self.creditCode = creditCode
        self.reason = reason
        self.from = from
        self.until = until
        self.declaredBy = declaredBy
    }

    public func validate() throws(DomainError) {
        try CreditCode.validate(creditCode)
        try Validation.text(reason, field: "reason", label: "回避理由", required: true, maximum: 500)
        if let until, until < from {
            throw DomainError(.invalidPeriod, "回避期限的结束日期不能早于开始日期", field: "until")
        }
    }

    /// Whether the declaration is in force on `date`.
    public func covers(_ date: CalendarDate) -> Bool {
        from <= date && (until.map { date <= $0 } ?? true)
    }
}
