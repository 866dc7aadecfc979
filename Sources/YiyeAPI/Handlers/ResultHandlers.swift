import Foundation
import OpenAPIRuntime
import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/draws/{id}/objects/{creditCode}/results` and `/api/v1/published-results`: 一公开. Each department that sent
/// inspectors enters the result of its own part of the joint sheet, a reviewer of the department signs it off, and the
/// department publishes it; the public searches what was published, with every version.
extension APIHandlers {
    func listObjectResults(_ input: Operations.ListObjectResults.Input) async throws -> Operations.ListObjectResults.Output {
        let actor = try admittedActor()
        let drawn = try await drawnObject(DrawID(input.path.id), object: input.path.creditCode, for: actor)
        let asOf = try await asOf()
        let stored = try await results.results(of: drawn.draw.id, object: drawn.object.creditCode)
        return .ok(.init(body: .json(.init(items: try stored.map { try .init($0.0, reviews: $0.1, count: $0.2, asOf: asOf) }))))
    }

    func saveObjectResult(_ input: Operations.SaveObjectResult.Input) async throws -> Operations.SaveObjectResult.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let (drawn, key) = try await writableResult(input.path.id, input.path.creditCode, input.path.department, by: actor)
        let items = try body.items.map(ItemResult.init)
        try await checkEvidence(items, of: drawn)
        let categories = try body.categories.map(CategoryFinding.init)
        let inspectedOn = try body.inspectedOn.map { try CalendarDate(field: "inspectedOn", $0) }
        let count = InspectionResult.publicationCount(
            inspectedOn: inspectedOn, windowEnd: drawn.task.windowEnd, workingDays: resultPublicationWorkingDays)
        let due = try await calendar.deadline(count).date
        let own = drawn.entries(of: key.department)
        let window = drawn.task.windowStart...drawn.task.windowEnd
        let (username, today) = (actor.username, try await asOf().today)
        let fresh = InspectionResult(
            drawID: key.drawID, creditCode: key.creditCode, department: key.department, enteredBy: username, publishDue: due)
        try await results.modify(
            key, audit: entry(actor, "result.save", "result", key.description), fresh: fresh, due: (count, due)
        ) { result in
            result.inspectedOn = inspectedOn
            result.items = items
            result.categories = categories
            result.remarks = body.remarks ?? ""
            result.enteredBy = username
            try result.checkDraft(own: own, window: window, today: today)
            return nil
        }
        return .ok(.init(body: .json(try await resultSchema(key))))
    }

    func submitObjectResult(_ input: Operations.SubmitObjectResult.Input) async throws -> Operations.SubmitObjectResult.Output {
        let actor = try admittedActor()
        let (drawn, key) = try await writableResult(input.path.id, input.path.creditCode, input.path.department, by: actor)
        let own = drawn.entries(of: key.department)
        let (username, today) = (actor.username, try await asOf().today)
        try await results.modify(key, audit: entry(actor, "result.submit", "result", key.description)) { result in
            try result.submit(own: own, by: username, today: today)
            return nil
        }
        return .ok(.init(body: .json(try await resultSchema(key))))
    }

    func reviewObjectResult(_ input: Operations.ReviewObjectResult.Input) async throws -> Operations.ReviewObjectResult.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let key = try await ownResult(input.path.id, input.path.creditCode, input.path.department, by: actor).1
        let decision = try ResultReview.Decision(code: body.decision.rawValue)
        let review = ResultReview(decision: decision, reviewer: actor.username, opinion: body.opinion ?? "", at: clock.now)
        try await results.modify(
            key, audit: entry(actor, "result.review", "result", key.description, details: decision.label)
        ) { result in
            try result.review(decision, by: review.reviewer, opinion: review.opinion)
            return .reviewed(review)
        }
        return .ok(.init(body: .json(try await resultSchema(key))))
    }

    func publishObjectResult(_ input: Operations.PublishObjectResult.Input) async throws -> Operations.PublishObjectResult.Output {
        let actor = try admittedActor()
        let (drawn, key) = try await ownResult(input.path.id, input.path.creditCode, input.path.department, by: actor)
        let (authority, publisher) = (try await departments.names()[name: key.department], actor.username)
        try await results.modify(key, audit: entry(actor, "result.publish", "result", key.description)) { result in
            try result.publish()
            return .published(drawn.publicResult(result, authority: authority), by: publisher, at: clock.now)
        }
        return .ok(.init(body: .json(try await resultSchema(key))))
    }

    func correctObjectResult(_ input: Operations.CorrectObjectResult.Input) async throws -> Operations.CorrectObjectResult.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let (drawn, key) = try await ownResult(input.path.id, input.path.creditCode, input.path.department, by: actor)
        let corrected = InspectionResult(
            drawID: key.drawID, creditCode: key.creditCode, department: key.department,
            inspectedOn: try body.inspectedOn.map { try CalendarDate(field: "inspectedOn", $0) },
            items: try body.items.map(ItemResult.init),
            categories: try body.categories.map(CategoryFinding.init), remarks: body.remarks ?? "", enteredBy: actor.username,
            publishDue: drawn.task.windowEnd)
        try Validation.text(body.reason, field: "reason", label: "更正理由", required: true, maximum: 1000)
        try await checkEvidence(corrected.items, of: drawn)
        let own = drawn.entries(of: key.department)
        let (window, today) = (drawn.task.windowStart...drawn.task.windowEnd, try await asOf().today)
        let authority = try await departments.names()[name: key.department]
        try await results.modify(key, audit: entry(actor, "result.correct", "result", key.description, details: body.reason)) { result in
            try result.correct(to: corrected, own: own, window: window, today: today)
            return .published(
                drawn.publicResult(result, authority: authority), by: actor.username, at: clock.now, change: (.correction, body.reason))
        }
        return .ok(.init(body: .json(try await resultSchema(key))))
    }

    func withholdObjectResult(_ input: Operations.WithholdObjectResult.Input) async throws -> Operations.WithholdObjectResult.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let (drawn, key) = try await ownResult(input.path.id, input.path.creditCode, input.path.department, by: actor)
        let withholding = Withholding(
            ground: try .init(code: body.ground.rawValue), scope: try .init(code: body.scope.rawValue), items: body.items ?? [],
            reason: body.reason, approvedBy: actor.username)
        let own = drawn.entries(of: key.department)
        let authority = try await departments.names()[name: key.department]
        try await results.modify(
            key, audit: entry(actor, "result.withhold", "result", key.description, details: withholding.ground.label)
        ) { result in
            try result.withhold(withholding, own: own)
            guard result.status == .published else { return nil }
            return .published(
                drawn.publicResult(result, authority: authority), by: actor.username, at: clock.now,
                change: (.withheld, "\(withholding.ground.label)，\(withholding.scope.label)"))
        }
        return .ok(.init(body: .json(try await resultSchema(key))))
    }

    func grantPublicityRelief(_ input: Operations.GrantPublicityRelief.Input) async throws -> Operations.GrantPublicityRelief.Output {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let (drawn, key) = try await ownResult(input.path.id, input.path.creditCode, input.path.department, by: actor)
        let today = try await asOf().today
        let relief = PublicityRelief(
            kind: try .init(code: body.kind.rawValue), applicant: body.applicant,
            appliedOn: try CalendarDate(field: "appliedOn", body.appliedOn), ground: body.ground, grantedBy: actor.username,
            grantedOn: today)
        guard
            let resultID = try await results.results(of: key.drawID, object: key.creditCode).first(where: {
                $0.0.department == key.department
            })?.0.id
        else { throw APIError.notFound("检查结果") }
        // Publication and a closed follow-up are never undone: read before the change, they still hold under its lock. An
        // objection can be filed meanwhile: that is read under the lock.
        let versions = try await results.versions(of: resultID)
        let closedOn = versions.isEmpty ? nil : try await followUps.followUp(key).closedOn
        let firstPublished = versions.first.map { CalendarDate(chinaDateOf: $0.publishedAt) } ?? today
        let authority = try await departments.names()[name: key.department]
        try await results.modify(
            key, audit: entry(actor, "result.relief", "result", key.description, details: relief.kind.label)
        ) { result, underObjection in
            try result.grant(
                relief, firstPublished: firstPublished, followUpClosedOn: closedOn, underObjection: underObjection, today: today)
            return .published(
                drawn.publicResult(result, authority: authority), by: actor.username, at: clock.now,
                change: (VersionChange(relief.kind), "申请人 \(relief.applicant)（\(relief.appliedOn.chineseDescription)申请）：\(relief.ground)"))
        }
        return .ok(.init(body: .json(try await resultSchema(key))))
    }

    func listPublishedResults(_ input: Operations.ListPublishedResults.Input) async throws -> Operations.ListPublishedResults.Output {
        let query = input.query
        let page = try PageRequest(limit: query.limit, cursor: query.cursor)
        let search = ResultRepository.Search(
            creditCode: query.creditCode, name: query.name, industry: query.industry,
            department: query.department.map { DepartmentCode($0) },
            year: query.year)
        let fetched = try await results.published(search, before: try page.numericCursor(), limit: page.limit + 1)
        let (items, next) = page.page(fetched) { String($0.row) }
        return .ok(
            .init(
                body: .json(.init(items: try items.map { .init(id: $0.version.resultID, latest: try .init($0.version)) }, nextCursor: next))
            ))
    }

    func getPublishedResult(_ input: Operations.GetPublishedResult.Input) async throws -> Operations.GetPublishedResult.Output {
        let versions = try await results.versions(of: input.path.id)
        guard let latest = versions.last, latest.change != .publicationStopped else { throw APIError.notFound("公示的检查结果") }
        return .ok(.init(body: .json(.init(id: input.path.id, versions: try versions.map(Components.Schemas.PublishedResultVersion.init)))))
    }

    func getPublicResultsPage(_ input: Operations.GetPublicResultsPage.Input) async throws -> Operations.GetPublicResultsPage.Output {
        let query = input.query
        let (creditCode, name) = (
            query.creditCode?.trimmingCharacters(in: .whitespaces) ?? "", query.name?.trimmingCharacters(in: .whitespaces) ?? ""
        )
        let page = try PageRequest(limit: 20, cursor: query.cursor)
        let search = ResultRepository.Search(creditCode: creditCode.isEmpty ? nil : creditCode, name: name.isEmpty ? nil : name)
        let fetched = try await results.published(search, before: try page.numericCursor(), limit: page.limit + 1)
        let (items, next) = page.page(fetched) { String($0.row) }
        var address = URLComponents()
        address.path = "/public/results"
        address.queryItems = [("creditCode", creditCode), ("name", name), ("cursor", next ?? "")].filter { !$0.1.isEmpty }
            .map { URLQueryItem(name: $0.0, value: $0.1) }
        let html = PublicResultsPage(
            creditCode: creditCode, name: name, results: items.map(\.version), next: next == nil ? nil : address.string
        ).html
        return .ok(.init(body: .html(HTTPBody(html))))
    }

    /// A result the actor's department may act on: its own, for an object it sees.
    private func ownResult(
        _ drawID: Int64, _ creditCode: String, _ department: String, by actor: Actor
    ) async throws -> (DrawnObject, ResultRepository.Key) {
        let drawn = try await drawnObject(DrawID(drawID), object: creditCode, for: actor)
        let key = drawn.resultKey(of: DepartmentCode(department))
        try actor.checkOwnResult(of: key.department)
        try drawn.task.checkOpen()
        return (drawn, key)
    }

    /// A result the actor may enter: its department's, for an object the department inspected, by one of the
    /// inspectors it sent there, or a reviewer or admin.
    private func writableResult(
        _ drawID: Int64, _ creditCode: String, _ department: String, by actor: Actor
    ) async throws -> (DrawnObject, ResultRepository.Key) {
        let (drawn, key) = try await ownResult(drawID, creditCode, department, by: actor)
        try drawn.team.checkResultWriter(actor, for: key.department, inspectorID: try await inspectors.id(ofUser: actor.userID))
        return (drawn, key)
    }

    /// The department's result as stored, with its reviews.
    private func resultSchema(_ key: ResultRepository.Key) async throws -> Components.Schemas.InspectionResult {
        let asOf = try await asOf()
        guard
            let stored = try await results.results(of: key.drawID, object: key.creditCode).first(where: {
                $0.0.department == key.department
            })
        else { throw APIError.internal }
        return try .init(stored.0, reviews: stored.1, count: stored.2, asOf: asOf)
    }
}

extension ItemResult {
    init(_ input: Components.Schemas.ItemResultInput) throws {
        self.init(
            entry: input.entry, outcome: try .init(code: input.outcome.rawValue), method: try .init(code: input.method.rawValue),
            finding: input.finding ?? "", breachedBasis: input.breachedBasis ?? "", evidence: input.evidence ?? [])
    }
}

extension CategoryFinding {
    init(_ input: Components.Schemas.CategoryFindingInput) throws {
        self.init(
            try .init(code: input.category.rawValue), orderedOn: try input.orderedOn.map { try CalendarDate(field: "orderedOn", $0) },
            unreachableProof: try input.unreachableProof.map { try .init(code: $0.rawValue) },
            refusal: try input.refusal.map { try .init(code: $0.rawValue) }, details: input.details ?? "",
            correctionDue: try input.correctionDue.map { try CalendarDate(field: "correctionDue", $0) })
    }
}

extension Components.Schemas.InspectionResult {
    init(_ result: InspectionResult, reviews: [ResultReview], count: WorkingDayCount, asOf: AsOf) throws {
        self.init(
            id: result.id, drawId: result.drawID.rawValue, creditCode: result.creditCode, department: result.department.rawValue,
            status: try .init(code: result.status.rawValue), inspectedOn: result.inspectedOn?.description,
            items: try result.items.map {
                .init(
                    entry: $0.entry, outcome: try .init(code: $0.outcome.rawValue), method: try .init(code: $0.method.rawValue),
                    finding: $0.finding, breachedBasis: $0.breachedBasis, evidence: $0.evidence)
            },
            categories: try result.categories.map(Components.Schemas.CategoryFinding.init),
            remarks: result.remarks, enteredBy: result.enteredBy, publishDue: result.publishDue.description,
            publishDueProvisional: asOf.isProvisional(count, ending: result.publishDue), version: result.version,
            withholding: try result.withholding.map {
                .init(
                    ground: try .init(code: $0.ground.rawValue), groundLabel: $0.ground.label, scope: try .init(code: $0.scope.rawValue),
                    scopeLabel: $0.scope.label, items: $0.items, reason: $0.reason, approvedBy: $0.approvedBy)
            },
            relief: try result.relief.map {
                .init(
                    kind: try .init(code: $0.kind.rawValue), kindLabel: $0.kind.label, applicant: $0.applicant,
                    appliedOn: $0.appliedOn.description, ground: $0.ground, grantedBy: $0.grantedBy, grantedOn: $0.grantedOn.description)
            },
            reviews: try reviews.map {
                .init(decision: try .init(code: $0.decision.rawValue), reviewer: $0.reviewer, opinion: $0.opinion, at: $0.at)
            })
    }
}

extension Components.Schemas.CategoryFinding {
    init(_ finding: CategoryFinding) throws {
        self.init(
            category: try .init(code: finding.category.rawValue), label: finding.category.label,
            orderedOn: finding.orderedOn?.description, unreachableProof: try finding.unreachableProof.map { try .init(code: $0.rawValue) },
            refusal: try finding.refusal.map { try .init(code: $0.rawValue) }, details: finding.details,
            correctionDue: finding.correctionDue?.description, followUp: try finding.category.followUp.map { try .init(code: $0.rawValue) })
    }
}

extension Components.Schemas.PublishedResultVersion {
    init(_ published: PublishedVersion) throws {
        let content = published.content
        self.init(
            version: published.version, publishedAt: published.publishedAt,
            change: try published.change.map { try .init(code: $0.rawValue) }, changeLabel: published.change?.label,
            underObjection: published.underObjection,
            reason: published.reason, creditCode: content.creditCode,
            objectName: content.objectName, industry: content.industry, authority: content.authority,
            department: content.department.rawValue,
            inspectionType: content.inspectionType, inspectedOn: content.inspectedOn.description,
            categories: content.categories.map { .init(code: $0.code.rawValue, label: $0.label) }, remarks: content.remarks,
            items: try content.items.map {
                .init(number: $0.number, content: $0.content, outcome: try .init(code: $0.outcome.rawValue), outcomeLabel: $0.outcomeLabel)
            }, taskName: content.taskName,
            withheld: try content.withheld.map {
                .init(
                    ground: try .init(code: $0.ground.rawValue), groundLabel: $0.groundLabel, scope: try .init(code: $0.scope.rawValue),
                    scopeLabel: $0.scopeLabel, items: $0.items)
            },
            relief: try content.relief.map {
                .init(kind: try .init(code: $0.kind.rawValue), kindLabel: $0.kindLabel, grantedOn: $0.grantedOn.description)
            })
    }
}
