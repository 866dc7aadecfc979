/// Every enumerated value the API uses, as a stable English code with the Chinese label officials read.
///
/// Clients show the labels from `GET /api/v1/enums`; codes never change once published.
public enum EnumCatalog {
    /// One enumerated value.
    public struct Value: Sendable, Equatable {
        public var code: String
        public var label: String
    }

    /// One enumeration with its values in display order.
    public struct Enumeration: Sendable {
        public var name: String
        /// What the enumeration classifies, in Chinese.
        public var label: String
        public var values: [Value]
    }

    public static let all: [Enumeration] = [
        Enumeration(
            name: "departmentKind", label: "部门类型",
            values: [
                Value(code: Department.Kind.regulator.rawValue, label: "监管部门"),
                Value(code: Department.Kind.leadershipOffice.rawValue, label: "领导小组办公室"),
            ]),
        Enumeration(
            name: "industryRole", label: "部门角色",
            values: [
                Value(code: "originator", label: "发起部门"),
                Value(code: "participant", label: "参与部门"),
            ]),
        Enumeration(name: "role", label: "角色", values: Role.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "objectKind", label: "检查对象类型", values: InspectedObject.Kind.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "objectScale", label: "规模", values: InspectedObject.Scale.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "objectStatus", label: "经营状态", values: InspectedObject.Status.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "riskClass", label: "信用风险分类",
            values: [
                Value(code: "A", label: "低风险（A类）"),
                Value(code: "B", label: "一般风险（B类）"),
                Value(code: "C", label: "较高风险（C类）"),
                Value(code: "D", label: "高风险（D类）"),
            ]),
        Enumeration(
            name: "inspectionMethod", label: "检查方式", values: InspectionMethod.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "jointEntryMatch", label: "合并方式", values: JointList.Match.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "inspectorStatus", label: "人员状态", values: Inspector.Status.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "inspectorLevel", label: "层级", values: Inspector.Level.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "resultCategory", label: "抽查结果",
            values: [
                Value(code: "no_problem", label: "未发现问题"),
                Value(code: "unpublished_info", label: "未按规定公示应当公示的信息"),
                Value(code: "falsified_info", label: "公示信息隐瞒真实情况弄虚作假"),
                Value(code: "unreachable", label: "通过登记的住所（经营场所）无法联系"),
                Value(code: "refused_inspection", label: "不配合检查情节严重"),
                Value(code: "no_related_activity", label: "未发现开展本次抽查涉及的经营活动"),
                Value(code: "ordered_to_correct", label: "发现问题，依法责令立即改正或者限期改正"),
                Value(code: "pending_follow_up", label: "发现问题，待后续调查处理"),
                Value(code: "pass", label: "合格"),
                Value(code: "fail", label: "不合格"),
                Value(code: "other", label: "其他情况"),
            ]),
        Enumeration(
            name: "itemResult", label: "检查事项结果",
            values: [
                Value(code: "normal", label: "正常"),
                Value(code: "abnormal", label: "不正常"),
            ]),
        Enumeration(name: "callStage", label: "吹哨环节", values: WhistleCall.Stage.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "callResponseState", label: "响应状态",
            values: WhistleCall.ResponseState.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "notificationKind", label: "通知类型", values: Notice.Kind.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "escalationKind", label: "逾期升级类型", values: Escalation.Kind.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(name: "meetingKind", label: "会商类型", values: Meeting.Kind.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "actionItemStatus", label: "议定事项状态", values: ActionItem.Status.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(name: "clueSource", label: "线索来源", values: Clue.Source.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(name: "clueStatus", label: "线索状态", values: Clue.Status.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "clueRouteState", label: "线索接收状态", values: Clue.Route.State.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(name: "clueOutcome", label: "线索办理结果", values: Clue.Outcome.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(name: "clueDecision", label: "线索处理", values: Clue.Decision.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "listStatus", label: "清单状态",
            values: ListVersion<JointList>.Status.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "planStatus", label: "计划状态", values: AnnualPlan.Status.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "taskKind", label: "任务类型", values: InspectionTask.Kind.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "taskStatus", label: "任务状态", values: InspectionTask.Status.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "triggerSource", label: "触发来源",
            values: InspectionTask.Trigger.Source.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(name: "drawPhase", label: "抽取阶段", values: DrawState.Phase.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "exclusionReason", label: "排除原因", values: ExclusionReason.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "drawChangeKind", label: "变更类型", values: DrawChange.Kind.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "drawChangeReason", label: "变更原因",
            values: DrawChange.ReasonKind.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "drawChangeStatus", label: "变更审批状态",
            values: DrawChange.Status.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "callStatus", label: "吹哨状态", values: WhistleCall.Status.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "callAction", label: "响应操作", values: WhistleCall.Action.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "meetingFrequency", label: "例会频次",
            values: [
                Value(code: "monthly", label: "每月"),
                Value(code: "quarterly", label: "每季度"),
                Value(code: "half_yearly", label: "每半年"),
            ]),
        Enumeration(
            name: "notificationSubject", label: "通知事由", values: Notice.Subject.allCases.map { Value(code: $0.rawValue, label: $0.label) }),
        Enumeration(
            name: "webhookDeliveryStatus", label: "推送状态",
            values: [
                Value(code: "pending", label: "待推送"),
                Value(code: "delivered", label: "已送达"),
                Value(code: "failed", label: "推送失败"),
            ]),
        Enumeration(
            name: "auditOutcome", label: "操作结果",
            values: [
                Value(code: AuditRecord.Outcome.success.rawValue, label: "成功"),
                Value(code: AuditRecord.Outcome.failure.rawValue, label: "失败"),
                Value(code: AuditRecord.Outcome.denied.rawValue, label: "拒绝访问"),
            ]),
    ]
}
