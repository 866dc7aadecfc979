/// 异议: the inspected business disputes a published result within 60 days of its publication (000 §3.5), online without
/// an account or on paper registered by the department. The department re-examines it (复查) within 20 working days of
/// receipt, by someone who was not on the team: upheld (异议成立, the result corrected as a new version) or maintained
/// (维持); then tells the business (反馈) within 15 working days of the decision.
public struct Objection: Sendable, Equatable {
    public enum Channel: String, Sendable, CaseIterable, Labelled {
        case online
        case paper

        public var label: String {
            switch self {
            case .online: "网上提出"
            case .paper: "书面提出（部门登记）"
            }
        }
    }

    public enum Status: String, Sendable, CaseIterable, Labelled {
        case reexamining
        case upheld
        case maintained

        public var label: String {
            switch self {
            case .reexamining: "异议处理中"
            case .upheld: "异议成立，检查结果已更正"
            case .maintained: "异议不成立，维持原检查结果"
            }
        }
    }

    /// Days after publication within which the business may object (calendar days).
    public static let objectionDays = 60
    /// Working days from receipt to the re-examination's decision.
    public static let reexaminationWorkingDays = 20
    /// Working days from the decision to the feedback.
    public static let feedbackWorkingDays = 15

    public var id: Int64?
    /// 受理编号, given by the database when filed.
    public var receiptNumber: String
    public var resultID: Int64
    public var department: DepartmentCode
    /// The version objected to.
    public var version: Int
    public var channel: Channel
    public var creditCode: String
    public var businessName: String
    public var contact: String
    public var grounds: String
    /// References to the business's attachments.
    public var attachments: [String]
    public var receivedOn: CalendarDate
    /// The department's user who registered a paper objection.
    public var registeredBy: String?
    public var reexamineDue: CalendarDate
    public var status: Status
    public var decidedBy: String?
    public var decidedOn: CalendarDate?
    public var opinion: String
    public var feedbackDue: CalendarDate?
    public var feedbackOn: CalendarDate?
    public var feedback: String

    public init(
        id: Int64? = nil, receiptNumber: String = "", resultID: Int64, department: DepartmentCode, version: Int, channel: Channel,
        creditCode: String, businessName: String, contact: String, grounds: String, attachments: [String] = [],
        receivedOn: CalendarDate, registeredBy: String? = nil, reexamineDue: CalendarDate, status: Status = .reexamining,
        decidedBy: String? = nil, decidedOn: CalendarDate? = nil, opinion: String = "", feedbackDue: CalendarDate? = nil,
        feedbackOn: CalendarDate? = nil, feedback: String = ""
    ) {
        self.id = id
        self.receiptNumber = receiptNumber
        self.resultID = resultID
        self.department = department
        self.version = version
        self.channel = channel
        self.creditCode = creditCode
        self.businessName = businessName
        self.contact = contact
        self.grounds = grounds
        self.attachments = attachments
        self.receivedOn = receivedOn
        self.registeredBy = registeredBy
        self.reexamineDue = reexamineDue
        self.status = status
        self.decidedBy = decidedBy
        self.decidedOn = decidedOn
        self.opinion = opinion
        self.feedbackDue = feedbackDue
        self.feedbackOn = feedbackOn
        self.feedback = feedback
    }

    /// Checks a new objection against the published version it disputes (`latest`, published on `publishedOn`):
    /// the business's own result, named as published; received on or before `today`, within 60 days of publication;
    /// no other objection still open (`open`).
    public func checkFiling(latest: PublishedVersion, publishedOn: CalendarDate, open: Bool, today: CalendarDate) throws(DomainError) {
        guard latest.change != .publicationStopped else {
            throw DomainError(.resultStatus, "该检查结果已停止公示", field: "result")
        }
        guard creditCode == latest.content.creditCode else {
            throw DomainError(.invalidValue, "统一社会信用代码与该公示结果的被检查对象不符，只有被检查对象可以提出异议", field: "creditCode")
        }
        guard businessName.trimmingWhitespace == latest.content.objectName else {
            throw DomainError(.invalidValue, "名称与该公示结果的被检查对象不符", field: "businessName")
        }
        try Validation.text(contact, field: "contact", label: "联系方式", required: true, maximum: 100)
        try Validation.text(grounds, field: "grounds", label: "异议理由", required: true, maximum: 2000)
        guard attachments.count <= 20 else { throw DomainError(.invalidValue, "附件不超过 20 项", field: "attachments") }
        for (index, attachment) in attachments.enumerated() {
            try Validation.text(attachment, field: "attachments[\(index)]", label: "附件", required: true, maximum: 200)
        }
        guard receivedOn <= today, receivedOn >= publishedOn else {
            throw DomainError(.invalidPeriod, "收到异议的日期须在公示之日与今天之间", field: "receivedOn")
        }
        let closing = publishedOn.adding(days: Self.objectionDays)
        guard receivedOn <= closing else {
            throw DomainError(
                .objectionLate,
                "异议须自公示之日起 \(Self.objectionDays) 日内提出：该检查结果于\(publishedOn.chineseDescription)公示，提出异议的期限已于\(closing.chineseDescription)届满",
                field: "receivedOn")
        }
        guard !open else { throw DomainError(.objectionState, "该检查结果已有异议正在处理，请等待复查结论", field: "result") }
    }

    /// The re-examination's decision (复查结论), with its opinion; the feedback is then due by `feedbackDue`.
    public mutating func decide(_ decision: Status, by user: String, opinion: String, on today: CalendarDate, feedbackDue: CalendarDate)
        throws(DomainError)
    {
        guard status == .reexamining else {
            throw DomainError(.objectionState, "该异议已作出复查结论（\(status.label)）", field: "objection")
        }
        guard decision != .reexamining else { throw DomainError(.invalidValue, "复查结论为异议成立或维持原结果", field: "decision") }
        try Validation.text(opinion, field: "opinion", label: "复查意见", required: true, maximum: 2000)
        status = decision
        decidedBy = user
        decidedOn = today
        self.opinion = opinion
        self.feedbackDue = feedbackDue
    }

    /// An upheld objection comes with the corrected result (published as the next version); a maintained one without.
    public static func checkCorrection(for decision: Status, given: Bool) throws(DomainError) {
        switch (decision, given) {
        case (.upheld, false): throw DomainError(.invalidValue, "异议成立的，请一并提交更正后的检查结果", field: "correction")
        case (.upheld, true), (_, false): return
        case (_, true): throw DomainError(.invalidValue, "维持原检查结果的，不提交更正内容", field: "correction")
        }
    }

    /// The feedback to the business (反馈), once, after the decision.
    public mutating func giveFeedback(_ text: String, on today: CalendarDate) throws(DomainError) {
        guard status != .reexamining else { throw DomainError(.objectionState, "复查结论作出后才能反馈", field: "objection") }
        guard feedbackOn == nil else { throw DomainError(.objectionState, "已向异议人反馈", field: "objection") }
        try Validation.text(text, field: "feedback", label: "反馈内容", required: true, maximum: 2000)
        feedback = text
        feedbackOn = today
    }
}

extension StandingTeam {
    /// A re-examination is decided by someone who was not on the team that inspected the object and did not enter
    /// the result; `inspectorID` is the actor's own roster entry, if any.
    public func checkReexaminer(_ actor: Actor, inspectorID: Int64?, enteredBy: String) throws(DomainError) {
        let onTeam = inspectorID.map { id in members.contains { $0.inspectorID == String(id) } } ?? false
        guard !onTeam, actor.username != enteredBy else {
            throw DomainError(.onTeam, "复查须由未参加原检查、未录入原检查结果的人员作出", field: "objection")
        }
    }
}
