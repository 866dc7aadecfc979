import Foundation
import YiyeContract
import YiyeCore
import YiyeStore

/// 一公开 in the demo: the results of the demo's inspected fuel-retail draw, entered by the demo's users through the
/// same handlers as any request (so every rule applies), in every state: drafts, submitted, returned, published with
/// every category, withheld, an objection under re-examination, an upheld objection with two versions, a pending
/// follow-up resolved, a credit repair, a visit signed and one refused before a witness. What is left unentered is
/// past its deadline, and the deadline service escalates it on its first sweep.
extension APIHandlers {
    /// One department's result of one drawn object, and the department's entries of the joint sheet.
    struct DemoPair {
        var object: String
        var name: String
        var department: DepartmentCode
        var own: [Int: InspectionItem]

        var sampled: Bool { own.values.contains { $0.methods.contains(.samplingTest) } }
        var inspected: Bool { own.values.contains { $0.methods.contains { $0 != .samplingTest } } }
    }

    /// Enters the demo's results of `drawID`, the inspected draw.
    public func loadDemoResults(_ drawID: DrawID) async throws {
        guard let (draw, task, pairs) = try await demoPairs(drawID) else { return }
        var used = Set<Int>()
        /// The next pair `fits`, on an object no scenario used yet when there is one.
        func take(_ fits: (DemoPair) -> Bool = { $0.inspected }) -> DemoPair? {
            let candidates = pairs.indices.filter { !used.contains($0) && fits(pairs[$0]) }
            guard
                let index = candidates.first(where: { index in !used.contains { pairs[$0].object == pairs[index].object } })
                    ?? candidates.first
            else { return nil }
            used.insert(index)
            return pairs[index]
        }
        let today = CalendarDate(chinaDateOf: clock.now)
        let inspectedOn = task.windowStart.adding(days: 7)

        // Every category at least once, each published.
        let categories: [(fits: (DemoPair) -> Bool, problem: ItemResult.Outcome?, category: [String: Any])] = [
            ({ $0.inspected }, nil, ["category": "no_problem"]),
            ({ $0.inspected }, nil, ["category": "unpublished_info", "orderedOn": task.windowStart.description]),
            ({ $0.inspected }, nil, ["category": "falsified_info", "details": "年报公示的从业人数与社保缴纳记录明显不符"]),
            (
                { $0.inspected }, nil,
                ["category": "unreachable", "unreachableProof": "on_site_certified", "details": "两次实地核查，登记的经营场所已改作他用"]
            ),
            (
                { $0.inspected }, nil,
                ["category": "refused_inspection", "refusal": "refused_entry", "details": "拒绝执法人员进入储油区，执法记录仪 ZF-2026-0917"]
            ),
            ({ $0.inspected }, nil, ["category": "no_related_activity", "details": "被检查对象书面承诺：本年度未开展便利店食品经营"]),
            ({ $0.inspected }, .abnormal, ["category": "ordered_to_correct", "correctionDue": today.adding(days: 30).description]),
            ({ $0.inspected }, .abnormal, ["category": "pending_follow_up"]),
            ({ $0.sampled }, nil, ["category": "pass"]),
            ({ $0.sampled }, .fail, ["category": "fail", "correctionDue": today.adding(days: 30).description]),
            ({ $0.inspected }, nil, ["category": "other", "details": "检查期间加油站停业装修，已约定复业后补查"]),
        ]
        var published: [String: DemoPair] = [:]
        for (fits, problem, category) in categories {
            guard let pair = take(fits) else { continue }
            try await demoEnter(pair, drawID, on: inspectedOn, problem: problem, categories: [category], publish: true)
            published[category["category"] as? String ?? ""] = pair
        }

        // Drafts, submitted, returned: not yet public.
        if let draft = take() { try await demoEnter(draft, drawID, on: inspectedOn, problem: nil, categories: [], submit: false) }
        if let submitted = take() {
            try await demoEnter(submitted, drawID, on: inspectedOn, problem: nil, categories: [["category": "no_problem"]])
        }
        if let returned = take() {
            try await demoEnter(returned, drawID, on: inspectedOn, problem: nil, categories: [["category": "no_problem"]])
            try await demoAct("\(returned.department).reviewer") {
                _ = try await reviewObjectResult(
                    .init(
                        path: .init(id: drawID.rawValue, creditCode: returned.object, department: returned.department.rawValue),
                        body: .json(try demoBody(["decision": "return", "opinion": "请补充第一项的检查方式说明"]))))
            }
        }

        // The refusal's visit noted before a witness, and a visit signed.
        let signed = categories.compactMap { published[$0.category["category"] as? String ?? ""] }.first {
            $0.object != published["refused_inspection"]?.object
        }
        for (pair, body) in [
            (
                published["refused_inspection"],
                [
                    "confirmation": "refused", "recordingReference": "执法记录仪 ZF-2026-0917",
                    "witness": ["name": "李明（社区网格员）", "contact": "13900000000"],
                ]
                    as [String: Any]
            ),
            (signed, ["confirmation": "signed", "signedBy": "王经理（站长）"]),
        ] {
            guard let pair else { continue }
            let team = try await draws.standingTeams(draw).first { $0.objectID == pair.object }
            var visit = body
            visit["visitedAt"] = inspectedOn.startOfDayInChina.addingTimeInterval(10 * 3600).ISO8601Format()
            visit["inspectors"] = Array((team?.members ?? []).map(\.inspectorID).prefix(2))
            visit["credentialsShown"] = true
            try await demoAct("\(pair.department).dept_admin") {
                _ = try await recordSiteVisit(
                    .init(path: .init(id: drawID.rawValue, creditCode: pair.object), body: .json(try demoBody(visit))))
            }
        }

        // Withheld after publication: the items, for a trade secret.
        if let pair = published["pass"] ?? published["no_problem"] {
            try await demoAct("\(pair.department).dept_head") {
                _ = try await withholdObjectResult(
                    .init(
                        path: .init(id: drawID.rawValue, creditCode: pair.object, department: pair.department.rawValue),
                        body: .json(
                            try demoBody([
                                "ground": "trade_secret", "scope": "items", "items": [pair.own.keys.sorted()[0]],
                                "reason": "抽检数据涉及企业自有油品配方",
                            ]))))
            }
        }

        // A pending follow-up resolved (version 2); a problem rectified, closed and its credit repaired (version 2).
        if let pair = published["pending_follow_up"] {
            try await demoFollowUp(pair, drawID, ["kind": "resolved", "on": today.description, "note": "经调查，储罐液位异常系仪表故障，已更换"])
        }
        if let pair = published["ordered_to_correct"] {
            try await demoFollowUp(pair, drawID, ["kind": "recheck", "on": today.description, "note": "复查已整改到位", "rectified": true])
            try await demoFollowUp(pair, drawID, ["kind": "closed", "on": today.description, "note": "整改到位，办结"])
            try await demoAct("\(pair.department).dept_head") {
                _ = try await grantPublicityRelief(
                    .init(
                        path: .init(id: drawID.rawValue, creditCode: pair.object, department: pair.department.rawValue),
                        body: .json(
                            try demoBody([
                                "kind": "credit_repair", "applicant": "王经理（法定代表人）", "appliedOn": today.description,
                                "ground": "已按期整改并经复查合格，依申请予以信用修复",
                            ]))))
            }
        }

        // Objections: one upheld with a corrected version, one still being re-examined.
        if let pair = take() {
            try await demoEnter(
                pair, drawID, on: inspectedOn, problem: .abnormal, categories: [["category": "ordered_to_correct"]], publish: true)
            let objection = try await demoObjection(pair, grounds: "第一项检查时设备正在例行检修，并非日常运行状态，附检修记录")
            var correction: [String: Any] = ["items": demoItems(pair.own, problem: nil), "categories": [["category": "no_problem"]]]
            correction["inspectedOn"] = inspectedOn.description
            try await demoAct("\(pair.department).dept_head") {
                _ = try await decideObjection(
                    .init(
                        path: .init(id: objection),
                        body: .json(
                            try demoBody(["decision": "upheld", "opinion": "经复查检修记录属实，原认定有误，予以更正", "correction": correction]))))
            }
        }
        if let pair = take() {
            try await demoEnter(
                pair, drawID, on: inspectedOn, problem: .abnormal, categories: [["category": "ordered_to_correct"]], publish: true)
            _ = try await demoObjection(pair, grounds: "整改期限过短，请求复查")
        }
    }

    /// The draw's results to enter: one per staffed team and department that records one.
    func demoPairs(_ drawID: DrawID) async throws -> (DrawRepository.Draw, InspectionTask, [DemoPair])? {
        guard let draw = try await draws.find(drawID), let task = try await tasks.find(draw.taskID) else { return nil }
        let originator = try await demoActor("\(task.originator).dept_head")
        var pairs: [DemoPair] = []
        for team in try await draws.standingTeams(draw) where team.unstaffed == nil {
            let drawn = try await RequestScope.as(originator) { try await drawnObject(drawID, object: team.objectID, for: originator) }
            for department in team.resultDepartments {
                pairs.append(
                    DemoPair(object: team.objectID, name: drawn.object.name, department: department, own: drawn.entries(of: department)))
            }
        }
        return (draw, task, pairs)
    }

    /// The demo user `username` as an actor.
    private func demoActor(_ username: String) async throws -> Actor {
        guard let user = try await users.find(username), let department = try await departments.find(user.department) else {
            throw APIError.notFound("示范用户 \(username)")
        }
        return Actor(
            userID: user.id, username: user.username, department: user.department, departmentKind: department.kind, roles: user.roles)
    }

    /// Runs `body` as the demo user `username`.
    func demoAct(_ username: String, _ body: () async throws -> Void) async throws {
        let actor = try await demoActor(username)
        try await RequestScope.as(actor, body)
    }

    /// Saves the pair's result, with every item answered (the first abnormal or failed when `problem`), then submits,
    /// approves and publishes it as far as asked.
    func demoEnter(
        _ pair: DemoPair, _ drawID: DrawID, on inspectedOn: CalendarDate, problem: ItemResult.Outcome?, categories: [[String: Any]],
        submit: Bool = true, publish: Bool = false
    ) async throws {
        let tested = categories.contains { ["pass", "fail"].contains($0["category"] as? String) }
        let body: [String: Any] = [
            "inspectedOn": inspectedOn.description, "items": demoItems(pair.own, problem: problem, tested: tested),
            "categories": categories,
            "remarks": problem == nil ? "" : "已当场告知整改要求",
        ]
        try await demoAct("\(pair.department).dept_admin") {
            _ = try await saveObjectResult(
                .init(
                    path: .init(id: drawID.rawValue, creditCode: pair.object, department: pair.department.rawValue),
                    body: .json(try demoBody(body))))
            if submit {
                _ = try await submitObjectResult(
                    .init(path: .init(id: drawID.rawValue, creditCode: pair.object, department: pair.department.rawValue)))
            }
        }
        guard publish else { return }
        try await demoAct("\(pair.department).reviewer") {
            _ = try await reviewObjectResult(
                .init(
                    path: .init(id: drawID.rawValue, creditCode: pair.object, department: pair.department.rawValue),
                    body: .json(try demoBody(["decision": "approve"]))))
            _ = try await publishObjectResult(
                .init(path: .init(id: drawID.rawValue, creditCode: pair.object, department: pair.department.rawValue)))
        }
    }

    /// Every entry answered the usual way: by a sampling test where the entry is only tested, or wherever it may be
    /// when `tested`; the first entry that can carry `problem` carries it.
    private func demoItems(_ own: [Int: InspectionItem], problem: ItemResult.Outcome?, tested: Bool = false) -> [[String: Any]] {
        var pending = problem
        return own.keys.sorted().compactMap { number in
            guard let item = own[number] else { return nil }
            let tested = item.methods.contains(.samplingTest) && (tested || !item.methods.contains { $0 != .samplingTest })
            guard let method = tested ? .samplingTest : item.methods.first(where: { $0 != .samplingTest }) else { return nil }
            var outcome: ItemResult.Outcome = tested ? .pass : .normal
            if let wanted = pending, wanted.isSamplingTest == tested {
                outcome = wanted
                pending = nil
            }
            var answer: [String: Any] = ["entry": number, "outcome": outcome.rawValue, "method": method.rawValue]
            if outcome.isProblem { answer["finding"] = "\(item.content)：现场发现不符合要求" }
            return answer
        }
    }

    func demoFollowUp(_ pair: DemoPair, _ drawID: DrawID, _ step: [String: Any]) async throws {
        try await demoAct("\(pair.department).dept_admin") {
            _ = try await recordFollowUpStep(
                .init(
                    path: .init(id: drawID.rawValue, creditCode: pair.object, department: pair.department.rawValue),
                    body: .json(try demoBody(step))))
        }
    }

    /// The business objects online to the pair's published result; returns the objection's id.
    private func demoObjection(_ pair: DemoPair, grounds: String) async throws -> Int64 {
        guard
            let published = try await results.published(.init(creditCode: pair.object, department: pair.department), before: nil, limit: 1)
                .first
        else { throw APIError.notFound("公示的检查结果") }
        let filing = try demoBody(
            ["creditCode": pair.object, "businessName": pair.name, "contact": "王经理 13800000000", "grounds": grounds],
            as: Components.Schemas.ObjectionFiling.self)
        guard case .created(let created) = try await fileObjection(.init(path: .init(id: published.version.resultID), body: .json(filing))),
            case .json(let receipt) = created.body
        else { throw APIError.internal }
        return receipt.id
    }

    /// A request body from its JSON, as a client would send it.
    func demoBody<Body: Decodable>(_ json: [String: Any], as type: Body.Type = Body.self) throws -> Body {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Body.self, from: try JSONSerialization.data(withJSONObject: json))
    }
}

extension RequestScope {
    /// Runs `body` as `actor`, as if a request of theirs were being served.
    static func `as`<T>(_ actor: Actor, _ body: () async throws -> T) async throws -> T {
        var scope = current
        scope.credentials = .session(actor: actor, tokenHash: "demo")
        return try await $current.withValue(scope) { try await body() }
    }
}
