import Testing
import YiyeCore

@Suite("Access policy: list scope")
struct AccessPolicyTests {
    let office = Actor(
        userID: 1, username: "office.office_viewer", department: "office", departmentKind: .leadershipOffice, roles: [.officeViewer])
    let samr = Actor(userID: 2, username: "samr.dept_admin", department: "samr", departmentKind: .regulator, roles: [.deptAdmin])

    @Test("the office lists what it asks for; a department lists its own and nothing of another's")
    func listScope() {
        #expect(office.listScope(asking: nil) == .all)
        #expect(office.listScope(asking: "fire") == .department("fire"))
        #expect(samr.listScope(asking: nil) == .department("samr"))
        #expect(samr.listScope(asking: "samr") == .department("samr"))
        #expect(samr.listScope(asking: "fire") == .none)
        #expect(office.viewpoint == nil)
        #expect(samr.viewpoint == "samr")
    }
}
