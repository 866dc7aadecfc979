import Foundation
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/published-results/{id}/objections`, `/api/v1/objection-receipts` and `/api/v1/objections`: 异议. The
/// business objects online (or on paper, registered by the department), follows its case by receipt number and check
/// code; the department re-examines it by someone not on the team, upholds it with a corrected version or maintains
/// the result, and gives feedback.
extension APIHandlers {
    func fileObjection(_ input: Operations.FileObjection.Input) async throws -> Operations.FileObjection.Output {
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let receipt = try await file(
            resultID: input.path.id, channel: .online, receivedOn: try await asOf().today, registeredBy: nil,
            creditCode: body.creditCode, businessName: body.businessName, contact: body.contact, grounds: body.grounds,
            attachments: body.attachments ?? [], audit: entry(nil, "objection.file", "published_result", String(input.path.id)))
        return .created(.init(body: .json(receipt)))
    }

    func registerObjection(_ input: Operations.RegisterObjection.Input) async throws -> Operations.RegisterObjection.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let versions = try await results.versions(of: body.resultId)
        guard let department = versions.last?.content.department, actor.governs(department) else {
            throw APIError.notFound("公示的检查结果")
        }
        try actor.checkOwnResult(of: department)
        let receipt = try await file(
            resultID: body.resultId, channel: .paper, receivedOn: try CalendarDate(field: "receivedOn", body.receivedOn),
            registeredBy: actor.username, creditCode: body.creditCode, businessName: body.businessName, contact: body.contact,
            grounds: body.grounds, attachments: body.attachments ?? [],
            audit: entry(actor, "objection.register", "published_result", String(body.resultId)))
        return .created(.init(body: .json(receipt)))
    }

    func followObjection(_ input: Operations.FollowObjection.Input) async throws -> Operations.FollowObjection.Output {
        guard let stored = try await objections.objection(receipt: input.path.receiptNumber),
            stored.checkCodeDigest == SM3.hex(input.query.checkCode)
        else { throw APIError.notFound("该受理编号与查询码对应的异议") }
        let objection = stored.objection
        return .ok(
            .init(
                body: .json(
                    .init(
                        receiptNumber: objection.receiptNumber, status: try .init(code: objection.status.rawValue),
                        statusLabel: objection.status.label, receivedOn: objection.receivedOn.description,
                        reexamineDue: objection.reexamineDue.description, decidedOn: objection.decidedOn?.description,
                        opinion: objection.opinion, feedbackDue: objection.feedbackDue?.description,
                        feedbackOn: objection.feedbackOn?.description, feedback: objection.feedback))))
    }

    func listObjections(_ input: Operations.ListObjections.Input) async throws -> Operations.ListObjections.Output {
        let actor = try admittedActor()
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        let fetched = try await objections.objections(
            of: actor.readsEverything ? nil : actor.department, status: try input.query.status.map { try .init(code: $0.rawValue) },
            before: try page.numericCursor(), limit: page.limit + 1)
        let (items, next) = page.page(fetched) { String($0.objection.id ?? 0) }
        return .ok(.init(body: .json(.init(items: try items.map(Components.Schemas.Objection.init), nextCursor: next))))
    }

    func getObjection(_ input: Operations.GetObjection.Input) async throws -> Operations.GetObjection.Output {
        .ok(.init(body: .json(try .init(try await visibleObjection(input.path.id, for: try admittedActor())))))
    }

    func decideObjection(_ input: Operations.DecideObjection.Input) async throws -> Operations.DecideObjection.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let stored = try await visibleObjection(input.path.id, for: actor)
        try actor.checkOwnResult(of: stored.objection.department)
        let drawn = try await drawnObject(stored.result.drawID, object: stored.result.creditCode, for: actor)
        guard
            let result = try await results.results(of: stored.result.drawID, object: stored.result.creditCode).first(where: {
                $0.0.department == stored.result.department
            })?.0
        else { throw APIError.internal }
        try drawn.team.checkReexaminer(actor, inspectorID: try await inspectors.id(ofUser: actor.userID), enteredBy: result.enteredBy)
        let decision = try Objection.Status(code: body.decision.rawValue)
        let today = try await asOf().today
        let feedbackDue = try await calendar.deadline(WorkingDayCount(from: today, workingDays: Objection.feedbackWorkingDays)).date
        var correction: (key: ResultRepository.Key, change: @Sendable (inout InspectionResult) throws -> ResultRepository.Event?)?
        try Objection.checkCorrection(for: decision, given: body.correction != nil)
        if let corrected = body.correction {
            let content = InspectionResult(
                drawID: stored.result.drawID, creditCode: stored.result.creditCode, department: stored.result.department,
                inspectedOn: try corrected.inspectedOn.map { try CalendarDate(field: "correction.inspectedOn", $0) },
                items: try corrected.items.map(ItemResult.init), categories: try corrected.categories.map(CategoryFinding.init),
                remarks: corrected.remarks ?? "", enteredBy: actor.username, publishDue: today)
            let (own, window) = (drawn.entries(of: stored.result.department), drawn.task.windowStart...drawn.task.windowEnd)
            let authority = try await departments.names()[name: stored.result.department]
            let (publisher, reason) = (actor.username, "受理编号 \(stored.objection.receiptNumber)：\(body.opinion)")
            correction = (
                stored.result,
                { result in
                    try result.correct(to: content, own: own, window: window, today: today)
                    return .published(
                        drawn.publicResult(result, authority: authority), by: publisher, at: clock.now, change: (.objectionUpheld, reason))
                }
            )
        }
        try await objections.modify(
            input.path.id, audit: entry(actor, "objection.decide", "objection", String(input.path.id), details: decision.label),
            result: correction
        ) { objection in
            try objection.decide(decision, by: actor.username, opinion: body.opinion, on: today, feedbackDue: feedbackDue)
        }
        return .ok(.init(body: .json(try .init(try await visibleObjection(input.path.id, for: actor)))))
    }

    func giveObjectionFeedback(_ input: Operations.GiveObjectionFeedback.Input) async throws -> Operations.GiveObjectionFeedback.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let stored = try await visibleObjection(input.path.id, for: actor)
        try actor.checkOwnResult(of: stored.objection.department)
        let today = try await asOf().today
        try await objections.modify(input.path.id, audit: entry(actor, "objection.feedback", "objection", String(input.path.id))) {
            objection in
            try objection.giveFeedback(body.feedback, on: today)
        }
        return .ok(.init(body: .json(try .init(try await visibleObjection(input.path.id, for: actor)))))
    }

    /// Files an objection, checked in Core against the result as it stands; the check code is returned once and kept
    /// only as its SM3 digest.
    private func file(
        resultID: Int64, channel: Objection.Channel, receivedOn: CalendarDate, registeredBy: String?, creditCode: String,
        businessName: String, contact: String, grounds: String, attachments: [String], audit: AuditRecord.Entry
    ) async throws -> Components.Schemas.ObjectionReceipt {
        let today = try await asOf().today
        let due = try await calendar.deadline(WorkingDayCount(from: receivedOn, workingDays: Objection.reexaminationWorkingDays)).date
        let checkCode = String(format: "%08d", UInt32.random(in: 0..<100_000_000))
        let objection = try await objections.file(resultID: resultID, checkCodeDigest: SM3.hex(checkCode), audit: audit) { filing in
            let objection = Objection(
                resultID: resultID, department: filing.department, version: filing.latest.version, channel: channel,
                creditCode: creditCode, businessName: businessName, contact: contact, grounds: grounds, attachments: attachments,
                receivedOn: receivedOn, registeredBy: registeredBy, reexamineDue: due)
            try objection.checkFiling(latest: filing.latest, publishedOn: filing.publishedOn, open: filing.open, today: today)
            return objection
        }
        return .init(
            id: objection.id ?? 0, receiptNumber: objection.receiptNumber, checkCode: checkCode, receivedOn: receivedOn.description,
            reexamineDue: due.description)
    }

    /// An objection to one of the actor's department's results (any, for the office); 404 otherwise.
    private func visibleObjection(_ id: Int64, for actor: Actor) async throws -> ObjectionRepository.Stored {
        guard let stored = try await objections.objection(id), actor.governs(stored.objection.department) else {
            throw APIError.notFound("异议")
        }
        return stored
    }
}

extension Components.Schemas.Objection {
    init(_ stored: ObjectionRepository.Stored) throws {
        let objection = stored.objection
        self.init(
            id: objection.id ?? 0, receiptNumber: objection.receiptNumber, resultId: objection.resultID,
            drawId: stored.result.drawID.rawValue,
            department: objection.department.rawValue, version: objection.version, channel: try .init(code: objection.channel.rawValue),
            creditCode: objection.creditCode, businessName: objection.businessName, contact: objection.contact, grounds: objection.grounds,
            attachments: objection.attachments, receivedOn: objection.receivedOn.description, registeredBy: objection.registeredBy,
            reexamineDue: objection.reexamineDue.description, status: try .init(code: objection.status.rawValue),
            statusLabel: objection.status.label, decidedBy: objection.decidedBy, decidedOn: objection.decidedOn?.description,
            opinion: objection.opinion, feedbackDue: objection.feedbackDue?.description, feedbackOn: objection.feedbackOn?.description,
            feedback: objection.feedback)
    }
}
