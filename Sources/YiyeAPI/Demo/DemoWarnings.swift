import Foundation
import YiyeContract
import YiyeCore
import YiyeStore

/// 风险预警 in the demo, after its results: the office's rule for every industry and fuel retail's own rules, evaluated
/// once, through the same handlers as any request; of fuel retail's warnings one is started as a triggered task
/// sampling by grade, one dismissed, one put on a new meeting's agenda, and the rest left to judge.
extension APIHandlers {
    public func loadDemoWarnings() async throws {
        guard try await warnings.rules(industries: nil).isEmpty else { return }
        let rules: [(user: String, body: [String: Any])] = [
            (
                "office.office_admin",
                ["name": "行业问题发现率偏高", "kind": "problem_rate", "scope": "industry", "threshold": 20, "days": 365, "minimumResults": 5]
            ),
            (
                "commerce.dept_admin",
                [
                    "industry": "fuel_retail", "name": "同一加油站一年内两次发现问题", "kind": "repeated_problems", "scope": "object", "threshold": 2,
                    "days": 365,
                ]
            ),
            (
                "commerce.dept_admin",
                ["industry": "fuel_retail", "name": "加油站被投诉举报", "kind": "clue_volume", "scope": "object", "threshold": 1, "days": 365]
            ),
            (
                "commerce.dept_admin",
                ["industry": "fuel_retail", "name": "评定等级恶化", "kind": "grade_worsened", "scope": "object", "threshold": 1, "days": 30]
            ),
        ]
        for rule in rules {
            try await demoAct(rule.user) { _ = try await createWarningRule(.init(body: .json(try demoBody(rule.body)))) }
        }
        try await demoAct("office.office_admin") { _ = try await evaluateWarnings(.init()) }
        let raised = try await warnings.list(industries: nil, industry: "fuel_retail", state: .raised, before: nil, limit: 10)
            .map(\.warning).filter { $0.scope == .object }
        let today = CalendarDate(chinaDateOf: clock.now)
        let judgements: [[String: Any]] = [
            [
                "decision": "task",
                "task": [
                    "name": "风险预警触发的加油站专项检查", "windowStart": today.adding(days: 3).description,
                    "windowEnd": today.adding(days: 33).description,
                    "sampling": [
                        "basis": "grade",
                        "rules": ["1": ["ratio": "1"], "2": ["ratio": "1"], "3": ["ratio": "1"], "4": ["ratio": "1"], "-": ["ratio": "1"]],
                    ],
                ] as [String: Any],
            ],
            ["decision": "dismiss", "reason": "经核实，投诉事项已由属地市场监管所现场处理完毕"],
            ["decision": "agenda"],
        ]
        for (warning, judgement) in zip(raised, judgements) {
            var body = judgement
            if judgement["decision"] as? String == "agenda" {
                body["meetingId"] = try await demoMeeting(on: today.adding(days: 5))
            }
            try await demoAct("commerce.dept_head") {
                _ = try await judgeWarning(.init(path: .init(id: warning.id), body: .json(try demoBody(body))))
            }
        }
    }

    /// A fuel-retail meeting to judge warnings at.
    private func demoMeeting(on day: CalendarDate) async throws -> Int64 {
        var id: Int64 = 0
        try await demoAct("commerce.dept_head") {
            let body: [String: Any] = [
                "industry": "fuel_retail", "kind": "ad_hoc", "title": "风险预警研判会商", "startsAt": "\(day)T02:00:00Z", "location": "区商务局会议室",
                "agenda": ["通报近期风险预警"], "invitees": ["fire", "samr", "emergency"],
            ]
            guard case .created(let created) = try await convokeMeeting(.init(body: .json(try demoBody(body)))),
                case .json(let meeting) = created.body
            else { throw APIError.internal }
            id = meeting.id
        }
        return id
    }
}
