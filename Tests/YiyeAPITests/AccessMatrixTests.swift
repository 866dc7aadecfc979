import Foundation
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

/// Every endpoint so far, for every demo user (each department × each role), against the rules as the issue
/// states them: the office reads everything; a department sees its own data and the industries it takes part in,
/// another department's object answers 404; a role that may not act answers 403.
@Suite("Access matrix: roles × own department × other department")
struct AccessMatrixTests {
    struct Person {
        var username: String
        var department: DepartmentCode
        var role: Role
        var isOffice: Bool { department == "office" }
    }

    static let people: [Person] = DemoCounty.users.map {
        Person(username: $0.username, department: $0.department, role: $0.roles.first!)
    }

    /// Departments taking part in `fuel_retail` in the demo (health does not).
    static let fuelRetail: Set<String> = ["commerce", "eco", "emergency", "fire", "samr"]

    @Test("reads: departments for all, industries by participation, users by department, audit for auditors and the office")
    func reads() async throws {
        try await withApp { client in
            for person in Self.people {
                let token = try await client.signIn(person.username)
                func status(_ uri: String) async throws -> Int { try await client.request(.get, uri, token: token).status.code }
                let who = "\(person.username)"

                #expect(try await status("/api/v1/departments") == 200, "\(who)")
                #expect(try await status("/api/v1/departments/health") == 200, "\(who)")

                let seesFuel = person.isOffice || Self.fuelRetail.contains(person.department.rawValue)
                #expect(try await status("/api/v1/industries/fuel_retail") == (seesFuel ? 200 : 404), "\(who)")
                let industries = try await client.get("/api/v1/industries", token: token, as: Schemas.IndustryPage.self).items.map {
                    $0.code
                }
                if person.isOffice {
                    #expect(industries.count == DemoCounty.industries.count, "\(who)")
                } else {
                    let expected = DemoCounty.industries.filter { industry in
                        industry.departments!.originator == person.department
                            || industry.departments!.participants.contains(person.department)
                    }.map(\.code).sorted()
                    #expect(industries == expected, "\(who)")
                }

                let readsUsers: Set<Role> = [.officeAdmin, .officeViewer, .auditor, .deptAdmin, .deptHead]
                let usersStatus = try await status("/api/v1/users")
                #expect(usersStatus == (readsUsers.contains(person.role) ? 200 : 403), "\(who)")
                if usersStatus == 200 {
                    let listed = try await client.get("/api/v1/users?limit=200", token: token, as: Schemas.UserPage.self).items.map {
                        $0.department
                    }
                    #expect(
                        person.isOffice ? Set(listed).count == DemoCounty.departments.count : Set(listed) == [person.department.rawValue],
                        "\(who)")
                    let own = try await status("/api/v1/users/\(person.department).\(person.isOffice ? "auditor" : "inspector")")
                    #expect(own == 200, "\(who)")
                    let other = try await status("/api/v1/users/\(person.department == "fire" ? "eco" : "fire").inspector")
                    #expect(other == (person.isOffice ? 200 : 404), "\(who)")
                } else {
                    #expect(try await status("/api/v1/users/fire.inspector") == 403, "\(who)")
                }

                let readsAudit: Set<Role> = [.auditor, .officeAdmin, .officeViewer]
                #expect(try await status("/api/v1/audit?limit=1") == (readsAudit.contains(person.role) ? 200 : 403), "\(who)")
                #expect(try await status("/api/v1/audit/verify") == (readsAudit.contains(person.role) ? 200 : 403), "\(who)")
            }
        }
    }

    @Test("writes: the office manages the directory; a department admin edits its own department and users only")
    func writes() async throws {
        try await withApp { client in
            for (index, person) in Self.people.enumerated() {
                let token = try await client.signIn(person.username)
                let who = person.username
                let isOfficeAdmin = person.role == .officeAdmin
                let isDeptAdmin = person.role == .deptAdmin

                let create = try await client.request(
                    .post, "/api/v1/departments",
                    json: [
                        "code": "dept_\(index)", "name": "测试部门\(index)", "kind": "regulator", "regionCode": "330110",
                    ], token: token)
                #expect(create.status.code == (isOfficeAdmin ? 201 : 403), "\(who)")

                let other = person.department == "samr" ? "fire" : "samr"
                let patchOwn = try await client.request(
                    .patch, "/api/v1/departments/\(person.department)", json: ["regionCode": "330110"], token: token)
                #expect(patchOwn.status.code == (isOfficeAdmin || isDeptAdmin ? 200 : 403), "\(who)")
                let patchOther = try await client.request(
                    .patch, "/api/v1/departments/\(other)", json: ["regionCode": "330110"], token: token)
                #expect(patchOther.status.code == (isOfficeAdmin ? 200 : 403), "\(who)")

                let industry = try await client.request(.patch, "/api/v1/industries/catering", json: ["name": "餐饮服务"], token: token)
                #expect(industry.status.code == (isOfficeAdmin ? 200 : 403), "\(who)")
                let assign = try await client.request(
                    .put, "/api/v1/industries/drug_retail/departments",
                    json: [
                        "originator": "samr", "participants": ["health"],
                    ], token: token)
                #expect(assign.status.code == (isOfficeAdmin ? 200 : 403), "\(who)")
                let newIndustry = try await client.request(
                    .post, "/api/v1/industries", json: ["code": "ind_\(index)", "name": "行业\(index)"], token: token)
                #expect(newIndustry.status.code == (isOfficeAdmin ? 201 : 403), "\(who)")

                let homeRole = person.isOffice ? "office_viewer" : "inspector"
                let ownUser = try await client.request(
                    .post, "/api/v1/users",
                    json: [
                        "username": "new\(index).\(person.department)", "displayName": "新用户", "department": person.department.rawValue,
                        "roles": [homeRole], "password": "Strong-Pass-\(index)",
                    ], token: token)
                #expect(ownUser.status.code == (isOfficeAdmin || isDeptAdmin ? 201 : 403), "\(who)")
                let otherUser = try await client.request(
                    .post, "/api/v1/users",
                    json: [
                        "username": "x\(index).\(other)", "displayName": "新用户", "department": other,
                        "roles": ["inspector"], "password": "Strong-Pass-\(index)",
                    ], token: token)
                #expect(otherUser.status.code == (isOfficeAdmin ? 201 : 403), "\(who)")
            }
        }
    }

    @Test("the request body cannot set who owns a user: a department admin cannot grant office roles")
    func ownershipFields() async throws {
        try await withApp { client in
            let admin = try await client.signIn("samr.dept_admin")
            let escalate = try await client.request(
                .post, "/api/v1/users",
                json: [
                    "username": "sneaky.samr", "displayName": "某人", "department": "samr", "roles": ["office_admin"],
                    "password": "Strong-Pass-1",
                ], token: admin)
            #expect(escalate.status == .unprocessableContent)
            #expect(escalate.errorCode == "role_not_available")
            let selfPromote = try await client.request(.patch, "/api/v1/users/samr.inspector", json: ["roles": ["auditor"]], token: admin)
            #expect(selfPromote.errorCode == "role_not_available")
            let moveDepartment = try await client.request(
                .patch, "/api/v1/users/samr.inspector", json: ["department": "fire"], token: admin)
            #expect(moveDepartment.status == .badRequest)
        }
    }
}
