import OpenAPIRuntime
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/draws/{id}/objects/{creditCode}/…`: the 一企一表 joint inspection sheet and the 一次告知 notice.
extension APIHandlers {
    func getJointInspectionSheet(_ input: Operations.GetJointInspectionSheet.Input) async throws
        -> Operations.GetJointInspectionSheet.Output
    {
        let actor = try admittedActor()
        let sheet = try await jointInspectionSheet(DrawID(input.path.id), object: input.path.creditCode, for: actor)
        return .ok(
            .init(
                body: .json(
                    .init(
                        taskName: sheet.taskName, windowStart: sheet.window.start.description, windowEnd: sheet.window.end.description,
                        object: try .init(sheet.object),
                        sections: sheet.sections.map { section in
                            .init(
                                department: section.department.rawValue,
                                entries: section.entries.map {
                                    .init(number: $0.number, item: .init($0.item), coDepartments: $0.coDepartments.codes)
                                })
                        },
                        team: sheet.team.map {
                            .init(
                                department: $0.department.rawValue, name: $0.name, certificateNumber: $0.certificateNumber,
                                leader: $0.leader)
                        },
                        history: sheet.history.map { .init(year: $0.year, task: $0.task) }
                    ))))
    }

    func getJointInspectionSheetHTML(
        _ input: Operations.GetJointInspectionSheetHTML.Input
    ) async throws -> Operations.GetJointInspectionSheetHTML.Output {
        let actor = try admittedActor()
        let sheet = try await jointInspectionSheet(DrawID(input.path.id), object: input.path.creditCode, for: actor)
        return .ok(.init(body: .html(HTTPBody(sheet.html))))
    }

    func getInspectionNotice(_ input: Operations.GetInspectionNotice.Input) async throws -> Operations.GetInspectionNotice.Output {
        let actor = try admittedActor()
        let sheet = try await jointInspectionSheet(DrawID(input.path.id), object: input.path.creditCode, for: actor)
        return .ok(.init(body: .html(HTTPBody(sheet.notice))))
    }

    /// The sheet of a drawn object, with the teams as they stand after approved changes.
    func jointInspectionSheet(_ drawID: DrawID, object code: String, for actor: Actor) async throws -> JointInspectionSheet {
        let drawn = try await drawnObject(drawID, object: code, for: actor)
        var members: [JointInspectionSheet.Member] = []
        for member in drawn.team.members {
            var inspector: Inspector?
            if let id = Int64(member.inspectorID) { inspector = try await inspectors.find(id) }
            members.append(
                .init(
                    department: member.department, inspectorID: member.inspectorID, name: inspector?.name ?? member.inspectorID,
                    certificateNumber: inspector?.certificateNumber ?? "", leader: member.leader))
        }
        return JointInspectionSheet(
            taskName: drawn.task.name, window: (drawn.task.windowStart, drawn.task.windowEnd), object: drawn.object,
            sections: drawn.sections, team: members, history: try await draws.history(of: code, excluding: drawID),
            departmentNames: try await self.departments.names()
        )
    }
}
