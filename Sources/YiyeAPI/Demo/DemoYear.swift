import Foundation
import YiyeContract
import YiyeCore
import YiyeStore

/// The demo's year of activity, so that every figure of the dashboard has months behind it: each of the past months'
/// district tasks (`DemoCounty.loadPastDraws`) is replayed through the API's own handlers, each step by a clock set to
/// its day. The originator whistles the participants six days before the month and they answer within hours or a day
/// (one declines now and then); the departments confirm their assignments two days before the month; during the month every drawn object is inspected and its results published, most within
/// the deadline and one a month in three late; problems are rechecked and closed three weeks later, the fails of
/// sampling tests left open; the originator closes the task after the month.
extension APIHandlers {
    public func loadDemoYear(_ drawn: [(DrawID, ClosedRange<CalendarDate>)]) async throws {
        for (month, (drawID, window)) in drawn.enumerated() {
            guard let (_, task, pairs) = try await demoPairs(drawID) else { continue }
            try await demoCall(task, raisedOn: window.lowerBound.adding(days: -6), month: month)
            let confirming = at(window.lowerBound.adding(days: -2), hour: 11)
            for confirmation in try await draws.confirmations(drawID) {
                try await confirming.demoAct("\(confirmation.department).dept_head") {
                    _ = try await confirming.confirmDrawAssignments(.init(path: .init(id: drawID.rawValue)))
                }
            }
            try await demoResults(pairs, drawID, window: window, month: month)
            let closing = at(window.upperBound.adding(days: 50), hour: 16)
            try await closing.demoAct("\(task.originator).dept_head") {
                _ = try await closing.closeTask(.init(path: .init(id: task.id?.rawValue ?? 0)))
            }
        }
    }

    /// These handlers on `day` at `hour` o'clock, China time.
    private func at(_ day: CalendarDate, hour: Double) -> APIHandlers {
        clocked(ManualClock(day.startOfDayInChina.addingTimeInterval(hour * 3600)))
    }

    /// The originator's call to the task's draw, each participant's answer some hours later, and its closing.
    private func demoCall(_ task: InspectionTask, raisedOn day: CalendarDate, month: Int) async throws {
        let raising = at(day, hour: 9)
        var callID: Int64?
        try await raising.demoAct("\(task.originator).dept_head") {
            let body: [String: Any] = [
                "industry": task.industry, "taskId": task.id?.rawValue ?? 0, "stage": "drawing",
                "title": "关于参加\(task.name)的吹哨", "content": "请各参与部门于期限内提交承诺值、确认派员，并反馈本部门检查重点。",
                "actionRequired": "确认派员人数，提交承诺值", "addressed": task.participants.map(\.rawValue), "deadlineWorkingDays": 3,
            ]
            if case .created(let created) = try await raising.raiseCall(.init(body: .json(try demoBody(body)))),
                case .json(let call) = created.body
            {
                callID = call.id
            }
        }
        guard let callID else { throw APIError.internal }
        let hours: [Double] = [1.5, 4, 7, 20, 30]
        for (index, department) in task.participants.enumerated() {
            let answering = at(day, hour: 9 + hours[(month + index) % hours.count])
            let declines = (month + index) % 7 == 3
            let body: [String: Any] =
                declines
                ? ["action": "decline", "text": "本月执法力量已安排专项行动，请下次联合检查时再行衔接"]
                : ["action": "accept", "text": "已安排执法人员参加，承诺值按时提交"]
            try await answering.demoAct("\(department).dept_head") {
                _ = try await answering.actOnCall(.init(path: .init(id: callID), body: .json(try demoBody(body))))
            }
        }
        let closing = at(day.adding(days: 2), hour: 17)
        try await closing.demoAct("\(task.originator).dept_head") {
            _ = try await closing.closeCall(.init(path: .init(id: callID)))
        }
    }

    /// Every result of the draw entered, reviewed and published in the month; problems rechecked and closed later.
    private func demoResults(_ pairs: [DemoPair], _ drawID: DrawID, window: ClosedRange<CalendarDate>, month: Int) async throws {
        let span = window.upperBound.dayNumber - window.lowerBound.dayNumber
        for (index, pair) in pairs.enumerated() {
            let inspectedOn = window.lowerBound.adding(days: (index * 5 + month) % span)
            let late = index == 0 && month % 3 == 1
            let entered = inspectedOn.adding(days: late ? 40 : 1 + index % 6)
            let correctionDue = entered.adding(days: 30).description
            let (problem, category): (ItemResult.Outcome?, [String: Any]) =
                if !pair.inspected && pair.sampled {
                    index % 4 == 1 ? (.fail, ["category": "fail", "correctionDue": correctionDue]) : (nil, ["category": "pass"])
                } else if pair.inspected && index % 5 == 2 {
                    (.abnormal, ["category": "ordered_to_correct", "correctionDue": correctionDue])
                } else if index % 11 == 7 {
                    (nil, ["category": "unpublished_info", "orderedOn": entered.adding(days: -12).description])
                } else {
                    (nil, ["category": "no_problem"])
                }
            try await at(entered, hour: 10).demoEnter(
                pair, drawID, on: inspectedOn, problem: problem, categories: [category], publish: true)
            guard problem == .abnormal else { continue }
            let rechecked = entered.adding(days: 21)
            let following = at(rechecked, hour: 15)
            try await following.demoFollowUp(
                pair, drawID, ["kind": "recheck", "on": rechecked.description, "note": "复查已整改到位", "rectified": true])
            try await following.demoFollowUp(pair, drawID, ["kind": "closed", "on": rechecked.description, "note": "整改到位，办结"])
        }
    }
}
