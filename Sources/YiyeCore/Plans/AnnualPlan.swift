/// 年度工作计划: an industry's inspection tasks for a year, made by its originating department, filed with the
/// leadership office (报备), then published. Tasks are added while it is a draft.
public struct AnnualPlan: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case draft, filed, published

        public var label: String {
            switch self {
            case .draft: "草稿"
            case .filed: "已报备"
            case .published: "已公布"
            }
        }
    }

    public var id: Int64?
    public var industry: String
    public var year: Int
    public var title: String
    public var note: String
    public var status: Status

    public init(id: Int64? = nil, industry: String, year: Int, title: String, note: String = "", status: Status = .draft) {
        self.id = id
        self.industry = industry
        self.year = year
        self.title = title
        self.note = note
        self.status = status
    }

    public func validate() throws(DomainError) {
        guard (2000...2100).contains(year) else { throw DomainError(.invalidValue, "年度须在 2000 至 2100 之间", field: "year") }
        try Validation.name(title, field: "title")
        try Validation.text(note, field: "note", label: "说明", maximum: 2000)
    }

    /// Filing needs a draft with at least one task; publishing needs a filed plan.
    public func checkTransition(to next: Status, taskCount: Int) throws(DomainError) {
        switch (status, next) {
        case (.draft, .filed):
            guard taskCount > 0 else { throw DomainError(.emptyList, "计划中没有抽查任务，不能报备", field: "tasks") }
        case (.filed, .published):
            break
        default:
            throw DomainError(.planStatus, "计划当前为「\(status.label)」，不能改为「\(next.label)」", field: "status")
        }
    }

    /// A task of the plan is drawn only once the plan is filed with the office (报备).
    public func checkDrawable() throws(DomainError) {
        guard status != .draft else {
            throw DomainError(.planStatus, "年度计划「\(title)」尚未报备，不能冻结其任务的抽取", field: "planId")
        }
    }

    /// A task joins the plan while it is a draft, in its industry and year.
    public func checkAccepts(_ task: InspectionTask) throws(DomainError) {
        guard status == .draft else { throw DomainError(.planStatus, "计划已报备，不能再增加任务", field: "planId") }
        guard task.industry == industry, task.windowStart.year == year else {
            throw DomainError(.invalidValue, "任务须属于计划的行业和年度", field: "planId")
        }
    }
}

/// 抽查工作方案: a task's responsibilities per department and its schedule.
public struct WorkPlan: Sendable, Codable, Equatable {
    public struct Stage: Sendable, Codable, Equatable {
        public var name: String
        public var due: String
        public var note: String

        public init(name: String, due: String, note: String = "") {
            self.name = name
            self.due = due
            self.note = note
        }
    }

    /// Department code → what it does.
    public var responsibilities: [DepartmentCode: String]
    public var schedule: [Stage]

    public init(responsibilities: [DepartmentCode: String], schedule: [Stage]) {
        self.responsibilities = responsibilities
        self.schedule = schedule
    }

    /// Responsibilities only of the task's departments; stages named, in order, each on a working day within the
    /// task's window.
    public func validate(for task: InspectionTask, calendar: WorkingCalendar) throws(DomainError) {
        let departments = Set([task.originator] + task.participants)
        for (department, text) in responsibilities {
            guard departments.contains(department) else {
                throw DomainError(.unknownDepartment, "\(department) 不是本任务的部门", field: "responsibilities")
            }
            try Validation.text(text, field: "responsibilities.\(department)", label: "职责", required: true, maximum: 1000)
        }
        var previous: CalendarDate?
        for (index, stage) in schedule.enumerated() {
            try Validation.text(stage.name, field: "schedule[\(index)].name", label: "阶段名称", required: true, maximum: 50)
            try Validation.text(stage.note, field: "schedule[\(index)].note", label: "说明", maximum: 500)
            guard let due = CalendarDate(stage.due) else {
                throw DomainError(.invalidPeriod, "日期须为 YYYY-MM-DD", field: "schedule[\(index)].due")
            }
            if let previous, due < previous {
                throw DomainError(.invalidPeriod, "各阶段须按时间先后排列", field: "schedule[\(index)].due")
            }
            guard (task.windowStart...task.windowEnd).contains(due) else {
                throw DomainError(
                    .invalidPeriod,
                    "阶段日期须在任务的抽查时间窗口（\(task.windowStart.chineseDescription)至"
                        + "\(task.windowEnd.chineseDescription)）内", field: "schedule[\(index)].due")
            }
            try calendar.requireWorkingDay(due, field: "schedule[\(index)].due", label: "阶段日期")
            previous = due
        }
    }
}
