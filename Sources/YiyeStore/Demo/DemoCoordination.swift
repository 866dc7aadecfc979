import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// The demo's coordination: whistle calls with every kind of response (one past its deadline and escalated), a
/// regular meeting with finalized minutes and action items (one overdue and escalated), and clues in each state,
/// one under joint verification. Loaded once, after the draws.
extension DemoCounty {
    static func loadCoordination(client: PostgresClient, now: Date, logger: Logger) async throws {
        let calls = WhistleRepository(client: client, logger: logger)
        guard try await calls.list(department: nil, after: nil, limit: 1).isEmpty else { return }
        let meetings = MeetingRepository(client: client, logger: logger)
        let clues = ClueRepository(client: client, logger: logger)
        let calendar = CalendarRepository(client: client, logger: logger)
        let names = try await DepartmentRepository(client: client, logger: logger).names()
        let today = CalendarDate(chinaDateOf: now)
        let threeWorkingDays = WorkingDayCount(from: today, workingDays: 3)
        let inThreeWorkingDays = try await calendar.deadline(threeWorkingDays).date.endOfDayInChina
        /// `hours` before now: the demo's calls were raised and answered over the last days.
        func ago(hours: Double) -> Date { now.addingTimeInterval(-hours * 3600) }
        func entry(_ actor: String, _ action: String) -> AuditRecord.Entry {
            AuditRecord.Entry(actor: actor, action: action, details: "示范数据")
        }

        // 吹哨: the originator of fuel retail calls all four participants to the December draw.
        let drawing = WhistleCall(
            industry: "fuel_retail", stage: .drawing, title: "关于参加 2026 年度加油站联合抽查的吹哨",
            content: "商务局牵头开展 2026 年度成品油零售行业联合抽查，请各参与部门提交承诺值、确认派员，并于 12 月 1 日前反馈检查重点。",
            actionRequired: "确认派员人数，反馈本部门检查重点", raisedBy: "commerce", raisedAt: ago(hours: 30), deadline: inThreeWorkingDays,
            deadlineCount: threeWorkingDays, responses: ["eco", "emergency", "fire", "samr"].map { .init(department: $0) }
        )
        let drawingID = try await calls.create(drawing, audit: entry("commerce.dept_head", "call.raise")) {
            drawing.notices(raisedAs: $0, names: names)
        }
        try await respond(calls, drawingID, at: ago(hours: 28), "fire", .accept, "已安排 2 名执法人员，重点检查消防设施和疏散通道", names)
        try await respond(calls, drawingID, at: ago(hours: 27), "samr", .ask, "是否需要同步开展油品质量抽检？", names)
        _ = try await calls.update(
            drawingID, department: "commerce", action: "answer", text: "需要，请按 10% 比例抽检", at: ago(hours: 25),
            audit: entry("commerce.dept_head", "call.answer")
        ) {
            try $0.answer("samr", text: "需要，请按 10% 比例抽检", by: "commerce")
            return $0.notices(answering: "samr", names: names)
        }
        try await respond(calls, drawingID, at: ago(hours: 22), "samr", .accept, "同意，随队抽检油品质量", names)
        try await respond(calls, drawingID, at: ago(hours: 6), "eco", .decline, "本月执法人员参加省级环保督察，请改由下月专项检查衔接", names)
        try await respond(calls, drawingID, at: now, "emergency", .read, "", names)

        // Catering: a call whose deadline has passed; health answered, fire did not and is escalated below.
        let late = WhistleCall(
            industry: "catering", stage: .inspection, title: "集中用餐单位实地检查人员安排",
            content: "请于期限内确认参加学校食堂联合检查的人员。", actionRequired: "确认参检人员", raisedBy: "samr",
            raisedAt: ago(hours: 5 * 24), deadline: ago(hours: 2 * 24), responses: [.init(department: "fire"), .init(department: "health")]
        )
        let lateID = try await calls.create(late, audit: entry("samr.dept_head", "call.raise")) { late.notices(raisedAs: $0, names: names) }
        try await respond(calls, lateID, at: ago(hours: 4 * 24), "health", .accept, "派 1 名卫生监督员参加", names)

        // A participant calls its originator about something only it can see.
        let upward = WhistleCall(
            industry: "fuel_retail", stage: .adHoc, title: "发现加油站油气回收装置普遍异常",
            content: "消防检查中发现辖区多家加油站油气回收装置未正常运行，存在火灾隐患。", actionRequired: "请商务局组织专题会商",
            raisedBy: "fire", raisedAt: ago(hours: 2), deadline: inThreeWorkingDays, responses: [.init(department: "commerce")]
        )
        _ = try await calls.create(upward, audit: entry("fire.dept_head", "call.raise")) { upward.notices(raisedAs: $0, names: names) }

        // 议事会商: the fourth quarter's regular meeting, minutes finalized, three action items.
        let quarter = Meeting(
            industry: "fuel_retail", kind: .regular, title: "2026 年第四季度成品油零售行业联席会商",
            agenda: ["通报前三季度检查情况", "研究年度联合抽查方案", "部署油气回收专项整治"],
            startsAt: try Date("2026-10-09T01:30:00Z", strategy: .iso8601), location: "商务局三楼会议室", convenedBy: "commerce",
            invitees: ["eco", "emergency", "fire", "samr"], callIDs: [drawingID]
        )
        let meetingID = try await meetings.create([quarter], audit: entry("commerce.dept_head", "meeting.convoke"), names: names)[0]
        let minutes = Minutes(
            version: 1, attendees: ["commerce", "eco", "fire", "samr"],
            content: "会议通报了前三季度各部门对加油站的检查情况，研究了年度联合抽查方案，应急管理局因故请假。",
            decisions: ["12 月开展一次联合抽查，商务局牵头，各部门派员组成联合检查组", "消防救援大队牵头油气回收专项整治"],
            writtenBy: "commerce.dept_admin"
        )
        _ = try await meetings.writeMinutes(meetingID, audit: entry("commerce.dept_admin", "meeting.minutes")) { _ in minutes }
        _ = try await meetings.writeMinutes(meetingID, audit: entry("commerce.dept_head", "meeting.finalize")) {
            try Minutes.finalize($0, by: "commerce.dept_head", at: now)
        }
        let items = [
            ActionItem(meetingID: meetingID, description: "督促 3 家加油站完成消防设施整改", owner: "fire", due: today.adding(days: 20)),
            ActionItem(meetingID: meetingID, description: "汇总前三季度油品质量抽检结果", owner: "samr", due: today.adding(days: -10)),
            ActionItem(meetingID: meetingID, description: "核查油气回收在线监测数据", owner: "eco", due: today.adding(days: -5)),
        ]
        var itemIDs: [Int64] = []
        for item in items {
            itemIDs.append(
                try await meetings.addActionItem(
                    item, meetingTitle: quarter.title, audit: entry("commerce.dept_head", "meeting.action_item")))
        }
        _ = try await meetings.updateActionItem(itemIDs[1], audit: entry("samr.dept_head", "meeting.action_item.complete")) {
            try $0.complete(by: "samr", actor: "samr.dept_head", note: "已汇总 42 批次，合格 41 批次，不合格 1 批次已立案", at: now)
        }

        // 问题线索 in each state.
        let drawn = try await client.query(
            """
            SELECT t.id, o.credit_code FROM tasks t JOIN draws d ON d.task_id = t.id JOIN drawn_objects o ON o.draw_id = d.id
            WHERE t.industry_code = 'fuel_retail' ORDER BY o.rank LIMIT 1
            """, logger: logger
        ).decode((TaskID, String).self).all().first
        let reported: [(Clue, [DepartmentCode])] = [
            (
                Clue(
                    industry: "fuel_retail", source: .complaint, description: "群众举报某加油站夜间向无证车辆散装销售汽油。",
                    suspectedViolation: "违规散装销售汽油", legalBasis: "《危险化学品安全管理条例》第三十七条", evidence: ["举报电话记录 12345-20261118-031"],
                    foundBy: "commerce"), ["emergency", "eco"]
            ),
            (
                Clue(
                    industry: "fuel_retail", source: .inspection, taskID: drawn?.0, objectCreditCode: drawn?.1,
                    description: "联合检查中发现该加油站销售的 92 号汽油疑似不合格。", suspectedViolation: "销售不合格油品",
                    legalBasis: "《产品质量法》第三十九条", evidence: ["现场检查笔录", "抽样单 SC-2026-1203"], foundBy: "fire"), ["samr"]
            ),
            (
                Clue(
                    industry: "catering", source: .complaint, description: "举报某餐馆后厨油烟直排居民楼。", suspectedViolation: "油烟未经处理直接排放",
                    legalBasis: "《大气污染防治法》第八十一条", foundBy: "samr"), ["eco"]
            ),
            (
                Clue(
                    industry: "catering", source: .complaint, description: "举报某小吃店无证经营且占道。", suspectedViolation: "占道经营",
                    foundBy: "health"), ["samr"]
            ),
        ]
        var clueIDs: [Int64] = []
        for (var clue, departments) in reported {
            let fiveWorkingDays = WorkingDayCount(from: today, workingDays: 5)
            try clue.route(
                to: departments, deadline: try await calendar.deadline(fiveWorkingDays).date.endOfDayInChina, counted: fiveWorkingDays,
                by: clue.foundBy,
                actor: "\(clue.foundBy).dept_admin", originator: clue.foundBy, isOffice: false,
                regulators: Set(DemoCounty.departments.filter { $0.kind == .regulator }.map(\.code)), now: now)
            clueIDs.append(
                try await clues.create(clue, at: now, audit: entry("\(clue.foundBy).dept_admin", "clue.report")) {
                    $0.routedNotices(departments, names: names)
                })
        }
        // Held by emergency and eco: the originator organises a joint verification.
        guard let jointClue = try await clues.find(clueIDs[0]),
            let fuel = industries.first(where: { $0.code == "fuel_retail" })?.departments
        else {
            throw StoreError.unexpected("demo clue missing")
        }
        let joint = try jointClue.jointVerification(
            departments: fuel, deadline: inThreeWorkingDays, meetingStartsAt: nil, location: "", now: now)
        _ = try await clues.organizeJointVerification(
            clueIDs[0], call: joint.call, meeting: nil, names: names,
            audit: entry("commerce.dept_head", "clue.joint_verification"))
        try await decide(clues, clueIDs[1], at: now, "samr", .accept, "", nil, names)
        try await decide(clues, clueIDs[2], at: now, "eco", .accept, "", nil, names)
        try await decide(clues, clueIDs[2], at: now, "eco", .conclude, "已责令安装油烟净化设施，复查合格", .rectified, names)
        try await decide(clues, clueIDs[3], at: now, "samr", .return, "占道经营属城市管理部门职责，请重新分办", nil, names)

        // What is overdue by now is escalated, as the deadline service would on its first sweep.
        _ = try await EscalationRepository(client: client, logger: logger).sweep(now: now)
    }

    private static func respond(
        _ calls: WhistleRepository, _ id: Int64, at now: Date, _ department: DepartmentCode, _ action: WhistleCall.Action, _ text: String,
        _ names: [DepartmentCode: String]
    ) async throws {
        _ = try await calls.update(
            id, department: department, action: action.rawValue, text: text, at: now,
            audit: .init(actor: "\(department).dept_head", action: "call.\(action.rawValue)", details: "示范数据")
        ) {
            try $0.act(action, by: department, text: text, at: now)
            return $0.notices(after: action, by: department, names: names)
        }
    }

    private static func decide(
        _ clues: ClueRepository, _ id: Int64, at now: Date, _ department: DepartmentCode, _ decision: Clue.Decision, _ reason: String,
        _ outcome: Clue.Outcome?, _ names: [DepartmentCode: String]
    ) async throws {
        _ = try await clues.update(
            id, department: department, action: decision.rawValue, text: reason, at: now,
            audit: .init(actor: "\(department).dept_head", action: "clue.\(decision.rawValue)", details: "示范数据")
        ) { clue in
            try clue.decide(decision, by: department, reason: reason, outcome: outcome, at: now)
            let originator = DemoCounty.industries.first { $0.code == clue.industry }?.departments?.originator ?? ""
            return clue.decisionNotices(decision, by: department, originator: originator, offices: ["office"], names: names)
        }
    }
}
