/// A task (抽查任务) of an industry's annual plan, or a triggered one (触发式): what is checked, among which objects,
/// how many are drawn, and when.
public struct InspectionTask: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// 年度计划任务
        case annual
        /// 触发式: started by a complaint, a transfer, network monitoring or a risk signal.
        case triggered

        public var label: String {
            switch self {
            case .annual: "年度计划任务"
            case .triggered: "触发式检查"
            }
        }
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        case open, closed

        public var label: String {
            switch self {
            case .open: "进行中"
            case .closed: "已完结"
            }
        }
    }

    /// What started a triggered task.
    public struct Trigger: Sendable, Codable, Equatable {
        public enum Source: String, Sendable, Codable, CaseIterable {
            case complaint, transfer
            case networkMonitoring = "network_monitoring"
            case riskSignal = "risk_signal"

            public var label: String {
                switch self {
                case .complaint: "投诉举报"
                case .transfer: "转办移送"
                case .networkMonitoring: "网络监测"
                case .riskSignal: "风险预警"
                }
            }
        }

        public var source: Source
        public var description: String
        /// Why a window that has already begun is recorded (补录: the inspection was done before it was entered).
        public var lateRecordReason: String?
        /// The risk warning the task was started from, in its judgement (研判).
        public var warningID: Int64?

        public init(source: Source, description: String, lateRecordReason: String? = nil, warningID: Int64? = nil) {
            self.source = source
            self.description = description
            self.lateRecordReason = lateRecordReason
            self.warningID = warningID
        }

        private enum CodingKeys: String, CodingKey {
            case source, description, lateRecordReason
            case warningID = "warningId"
        }
    }

    public var id: TaskID?
    public var industry: String
    public var originator: DepartmentCode
    public var name: String
    public var kind: Kind
    public var trigger: Trigger?
    /// The participating departments that join this task (a subset of the industry's).
    public var participants: [DepartmentCode]
    /// The published joint-list version the items come from, and the entries chosen (empty: every included one).
    public var jointListVersion: Int
    public var entries: [Int]
    public var scope: ObjectScope
    public var sampling: Sampling
    public var windowStart: CalendarDate
    public var windowEnd: CalendarDate
    public var status: Status
    /// The annual plan the task belongs to (nil for a triggered task).
    public var planID: Int64?
    public var workPlan: WorkPlan?

    public init(
        id: TaskID? = nil, planID: Int64? = nil, industry: String, originator: DepartmentCode, name: String, kind: Kind,
        trigger: Trigger? = nil,
        participants: [DepartmentCode], jointListVersion: Int, entries: [Int] = [], scope: ObjectScope = ObjectScope(),
        sampling: Sampling = Sampling(), windowStart: CalendarDate, windowEnd: CalendarDate, status: Status = .open,
        workPlan: WorkPlan? = nil
    ) {
        self.id = id
        self.planID = planID
        self.workPlan = workPlan
        self.industry = industry
        self.originator = originator
        self.name = name
        self.kind = kind
        self.trigger = trigger
        self.participants = participants
        self.jointListVersion = jointListVersion
        self.entries = entries
        self.scope = scope
        self.sampling = sampling
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.status = status
    }

    /// A closed task is drawn no more.
    public func checkOpen() throws(DomainError) {
        guard status == .open else { throw DomainError(.taskClosed, "抽查任务已完结，不能再冻结抽取", field: "task") }
    }

    /// Checks the task against its industry's departments and joint list, on `today`: an annual task belongs to a
    /// plan; a window starts today or later, unless a triggered inspection already done is recorded, with its reason.
    public func validate(industryDepartments: IndustryDepartments, jointList: JointList, today: CalendarDate) throws(DomainError) {
        try Validation.name(name, field: "name")
        guard windowStart <= windowEnd else {
            throw DomainError(.invalidPeriod, "抽查时间窗口的结束日期不能早于开始日期", field: "windowEnd")
        }
        if windowStart < today {
            let reason = trigger?.lateRecordReason ?? ""
            guard kind == .triggered, !reason.trimmingWhitespace.isEmpty else {
                throw DomainError(
                    .invalidPeriod,
                    "抽查时间窗口须从今天（\(today.chineseDescription)）或以后开始；"
                        + "补录已完成的触发式检查须在 trigger.lateRecordReason 中说明理由", field: "windowStart")
            }
            try Validation.text(reason, field: "trigger.lateRecordReason", label: "补录理由", required: true, maximum: 500)
        }
        if kind == .annual, planID == nil {
            throw DomainError(
                .invalidValue, "年度计划任务须归入本行业本年度的抽查计划（planId）；计划外的检查请建立触发式任务（trigger）",
                field: "planId")
        }
        for participant in participants where !industryDepartments.participants.contains(participant) {
            throw DomainError(.unknownDepartment, "\(participant) 不是本行业的参与部门", field: "participants")
        }
        let included = Set(jointList.includedEntries.map(\.number))
        for entry in entries where !included.contains(entry) {
            throw DomainError(.unknownItem, "一业一单中没有纳入的条目 \(entry)", field: "entries")
        }
        switch (kind, trigger) {
        case (.triggered, nil):
            throw DomainError(.invalidValue, "触发式抽查须说明触发来源", field: "trigger")
        case (.triggered, let trigger?):
            try Validation.text(trigger.description, field: "trigger.description", label: "触发说明", required: true, maximum: 1000)
        case (.annual, _):
            break
        }
        try scope.validate()
        try sampling.validate()
    }
}

/// Which objects of the industry a task draws from: undirected (everything) or directed by type, scale, region
/// prefix and tags; a triggered task may name its objects.
public struct ObjectScope: Sendable, Codable, Equatable {
    public var kinds: [InspectedObject.Kind]
    public var scales: [String]
    public var regions: [String]
    public var tags: [String]
    public var objects: [String]

    public init(
        kinds: [InspectedObject.Kind] = [], scales: [String] = [], regions: [String] = [], tags: [String] = [],
        objects: [String] = []
    ) {
        self.kinds = kinds
        self.scales = scales
        self.regions = regions
        self.tags = tags
        self.objects = objects
    }

    /// Absent lists are empty: `{}` is the undirected scope.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kinds = try container.decodeIfPresent([InspectedObject.Kind].self, forKey: .kinds) ?? []
        scales = try container.decodeIfPresent([String].self, forKey: .scales) ?? []
        regions = try container.decodeIfPresent([String].self, forKey: .regions) ?? []
        tags = try container.decodeIfPresent([String].self, forKey: .tags) ?? []
        objects = try container.decodeIfPresent([String].self, forKey: .objects) ?? []
    }

    public func validate() throws(DomainError) {
        for scale in scales where InspectedObject.Scale(rawValue: scale) == nil {
            throw DomainError(.invalidValue, "规模 \(scale) 无效", field: "scope.scales")
        }
        for region in regions where !(2...6).contains(region.count) || !region.utf8.allSatisfy(\.isDigit) {
            throw DomainError(.invalidRegionCode, "区划须为 2 至 6 位数字（代码或其前缀）", field: "scope.regions")
        }
        for object in objects { try CreditCode.validate(object) }
        for tag in tags { try Validation.tag(tag, field: "scope.tags") }
    }
}

/// How many are drawn: by risk class (stratified, the default ratios A 1%, B 3%, C 10%, D 20%, unrated 3%), by the
/// industry's grade (一业一评, docs/GRADING.md: one rule per band code, `-` for objects not graded), or unstratified;
/// overall never below 3% of the scope unless the reason is recorded.
public struct Sampling: Sendable, Codable, Equatable {
    public static let defaultRules: [String: SampleRule] = [
        "A": .init(ratio: "0.01"), "B": .init(ratio: "0.03"), "C": .init(ratio: "0.1"), "D": .init(ratio: "0.2"), "-": .init(ratio: "0.03"),
    ]
    /// 3%: the yearly minimum over the directory.
    public static let minimumRatio = (numerator: 3, denominator: 100)

    /// What the strata of a stratified draw are.
    public enum Basis: String, Sendable, Codable, CaseIterable, Labelled {
        /// The general credit-risk class: `A`…`D`, `-` unrated.
        case riskClass = "risk_class"
        /// The industry's grade: its bands' codes, `-` not graded.
        case grade

        public var label: String {
            switch self {
            case .riskClass: "按信用风险分类分层"
            case .grade: "按一业一评等级分层"
            }
        }
    }

    /// Whether the draw is stratified (by `basis`) or has one stratum `-`.
    public var stratified: Bool
    public var basis: Basis
    public var rules: [String: SampleRule]
    /// Why fewer than 3% are drawn, when they are.
    public var belowMinimumReason: String?

    public init(
        stratified: Bool = true, basis: Basis = .riskClass, rules: [String: SampleRule] = Sampling.defaultRules,
        belowMinimumReason: String? = nil
    ) {
        self.stratified = stratified
        self.basis = basis
        self.rules = rules
        self.belowMinimumReason = belowMinimumReason
    }

    private enum CodingKeys: String, CodingKey {
        case stratified, basis, rules, belowMinimumReason
    }

    /// Tasks stored before grading sampled by risk class.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.stratified = try container.decode(Bool.self, forKey: .stratified)
        self.basis = try container.decodeIfPresent(Basis.self, forKey: .basis) ?? .riskClass
        self.rules = try container.decode([String: SampleRule].self, forKey: .rules)
        self.belowMinimumReason = try container.decodeIfPresent(String.self, forKey: .belowMinimumReason)
    }

    public func validate() throws(DomainError) {
        if basis == .grade, !stratified {
            throw DomainError(.invalidSampling, "按一业一评等级分层的抽取须分层", field: "sampling.basis")
        }
        for stratum in rules.keys.sorted() {
            switch (stratified, basis) {
            case (false, _):
                guard stratum == "-" else {
                    throw DomainError(.invalidSampling, "不分层的抽取只有一层 -", field: "sampling.rules")
                }
            case (true, .riskClass):
                guard ["A", "B", "C", "D", "-"].contains(stratum) else {
                    throw DomainError(.invalidSampling, "分层 \(stratum) 无效（按风险分类为 A、B、C、D、-）", field: "sampling.rules")
                }
            case (true, .grade):
                if stratum != "-" { try GradeBand.validate(code: stratum, field: "sampling.rules") }
            }
            _ = try rules[stratum]!.size(of: 100)
        }
        if let belowMinimumReason {
            try Validation.text(belowMinimumReason, field: "sampling.belowMinimumReason", label: "低于 3% 的理由", maximum: 500)
        }
    }

    /// Refuses rules by grade that name a band the industry's published indicator system does not have (or a draw by
    /// grade in an industry without one).
    public func checkGrades(_ system: IndicatorSystem?) throws(DomainError) {
        guard stratified, basis == .grade else { return }
        guard let system else {
            throw DomainError(.invalidSampling, "该行业尚未发布一业一评指标体系，不能按等级分层", field: "sampling.basis")
        }
        let codes = Set(system.bands.map(\.code))
        if let unknown = rules.keys.sorted().first(where: { $0 != "-" && !codes.contains($0) }) {
            let known = system.bands.map { "\($0.code)（\($0.name)）" }.joined(separator: "、")
            throw DomainError(.invalidSampling, "等级 \(unknown) 不在该行业的一业一评指标体系中，可用：\(known)、-", field: "sampling.rules")
        }
    }

    /// The stratum of an object whose risk class or grade (as `basis` says) is `key`, nil when it has none.
    public func stratum(_ key: String?) -> String {
        stratified ? key ?? "-" : "-"
    }

    /// Refuses a draw of `k` from `n` below 3% without a recorded reason.
    public func checkMinimum(drawn k: Int, of n: Int) throws(DomainError) {
        guard n > 0, k * Self.minimumRatio.denominator < n * Self.minimumRatio.numerator else { return }
        guard let reason = belowMinimumReason, !reason.trimmingWhitespace.isEmpty else {
            throw DomainError(.samplingBelowMinimum, "抽取 \(k) 户，低于范围内 \(n) 户的 3%，须在计划中说明理由", field: "sampling")
        }
    }
}
