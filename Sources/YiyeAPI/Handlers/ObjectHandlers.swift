import YiyeContract
import YiyeCore
import YiyeStore

/// `/api/v1/objects`: the object directory.
extension APIHandlers {
    func listObjects(_ input: Operations.ListObjects.Input) async throws -> Operations.ListObjects.Output {
        let actor = try admittedActor()
        let query = input.query
        let page = try PageRequest(limit: query.limit, cursor: query.cursor)
        let search = ObjectRepository.Search(
            industry: query.industry, region: query.region, riskClass: query.riskClass?.rawValue,
            kind: query.kind?.rawValue, status: query.status?.rawValue, name: query.name
        )
        let fetched = try await objects.search(
            search, visibleTo: actor.viewpoint,
            after: page.after, limit: page.limit + 1)
        let (items, next) = page.page(fetched, key: \.creditCode)
        return .ok(.init(body: .json(.init(items: try items.map(Components.Schemas.InspectedObject.init), nextCursor: next))))
    }

    func getObject(_ input: Operations.GetObject.Input) async throws -> Operations.GetObject.Output {
        let actor = try admittedActor()
        let code = input.path.creditCode
        guard let (object, history) = try await objects.find(code, visibleTo: actor.viewpoint) else {
            // Unknown and out of sight answer alike.
            throw APIError.notFound("检查对象")
        }
        let today = CalendarDate(chinaDateOf: clock.now)
        let licences = try await objects.licences(of: object.creditCode).map {
            try Components.Schemas.ObjectDetail.LicencesPayloadPayload($0, on: today)
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        object: try .init(object), licences: licences,
                        riskHistory: try history.map { .init(riskClass: try .init(code: $0.0), ratedOn: $0.1) }
                    ))))
    }

    func importLicences(_ input: Operations.ImportLicences.Input) async throws -> Operations.ImportLicences.Output {
        let actor = try admittedActor()
        guard case .csv(let body) = input.body else { throw APIError.unsupportedBody }
        let report = try await objects.importLicences(
            body, department: actor.department, anyObject: actor.readsEverything,
            audit: entry(actor, "licence.import", "object_licences", "csv"))
        return .ok(.init(body: .json(.init(report))))
    }

    func importObjects(_ input: Operations.ImportObjects.Input) async throws -> Operations.ImportObjects.Output {
        let actor = try admittedActor()
        guard case .csv(let body) = input.body else { throw APIError.unsupportedBody }
        let report = try await objects.importCSV(body, audit: entry(actor, "object.import", "object_directory", "csv")) { object in
            actor.mayImport(object) ? nil : "不在本部门监管范围内（监管部门须包含 \(actor.department)）"
        }
        return .ok(.init(body: .json(.init(report))))
    }
}

extension Components.Schemas.InspectedObject {
    init(_ object: InspectedObject) throws {
        self.init(
            creditCode: object.creditCode, name: object.name, kind: try .init(code: object.kind.rawValue),
            industries: object.industries, regionCode: object.regionCode, address: object.address,
            scale: try object.scale.map { try .init(code: $0.rawValue) },
            riskClass: try object.riskClass.map { try .init(code: $0.rawValue) },
            riskRatedOn: object.riskRatedOn?.description, supervisingDepartments: object.supervisingDepartments.codes,
            status: try .init(code: object.status.rawValue), tags: object.tags
        )
    }
}

extension Components.Schemas.ImportReport {
    init(_ report: ImportReport) {
        self.init(
            rows: report.rows, inserted: report.inserted, updated: report.updated, rejected: report.rejected,
            errors: report.errors.map { .init(line: $0.line, reason: $0.reason) }
        )
    }
}

extension Components.Schemas.ObjectDetail.LicencesPayloadPayload {
    init(_ licence: ObjectLicence, on day: CalendarDate) throws {
        let state = licence.state(on: day)
        self.init(
            licence: licence.licence, number: licence.number, issuedBy: licence.issuedBy.rawValue,
            validUntil: licence.validUntil?.description, status: try .init(code: licence.status.rawValue),
            statusLabel: licence.status.label,
            state: try .init(code: state.rawValue), stateLabel: state.label)
    }
}
