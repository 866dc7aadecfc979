import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// The demo county's master data: published item lists, joint lists with their overlaps resolved, 5,000 objects
/// across districts and risk classes graded by each industry's indicator system, 120 inspectors with qualifications, and a few conflict declarations.
///
/// Generated deterministically; each part is loaded only when its table holds nothing yet for the demo.
extension DemoCounty {
    public static let sampleObjectCount = 5_000
    public static let inspectorsPerDepartment = 20

    /// Districts of the demo city the objects are spread over.
    static let districts = ["330102", "330105", "330106", "330108", "330109", "330110"]

    /// `clock`: when the demo's draws are frozen and executed and its calls raised; `personalData`: loaded keys that
    /// seal the inspectors' phones.
    public static func loadSampleData(
        client: PostgresClient, personalData: PersonalDataCipher, clock: any WallClock, logger: Logger
    ) async throws {
        try await loadItemLists(client: client, logger: logger)
        try await loadJointLists(client: client, logger: logger)
        try await loadObjects(client: client, logger: logger)
        try await loadIndicatorSystems(client: client, logger: logger)
        try await loadInspectors(client: client, personalData: personalData, logger: logger)
        try await loadConflicts(client: client, personalData: personalData, logger: logger)
        try await loadDraws(client: client, now: clock.now, logger: logger)
        try await loadCoordination(client: client, now: clock.now, logger: logger)
    }

    private static func audit(_ action: String, _ objectType: String, _ objectID: String) -> AuditRecord.Entry {
        AuditRecord.Entry(actor: "demo", action: action, objectType: objectType, objectID: objectID, details: "示范数据")
    }

    static func loadItemLists(client: PostgresClient, logger: Logger) async throws {
        let repository = ListVersionRepository<ItemList>(client: client, logger: logger)
        for (department, items) in DemoItemLists.lists.sorted(by: { $0.key < $1.key }) {
            guard try await repository.published(department) == nil, try await repository.draft(department) == nil else { continue }
            _ = try await repository.createDraft(
                department, note: "示范县 2026 年随机抽查事项清单", document: ItemList(items: items),
                audit: audit("item_list.draft.create", "item_list", department))
            _ = try await repository.publishDraft(department, audit: audit("item_list.publish", "item_list", department))
        }
    }

    static func loadJointLists(client: PostgresClient, logger: Logger) async throws {
        let itemLists = ListVersionRepository<ItemList>(client: client, logger: logger)
        let jointLists = ListVersionRepository<JointList>(client: client, logger: logger)
        for industry in industries {
            guard let departments = industry.departments, try await jointLists.published(industry.code) == nil,
                try await jointLists.draft(industry.code) == nil
            else { continue }
            var sources: [(department: DepartmentCode, version: Int, list: ItemList)] = []
            for department in [departments.originator] + departments.participants {
                if let published = try await itemLists.published(department.rawValue) {
                    sources.append((department, published.version, published.document))
                }
            }
            var joint = JointList.merge(industry: industry.code, originator: departments.originator, lists: sources, missingDepartments: [])
            for number in joint.unresolved {
                guard let entry = joint.entries.first(where: { $0.number == number }) else { continue }
                let preferred = DemoItemLists.overlapLeads[industry.code]
                let lead =
                    entry.members.first { $0.ref == preferred }?.ref
                    ?? entry.members.first { $0.department == departments.originator }?.ref ?? entry.members[0].ref
                try joint.resolve(number, lead: lead, included: true, reason: "经议事会商确定牵头部门，其他部门配合")
            }
            _ = try await jointLists.createDraft(
                industry.code, note: "示范县 2026 年“一业一单”", document: joint,
                audit: audit("joint_list.draft.create", "joint_list", industry.code))
            _ = try await jointLists.publishDraft(industry.code, audit: audit("joint_list.publish", "joint_list", industry.code))
        }
    }

    static func loadObjects(client: PostgresClient, logger: Logger) async throws {
        let count = try await client.query("SELECT count(*) FROM objects", logger: logger).decode(Int.self).all().first ?? 0
        guard count == 0 else { return }
        let csv = DemoObjects.csv(count: sampleObjectCount)
        let chunks = AsyncStream<[UInt8]> { continuation in
            continuation.yield(Array(csv.utf8))
            continuation.finish()
        }
        let report = try await ObjectRepository(client: client, logger: logger)
            .importCSV(chunks, audit: audit("object.import", "object_directory", "demo"))
        logger.info("demo objects loaded", metadata: ["inserted": "\(report.inserted)", "rejected": "\(report.rejected)"])
    }

    static func loadInspectors(client: PostgresClient, personalData: PersonalDataCipher, logger: Logger) async throws {
        let repository = InspectorRepository(client: client, cipher: personalData, logger: logger)
        for (index, department) in departments.filter({ $0.kind == .regulator }).enumerated() {
            guard try await repository.list(.init(department: department.code), after: nil, limit: 1).isEmpty else { continue }
            let csv = DemoInspectors.csv(department: department.code, serial: index, count: inspectorsPerDepartment)
            let chunks = AsyncStream<[UInt8]> { continuation in
                continuation.yield(Array(csv.utf8))
                continuation.finish()
            }
            _ = try await repository.importCSV(
                chunks, department: department.code,
                audit: audit("inspector.import", "inspector_roster", department.code.rawValue))
            // The department's demo inspector user is its first roster entry.
            _ = try await client.query(
                """
                UPDATE inspectors SET user_id = (SELECT id FROM users WHERE username = \(department.code.rawValue + ".inspector"))
                WHERE certificate_number = \(DemoInspectors.certificate(department: department.code, number: 1))
                  AND NOT EXISTS (SELECT 1 FROM inspectors x JOIN users u ON u.id = x.user_id
                                  WHERE u.username = \(department.code.rawValue + ".inspector"))
                """, logger: logger)
        }
    }

    /// A few declarations: inspectors of the fuel-retail departments who must not inspect certain stations.
    static func loadConflicts(client: PostgresClient, personalData: PersonalDataCipher, logger: Logger) async throws {
        let count = try await client.query("SELECT count(*) FROM conflict_declarations", logger: logger).decode(Int.self).all().first ?? 0
        guard count == 0 else { return }
        let repository = InspectorRepository(client: client, cipher: personalData, logger: logger)
        let reasons = ["近亲属在该企业担任负责人", "曾在该企业任职未满三年", "与该企业存在经济往来", "本人持有该企业股份"]
        let stations = try await client.query(
            """
            SELECT credit_code FROM objects WHERE industries @> ARRAY['fuel_retail'] ORDER BY credit_code LIMIT 6
            """, logger: logger
        ).decode(String.self).all()
        for (index, station) in stations.enumerated() {
            let department: DepartmentCode = ["commerce", "fire", "emergency", "samr", "eco", "commerce"][index]
            guard let inspector = try await repository.list(.init(department: department), after: nil, limit: index + 1).last,
                let id = inspector.id
            else { continue }
            let conflict = ConflictDeclaration(
                inspectorID: id, creditCode: station, reason: reasons[index % reasons.count],
                from: CalendarDate(year: 2026, month: 1, day: 1)!, until: nil, declaredBy: "demo")
            _ = try await repository.declare(conflict, audit: audit("inspector.conflict.declare", "inspector", id.description))
        }
    }
}

extension DemoCounty {
    /// One executed joint draw per industry: a December task on its joint list, every contributing department
    /// committing and revealing a secret, the originator executing; drug retail's by `yiye-draw-v1`, so that the
    /// verification of draws executed before v2 stays exercised.
    static func loadDraws(client: PostgresClient, now: Date, logger: Logger) async throws {
        let tasks = TaskRepository(client: client, logger: logger)
        guard try await tasks.list(industry: nil, department: nil, after: nil, limit: 1).isEmpty else { return }
        let plans = PlanRepository(client: client, logger: logger)
        for industry in industries {
            guard industry.departments != nil else { continue }
            // Each industry's annual plan, with its one task, filed with the office before the task is drawn.
            let plan = try await plans.create(
                AnnualPlan(industry: industry.code, year: 2026, title: "2026 年度\(industry.name)部门联合抽查计划（示范）"),
                audit: audit("plan.create", "plan", industry.code))
            _ = try await drawTask(
                industry, planID: plan.id, name: "2026 年度\(industry.name)联合抽查（示范）",
                window: CalendarDate(year: 2026, month: 12, day: 1)!...CalendarDate(year: 2026, month: 12, day: 31)!,
                secretName: industry.code, algorithm: industry.code == "drug_retail" ? .v1 : .current, client: client, now: now,
                logger: logger)
            _ = try await plans.transition(plan.id ?? 0, to: .filed, audit: audit("plan.filed", "plan", String(plan.id ?? 0)))
        }
    }

    /// The name of the demo's task whose inspections are done: its results are entered through the API.
    public static let inspectedTaskName = "加油站联合抽查（示范，已完成现场检查）"

    /// A fuel-retail task whose window ended 45 days before `now` (so its results are due, some of them late), drawn
    /// like the others; nil when it exists already. Its results are the API's to enter (one way to enter a result).
    public static func loadInspectedDraw(client: PostgresClient, now: Date, logger: Logger) async throws -> DrawID? {
        let tasks = TaskRepository(client: client, logger: logger)
        let fuel = try await tasks.list(industry: "fuel_retail", department: nil, after: nil, limit: 100)
        guard !fuel.contains(where: { $0.name == inspectedTaskName }), let industry = industries.first(where: { $0.code == "fuel_retail" }),
            let planID = fuel.first?.planID
        else { return nil }
        let windowEnd = CalendarDate(chinaDateOf: now).adding(days: -45)
        return try await drawTask(
            industry, planID: planID, name: inspectedTaskName, window: windowEnd.adding(days: -29)...windowEnd,
            secretName: "inspected \(industry.code)", client: client, now: now,
            logger: logger)
    }

    /// The demo's year: a district's joint task of one industry in each of the eight months before the inspected
    /// draw's, each drawn three days before its month (by `now` moved back), the first of them named here. Their results
    /// are the API's to enter, by a clock of their month. Empty when they exist already.
    public static func loadPastDraws(client: PostgresClient, now: Date, logger: Logger) async throws -> [(
        DrawID, ClosedRange<CalendarDate>
    )] {
        let tasks = TaskRepository(client: client, logger: logger)
        let today = CalendarDate(chinaDateOf: now)
        let schedule = industries.filter { $0.departments != nil }
        var drawn: [(DrawID, ClosedRange<CalendarDate>)] = []
        for monthsBack in (3...10).reversed() {
            let industry = schedule[monthsBack % schedule.count]
            let window = firstOfMonth(today, monthsBack)...firstOfMonth(today, monthsBack - 1).adding(days: -1)
            let district = districts[monthsBack % 3]
            let name = "\(window.lowerBound.year) 年 \(window.lowerBound.month) 月\(industry.name)联合抽查（示范，\(district) 辖区）"
            if monthsBack == 10 {
                let existing = try await tasks.list(industry: industry.code, department: nil, after: nil, limit: 100)
                guard !existing.contains(where: { $0.name == name }) else { return [] }
            }
            let plan = try await PlanRepository(client: client, logger: logger)
                .list(industry: industry.code, department: nil, publishedOnly: false, after: nil, limit: 100)
                .first { $0.year == window.lowerBound.year }
            let drawnAt = window.lowerBound.adding(days: -3).startOfDayInChina.addingTimeInterval(9 * 3600)
            guard
                let id = try await drawTask(
                    industry, planID: plan?.id, name: name, window: window, regions: [district], secretName: name, client: client,
                    now: drawnAt, logger: logger)
            else { continue }
            drawn.append((id, window))
        }
        return drawn
    }

    /// The first day of the month `monthsBack` before `date`'s.
    private static func firstOfMonth(_ date: CalendarDate, _ monthsBack: Int) -> CalendarDate {
        let months = date.year * 12 + date.month - 1 - monthsBack
        return CalendarDate(year: months / 12, month: months % 12 + 1, day: 1)!
    }

    /// Creates the task and executes its draw: every contributing department commits and reveals a secret derived from
    /// the names (so the demo's draws are the same on every machine), the originator executes.
    private static func drawTask(
        _ industry: Industry, planID: Int64?, name: String, window: ClosedRange<CalendarDate>, regions: [String] = [],
        secretName: String, algorithm: DrawRecord.Algorithm = .current, client: PostgresClient, now: Date, logger: Logger
    ) async throws -> DrawID? {
        let jointLists = ListVersionRepository<JointList>(client: client, logger: logger)
        let draws = DrawRepository(client: client, logger: logger)
        guard let departments = industry.departments, let joint = try await jointLists.published(industry.code) else { return nil }
        let task = try await TaskRepository(client: client, logger: logger).create(
            InspectionTask(
                planID: planID, industry: industry.code, originator: departments.originator, name: name, kind: .annual,
                participants: departments.participants, jointListVersion: joint.version, entries: joint.document.taskEntries(chosen: []),
                scope: ObjectScope(regions: regions), windowStart: window.lowerBound, windowEnd: window.upperBound
            ), audit: audit("task.create", "task", industry.code))
        let parameters = DrawRecord.Parameters(
            originator: departments.originator, participants: departments.participants, sampling: task.sampling.rules)
        let id = try await draws.freeze(
            task: task, parameters: parameters, commitDeadline: now.addingTimeInterval(3600),
            revealDeadline: now.addingTimeInterval(7200), at: now, audit: audit("draw.freeze", "draw", industry.code))
        let secrets = parameters.contributors.map { ($0, SM3.hex("yiye demo secret \(secretName) \($0)")) }
        for (department, secret) in secrets {
            try await draws.commit(
                id, department: department, commitment: JointDraw.commitment(for: secret), at: now,
                audit: audit("draw.commit", "draw", id.description))
        }
        for (department, secret) in secrets {
            try await draws.reveal(id, department: department, secret: secret, at: now, audit: audit("draw.reveal", "draw", id.description))
        }
        let deadlines = try await CalendarRepository(client: client, logger: logger).executionDeadlines(
            executedOn: CalendarDate(chinaDateOf: now), windowEnd: task.windowEnd,
            resultWorkingDays: InspectionResult.defaultPublicationWorkingDays)
        _ = try await draws.execute(
            id, task: task, jointList: joint.document, deadlines: deadlines, at: now, audit: audit("draw.execute", "draw", id.description),
            algorithm: algorithm)
        return id
    }
}

/// A small deterministic generator (SplitMix64), so that every demo has the same data.
struct DemoRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0 ..< bound
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
}

/// The demo object directory as CSV.
enum DemoObjects {
    static func csv(count: Int) -> String {
        var random = DemoRandom(seed: 2026)
        var text = "统一社会信用代码,名称,类型,行业,行政区划代码,地址,规模,信用风险分类,评级日期,监管部门,状态,标签\n"
        let places = ["文一", "古墩", "良渚", "临平", "星桥", "仁和", "闲林", "五常", "塘栖", "径山", "瓶窑", "中泰", "仓前", "乔司"]
        let roads = ["文一西路", "古墩路", "良渚大道", "星桥北路", "临平大道", "五常大道", "东西大道", "荆长大道"]
        for serial in 1...count {
            let roll = random.below(100)
            let (industry, suffix, kind): (Industry, String, InspectedObject.Kind) =
                switch roll {
                case 0..<6: (DemoCounty.industries[0], "加油站", .enterprise)
                case 6..<66:
                    (
                        DemoCounty.industries[1], random.pick(["餐馆", "小吃店", "饭店", "食堂"]),
                        random.below(3) == 0 ? .enterprise : .individualTrader
                    )
                case 66..<90: (DemoCounty.industries[2], random.pick(["大药房", "药店", "医药连锁店"]), .enterprise)
                default: (DemoCounty.industries[3], "化工贸易有限公司", .enterprise)
                }
            let region = random.pick(DemoCounty.districts)
            let body = (kind == .individualTrader ? "92" : "91") + region + "MAD" + String(format: "%06d", serial)
            let code = body + String(CreditCode.checkCharacter(for: body)!)
            let risk =
                switch random.below(100) {
                case 0..<50: "A"
                case 50..<80: "B"
                case 80..<95: "C"
                default: "D"
                }
            let status =
                switch random.below(100) {
                case 0..<95: "存续"
                case 95..<97: "注销"
                case 97..<99: "列入经营异常名录"
                default: "列入严重违法失信名单"
                }
            let departments = ([industry.departments!.originator] + industry.departments!.participants).map(\.rawValue).joined(
                separator: ";")
            let scale = kind == .individualTrader ? "微型" : random.pick(["微型", "小型", "小型", "中型", "大型"])
            let rated = "2026-0\(1 + random.below(9))-1\(random.below(10))"
            let tags = random.below(10) == 0 ? "重点监管" : ""
            text +=
                "\(code),示范\(random.pick(places))\(serial)号\(suffix),\(kind.label),\(industry.code),\(region),"
                + "\(random.pick(roads))\(1 + random.below(999))号,\(scale),\(risk),\(rated),\(departments),\(status),\(tags)\n"
        }
        return text
    }
}

/// The demo inspector rosters as CSV, with the qualifications the demo items require.
enum DemoInspectors {
    static let prefixes: [DepartmentCode: String] = [
        "samr": "SC", "commerce": "SW", "emergency": "YJ", "fire": "XF", "eco": "HB", "health": "WJ",
    ]
    static let qualifications: [DepartmentCode: [String]] = [
        "samr": ["计量", "产品质量", "食品安全", "药品监管", "特种设备"],
        "commerce": ["成品油流通"],
        "emergency": ["危险化学品", "安全生产"],
        "fire": ["消防监督"],
        "eco": ["环境监察"],
        "health": ["卫生监督"],
    ]
    static let institutions = ["浙江省特种设备科学研究院", "杭州市质量技术监督检测院", "浙江省环境科技有限公司", "杭州市消防技术服务中心"]

    static func certificate(department: DepartmentCode, number: Int) -> String {
        "\(prefixes[department] ?? "ZF")-330110-\(String(format: "%04d", number))"
    }

    static func csv(department: DepartmentCode, serial: Int, count: Int) -> String {
        var random = DemoRandom(seed: 4_000 + UInt64(serial))
        let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
        let given = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰飞鹏斌宇浩凯鑫波婷欣然晨阳")
        let own = qualifications[department] ?? []
        var text = "执法证号,姓名,职务,执法岗位,联系电话,层级,行政区划代码,执法门类,资质,专业特长,状态,外部专家,所属机构\n"
        for number in 1...count {
            let name = String(random.pick(surnames)) + String(random.pick(given)) + (random.below(2) == 0 ? String(random.pick(given)) : "")
            let expert = number > count - 2
            // Every officer holds the department's first qualification, and some the others too.
            var tags = own.isEmpty ? [] : [own[0]]
            for tag in own.dropFirst() where random.below(2) == 0 { tags.append(tag) }
            if expert, own.count > 1 { tags = [own[number % own.count]] }
            let status = number == 5 ? "暂离岗位" : number == 9 ? "已离岗" : "在岗"
            let level = number <= 3 ? "市级" : "县级"
            let phone = "139" + String(format: "%08d", random.below(100_000_000))
            let region = DemoCounty.districts[random.below(DemoCounty.districts.count)]
            text +=
                "\(certificate(department: department, number: number)),\(name),\(expert ? "高级工程师" : random.pick(["科员", "副科长", "科长", "队员"])),"
                + "\(expert ? "技术专家" : "行政执法"),\(phone),\(level),\(region),\(expert ? "" : "综合执法"),\(tags.joined(separator: ";")),"
                + ",\(status),\(expert ? "是" : "否"),\(expert ? random.pick(institutions) : "")\n"
        }
        return text
    }
}
