import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/industries/{code}/indicator-system`, `…/grades`: 一业一评. The originating department maintains the
/// industry's indicator system in versions; grades follow from the published one. The industry's departments and the
/// office read them; no other department sees any of it.
extension APIHandlers {
    func getIndicatorSystem(_ input: Operations.GetIndicatorSystem.Input) async throws -> Operations.GetIndicatorSystem.Output {
        let industry = try await visibleIndustry(input.path.code, to: try admittedActor())
        return .ok(.init(body: .json(try .init(try await publishedSystem(industry.code, version: input.query.version)))))
    }

    func listIndicatorSystemVersions(
        _ input: Operations.ListIndicatorSystemVersions.Input
    ) async throws -> Operations.ListIndicatorSystemVersions.Output {
        let industry = try await visibleIndustry(input.path.code, to: try admittedActor())
        return .ok(.init(body: .json(.init(try await indicatorSystems.history(industry.code)))))
    }

    func getIndicatorSystemDraft(_ input: Operations.GetIndicatorSystemDraft.Input) async throws
        -> Operations.GetIndicatorSystemDraft.Output
    {
        let industry = try await visibleIndustry(input.path.code, to: try admittedActor())
        guard let draft = try await indicatorSystems.draft(industry.code) else { throw ListDraftError.noDraft }
        return .ok(.init(body: .json(try .init(draft))))
    }

    func saveIndicatorSystemDraft(_ input: Operations.SaveIndicatorSystemDraft.Input) async throws
        -> Operations.SaveIndicatorSystemDraft.Output
    {
        let actor = try admittedActor()
        guard case .json(let body) = input.body else { throw APIError.unsupportedBody }
        let industry = try await originatedIndustry(input.path.code, by: actor, for: "维护一业一评指标体系")
        let system = IndicatorSystem(indicators: try body.indicators.map(Indicator.init), bands: body.bands.map(GradeBand.init))
        try system.validate()
        if let note = body.note { try ListVersion<IndicatorSystem>.validate(note: note) }
        let audit = entry(
            actor, "indicator_system.draft.save", "indicator_system", industry.code, details: "\(system.indicators.count) 个指标")
        let draft: ListVersion<IndicatorSystem>
        if try await indicatorSystems.draft(industry.code) == nil {
            draft = try await indicatorSystems.createDraft(industry.code, note: body.note ?? "", document: system, audit: audit)
        } else {
            draft = try await indicatorSystems.updateDraft(industry.code, audit: audit) { draft in
                draft.document = system
                if let note = body.note { draft.note = note }
            }
        }
        return .ok(.init(body: .json(try .init(draft))))
    }

    func discardIndicatorSystemDraft(
        _ input: Operations.DiscardIndicatorSystemDraft.Input
    ) async throws -> Operations.DiscardIndicatorSystemDraft.Output {
        let actor = try admittedActor()
        let industry = try await originatedIndustry(input.path.code, by: actor, for: "维护一业一评指标体系")
        try await indicatorSystems.discardDraft(
            industry.code, audit: entry(actor, "indicator_system.draft.discard", "indicator_system", industry.code))
        return .noContent(.init())
    }

    func publishIndicatorSystemDraft(
        _ input: Operations.PublishIndicatorSystemDraft.Input
    ) async throws -> Operations.PublishIndicatorSystemDraft.Output {
        let actor = try admittedActor()
        let industry = try await originatedIndustry(input.path.code, by: actor, for: "发布一业一评指标体系")
        let published = try await indicatorSystems.publishDraft(
            industry.code, audit: entry(actor, "indicator_system.publish", "indicator_system", industry.code),
            deadline: GradingRepository.industryDeadline)
        return .ok(.init(body: .json(try .init(published))))
    }

    func listObjectGrades(_ input: Operations.ListObjectGrades.Input) async throws -> Operations.ListObjectGrades.Output {
        let industry = try await visibleIndustry(input.path.code, to: try admittedActor())
        let page = try PageRequest(limit: input.query.limit, cursor: input.query.cursor)
        guard let system = try await indicatorSystems.published(industry.code) else {
            return .ok(.init(body: .json(.init(items: [], distribution: []))))
        }
        let fetched = try await grading.grades(industry.code, grade: input.query.grade, after: page.after, limit: page.limit + 1)
        let (stored, next) = page.page(fetched) { $0.creditCode }
        var versions = [system.version: system.document]
        var items: [Components.Schemas.ObjectGradeSummary] = []
        for grade in stored {
            items.append(.init(try await objectGrade(grade, industry: industry.code, versions: &versions)))
        }
        let distribution = try await grading.distribution(industries: [industry.code], region: nil)[industry.code] ?? []
        return .ok(
            .init(
                body: .json(
                    .init(items: items, nextCursor: next, distribution: distribution.map(Components.Schemas.GradeDistributionPayload.init)))
            ))
    }

    func getObjectGrade(_ input: Operations.GetObjectGrade.Input) async throws -> Operations.GetObjectGrade.Output {
        let industry = try await visibleIndustry(input.path.code, to: try admittedActor())
        guard let stored = try await grading.grade(industry.code, creditCode: input.path.creditCode) else {
            throw APIError.notFound("该对象在本行业的评定等级")
        }
        var versions: [Int: IndicatorSystem] = [:]
        let grade = try await objectGrade(stored, industry: industry.code, versions: &versions)
        let history = try await grading.history(industry.code, creditCode: stored.creditCode)
        return .ok(
            .init(
                body: .json(
                    .init(
                        grade: .init(grade),
                        contributions: try grade.contributions.map { contribution in
                            .init(
                                indicator: contribution.indicator.code, name: contribution.indicator.name,
                                kind: try .init(contribution.indicator.kind), weight: contribution.indicator.weight,
                                input: contribution.input, inputLabel: contribution.inputLabel, points: contribution.points,
                                contribution: ObjectGrade.decimal(contribution.hundredths), basis: contribution.basis)
                        },
                        history: try history.map { entry in
                            .init(
                                systemVersion: entry.systemVersion, score: entry.score, grade: entry.grade, level: entry.level,
                                previousGrade: entry.previousGrade, cause: try .init(code: entry.cause.rawValue),
                                causeLabel: entry.cause.label, gradedAt: entry.gradedAt)
                        }))))
    }

    func regradeIndustry(_ input: Operations.RegradeIndustry.Input) async throws -> Operations.RegradeIndustry.Output {
        let actor = try admittedActor()
        let industry = try await originatedIndustry(input.path.code, by: actor, for: "重新评定")
        _ = try await publishedSystem(industry.code, version: nil)
        let (graded, changed) = try await grading.regrade(industry.code, audit: entry(actor, "grades.regrade", "industry", industry.code))
        return .ok(.init(body: .json(.init(graded: graded, changed: changed))))
    }

    private func publishedSystem(_ industry: String, version: Int?) async throws -> ListVersion<IndicatorSystem> {
        guard let published = try await indicatorSystems.published(industry, version: version) else {
            throw APIError.notFound("已发布的一业一评指标体系")
        }
        return published
    }

    /// A stored grade read against its system version (fetched once per version into `versions`).
    private func objectGrade(
        _ stored: GradingRepository.StoredGrade, industry: String, versions: inout [Int: IndicatorSystem]
    ) async throws -> ObjectGrade {
        if versions[stored.systemVersion] == nil {
            versions[stored.systemVersion] = try await publishedSystem(industry, version: stored.systemVersion).document
        }
        guard let system = versions[stored.systemVersion],
            let grade = ObjectGrade(
                industry: industry, creditCode: stored.creditCode, objectName: stored.objectName, systemVersion: stored.systemVersion,
                system: system, bandCode: stored.grade, inputs: stored.inputs, points: stored.points, gradedAt: stored.gradedAt)
        else { throw APIError.internal }
        return grade
    }
}

extension Indicator {
    init(_ indicator: Components.Schemas.Indicator) throws {
        self.init(
            code: indicator.code, name: indicator.name, kind: try Kind(code: indicator.kind.rawValue),
            weight: indicator.weight, points: indicator.points?.additionalProperties, years: indicator.years,
            pointsEach: indicator.pointsEach, tag: indicator.tag, licence: indicator.licence)
    }
}

extension GradeBand {
    init(_ band: Components.Schemas.GradeBand) {
        self.init(code: band.code, name: band.name, minimumScore: band.minimumScore)
    }
}

extension Components.Schemas.IndicatorKind {
    init(_ kind: Indicator.Kind) throws {
        self = try Self(code: kind.rawValue)
    }
}

extension Components.Schemas.IndicatorSystemVersion {
    init(_ version: ListVersion<IndicatorSystem>) throws {
        self.init(
            industry: version.owner, version: version.version, status: try .init(code: version.status.rawValue),
            note: version.note, createdBy: version.createdBy, createdAt: version.createdAt, publishedBy: version.publishedBy,
            publishedAt: version.publishedAt,
            indicators: try version.document.indicators.map { indicator in
                .init(
                    code: indicator.code, name: indicator.name, kind: try .init(indicator.kind), weight: indicator.weight,
                    points: indicator.points.map { .init(additionalProperties: $0) }, years: indicator.years,
                    pointsEach: indicator.pointsEach, tag: indicator.tag, licence: indicator.licence)
            },
            bands: version.document.bands.map { .init(code: $0.code, name: $0.name, minimumScore: $0.minimumScore) })
    }
}

extension Components.Schemas.ObjectGradeSummary {
    init(_ grade: ObjectGrade) {
        self.init(
            creditCode: grade.creditCode, objectName: grade.objectName, systemVersion: grade.systemVersion, score: grade.score,
            grade: grade.band.code, gradeName: grade.band.name, level: grade.level, gradedAt: grade.gradedAt)
    }
}

extension Components.Schemas.GradeDistributionPayload {
    init(_ count: GradeCount) {
        self.init(grade: count.band.code, name: count.band.name, level: count.level, objects: count.objects)
    }
}
