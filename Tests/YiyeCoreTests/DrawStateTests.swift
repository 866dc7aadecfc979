import Foundation
import Testing
import YiyeCore

@Suite("Where a draw stands: closed tasks, confirmations, deadlines, and which refusals are state conflicts")
struct DrawStateTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func state(closed: Bool = false, committed: Bool = false, beacon: String? = nil) -> DrawState {
        let secret = String(repeating: "a", count: 64)
        return DrawState(
            contributors: ["commerce", "fire"],
            parties: committed
                ? [
                    .init(department: "commerce", commitment: JointDraw.commitment(for: secret), secret: secret),
                    .init(department: "fire", commitment: JointDraw.commitment(for: secret)),
                ] : [],
            commitDeadline: now.addingTimeInterval(3600), revealDeadline: now.addingTimeInterval(7200), executed: false,
            taskClosed: closed, beacon: beacon, beaconValue: nil
        )
    }

    @Test("a closed task's draw refuses every move with task_closed; an open one takes them")
    func closedTask() throws {
        let commitment = JointDraw.commitment(for: String(repeating: "b", count: 64))
        #expect(throws: DomainError(.taskClosed, "抽查任务已完结，其抽取不能再变动", field: "task")) {
            try Self.state(closed: true).checkCommit(by: "fire", commitment: commitment, at: Self.now)
        }
        try Self.state().checkCommit(by: "fire", commitment: commitment, at: Self.now)
        let revealing = Self.state(closed: true, committed: true)
        #expect(throws: DomainError.self) { try revealing.checkReveal(by: "fire", secret: String(repeating: "a", count: 64), at: Self.now) }
        #expect(throws: DomainError.self) { try revealing.checkExecute(at: Self.now.addingTimeInterval(8000)) }
        #expect(throws: DomainError.self) {
            try Self.state(closed: true, beacon: "上证指数收盘").checkBeacon(value: "3000.12", at: Self.now)
        }
        #expect { try revealing.checkTaskOpen() } throws: { ($0 as? DomainError)?.rule == .taskClosed }
        try Self.state(committed: true).checkTaskOpen()
    }

    @Test("a commitment that is not 64 hex characters names the commitment field")
    func commitmentField() {
        #expect { try Self.state().checkCommit(by: "fire", commitment: "xyz", at: Self.now) } throws: {
            ($0 as? DomainError)?.field == "commitment"
        }
    }

    /// Both contributors committed, nobody revealed yet: the reveal phase.
    static func committedOnly(beacon: String? = nil) -> DrawState {
        let secret = String(repeating: "a", count: 64)
        return DrawState(
            contributors: ["commerce", "fire"],
            parties: ["commerce", "fire"].map { .init(department: $0, commitment: JointDraw.commitment(for: secret)) },
            commitDeadline: now.addingTimeInterval(3600), revealDeadline: now.addingTimeInterval(7200), executed: false,
            beacon: beacon, beaconValue: nil)
    }

    @Test("v2's beacon: only where one was named, once, after the commitments and before any reveal; the reveals wait for it")
    func beacon() throws {
        let secret = String(repeating: "a", count: 64)
        #expect { try Self.committedOnly().checkBeacon(value: "1", at: Self.now) } throws: { ($0 as? DomainError)?.rule == .invalidValue }
        #expect { try Self.state(beacon: "上证指数收盘").checkBeacon(value: "3000.12", at: Self.now) } throws: {
            ($0 as? DomainError)?.message == "承诺阶段结束后方可录入公共信标的取值"
        }
        var named = Self.committedOnly(beacon: "上证指数收盘")
        #expect { try named.checkReveal(by: "fire", secret: secret, at: Self.now) } throws: {
            ($0 as? DomainError)?.message == "须先录入公共信标 上证指数收盘 的取值，公开阶段方才开始"
        }
        try named.checkBeacon(value: "3000.12", at: Self.now)
        named.beaconValue = "3000.12"
        try named.checkReveal(by: "fire", secret: secret, at: Self.now)
        #expect { try named.checkBeacon(value: "3001", at: Self.now) } throws: { ($0 as? DomainError)?.rule == .drawPhase }
        var revealed = Self.state(committed: true, beacon: "上证指数收盘")
        revealed.commitDeadline = Self.now.addingTimeInterval(-1)
        #expect { try revealed.checkBeacon(value: "3000.12", at: Self.now) } throws: {
            ($0 as? DomainError)?.message == "已有部门公开随机数，不能再录入公共信标"
        }
    }

    @Test("a draw nobody revealed to is voided after the reveal deadline, with a reason; then nothing moves on it")
    func void() throws {
        var draw = Self.committedOnly()
        #expect { try draw.checkVoid(reason: "各部门均未公开", at: Self.now) } throws: {
            ($0 as? DomainError)?.message == "公开期限届满仍无任何部门公开随机数的，方可作废"
        }
        let late = Self.now.addingTimeInterval(7200)
        #expect { try draw.checkVoid(reason: " ", at: late) } throws: { ($0 as? DomainError)?.field == "reason" }
        try draw.checkVoid(reason: "各部门均未公开", at: late)
        var revealedOne = Self.state(committed: true)
        revealedOne.commitDeadline = Self.now
        #expect { try revealedOne.checkVoid(reason: "x", at: late) } throws: { ($0 as? DomainError)?.rule == .drawPhase }
        draw.voidReason = "各部门均未公开"
        #expect(draw.phase(at: late) == .voided)
        #expect { try draw.checkExecute(at: late) } throws: { ($0 as? DomainError)?.message == "该抽取已作废，请重新冻结抽取" }
        #expect { try draw.checkVoid(reason: "再次", at: late) } throws: { ($0 as? DomainError)?.rule == .drawPhase }
    }

    /// Weekends and the fixed-date holidays of 2026 off.
    static let calendar = WorkingCalendar(years: [.provisional(2026)])

    @Test("a past commit deadline names commitDeadline; a reveal deadline not after it names revealDeadline; both on working days")
    func deadlines() throws {
        // Now is Monday 21 September 2026, 22:13 China time.
        #expect {
            try DrawState.deadlines(commit: Self.now.addingTimeInterval(-1), reveal: nil, now: Self.now, calendar: Self.calendar)
        } throws: {
            ($0 as? DomainError)?.field == "commitDeadline"
        }
        #expect {
            try DrawState.deadlines(
                commit: Self.now.addingTimeInterval(100), reveal: Self.now.addingTimeInterval(50), now: Self.now,
                calendar: Self.calendar)
        } throws: { ($0 as? DomainError)?.field == "revealDeadline" }
        // By default: the end of Tuesday 22nd for commitments, of Wednesday 23rd for reveals.
        let (commit, reveal) = try DrawState.deadlines(commit: nil, reveal: nil, now: Self.now, calendar: Self.calendar)
        #expect(
            CalendarDate(chinaDateOf: commit).description == "2026-09-22"
                && commit == CalendarDate(year: 2026, month: 9, day: 22)!.endOfDayInChina)
        #expect(reveal == CalendarDate(year: 2026, month: 9, day: 23)!.endOfDayInChina)
        // Saturday 26 September is a rest day: a commitment deadline then is refused, naming the day.
        let saturday = CalendarDate(year: 2026, month: 9, day: 26)!.startOfDayInChina.addingTimeInterval(12 * 3600)
        #expect { try DrawState.deadlines(commit: saturday, reveal: nil, now: Self.now, calendar: Self.calendar) } throws: {
            ($0 as? DomainError)?.field == "commitDeadline" && ($0 as? DomainError)?.message.contains("2026年9月26日是休息日") == true
        }
        #expect { try DrawState.deadlines(commit: nil, reveal: saturday, now: Self.now, calendar: Self.calendar) } throws: {
            ($0 as? DomainError)?.field == "revealDeadline"
        }
    }

    @Test("a confirmation: not before execution, not without an assignment, not twice; each with its own code")
    func confirmation() throws {
        #expect { try AssignmentConfirmation.checkConfirm(executed: false, assigned: true, confirmedAt: nil) } throws: {
            ($0 as? DomainError)?.rule == .drawPhase
        }
        #expect { try AssignmentConfirmation.checkConfirm(executed: true, assigned: false, confirmedAt: nil) } throws: {
            ($0 as? DomainError)?.rule == .noAssignment
        }
        #expect { try AssignmentConfirmation.checkConfirm(executed: true, assigned: true, confirmedAt: Self.now) } throws: {
            ($0 as? DomainError)?.rule == .alreadyConfirmed && ($0 as? DomainError)?.message.contains("确认派单") == true
        }
        try AssignmentConfirmation.checkConfirm(executed: true, assigned: true, confirmedAt: nil)
    }

    @Test("state conflicts (409) are the rules about where a thing stands; what a request says is 422")
    func stateConflicts() {
        let conflicts: [DomainError.Rule] = [
            .drawPhase, .taskClosed, .planStatus, .callClosed, .alreadyResponded, .alreadyConfirmed,
            .minutesFinal, .actionItemDone, .clueState,
        ]
        #expect(conflicts.allSatisfy { $0.isStateConflict })
        let rules: [DomainError.Rule] = [
            .invalidSecret, .invalidPeriod, .noAssignment, .notOriginator, .notAddressed, .invalidValue,
            .reasonRequired, .invalidCode,
        ]
        #expect(!rules.contains { $0.isStateConflict })
    }
}
