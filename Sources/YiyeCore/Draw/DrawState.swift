import Foundation

/// Where a frozen draw stands (docs/DRAW-SPEC.md §2): departments commit, then reveal, then the originator executes.
/// The phase follows from the commitments, the reveals and the deadlines.
public struct DrawState: Sendable {
    public enum Phase: String, Sendable, CaseIterable {
        /// Taking commitments, until every contributor has committed or the commit deadline passes.
        case committing
        /// Taking reveals from those who committed; executable once all revealed or the reveal deadline passed.
        case revealing
        case executed
        /// Voided by the originator when nobody revealed by the deadline; the task may freeze a new draw.
        case voided

        public var label: String {
            switch self {
            case .committing: "提交承诺值"
            case .revealing: "公开随机数"
            case .executed: "已执行"
            case .voided: "已作废"
            }
        }
    }

    public struct Party: Sendable, Equatable {
        public var department: DepartmentCode
        public var commitment: String?
        public var secret: String?

        public init(department: DepartmentCode, commitment: String? = nil, secret: String? = nil) {
            self.department = department
            self.commitment = commitment
            self.secret = secret
        }
    }

    /// The originator and every participant, in that order.
    public var contributors: [DepartmentCode]
    public var parties: [DepartmentCode: Party]
    public var commitDeadline: Date
    public var revealDeadline: Date
    public var executed: Bool
    /// The task was closed: nothing about its draw moves any more.
    public var taskClosed: Bool
    /// The beacon named at freeze time, and its value once entered.
    public var beacon: String?
    public var beaconValue: String?
    public var beaconEntry: DrawRecord.BeaconEntry?
    /// Why the originator voided the draw, when it did.
    public var voidReason: String?

    public init(
        contributors: [DepartmentCode], parties: [Party], commitDeadline: Date, revealDeadline: Date, executed: Bool,
        taskClosed: Bool = false, beacon: String?, beaconValue: String?, beaconEntry: DrawRecord.BeaconEntry? = nil,
        voidReason: String? = nil
    ) {
        self.contributors = contributors
        self.parties = Dictionary(parties.map { ($0.department, $0) }, uniquingKeysWith: { first, _ in first })
        self.commitDeadline = commitDeadline
        self.revealDeadline = revealDeadline
        self.executed = executed
        self.taskClosed = taskClosed
        self.beacon = beacon
        self.beaconValue = beaconValue
        self.beaconEntry = beaconEntry
        self.voidReason = voidReason
    }

    /// The commit and reveal deadlines of a draw frozen at `now`, both on working days (China time): by default the
    /// end of the next working day for commitments and of the working day after for reveals; commitments close after
    /// now, reveals after commitments.
    public static func deadlines(
        commit: Date?, reveal: Date?, now: Date, calendar: WorkingCalendar
    ) throws(DomainError) -> (commit: Date, reveal: Date) {
        func nextWorkingDayEnd(after instant: Date, field: String) throws(DomainError) -> Date {
            do { return try calendar.adding(workingDays: 1, to: CalendarDate(chinaDateOf: instant)).endOfDayInChina } catch {
                throw DomainError(.invalidCalendar, error.description, field: field)
            }
        }
        let commitDeadline = if let commit { commit } else { try nextWorkingDayEnd(after: now, field: "commitDeadline") }
        guard commitDeadline > now else { throw DomainError(.invalidPeriod, "承诺截止时间须晚于现在", field: "commitDeadline") }
        let revealDeadline = if let reveal { reveal } else { try nextWorkingDayEnd(after: commitDeadline, field: "revealDeadline") }
        guard revealDeadline > commitDeadline else {
            throw DomainError(.invalidPeriod, "公开截止时间须晚于承诺截止时间", field: "revealDeadline")
        }
        try calendar.requireWorkingDay(CalendarDate(chinaDateOf: commitDeadline), field: "commitDeadline", label: "承诺截止时间")
        try calendar.requireWorkingDay(CalendarDate(chinaDateOf: revealDeadline), field: "revealDeadline", label: "公开截止时间")
        return (commitDeadline, revealDeadline)
    }

    private var committed: [Party] { contributors.compactMap { parties[$0] }.filter { $0.commitment != nil } }

    public func phase(at now: Date) -> Phase {
        if executed { return .executed }
        if voidReason != nil { return .voided }
        if now < commitDeadline, committed.count < contributors.count { return .committing }
        return .revealing
    }

    /// Nothing moves on the draw of a closed task: no commitment, reveal, beacon, execution, change or confirmation.
    public func checkTaskOpen() throws(DomainError) {
        guard !taskClosed else { throw DomainError(.taskClosed, "抽查任务已完结，其抽取不能再变动", field: "task") }
    }

    /// Nothing moves on a voided draw either.
    private func checkMovable() throws(DomainError) {
        try checkTaskOpen()
        guard voidReason == nil else { throw DomainError(.drawPhase, "该抽取已作废，请重新冻结抽取", field: "draw") }
    }

    /// The value of the beacon named at freeze time (docs/DRAW-SPEC.md §2, v2): once, after the commitments close and
    /// before any secret is revealed, so that whoever enters it cannot know the secrets.
    public func checkBeacon(value: String, at now: Date) throws(DomainError) {
        try checkMovable()
        guard let beacon else { throw DomainError(.invalidValue, "该抽取冻结时未指定公共信标，无需录入取值", field: "value") }
        guard beaconValue == nil, !executed else {
            throw DomainError(.drawPhase, "公共信标 \(beacon) 的取值已录入，不可更改", field: "value")
        }
        guard phase(at: now) == .revealing else {
            throw DomainError(.drawPhase, "承诺阶段结束后方可录入公共信标的取值", field: "value")
        }
        guard reveals.isEmpty else { throw DomainError(.drawPhase, "已有部门公开随机数，不能再录入公共信标", field: "value") }
        try Validation.text(value, field: "value", label: "信标取值", required: true, maximum: 200)
    }

    /// The originator voids a draw nobody revealed a secret to by the reveal deadline (docs/DRAW-SPEC.md §2): it can
    /// never run; the reason is kept and the task may freeze a new draw.
    public func checkVoid(reason: String, at now: Date) throws(DomainError) {
        try checkMovable()
        guard !executed else { throw DomainError(.drawPhase, "该抽取已执行，不能作废", field: "draw") }
        guard reveals.isEmpty else { throw DomainError(.drawPhase, "已有部门公开随机数，抽取可以执行，不能作废", field: "draw") }
        guard now >= revealDeadline else {
            throw DomainError(.drawPhase, "公开期限届满仍无任何部门公开随机数的，方可作废", field: "draw")
        }
        try Validation.text(reason, field: "reason", label: "作废理由", required: true, maximum: 500)
    }

    /// A contributor's commitment `H(secret)`, once, while commitments are taken.
    public func checkCommit(by department: DepartmentCode, commitment: String, at now: Date) throws(DomainError) {
        try checkMovable()
        guard contributors.contains(department) else {
            throw DomainError(.notContributor, "本部门不是该抽取的发起或参与部门", field: "department")
        }
        guard phase(at: now) == .committing else {
            throw DomainError(.drawPhase, "承诺阶段已结束，不能再提交承诺值", field: "commitment")
        }
        guard parties[department]?.commitment == nil else {
            throw DomainError(.drawPhase, "本部门已提交承诺值，不可更改", field: "commitment")
        }
        try JointDraw.validate(commitment: commitment)
    }

    /// A reveal: after the commitments (and the beacon's value, when one was named), before the reveal deadline,
    /// matching the commitment.
    public func checkReveal(by department: DepartmentCode, secret: String, at now: Date) throws(DomainError) {
        try checkMovable()
        guard contributors.contains(department) else {
            throw DomainError(.notContributor, "本部门不是该抽取的发起或参与部门", field: "department")
        }
        guard phase(at: now) == .revealing, now < revealDeadline else {
            throw DomainError(.drawPhase, now >= revealDeadline ? "公开期限已过" : "承诺阶段尚未结束，暂不能公开随机数", field: "secret")
        }
        guard let party = parties[department], let commitment = party.commitment else {
            throw DomainError(.drawPhase, "本部门未在期限内提交承诺值，不能公开", field: "secret")
        }
        guard party.secret == nil else { throw DomainError(.drawPhase, "本部门已公开随机数", field: "secret") }
        if let beacon, beaconValue == nil {
            throw DomainError(.drawPhase, "须先录入公共信标 \(beacon) 的取值，公开阶段方才开始", field: "secret")
        }
        try JointDraw.validate(secret: secret)
        guard JointDraw.commitment(for: secret) == commitment else {
            throw DomainError(.invalidSecret, "公开的随机数与本部门的承诺值不符", field: "secret")
        }
    }

    /// Execution: every committed party revealed, or the reveal deadline passed with at least one reveal; the beacon
    /// entered when one was named.
    public func checkExecute(at now: Date) throws(DomainError) {
        try checkMovable()
        guard phase(at: now) == .revealing else {
            throw DomainError(.drawPhase, executed ? "该抽取已执行" : "承诺阶段尚未结束", field: "draw")
        }
        let pending = committed.filter { $0.secret == nil }
        guard pending.isEmpty || now >= revealDeadline else {
            throw DomainError(
                .drawPhase, "尚有部门未公开随机数：\(pending.map(\.department.rawValue).joined(separator: "、"))；须等其公开或公开期限届满",
                field: "draw")
        }
        guard !reveals.isEmpty else { throw DomainError(.drawPhase, "没有任何部门公开随机数，不能执行", field: "draw") }
        if beacon != nil, beaconValue == nil {
            throw DomainError(.drawPhase, "尚未录入公共信标 \(beacon!) 的取值", field: "beacon")
        }
    }

    public var reveals: [DrawRecord.Reveal] {
        contributors.compactMap { parties[$0] }.compactMap { party in party.secret.map { .init(department: party.department, secret: $0) } }
    }

    public var commitments: [DrawRecord.Commitment] {
        contributors.compactMap { parties[$0] }.compactMap { party in
            party.commitment.map { .init(department: party.department, commitment: $0) }
        }
    }

    /// Contributors without a reveal: recorded absent.
    public var absent: [DepartmentCode] {
        contributors.filter { parties[$0]?.secret == nil }
    }
}

extension JointList {
    /// What each department must send to an object of `kind` in a task on `entries` (empty: every included one)
    /// with `participants`: the originator always; a participant when one of its items applies, with the
    /// qualifications its items there require.
    public func needs(
        for kind: InspectedObject.Kind, entries chosen: [Int], participants: [DepartmentCode],
        overrides: [DepartmentCode: Int]
    ) -> [DrawRecord.Need] {
        var departments: [DepartmentCode] = [originator]
        var qualifications: [DepartmentCode: [String]] = [:]
        for entry in includedEntries where chosen.isEmpty || chosen.contains(entry.number) {
            guard entry.item.objectKinds.contains(kind) else { continue }
            for member in entry.members where member.department == originator || participants.contains(member.department) {
                if !departments.contains(member.department) { departments.append(member.department) }
                qualifications[member.department, default: []].appendMissing(member.item.qualifications)
            }
        }
        return JointDraw.needs(originator: originator, departments: departments, qualifications: qualifications, overrides: overrides)
    }
}

/// Why a candidate was left out of a draw; when several apply, the first of these cases is given.
public enum ExclusionReason: String, Sendable, CaseIterable {
    /// 已注销
    case deregistered
    /// Inspected twice this year already (the cap of docs/DOMAIN.md).
    case annualCap = "annual_cap"
    /// Drawn in another task still open.
    case openTask = "open_task"

    public var label: String {
        switch self {
        case .deregistered: "已注销"
        case .annualCap: "本年度已被抽查 2 次"
        case .openTask: "已在其他未完结的抽查任务中"
        }
    }

    /// The most inspections of one business a year.
    public static let inspectionsPerYear = 2
}
