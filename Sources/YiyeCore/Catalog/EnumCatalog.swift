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

        init(name: String, label: String, values: [Value]) {
            self.name = name
            self.label = label
            self.values = values
        }

        /// Every case of a labelled enumeration, in declaration order.
        init<T: Labelled>(_ name: String, _ label: String, _ type: T.Type) {
            self.init(name: name, label: label, values: T.allCases.map { Value(code: $0.rawValue, label: $0.label) })
        }
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
        Enumeration("role", "角色", Role.self),
        Enumeration("objectKind", "检查对象类型", InspectedObject.Kind.self),
        Enumeration("objectScale", "规模", InspectedObject.Scale.self),
        Enumeration("objectStatus", "经营状态", InspectedObject.Status.self),
        Enumeration("riskClass", "信用风险分类", InspectedObject.RiskClass.self),
        Enumeration("inspectionMethod", "检查方式", InspectionMethod.self),
        Enumeration("jointEntryMatch", "合并方式", JointList.Match.self),
        Enumeration("inspectorStatus", "人员状态", Inspector.Status.self),
        Enumeration("inspectorLevel", "层级", Inspector.Level.self),
        Enumeration("resultCategory", "抽查结果", ResultCategory.self),
        Enumeration("itemResult", "检查事项结果", ItemResult.Outcome.self),
        Enumeration("resultStatus", "检查结果状态", InspectionResult.Status.self),
        Enumeration("reviewDecision", "审核意见", ResultReview.Decision.self),
        Enumeration("unreachableProof", "无法联系的认定依据", UnreachableProof.self),
        Enumeration("refusalKind", "拒绝检查的情形", RefusalKind.self),
        Enumeration("followUp", "后续处置", ResultCategory.FollowUp.self),
        Enumeration("withholdingGround", "不予公开的理由", Withholding.Ground.self),
        Enumeration("withholdingScope", "不予公开的范围", Withholding.Scope.self),
        Enumeration("versionChange", "公示结果变更的原因", VersionChange.self),
        Enumeration("publicityRelief", "依申请的信用修复与停止公示", PublicityRelief.Kind.self),
        Enumeration("objectionStatus", "异议办理状态", Objection.Status.self),
        Enumeration("objectionChannel", "异议提出方式", Objection.Channel.self),
        Enumeration("followUpStep", "后续处置措施", ResultFollowUp.Action.Kind.self),
        Enumeration("siteConfirmation", "现场确认", SiteVisit.Confirmation.self),
        Enumeration("evidenceKind", "证据材料类型", EvidenceFile.Kind.self),
        Enumeration("creditConsequence", "信用惩戒措施", ResultFollowUp.Action.Consequence.self),
        Enumeration("callStage", "吹哨环节", WhistleCall.Stage.self),
        Enumeration("callResponseState", "响应状态", WhistleCall.ResponseState.self),
        Enumeration("notificationKind", "通知类型", Notice.Kind.self),
        Enumeration("agendaKind", "待办事项类型", AgendaItem.Kind.self),
        Enumeration("escalationKind", "逾期升级类型", Escalation.Kind.self),
        Enumeration("meetingKind", "会商类型", Meeting.Kind.self),
        Enumeration("actionItemStatus", "议定事项状态", ActionItem.Status.self),
        Enumeration("clueSource", "线索来源", Clue.Source.self),
        Enumeration("clueStatus", "线索状态", Clue.Status.self),
        Enumeration("clueRouteState", "线索接收状态", Clue.Route.State.self),
        Enumeration("clueOutcome", "线索办理结果", Clue.Outcome.self),
        Enumeration("clueDecision", "线索处理", Clue.Decision.self),
        Enumeration("listStatus", "清单状态", ListVersion<JointList>.Status.self),
        Enumeration("indicatorKind", "一业一评指标类型", Indicator.Kind.self),
        Enumeration("gradeCause", "等级变化原因", GradeCause.self),
        Enumeration("licenceStatus", "许可证状态（核发）", ObjectLicence.Status.self),
        Enumeration("licenceState", "许可证状态（评定）", ObjectLicence.State.self),
        Enumeration("warningKind", "风险预警规则类型", WarningRule.Kind.self),
        Enumeration("warningScope", "预警范围", WarningRule.Scope.self),
        Enumeration("warningState", "预警研判状态", RiskWarning.State.self),
        Enumeration("warningDecision", "研判结论", RiskWarning.Decision.self),
        Enumeration("planStatus", "计划状态", AnnualPlan.Status.self),
        Enumeration("taskKind", "任务类型", InspectionTask.Kind.self),
        Enumeration("taskStatus", "任务状态", InspectionTask.Status.self),
        Enumeration("triggerSource", "触发来源", InspectionTask.Trigger.Source.self),
        Enumeration("samplingBasis", "抽取分层依据", Sampling.Basis.self),
        Enumeration("drawPhase", "抽取阶段", DrawState.Phase.self),
        Enumeration("exclusionReason", "排除原因", ExclusionReason.self),
        Enumeration("drawChangeKind", "变更类型", DrawChange.Kind.self),
        Enumeration("drawChangeReason", "变更原因", DrawChange.ReasonKind.self),
        Enumeration("drawChangeStatus", "变更审批状态", DrawChange.Status.self),
        Enumeration("callStatus", "吹哨状态", WhistleCall.Status.self),
        Enumeration("callAction", "响应操作", WhistleCall.Action.self),
        Enumeration(
            name: "meetingFrequency", label: "例会频次",
            values: [
                Value(code: "monthly", label: "每月"),
                Value(code: "quarterly", label: "每季度"),
                Value(code: "half_yearly", label: "每半年"),
            ]),
        Enumeration("notificationSubject", "通知事由", Notice.Subject.self),
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

/// An enumeration whose cases have a stable code and the Chinese label officials read: what `/enums` lists.
public protocol Labelled: CaseIterable, RawRepresentable where RawValue == String {
    var label: String { get }
}

extension Role: Labelled {}
extension InspectedObject.Kind: Labelled {}
extension InspectedObject.RiskClass: Labelled {}
extension InspectedObject.Scale: Labelled {}
extension InspectedObject.Status: Labelled {}
extension InspectionMethod: Labelled {}
extension JointList.Match: Labelled {}
extension Inspector.Status: Labelled {}
extension Inspector.Level: Labelled {}
extension WhistleCall.Stage: Labelled {}
extension AgendaItem.Kind: Labelled {}
extension WhistleCall.ResponseState: Labelled {}
extension Notice.Kind: Labelled {}
extension Escalation.Kind: Labelled {}
extension Meeting.Kind: Labelled {}
extension ActionItem.Status: Labelled {}
extension Clue.Source: Labelled {}
extension Clue.Status: Labelled {}
extension Clue.Route.State: Labelled {}
extension Clue.Outcome: Labelled {}
extension Clue.Decision: Labelled {}
extension ListVersion.Status: Labelled {}
extension AnnualPlan.Status: Labelled {}
extension InspectionTask.Kind: Labelled {}
extension InspectionTask.Status: Labelled {}
extension InspectionTask.Trigger.Source: Labelled {}
extension DrawState.Phase: Labelled {}
extension ExclusionReason: Labelled {}
extension DrawChange.Kind: Labelled {}
extension DrawChange.ReasonKind: Labelled {}
extension DrawChange.Status: Labelled {}
extension WhistleCall.Status: Labelled {}
extension WhistleCall.Action: Labelled {}
extension Notice.Subject: Labelled {}
