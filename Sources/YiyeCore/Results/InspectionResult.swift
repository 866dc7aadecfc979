import Foundation

/// One department's result for one drawn object (谁检查、谁录入、谁负责): the items of its part of the joint sheet and the
/// overall categories, entered by the department's inspectors on the team (or its reviewers and admins), signed off by a
/// reviewer of the department (审核), then published (公示).
public struct InspectionResult: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable, Labelled {
        case draft
        case submitted
        case returned
        case rejected
        case approved
        case published

        public var label: String {
            switch self {
            case .draft: "草稿"
            case .submitted: "待审核"
            case .returned: "已退回修改"
            case .rejected: "审核不予通过"
            case .approved: "审核通过，待公示"
            case .published: "已公示"
            }
        }

        /// Whether the entering department may still change the result.
        public var isEditable: Bool { self == .draft || self == .returned || self == .rejected }
    }

    public var id: Int64?
    public var drawID: DrawID
    public var creditCode: String
    public var department: DepartmentCode
    public var status: Status
    /// The day of the visit; the task window's end counts when there was none.
    public var inspectedOn: CalendarDate?
    public var items: [ItemResult]
    public var categories: [CategoryFinding]
    public var remarks: String
    /// Who saved or submitted it last.
    public var enteredBy: String
    /// The last day to publish it.
    public var publishDue: CalendarDate
    /// Its published versions so far (none before publication).
    public var version: Int
    /// What of it is withheld from the public (不予公开), when a head so decided.
    public var withholding: Withholding?
    /// 信用修复 or 停止公示 granted on the business's application.
    public var relief: PublicityRelief?

    public init(
        id: Int64? = nil, drawID: DrawID, creditCode: String, department: DepartmentCode, status: Status = .draft,
        inspectedOn: CalendarDate? = nil, items: [ItemResult] = [], categories: [CategoryFinding] = [], remarks: String = "",
        enteredBy: String, publishDue: CalendarDate, version: Int = 0, withholding: Withholding? = nil,
        relief: PublicityRelief? = nil
    ) {
        self.id = id
        self.drawID = drawID
        self.creditCode = creditCode
        self.department = department
        self.status = status
        self.inspectedOn = inspectedOn
        self.items = items
        self.categories = categories
        self.remarks = remarks
        self.enteredBy = enteredBy
        self.publishDue = publishDue
        self.version = version
        self.withholding = withholding
        self.relief = relief
    }

    /// Working days to publish after the inspection ends (000 §3.1.2), unless the deployment sets fewer.
    public static let defaultPublicationWorkingDays = 20

    /// The publication deadline's count: from the visit, or the task window's end when no visit was recorded.
    public static func publicationCount(inspectedOn: CalendarDate?, windowEnd: CalendarDate, workingDays: Int) -> WorkingDayCount {
        WorkingDayCount(from: inspectedOn ?? windowEnd, workingDays: workingDays)
    }

    /// Checks a draft as it is saved: every item answers an entry of the department's part of the sheet (`own`), once,
    /// as the item allows; the visit falls within the task window and not after today; texts within their limits.
    public func checkDraft(own: [Int: InspectionItem], window: ClosedRange<CalendarDate>, today: CalendarDate) throws(DomainError) {
        guard status.isEditable else {
            throw DomainError(.resultStatus, "检查结果已\(status.label)，不能修改", field: "result")
        }
        try checkContent(own: own, window: window, today: today)
    }

    private func checkContent(own: [Int: InspectionItem], window: ClosedRange<CalendarDate>, today: CalendarDate) throws(DomainError) {
        if let inspectedOn {
            guard window.contains(inspectedOn), inspectedOn <= today else {
                throw DomainError(.invalidPeriod, "检查日期须在任务期限内且不晚于今天", field: "inspectedOn")
            }
        }
        var seen = Set<Int>()
        for (index, item) in items.enumerated() {
            guard let entry = own[item.entry] else {
                throw DomainError(.unknownItem, "第 \(item.entry) 项不是本部门在该对象检查表中的事项", field: "items[\(index)].entry")
            }
            guard seen.insert(item.entry).inserted else {
                throw DomainError(.invalidValue, "第 \(item.entry) 项重复填写", field: "items[\(index)].entry")
            }
            try item.validate(against: entry, index: index)
        }
        var categorySeen = Set<ResultCategory>()
        for (index, finding) in categories.enumerated() {
            guard categorySeen.insert(finding.category).inserted else {
                throw DomainError(.invalidValue, "检查结果「\(finding.category.label)」重复", field: "categories[\(index)].category")
            }
            try Validation.text(finding.details, field: "categories[\(index)].details", label: "认定说明", maximum: 2000)
        }
        try Validation.text(remarks, field: "remarks", label: "备注", maximum: 1000)
    }

    /// Checks the result for review: every entry of the department's part answered, at least one category, each
    /// recognised by its rule, and 未发现问题 alone against any category that finds a problem.
    public func checkSubmittable(own: [Int: InspectionItem], today: CalendarDate) throws(DomainError) {
        let missing = own.keys.filter { entry in !items.contains { $0.entry == entry } }.sorted()
        guard missing.isEmpty else {
            throw DomainError(
                .resultIncomplete, "尚有检查事项未填写结果：第 \(missing.map(String.init).joined(separator: "、")) 项", field: "items")
        }
        guard !categories.isEmpty else { throw DomainError(.resultIncomplete, "请选择检查结果", field: "categories") }
        for (index, finding) in categories.enumerated() {
            try finding.check(items: items, today: today, index: index)
        }
        if categories.contains(where: { $0.category == .noProblem }),
            let problem = categories.firstIndex(where: \.category.findsProblem)
        {
            throw DomainError(
                .categoryUnproven, "「未发现问题」不能与「\(categories[problem].category.label)」同时认定",
                field: "categories[\(problem)].category")
        }
    }

    /// Submits for review (提交审核).
    public mutating func submit(own: [Int: InspectionItem], by user: String, today: CalendarDate) throws(DomainError) {
        guard status.isEditable else { throw DomainError(.resultStatus, "检查结果已\(status.label)，不能再次提交", field: "result") }
        try checkSubmittable(own: own, today: today)
        status = .submitted
        enteredBy = user
    }

    /// A reviewer's decision (审核): approve, return with an opinion for changes, or reject with an opinion; never on
    /// what the reviewer entered.
    public mutating func review(_ decision: ResultReview.Decision, by reviewer: String, opinion: String) throws(DomainError) {
        guard status == .submitted else {
            throw DomainError(.resultStatus, "只有待审核的检查结果可以审核（当前：\(status.label)）", field: "result")
        }
        guard reviewer != enteredBy else { throw DomainError(.ownEntry, "审核人员不能审核本人录入的检查结果", field: "result") }
        try Validation.text(opinion, field: "opinion", label: "审核意见", required: decision != .approve, maximum: 1000)
        status = decision.resultingStatus
    }

    /// Publication (公示): only an approved result.
    public mutating func publish() throws(DomainError) {
        guard status == .approved else {
            throw DomainError(.resultStatus, "检查结果须经审核通过后才能公示（当前：\(status.label)）", field: "result")
        }
        status = .published
        version = 1
    }

    /// The department corrects its own error in a published result (更正): the corrected content, checked as for
    /// submission, becomes the next version; the head's approval is the act itself.
    public mutating func correct(
        to corrected: InspectionResult, own: [Int: InspectionItem], window: ClosedRange<CalendarDate>, today: CalendarDate
    ) throws(DomainError) {
        guard status == .published else {
            throw DomainError(.resultStatus, "只有已公示的检查结果需要更正（当前：\(status.label)），未公示的请退回修改", field: "result")
        }
        try checkNotStopped()
        try corrected.checkContent(own: own, window: window, today: today)
        try corrected.checkSubmittable(own: own, today: today)
        guard (corrected.inspectedOn, corrected.items, corrected.categories, corrected.remarks) != (inspectedOn, items, categories, remarks)
        else { throw DomainError(.invalidValue, "更正后的检查结果与现公示的相同", field: "result") }
        inspectedOn = corrected.inspectedOn
        items = corrected.items
        categories = corrected.categories
        remarks = corrected.remarks
        version += 1
    }

    /// A head withholds the result or a part of it (不予公开): before publication it is applied when published; a
    /// published result gets a new version without what is withheld.
    public mutating func withhold(_ withholding: Withholding, own: [Int: InspectionItem]) throws(DomainError) {
        try withholding.validate(own: own)
        try checkNotStopped()
        if let current = self.withholding, current.ground == withholding.ground, current.scope == withholding.scope,
            current.items == withholding.items
        {
            throw DomainError(.invalidValue, "该不予公开决定已记录", field: "scope")
        }
        self.withholding = withholding
        if status == .published { version += 1 }
    }
}

/// One review decision, kept for ever.
public struct ResultReview: Sendable, Equatable {
    public enum Decision: String, Sendable, CaseIterable, Labelled {
        case approve
        case `return`
        case reject

        public var label: String {
            switch self {
            case .approve: "审核通过"
            case .return: "退回修改"
            case .reject: "不予通过"
            }
        }

        var resultingStatus: InspectionResult.Status {
            switch self {
            case .approve: .approved
            case .return: .returned
            case .reject: .rejected
            }
        }
    }

    public var decision: Decision
    public var reviewer: String
    public var opinion: String
    public var at: Date

    public init(decision: Decision, reviewer: String, opinion: String, at: Date) {
        self.decision = decision
        self.reviewer = reviewer
        self.opinion = opinion
        self.at = at
    }
}

extension InspectionResult {
    /// A result whose publication stopped takes no further version.
    func checkNotStopped() throws(DomainError) {
        if let relief, relief.kind == .stopPublication {
            throw DomainError(.resultStatus, "该检查结果已于\(relief.grantedOn.chineseDescription)停止公示，不再变更", field: "result")
        }
    }
}
