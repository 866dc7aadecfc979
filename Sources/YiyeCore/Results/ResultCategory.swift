/// The overall result of one inspected object for one department (检查结果公示表述), with the standard's recognition
/// rules (000 §3.3–3.4) and the follow-up each proposes. Several may apply to one result.
public enum ResultCategory: String, Sendable, Codable, CaseIterable, Labelled {
    case noProblem = "no_problem"
    case unpublishedInfo = "unpublished_info"
    case falsifiedInfo = "falsified_info"
    case unreachable
    case refusedInspection = "refused_inspection"
    case noRelatedActivity = "no_related_activity"
    case orderedToCorrect = "ordered_to_correct"
    case pendingFollowUp = "pending_follow_up"
    case pass
    case fail
    case other

    /// The published wording.
    public var label: String {
        switch self {
        case .noProblem: "未发现问题"
        case .unpublishedInfo: "未按规定公示应当公示的信息"
        case .falsifiedInfo: "公示信息隐瞒真实情况弄虚作假"
        case .unreachable: "通过登记的住所（经营场所）无法联系"
        case .refusedInspection: "不配合检查情节严重"
        case .noRelatedActivity: "未发现开展本次抽查涉及的经营活动"
        case .orderedToCorrect: "发现问题，依法责令立即改正或者限期改正"
        case .pendingFollowUp: "发现问题，待后续调查处理"
        case .pass: "合格"
        case .fail: "不合格"
        case .other: "其他情况"
        }
    }

    /// Whether the category says a problem was found (it cannot stand beside 未发现问题).
    public var findsProblem: Bool {
        switch self {
        case .noProblem, .pass, .noRelatedActivity: false
        default: true
        }
    }

    /// What the category proposes to do next (后续处置), as data: nil when nothing follows.
    public var followUp: FollowUp? {
        switch self {
        case .unreachable, .unpublishedInfo, .falsifiedInfo: .abnormalOperationList
        case .refusedInspection: .publishRefusal
        case .orderedToCorrect: .rectification
        case .pendingFollowUp: .investigation
        case .fail: .rectification
        case .noProblem, .noRelatedActivity, .pass, .other: nil
        }
    }

    /// A follow-up a result category proposes.
    public enum FollowUp: String, Sendable, Codable, CaseIterable, Labelled {
        /// 拟列入经营异常名录
        case abnormalOperationList = "abnormal_operation_list"
        /// 公示不配合检查情况
        case publishRefusal = "publish_refusal"
        /// 责令整改并复查
        case rectification
        /// 进一步调查处理
        case investigation

        public var label: String {
            switch self {
            case .abnormalOperationList: "拟列入经营异常名录"
            case .publishRefusal: "公示不配合检查情况"
            case .rectification: "责令整改，期满复查"
            case .investigation: "进一步调查处理"
            }
        }
    }
}

/// How it was established that a business cannot be reached at its registered address (000 §3.4.4).
public enum UnreachableProof: String, Sendable, Codable, CaseIterable, Labelled {
    /// 实地核查确认不存在，并经产权人、物管或相关部门证明
    case onSiteCertified = "on_site_certified"
    /// 实地核查、第三方证明或邮寄确认住所不存在
    case addressMissing = "address_missing"
    /// 两次邮寄专用信函无人签收
    case lettersUnsigned = "letters_unsigned"
    /// 法院无法送达
    case courtNonService = "court_non_service"

    public var label: String {
        switch self {
        case .onSiteCertified: "实地核查确认不存在，并经产权人、物业或相关部门证明"
        case .addressMissing: "经实地核查、第三方证明或邮寄确认登记住所实际不存在"
        case .lettersUnsigned: "两次邮寄专用信函无人签收"
        case .courtNonService: "法院无法送达"
        }
    }
}

/// How a business refused the inspection (000 §3.4.6).
public enum RefusalKind: String, Sendable, Codable, CaseIterable, Labelled {
    /// 拒绝检查人员进入被检查场所
    case refusedEntry = "refused_entry"
    /// 拒绝提供相关材料
    case refusedMaterials = "refused_materials"
    /// 其他阻挠、妨碍检查的行为
    case obstructed

    public var label: String {
        switch self {
        case .refusedEntry: "拒绝检查人员进入被检查场所"
        case .refusedMaterials: "拒绝向检查人员提供相关材料"
        case .obstructed: "阻挠、妨碍检查致使检查无法正常进行"
        }
    }
}
