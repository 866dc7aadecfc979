import Testing
import YiyeCore

@Suite("Departments and industries: field rules")
struct OrganizationTests {
    @Test(
        "department codes are short lowercase identifiers",
        arguments: [
            ("samr", true), ("fire_rescue2", true), ("ab", true),
            ("a", false), ("Samr", false), ("1samr", false), ("sa-mr", false), ("市场", false), ("", false),
            (String(repeating: "a", count: 33), false), (String(repeating: "a", count: 32), true),
        ])
    func departmentCode(code: String, valid: Bool) {
        let department = Department(code: DepartmentCode(code), name: "市场监督管理局", kind: .regulator, regionCode: "330110")
        #expect(rule(of: department.validate) == (valid ? nil : .invalidCode))
    }

    @Test(
        "region codes are six digits per GB/T 2260",
        arguments: [
            ("330110", true), ("110000", true), ("033011", false), ("33011", false), ("3301100", false), ("33011a", false),
        ])
    func regionCode(code: String, valid: Bool) {
        let department = Department(code: "samr", name: "市场监督管理局", kind: .regulator, regionCode: code)
        #expect(rule(of: department.validate) == (valid ? nil : .invalidRegionCode))
    }

    @Test(
        "names are required, trimmed and at most 100 characters",
        arguments: [
            ("商务局", true), ("", false), ("   ", false), (" 商务局", false), ("商务局\n", false),
            (String(repeating: "局", count: 100), true), (String(repeating: "局", count: 101), false),
        ])
    func name(name: String, valid: Bool) {
        let department = Department(code: "commerce", name: name, kind: .regulator, regionCode: "330110")
        #expect(rule(of: department.validate) == (valid ? nil : .invalidName))
    }

    @Test(
        "GB/T 4754 codes are a section letter with an optional 2- to 4-digit class",
        arguments: [
            ("F5265", true), ("H62", true), ("F", true), ("F526", true),
            ("f5265", false), ("U52", false), ("F5", false), ("F52651", false), ("5265", false),
        ])
    func gbtCode(code: String, valid: Bool) {
        let industry = Industry(code: "fuel_retail", name: "成品油零售", gbtCode: code)
        #expect(rule(of: industry.validate) == (valid ? nil : .invalidGBTIndustryCode))
    }

    static let known: [DepartmentCode: Department.Kind] = [
        "office": .leadershipOffice, "commerce": .regulator, "samr": .regulator, "fire": .regulator,
    ]

    @Test("an industry's departments: a regulator leads, others join once, the office never takes part")
    func industryDepartments() {
        func check(_ originator: String, _ participants: [String]) -> DomainError.Rule? {
            let departments = IndustryDepartments(originator: DepartmentCode(originator), participants: participants.departmentCodes)
            return rule { () throws(DomainError) in try departments.validate(knownDepartments: Self.known) }
        }
        #expect(check("commerce", ["samr", "fire"]) == nil)
        #expect(check("commerce", []) == nil)
        #expect(check("office", ["samr"]) == .departmentNotRegulator)
        #expect(check("commerce", ["office"]) == .departmentNotRegulator)
        #expect(check("nobody", ["samr"]) == .unknownDepartment)
        #expect(check("commerce", ["ghost"]) == .unknownDepartment)
        #expect(check("commerce", ["samr", "samr"]) == .duplicateParticipant)
        #expect(check("commerce", ["commerce"]) == .originatorAlsoParticipant)
    }

    @Test("participants are stored in a stable order")
    func normalizedOrder() {
        let departments = IndustryDepartments(originator: "commerce", participants: ["samr", "fire", "eco"]).normalized
        #expect(departments.participants == ["eco", "fire", "samr"])
    }
}

/// The rule a validation broke, or nil when it passed.
func rule(of validation: () throws(DomainError) -> Void) -> DomainError.Rule? {
    do {
        try validation()
        return nil
    } catch {
        return error.rule
    }
}
