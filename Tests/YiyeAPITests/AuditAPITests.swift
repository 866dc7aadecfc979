import Foundation
import PostgresNIO
import Testing
import YiyeContract
import YiyeCore
import YiyeStore
import YiyeTestSupport

@Suite("Audit trail through the API")
struct AuditAPITests {
    @Test("a change is recorded with who, which department and role, what, the client and the request id")
    func changeRecorded() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            let created = try await client.request(
                .post, "/api/v1/departments",
                json: [
                    "code": "transport", "name": "交通运输局", "kind": "regulator", "regionCode": "330110",
                ], token: admin)
            let requestID = created.headers[.init("X-Request-Id")!]
            let auditor = try await client.signIn("office.auditor")
            let found = try await client.get(
                "/api/v1/audit?objectType=department&objectId=transport", token: auditor, as: Schemas.AuditPage.self)
            #expect(found.items.count == 1)
            let record = try #require(found.items.first)
            #expect(record.action == "department.create")
            #expect(record.actor == "office.office_admin")
            #expect(record.department == "office")
            #expect(record.role == "office_admin")
            #expect(record.outcome == .success)
            #expect(record.requestId == requestID)
            #expect(record.hash.count == 64)
        }
    }

    @Test("sign-ins (both ways), sign-outs and refusals are recorded")
    func securityEventsRecorded() async throws {
        try await withApp { client in
            _ = try await client.request(.post, "/api/v1/sessions", json: ["username": "samr.inspector", "password": "Wrong-Pass-1"])
            let inspector = try await client.signIn("samr.inspector")
            _ = try await client.request(.post, "/api/v1/industries", json: ["code": "x_industry", "name": "某行业"], token: inspector)
            _ = try await client.request(.get, "/api/v1/users/fire.inspector", token: try await client.signIn("samr.dept_admin"))
            _ = try await client.request(.delete, "/api/v1/sessions/current", token: inspector)
            _ = try await client.request(.get, "/api/v1/departments")

            let auditor = try await client.signIn("office.auditor")
            func audit(_ query: String) async throws -> [Schemas.AuditRecord] {
                try await client.get("/api/v1/audit?\(query)", token: auditor, as: Schemas.AuditPage.self).items
            }
            let logins = try await audit("action=session.login&objectId=samr.inspector")
            #expect(Set(logins.map(\.outcome)) == [.success, .failure])
            let denied = try await audit("action=access.denied")
            #expect(denied.contains { $0.actor == "samr.inspector" && $0.objectId == "createIndustry" })
            #expect(denied.contains { $0.actor == "samr.dept_admin" && $0.objectId == "fire.inspector" })
            #expect(denied.contains { $0.actor == nil && $0.objectId == "listDepartments" })
            let logouts = try await audit("action=session.logout")
            #expect(logouts.first?.actor == "samr.inspector")
        }
    }

    @Test("a refused change is recorded as a failure with its error code")
    func failureRecorded() async throws {
        try await withApp { client in
            let admin = try await client.signIn("office.office_admin")
            _ = try await client.request(
                .post, "/api/v1/departments", json: ["code": "Bad", "name": "x", "kind": "regulator", "regionCode": "330110"], token: admin)
            let failures = try await client.get("/api/v1/audit?action=request.failed", token: admin, as: Schemas.AuditPage.self).items
            #expect(failures.first?.details == "422 invalid_code")
            #expect(failures.first?.outcome == .failure)
        }
    }

    @Test("when the audit record cannot be written, the change is not made")
    func auditFailureFailsTheChange() async throws {
        try await withAppDatabase { client, url in
            // A DBA's trigger that refuses exactly this kind of audit record.
            try await withClient(url) { db async throws in
                _ = try await db.query(
                    """
                    CREATE FUNCTION refuse_department_audit() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION 'audit store full'; END; $$
                    """)
                _ = try await db.query(
                    """
                    CREATE TRIGGER refuse_department_audit BEFORE INSERT ON audit_log FOR EACH ROW
                    WHEN (NEW.action = 'department.create') EXECUTE FUNCTION refuse_department_audit()
                    """)
            }
            let admin = try await client.signIn("office.office_admin")
            let response = try await client.request(
                .post, "/api/v1/departments",
                json: [
                    "code": "transport", "name": "交通运输局", "kind": "regulator", "regionCode": "330110",
                ], token: admin)
            #expect(response.status == .internalServerError)
            #expect(response.errorCode == "internal_error")
            #expect(try await client.request(.get, "/api/v1/departments/transport", token: admin).status == .notFound)
        }
    }

    @Test("verify reports an intact chain, then names the record a superuser edited")
    func verifyThroughAPI() async throws {
        try await withAppDatabase { client, url in
            let auditor = try await client.signIn("office.auditor")
            let intact = try await client.get("/api/v1/audit/verify", token: auditor, as: Schemas.AuditReport.self)
            #expect(intact.intact)
            #expect(intact.recordsChecked >= 2)
            try await withClient(url) { db async throws in
                try await db.withConnection { connection in
                    _ = try await connection.query("SET session_replication_role = replica", logger: quietLogger)
                    _ = try await connection.query("UPDATE audit_log SET actor = 'nobody' WHERE seq = 2", logger: quietLogger)
                }
            }
            let broken = try await client.get("/api/v1/audit/verify", token: auditor, as: Schemas.AuditReport.self)
            #expect(!broken.intact)
            #expect(broken.problem?.seq == 2)
            #expect(broken.problem?.kind == .hashMismatch)
        }
    }

    @Test("checkpoints are exported with the public key that verifies them")
    func checkpointExport() async throws {
        try await withAppDatabase { client, url in
            _ = try await client.signIn("office.auditor")
            let key = try AuditSigningKey.load(at: TestDatabase.auditKeyURL)
            try await withTemporaryClient(url.configuration.actingAsApplication, logger: quietLogger) { app in
                try await AuditTrail(client: app, logger: quietLogger).checkpoint(key: key)
            }
            let auditor = try await client.signIn("office.auditor")
            let export = try await client.get("/api/v1/audit/checkpoints", token: auditor, as: Schemas.AuditCheckpointList.self)
            let publicKey = try SM2.PublicKey(pem: export.publicKey)
            let item = try #require(export.items.first)
            let checkpoint = AuditCheckpoint(seq: item.seq, headHash: item.headHash, signedAt: item.signedAt, signature: item.signature)
            #expect(checkpoint.isSigned(by: publicKey))
        }
    }

    @Test("audit list pages newest first and filters by time")
    func paging() async throws {
        try await withApp { client in
            let auditor = try await client.signIn("office.auditor")
            for user in ["samr.inspector", "fire.inspector", "eco.inspector"] { _ = try await client.signIn(user) }
            let first = try await client.get("/api/v1/audit?limit=2", token: auditor, as: Schemas.AuditPage.self)
            let seqs = first.items.map(\.seq)
            #expect(seqs.count == 2 && seqs[0] > seqs[1])
            let cursor = try #require(first.nextCursor)
            let second = try await client.get("/api/v1/audit?limit=2&cursor=\(cursor)", token: auditor, as: Schemas.AuditPage.self)
            #expect((second.items.first?.seq ?? .max) < seqs[1])
            let future = try await client.get("/api/v1/audit?from=2099-01-01T00:00:00Z", token: auditor, as: Schemas.AuditPage.self)
            #expect(future.items.isEmpty)
            #expect(try await client.request(.get, "/api/v1/audit?from=yesterday", token: auditor).status == .badRequest)
            let fractional = try await client.request(
                .get, "/api/v1/audit?from=2020-01-01T00:00:00.5Z&to=2099-01-01T00:00:00%2B08:00", token: auditor)
            #expect(fractional.status == .ok)
            #expect(!(try fractional.decode(Schemas.AuditPage.self).items.isEmpty))
        }
    }
}
