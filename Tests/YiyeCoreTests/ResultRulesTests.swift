import Foundation
import Testing
import YiyeCore

@Suite("一公开: a department's result, its recognition rules, review and publication")
struct ResultRulesTests {
    static let today = CalendarDate("2026-11-30")!
    static let window = CalendarDate("2026-11-02")!...CalendarDate("2026-11-27")!
    /// Fire's part of a sheet: entry 3 checked on site, entry 7 by a sampling test.
    static let own: [Int: InspectionItem] = [
        3: InspectionItem(
            code: "XF-01", project: "消防安全", content: "消防设施、器材完好有效", legalBasis: "《消防法》第十六条", objectKinds: [.enterprise],
            methods: [.onSite, .documentReview], industries: ["fuel_retail"]),
        7: InspectionItem(
            code: "XF-05", project: "消防产品", content: "灭火器药剂合格", legalBasis: "《消防法》第二十四条", objectKinds: [.enterprise],
            methods: [.samplingTest], industries: ["fuel_retail"]),
    ]

    static func result(_ items: [ItemResult], _ categories: [CategoryFinding] = [CategoryFinding(.noProblem)]) -> InspectionResult {
        InspectionResult(
            drawID: 1, creditCode: "91330110MA2ABCDE10", department: "fire", items: items, categories: categories,
            enteredBy: "fire.inspector", publishDue: CalendarDate("2026-12-25")!)
    }

    static let clean = [
        ItemResult(entry: 3, outcome: .normal, method: .onSite), ItemResult(entry: 7, outcome: .pass, method: .samplingTest),
    ]
    static let problem = [
        ItemResult(entry: 3, outcome: .abnormal, method: .onSite, finding: "灭火器压力不足", breachedBasis: "《消防法》第十六条"),
        ItemResult(entry: 7, outcome: .pass, method: .samplingTest),
    ]

    static func rule(_ body: () throws(DomainError) -> Void) -> (DomainError.Rule, String?)? {
        do {
            try body()
            return nil
        } catch {
            return (error.rule, error.field)
        }
    }

    @Test("a draft answers only the department's own entries, once each, by one of the item's methods, with findings for problems")
    func drafts() {
        func check(_ result: InspectionResult) -> (DomainError.Rule, String?)? {
            Self.rule { () throws(DomainError) in try result.checkDraft(own: Self.own, window: Self.window, today: Self.today) }
        }
        #expect(check(Self.result(Self.clean)) == nil)
        #expect(check(Self.result([ItemResult(entry: 4, outcome: .normal, method: .onSite)]))! == (.unknownItem, "items[0].entry"))
        #expect(check(Self.result(Self.clean + [Self.clean[0]]))! == (.invalidValue, "items[2].entry"))
        #expect(check(Self.result([ItemResult(entry: 3, outcome: .normal, method: .samplingTest)]))! == (.invalidValue, "items[0].method"))
        #expect(check(Self.result([ItemResult(entry: 7, outcome: .normal, method: .samplingTest)]))! == (.invalidValue, "items[0].outcome"))
        #expect(check(Self.result([ItemResult(entry: 3, outcome: .pass, method: .onSite)]))! == (.invalidValue, "items[0].outcome"))
        #expect(check(Self.result([ItemResult(entry: 3, outcome: .abnormal, method: .onSite)]))! == (.invalidText, "items[0].finding"))
        var visited = Self.result(Self.clean)
        visited.inspectedOn = CalendarDate("2026-11-28")
        #expect(check(visited)! == (.invalidPeriod, "inspectedOn"), "after the window")
        visited.inspectedOn = CalendarDate("2026-11-27")
        #expect(check(visited) == nil)
        var submitted = Self.result(Self.clean)
        submitted.status = .submitted
        #expect(check(submitted)! == (.resultStatus, "result"))
    }

    @Test("each category needs what the standard asks before it is recognised")
    func recognition() {
        func check(_ items: [ItemResult], _ finding: CategoryFinding) -> (DomainError.Rule, String?)? {
            Self.rule { () throws(DomainError) in try finding.check(items: items, today: Self.today, index: 0) }
        }
        #expect(check(Self.clean, CategoryFinding(.noProblem)) == nil)
        #expect(check(Self.problem, CategoryFinding(.noProblem))! == (.categoryUnproven, "categories[0].category"))
        // Ordered in writing on 20 November: the 10 days end on 30 November, so it is recognised from that day.
        #expect(check(Self.clean, CategoryFinding(.unpublishedInfo))! == (.categoryUnproven, "categories[0].orderedOn"))
        #expect(
            check(Self.clean, CategoryFinding(.unpublishedInfo, orderedOn: CalendarDate("2026-11-21")))!
                == (.categoryUnproven, "categories[0].orderedOn"))
        #expect(check(Self.clean, CategoryFinding(.unpublishedInfo, orderedOn: CalendarDate("2026-11-20"))) == nil)
        #expect(check(Self.clean, CategoryFinding(.unreachable, details: "两次邮寄"))! == (.categoryUnproven, "categories[0].unreachableProof"))
        #expect(
            check(Self.clean, CategoryFinding(.unreachable, unreachableProof: .lettersUnsigned))! == (
                .categoryUnproven, "categories[0].details"
            ))
        #expect(
            check(Self.clean, CategoryFinding(.unreachable, unreachableProof: .lettersUnsigned, details: "EMS 1131 与 1187 均退回")) == nil)
        #expect(check(Self.clean, CategoryFinding(.refusedInspection, details: "录像 R-7"))! == (.categoryUnproven, "categories[0].refusal"))
        #expect(check(Self.clean, CategoryFinding(.refusedInspection, refusal: .refusedEntry, details: "录像 R-7")) == nil)
        #expect(check(Self.clean, CategoryFinding(.noRelatedActivity))! == (.categoryUnproven, "categories[0].details"))
        #expect(check(Self.clean, CategoryFinding(.orderedToCorrect))! == (.categoryUnproven, "categories[0].category"))
        #expect(check(Self.problem, CategoryFinding(.orderedToCorrect, correctionDue: CalendarDate("2026-12-15"))) == nil)
        #expect(
            check(Self.problem, CategoryFinding(.orderedToCorrect, correctionDue: CalendarDate("2026-11-29")))!
                == (.invalidPeriod, "categories[0].correctionDue"))
        #expect(check(Self.clean, CategoryFinding(.pass)) == nil)
        #expect(check(Self.clean, CategoryFinding(.fail))! == (.categoryUnproven, "categories[0].category"))
        #expect(check(Self.clean, CategoryFinding(.other))! == (.categoryUnproven, "categories[0].details"))
    }

    @Test("submission needs every own entry and a consistent set of categories; each category proposes its follow-up")
    func submission() {
        func submit(_ result: InspectionResult) -> (DomainError.Rule, String?)? {
            var result = result
            return Self.rule { () throws(DomainError) in try result.submit(own: Self.own, by: "fire.inspector", today: Self.today) }
        }
        #expect(submit(Self.result([Self.clean[0]]))! == (.resultIncomplete, "items"))
        #expect(submit(Self.result(Self.clean, []))! == (.resultIncomplete, "categories"))
        #expect(
            submit(Self.result(Self.problem, [CategoryFinding(.orderedToCorrect), CategoryFinding(.noProblem)]))!
                == (.categoryUnproven, "categories[1].category"))
        #expect(submit(Self.result(Self.clean, [CategoryFinding(.noProblem), CategoryFinding(.pass)])) == nil)
        #expect(ResultCategory.unreachable.followUp == .abnormalOperationList)
        #expect(ResultCategory.refusedInspection.followUp == .publishRefusal)
        #expect(ResultCategory.orderedToCorrect.followUp == .rectification)
        #expect(ResultCategory.pendingFollowUp.followUp == .investigation)
        #expect(ResultCategory.noProblem.followUp == nil)
    }

    @Test("a reviewer of someone else's entry approves, returns or rejects with an opinion; only approved results are published")
    func reviewAndPublication() throws {
        var result = Self.result(Self.clean)
        #expect(Self.rule { () throws(DomainError) in try result.publish() }! == (.resultStatus, "result"))
        #expect(
            Self.rule { () throws(DomainError) in try result.review(.approve, by: "fire.reviewer", opinion: "") }! == (
                .resultStatus, "result"
            ))
        try result.submit(own: Self.own, by: "fire.inspector", today: Self.today)
        #expect(
            Self.rule { () throws(DomainError) in try result.review(.approve, by: "fire.inspector", opinion: "") }! == (.ownEntry, "result")
        )
        #expect(
            Self.rule { () throws(DomainError) in try result.review(.return, by: "fire.reviewer", opinion: " ") }! == (
                .invalidText, "opinion"
            ))
        try result.review(.return, by: "fire.reviewer", opinion: "请补充检查日期")
        #expect(result.status == .returned && result.status.isEditable)
        try result.submit(own: Self.own, by: "fire.inspector", today: Self.today)
        try result.review(.approve, by: "fire.reviewer", opinion: "")
        #expect(result.status == .approved && !result.status.isEditable)
        try result.publish()
        #expect(result.status == .published)
        #expect(Self.rule { () throws(DomainError) in try result.publish() }! == (.resultStatus, "result"))
    }

    @Test("the public face shows 检查实施机关, 类型, 日期, 结果, 备注 and the items checked, the window's end when no visit was recorded")
    func publicFace() {
        var result = Self.result(Self.problem, [CategoryFinding(.orderedToCorrect)])
        result.remarks = "已当场整改"
        let object = InspectedObject(
            creditCode: "91330110MA2ABCDE10", name: "示范加油站", kind: .enterprise, industries: ["fuel_retail"], regionCode: "330110",
            address: "示范路 1 号", supervisingDepartments: ["commerce"])
        let face = PublicResult(
            result, object: object, industry: "fuel_retail", taskName: "加油站联合抽查", windowEnd: Self.window.upperBound,
            authority: "消防救援大队", entries: Self.own)
        #expect(face.authority == "消防救援大队" && face.inspectionType == "部门联合双随机抽查")
        #expect(face.inspectedOn == CalendarDate("2026-11-27"))
        #expect(face.categories.map(\.label) == ["发现问题，依法责令立即改正或者限期改正"])
        #expect(face.items.map(\.content) == ["消防设施、器材完好有效", "灭火器药剂合格"])
        #expect(face.items.map(\.outcomeLabel) == ["不正常", "合格"])
        #expect(face.remarks == "已当场整改")
    }
}
