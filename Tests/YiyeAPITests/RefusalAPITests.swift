import Foundation
import HummingbirdTesting
import Testing
import YiyeContract
import YiyeCore
import YiyeTestSupport

/// How the API refuses: 409 when the thing is not, or no longer, where the request needs it (already done, closed, not
/// yet at that stage), 422 when what the request says breaks a rule; each message names what the user did.
@Suite("Refusals: 409 for where things stand, 422 for what a request says, each naming what was refused")
struct RefusalAPITests {
    @Test("a frozen draw whose task is closed takes no commitment, and closing the task again is refused")
    func closedTaskDrawFrozen() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let commerce = try await client.signIn("commerce.dept_admin")
            // A draw still taking commitments, its task closed.
            let frozen = try await DrawAPITests.frozenDraw(client)
            let frozenTask = try await DrawChangeAPITests.status(client, commerce, draw: frozen).taskId
            #expect(try await client.request(.post, "/api/v1/tasks/\(frozenTask)/closure", token: commerce).status == .ok)
            let fire = try await client.signIn("fire.dept_head")
            let commit = try await client.request(
                .post, "/api/v1/draws/\(frozen)/commitments",
                json: ["commitment": SM3.hex(DrawAPITests.secret("fire"))], token: fire)
            #expect(commit.status == .conflict)
            #expect(commit.errorCode == "task_closed")
            #expect(commit.errorMessage?.contains("已完结") == true)
            let parties = try await DrawChangeAPITests.status(client, commerce, draw: frozen).parties
            #expect(!parties.isEmpty && parties.allSatisfy { !$0.committed }, "nothing was recorded")
            let again = try await client.request(.post, "/api/v1/tasks/\(frozenTask)/closure", token: commerce)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "task_closed")
        }
    }

    @Test("an executed draw whose task is closed takes no confirmation, change or new freeze, and records nothing")
    func closedTaskExecutedDraw() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let commerce = try await client.signIn("commerce.dept_admin")
            let fire = try await client.signIn("fire.dept_head")
            // The demo's executed fuel-retail draw, its task closed before anyone confirmed.
            let draw = try await DrawChangeAPITests.status(client, commerce)
            let team = try #require(draw.teams?.first { $0.unstaffed == nil })
            let member = try #require(team.members.first { $0.department == "fire" })
            #expect(try await client.request(.post, "/api/v1/tasks/\(draw.taskId)/closure", token: commerce).status == .ok)
            let confirm = try await client.request(.post, "/api/v1/draws/1/confirmation", token: fire)
            #expect(confirm.status == .conflict)
            #expect(confirm.errorCode == "task_closed")
            let change = try await client.request(
                .post, "/api/v1/draws/1/changes",
                json: [
                    "kind": "replace_inspector", "objectId": team.objectID, "replacedInspector": member.inspectorID,
                    "reasonKind": "other", "reason": "病假",
                ], token: fire)
            #expect(change.status == .conflict, "\(change.text)")
            #expect(change.errorCode == "task_closed")
            let after = try await DrawChangeAPITests.status(client, commerce)
            #expect(after.confirmations?.allSatisfy { $0.confirmedBy == nil } == true)
            #expect(after.changes?.isEmpty ?? true)
            let freeze = try await client.request(.post, "/api/v1/tasks/\(draw.taskId)/draw", json: [String: Any](), token: commerce)
            #expect(freeze.status == .conflict)
        }
    }

    @Test("doing a thing twice or too early is 409 with the state's code; a wrong value is 422")
    func conflictsAre409() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let commerce = try await client.signIn("commerce.dept_admin")
            let fire = try await client.signIn("fire.dept_admin")
            let draw = try await DrawAPITests.frozenDraw(client)
            let early = try await client.request(
                .post, "/api/v1/draws/\(draw)/reveals", json: ["secret": DrawAPITests.secret("fire")], token: fire)
            #expect(early.status == .conflict)
            #expect(early.errorCode == "draw_phase")
            let notHex = try await client.request(.post, "/api/v1/draws/\(draw)/commitments", json: ["commitment": "not hex"], token: fire)
            #expect(notHex.status == .unprocessableContent)
            #expect(notHex.errorCode == "invalid_secret")
            #expect(notHex.errorField == "commitment", "the field sent, not the secret")
            let unconfirmable = try await client.request(.post, "/api/v1/draws/\(draw)/confirmation", token: fire)
            #expect(unconfirmable.status == .conflict)
            #expect(unconfirmable.errorMessage?.contains("尚未执行") == true)

            // The demo draw: executed already; fire confirms once; eco was sent no one.
            let executeAgain = try await client.request(.post, "/api/v1/draws/1/execute", token: commerce)
            #expect(executeAgain.status == .conflict)
            #expect(executeAgain.errorCode == "draw_phase")
            #expect(try await client.request(.post, "/api/v1/draws/1/confirmation", token: fire).status == .ok)
            let twice = try await client.request(.post, "/api/v1/draws/1/confirmation", token: fire)
            #expect(twice.status == .conflict)
            #expect(twice.errorCode == "already_confirmed")
            #expect(twice.errorMessage?.contains("已于") == true)

            // A call answered twice.
            let call = try await client.request(.post, "/api/v1/calls", json: CallAPITests.call, token: commerce)
            let id = try call.decode(Schemas.Call.self).id
            _ = try await client.request(.post, "/api/v1/calls/\(id)/actions", json: ["action": "accept", "text": "已安排"], token: fire)
            let repeated = try await client.request(
                .post, "/api/v1/calls/\(id)/actions", json: ["action": "accept", "text": "再次"], token: fire)
            #expect(repeated.status == .conflict)
            #expect(repeated.errorCode == "already_responded")
            #expect(repeated.errorMessage?.contains("已已") == false)
            _ = try await client.request(.post, "/api/v1/calls/\(id)/closure", token: commerce)
            let closed = try await client.request(.post, "/api/v1/calls/\(id)/closure", token: commerce)
            #expect(closed.status == .conflict)
            #expect(closed.errorCode == "call_closed")
        }
    }

    @Test("messages name what the user did: the originator's work, the draw asked for, the deadline that is wrong")
    func messagesNameTheThing() async throws {
        try await DrawAPITests.withDemoData { client, _ in
            let fire = try await client.signIn("fire.dept_admin")
            let task = TestTasks.body("消防自建任务")
            let create = try await client.request(.post, "/api/v1/tasks", json: task, token: fire)
            #expect(create.status == .forbidden)
            #expect(create.errorMessage == "只有该行业的发起部门可以建立抽查任务")
            let close = try await client.request(.post, "/api/v1/tasks/1/closure", token: fire)
            #expect(close.errorMessage == "只有该行业的发起部门可以完结抽查任务")
            let execute = try await client.request(.post, "/api/v1/draws/1/execute", token: fire)
            #expect(execute.errorMessage == "只有发起部门可以执行抽取")
            // A department outside the industry asks for the draw: it is a draw it cannot find, not a task.
            let health = try await client.request(.get, "/api/v1/draws/1", token: try await client.signIn("health.dept_admin"))
            #expect(health.status == .notFound)
            #expect(health.errorMessage?.contains("抽取") == true)
            // A commit deadline in the past names the commit deadline; a reveal deadline before it names the reveal one.
            let commerce = try await client.signIn("commerce.dept_head")
            let created = try await client.request(.post, "/api/v1/tasks", json: task, token: commerce)
            let id = try created.decode(Schemas.Task.self).id
            let past = try await client.request(
                .post, "/api/v1/tasks/\(id)/draw", json: ["commitDeadline": "2020-01-01T00:00:00Z"], token: commerce)
            #expect(past.errorField == "commitDeadline")
            let crossed = try await client.request(
                .post, "/api/v1/tasks/\(id)/draw",
                json: [
                    "commitDeadline": "2030-01-02T00:00:00Z", "revealDeadline": "2030-01-01T00:00:00Z",
                ], token: commerce)
            #expect(crossed.errorField == "revealDeadline")
        }
    }
}
