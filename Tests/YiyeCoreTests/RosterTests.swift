import Testing
import YiyeCore

@Suite("Inspector roster: fields, phones, conflicts, CSV rows")
struct RosterTests {
    static let inspector = Inspector(
        department: "fire", name: "王强", certificateNumber: "ZJ-3301-0001", phone: "13812345678",
        level: .county, regionCode: "330110")

    @Test("phones are mobile or landline numbers, and masked for others")
    func phones() throws {
        try Self.inspector.validate()
        #expect(Self.inspector.maskedPhone == "138****5678")
        var landline = Self.inspector
        landline.phone = "0571-87654321"
        try landline.validate()
        #expect(landline.maskedPhone == "0571-****4321")
        for bad in ["12345678901", "1381234567", "0571-123", "571-87654321", "138-1234-5678"] {
            var wrong = Self.inspector
            wrong.phone = bad
            #expect(throws: DomainError.self, "\(bad)") { try wrong.validate() }
        }
    }

    @Test("certificate numbers, experts' institutions and tags are checked")
    func fields() {
        var wrong = Self.inspector
        wrong.certificateNumber = "证1"
        #expect(throws: DomainError.self) { try wrong.validate() }
        var expert = Self.inspector
        expert.isExpert = true
        #expect(throws: DomainError.self) { try expert.validate() }
        expert.institution = "省特种设备检测研究院"
        #expect(throws: Never.self) { try expert.validate() }
        var tagged = Self.inspector
        tagged.qualifications = [""]
        #expect(throws: DomainError.self) { try tagged.validate() }
    }

    @Test("the own department and the office see phones; others do not")
    func visibility() {
        let own = Actor(userID: 1, username: "fire.dept_admin", department: "fire", departmentKind: .regulator, roles: [.deptAdmin])
        let other = Actor(userID: 2, username: "samr.dept_admin", department: "samr", departmentKind: .regulator, roles: [.deptAdmin])
        let office = Actor(
            userID: 3, username: "office.office_viewer", department: "office", departmentKind: .leadershipOffice,
            roles: [.officeViewer])
        #expect(own.seesPersonalData(of: "fire"))
        #expect(office.seesPersonalData(of: "fire"))
        #expect(!other.seesPersonalData(of: "fire"))
    }

    @Test("an inspector declares conflicts only for themself; heads and admins for their department")
    func conflictAuthority() {
        var linked = Self.inspector
        linked.username = "fire.inspector"
        let me = Actor(userID: 1, username: "fire.inspector", department: "fire", departmentKind: .regulator, roles: [.inspector])
        let colleague = Actor(userID: 2, username: "fire.inspector2", department: "fire", departmentKind: .regulator, roles: [.inspector])
        let head = Actor(userID: 3, username: "fire.dept_head", department: "fire", departmentKind: .regulator, roles: [.deptHead])
        let otherHead = Actor(userID: 4, username: "samr.dept_head", department: "samr", departmentKind: .regulator, roles: [.deptHead])
        #expect(me.mayDeclareConflict(for: linked))
        #expect(!colleague.mayDeclareConflict(for: linked))
        #expect(head.mayDeclareConflict(for: linked))
        #expect(!otherHead.mayDeclareConflict(for: linked))
    }

    @Test("a declaration needs a reason and an ordered period, and covers the days in it")
    func declarations() throws {
        let from = CalendarDate("2026-03-01")!
        var conflict = ConflictDeclaration(
            inspectorID: 1, creditCode: "91330110MA2B000012", reason: "配偶任该企业股东",
            from: from, until: CalendarDate("2026-12-31"), declaredBy: "x")
        conflict.creditCode = "91350100M000100Y43"
        try conflict.validate()
        #expect(conflict.covers(CalendarDate("2026-03-01")!))
        #expect(conflict.covers(CalendarDate("2026-12-31")!))
        #expect(!conflict.covers(CalendarDate("2027-01-01")!))
        #expect(!conflict.covers(CalendarDate("2026-02-28")!))
        var reversed = conflict
        reversed.until = CalendarDate("2026-02-01")
        #expect(throws: DomainError(.invalidPeriod, "回避期限的结束日期不能早于开始日期", field: "until")) { try reversed.validate() }
        var unreasoned = conflict
        unreasoned.reason = ""
        #expect(throws: DomainError.self) { try unreasoned.validate() }
    }

    @Test("CSV rows take Chinese labels; the level is required; 外部专家 is 是 or 否")
    func csvRows() throws {
        let layout = try InspectorCSV(header: ["执法证号", "姓名", "层级", "行政区划代码", "资质", "外部专家", "所属机构", "状态"])
        let expert = try layout.inspector(
            from: ["ZJ-EX-01", "李工", "市级", "330100", "特种设备;压力容器", "是", "市特检院", "在岗"],
            department: "samr")
        #expect(expert.isExpert && expert.level == .municipal && expert.qualifications == ["特种设备", "压力容器"])
        #expect(throws: DomainError.self) {
            try layout.inspector(from: ["ZJ-EX-02", "张工", "", "330100", "", "否", "", ""], department: "samr")
        }
        #expect(throws: DomainError.self) {
            try layout.inspector(from: ["ZJ-EX-03", "张工", "县级", "330100", "", "也许", "", ""], department: "samr")
        }
        #expect(throws: DomainError.self) { try InspectorCSV(header: ["姓名", "层级"]) }
    }
}
