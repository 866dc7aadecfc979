import Foundation

/// 议事会商: a meeting of an industry's departments convened by its originator, regular (on the industry's
/// schedule) or ad hoc, with an agenda and links to the tasks, calls and clues it is about.
public struct Meeting: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// 定期会商
        case regular
        /// 临时会商
        case adHoc = "ad_hoc"

        public var label: String { self == .regular ? "定期会商" : "临时会商" }
    }

    public var id: Int64?
    public var industry: String
    public var kind: Kind
    public var title: String
    public var agenda: [String]
    public var startsAt: Date
    public var location: String
    public var convenedBy: DepartmentCode
    public var invitees: [DepartmentCode]
    public var taskIDs: [TaskID]
    public var callIDs: [Int64]
    public var clueIDs: [Int64]

    public init(
        id: Int64? = nil, industry: String, kind: Kind, title: String, agenda: [String], startsAt: Date, location: String,
        convenedBy: DepartmentCode, invitees: [DepartmentCode], taskIDs: [TaskID] = [], callIDs: [Int64] = [], clueIDs: [Int64] = []
    ) {
        self.id = id
        self.industry = industry
        self.kind = kind
        self.title = title
        self.agenda = agenda
        self.startsAt = startsAt
        self.location = location
        self.convenedBy = convenedBy
        self.invitees = invitees
        self.taskIDs = taskIDs
        self.callIDs = callIDs
        self.clueIDs = clueIDs
    }

    /// Convened by the industry's originator, inviting some of its participants.
    public func validate(departments: IndustryDepartments) throws(DomainError) {
        guard convenedBy == departments.originator else {
            throw DomainError(.notOriginator, "只有本行业的发起部门可以召集议事会商", field: "industry")
        }
        try Validation.name(title, field: "title")
        try Validation.text(location, field: "location", label: "地点", required: false, maximum: 200)
        guard agenda.count <= 30 else { throw DomainError(.invalidValue, "议程最多 30 项", field: "agenda") }
        for item in agenda { try Validation.text(item, field: "agenda", label: "议程", required: true, maximum: 500) }
        guard !invitees.isEmpty, Set(invitees).count == invitees.count, Set(invitees).isSubset(of: departments.participants) else {
            throw DomainError(.unknownDepartment, "参会部门须为本行业的参与部门，至少一个且不可重复", field: "invitees")
        }
    }

    /// Who takes part, and sees the meeting (with the office): the convener and the invitees.
    public var departments: [DepartmentCode] { [convenedBy] + invitees }

    public func invitationNotices(names: [DepartmentCode: String]) -> [Notice] {
        guard let id else { return [] }
        let time = CalendarDate(chinaDateOf: startsAt).chineseDescription
        return Notice.each(
            invitees, kind: .meetingInvitation,
            title: "\(names[name: convenedBy])召集\(kind.label)：\(title)（\(time)）", subject: .meeting, id: id)
    }

    /// The industry's regular meetings of `year`, numbered (第N次), each validated.
    public static func regularSchedule(
        industry: String, year: Int, everyMonths months: Int, title: String, location: String, convenedBy: DepartmentCode,
        invitees: [DepartmentCode],
        departments: IndustryDepartments, calendar: WorkingCalendar
    ) throws(DomainError) -> [Meeting] {
        let dates = try regularDates(year: year, everyMonths: months, calendar: calendar)
        var meetings: [Meeting] = []
        for (index, date) in dates.enumerated() {
            let meeting = Meeting(
                industry: industry, kind: .regular, title: dates.count > 1 ? "\(title)（第\(index + 1)次）" : title,
                agenda: [], startsAt: date, location: location, convenedBy: convenedBy, invitees: invitees)
            try meeting.validate(departments: departments)
            meetings.append(meeting)
        }
        return meetings
    }

    /// The regular meetings of a year: the first working day of each quarter (or month) at 09:30 China time. A
    /// meeting's day is fixed once scheduled, so a year counted only provisionally is refused until the office enters it.
    public static func regularDates(year: Int, everyMonths months: Int, calendar: WorkingCalendar) throws(DomainError) -> [Date] {
        guard [1, 3, 6].contains(months) else { throw DomainError(.invalidValue, "会商周期须为每月、每季度或每半年", field: "frequency") }
        if calendar.years[year]?.provisional ?? true {
            throw DomainError(.invalidCalendar, "工作日历缺少 \(year) 年的数据，请领导小组办公室录入后再安排该年例会", field: "year")
        }
        var dates: [Date] = []
        for month in stride(from: 1, through: 12, by: months) {
            guard let first = CalendarDate(year: year, month: month, day: 1) else {
                throw DomainError(.invalidValue, "年份无效", field: "year")
            }
            do {
                let day = try calendar.isWorkingDay(first) ? first : try calendar.adding(workingDays: 1, to: first)
                dates.append(day.startOfDayInChina.addingTimeInterval(9.5 * 3600))
            } catch {
                throw DomainError(.invalidCalendar, error.description, field: "year")
            }
        }
        return dates
    }
}

/// 会议纪要: one version of a meeting's minutes. A draft may be rewritten; once finalized it never changes, and
/// an amendment is a new version, with its reason, the earlier one still readable.
public struct Minutes: Sendable, Equatable {
    public var version: Int
    public var attendees: [DepartmentCode]
    public var content: String
    public var decisions: [String]
    public var amendmentReason: String
    public var writtenBy: String
    public var finalizedBy: String?
    public var finalizedAt: Date?

    public init(
        version: Int, attendees: [DepartmentCode], content: String, decisions: [String], amendmentReason: String = "", writtenBy: String,
        finalizedBy: String? = nil, finalizedAt: Date? = nil
    ) {
        self.version = version
        self.attendees = attendees
        self.content = content
        self.decisions = decisions
        self.amendmentReason = amendmentReason
        self.writtenBy = writtenBy
        self.finalizedBy = finalizedBy
        self.finalizedAt = finalizedAt
    }

    public var isFinal: Bool { finalizedAt != nil }

    /// The version a new text goes into: the open draft, or a new amendment after a finalized version, which must
    /// say why. Attendees are departments of the meeting.
    public static func draft(_ text: Minutes, after versions: [Minutes], of meeting: Meeting) throws(DomainError) -> Minutes {
        var draft = text
        try Validation.text(text.content, field: "content", label: "纪要内容", required: false, maximum: 20000)
        guard text.decisions.count <= 50 else { throw DomainError(.invalidValue, "议定事项最多 50 项", field: "decisions") }
        for decision in text.decisions { try Validation.text(decision, field: "decisions", label: "会议决定", required: true, maximum: 1000) }
        guard Set(text.attendees).isSubset(of: meeting.departments), Set(text.attendees).count == text.attendees.count else {
            throw DomainError(.unknownDepartment, "出席部门须为本次会商的召集或受邀部门", field: "attendees")
        }
        let latest = versions.max { $0.version < $1.version }
        switch latest {
        case nil:
            draft.version = 1
            draft.amendmentReason = ""
        case let latest? where !latest.isFinal:
            draft.version = latest.version
            if latest.version > 1 {
                try Validation.text(text.amendmentReason, field: "amendmentReason", label: "修订理由", required: true, maximum: 1000)
            }
        case let latest?:
            try Validation.text(text.amendmentReason, field: "amendmentReason", label: "修订理由", required: true, maximum: 1000)
            draft.version = latest.version + 1
        }
        draft.finalizedAt = nil
        draft.finalizedBy = nil
        return draft
    }

    /// Finalizes the open draft; there must be one, with content.
    public static func finalize(_ versions: [Minutes], by actor: String, at now: Date) throws(DomainError) -> Minutes {
        guard var latest = versions.max(by: { $0.version < $1.version }), !latest.isFinal else {
            throw DomainError(.minutesFinal, "没有待定稿的纪要草稿：定稿后的纪要不可修改，请以修订版本提交", field: "minutes")
        }
        guard !latest.content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DomainError(.invalidText, "纪要内容不能为空", field: "content")
        }
        latest.finalizedBy = actor
        latest.finalizedAt = now
        return latest
    }
}

/// 议定事项: what a meeting decided a department must do by a date; done with a completion note by that department.
public struct ActionItem: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case open, done
        public var label: String { self == .open ? "办理中" : "已办结" }
    }

    public var id: Int64?
    public var meetingID: Int64
    public var description: String
    public var owner: DepartmentCode
    public var due: CalendarDate
    public var status: Status
    public var completionNote: String
    public var completedBy: String?
    public var completedAt: Date?

    public init(
        id: Int64? = nil, meetingID: Int64, description: String, owner: DepartmentCode, due: CalendarDate, status: Status = .open,
        completionNote: String = "", completedBy: String? = nil, completedAt: Date? = nil
    ) {
        self.id = id
        self.meetingID = meetingID
        self.description = description
        self.owner = owner
        self.due = due
        self.status = status
        self.completionNote = completionNote
        self.completedBy = completedBy
        self.completedAt = completedAt
    }

    /// A due date from today on, on a working day (`calendar` holds its year, provisionally if not entered).
    public func validate(in meeting: Meeting, today: CalendarDate, calendar: WorkingCalendar) throws(DomainError) {
        try Validation.text(description, field: "description", label: "事项内容", required: true, maximum: 1000)
        guard meeting.departments.contains(owner) else {
            throw DomainError(.unknownDepartment, "责任部门须为本次会商的召集或受邀部门", field: "owner")
        }
        guard due >= today else { throw DomainError(.invalidPeriod, "完成期限不能早于今天", field: "due") }
        try calendar.requireWorkingDay(due, field: "due", label: "完成期限")
    }

    /// Still open after its due date (China time).
    public func isOverdue(on today: CalendarDate) -> Bool { status == .open && due < today }

    /// Only the owner department completes it, once, saying what was done.
    public mutating func complete(by department: DepartmentCode, actor: String, note: String, at now: Date) throws(DomainError) {
        guard department == owner else { throw DomainError(.notOwner, "只有责任部门可以办结该事项", field: "owner") }
        guard status == .open else { throw DomainError(.actionItemDone, "该事项已办结", field: "status") }
        try Validation.text(note, field: "note", label: "办结说明", required: true, maximum: 2000)
        status = .done
        completionNote = note
        completedBy = actor
        completedAt = now
    }

    public func assignedNotice(meetingTitle: String) -> [Notice] {
        [
            Notice(
                department: owner, kind: .actionItemAssigned, title: "「\(meetingTitle)」议定事项（\(due.chineseDescription)前）：\(description)",
                subjectType: .meeting, subjectID: meetingID)
        ]
    }
}
