/// One category of a result with what the standard asks to recognise it (000 §3.4): the date of the written order
/// for 未按规定公示, the proof for 无法联系, the business's written confirmation for 未发现经营活动, the kind of refusal
/// and its evidence for 不配合检查, a text for 弄虚作假 and 其他情况; a rectification deadline may be proposed.
public struct CategoryFinding: Sendable, Equatable, Codable {
    public var category: ResultCategory
    /// 责令公示的书面通知日期 (unpublished_info).
    public var orderedOn: CalendarDate?
    /// 无法联系的认定依据 (unreachable).
    public var unreachableProof: UnreachableProof?
    /// 拒绝检查的情形 (refused_inspection).
    public var refusal: RefusalKind?
    /// The proof's details, the written confirmation's reference, the refusal's evidence, or the text of 其他情况.
    public var details: String
    /// 整改期限 (ordered_to_correct, fail): proposed with the result.
    public var correctionDue: CalendarDate?

    public init(
        _ category: ResultCategory, orderedOn: CalendarDate? = nil, unreachableProof: UnreachableProof? = nil,
        refusal: RefusalKind? = nil, details: String = "", correctionDue: CalendarDate? = nil
    ) {
        self.category = category
        self.orderedOn = orderedOn
        self.unreachableProof = unreachableProof
        self.refusal = refusal
        self.details = details
        self.correctionDue = correctionDue
    }

    /// The days a business has to publish after the written order (000 §3.4.2).
    public static let publicationOrderDays = 10

    /// Checks the category's recognition rule against the item results and today's date; `index` names the
    /// category in errors (`categories[1].orderedOn`). A category that does not meet its rule is refused naming it.
    public func check(items: [ItemResult], today: CalendarDate, index: Int) throws(DomainError) {
        let field = "categories[\(index)]"
        func unproven(_ message: String, _ member: String) -> DomainError {
            DomainError(.categoryUnproven, "「\(category.label)」\(message)", field: "\(field).\(member)")
        }
        try Validation.text(details, field: "\(field).details", label: "认定说明", maximum: 2000)
        switch category {
        case .noProblem:
            if let problem = items.firstIndex(where: \.outcome.isProblem) {
                throw unproven("与第 \(problem + 1) 项检查结果（\(items[problem].outcome.label)）不符", "category")
            }
        case .unpublishedInfo:
            guard let orderedOn else { throw unproven("须填写书面责令公示的日期", "orderedOn") }
            guard orderedOn <= today else { throw unproven("的书面责令日期不能晚于今天", "orderedOn") }
            guard orderedOn.adding(days: Self.publicationOrderDays) <= today else {
                throw unproven(
                    "须在书面责令之日起 \(Self.publicationOrderDays) 日内仍未公示后认定（\(orderedOn.adding(days: Self.publicationOrderDays).chineseDescription)起）",
                    "orderedOn")
            }
        case .unreachable:
            guard unreachableProof != nil else { throw unproven("须选择认定依据（实地核查、第三方证明、两次邮寄未签收或法院无法送达）", "unreachableProof") }
            guard !details.trimmingWhitespace.isEmpty else { throw unproven("须说明认定依据的具体情况", "details") }
        case .refusedInspection:
            guard refusal != nil else { throw unproven("须选择拒绝检查的情形", "refusal") }
            guard !details.trimmingWhitespace.isEmpty else { throw unproven("须注明拒绝检查的证据（如录音录像编号）", "details") }
        case .noRelatedActivity:
            guard !details.trimmingWhitespace.isEmpty else { throw unproven("须经被检查对象书面承诺，请注明书面承诺", "details") }
        case .falsifiedInfo, .other:
            guard !details.trimmingWhitespace.isEmpty else { throw unproven("须说明具体情况", "details") }
        case .orderedToCorrect, .pendingFollowUp:
            guard items.contains(where: { $0.outcome == .abnormal }) else { throw unproven("须至少有一项检查结果为不正常", "category") }
        case .pass:
            guard items.contains(where: \.outcome.isSamplingTest), !items.contains(where: { $0.outcome == .fail }) else {
                throw unproven("须所有抽样检测事项均为合格", "category")
            }
        case .fail:
            guard items.contains(where: { $0.outcome == .fail }) else { throw unproven("须至少有一项抽样检测不合格", "category") }
        }
        if let correctionDue, correctionDue < today {
            throw DomainError(.invalidPeriod, "整改期限不能早于今天", field: "\(field).correctionDue")
        }
    }
}
