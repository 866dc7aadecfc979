import YiyeContract
import YiyeCore

/// Conversions between the domain's lists and roster and their API schemas.
extension InspectionItem {
    init(_ item: Components.Schemas.InspectionItem) {
        self.init(
            code: item.code, project: item.project, subItem: item.subItem ?? "", content: item.content,
            legalBasis: item.legalBasis, subject: item.subject ?? "",
            objectKinds: item.objectKinds.compactMap { InspectedObject.Kind(rawValue: $0.rawValue) },
            methods: item.methods.compactMap { InspectionMethod(rawValue: $0.rawValue) }, industries: item.industries,
            qualifications: item.qualifications ?? [], ratioPercent: item.ratioPercent, frequency: item.frequency ?? "",
            guideline: Guideline(
                procedure: item.guideline?.procedure ?? "", points: item.guideline?.points ?? "",
                methods: item.guideline?.methods ?? ""),
            materials: item.materials ?? ""
        )
    }
}

extension Components.Schemas.InspectionItem {
    init(_ item: InspectionItem) {
        self.init(
            code: item.code, project: item.project, subItem: item.subItem, content: item.content, legalBasis: item.legalBasis,
            subject: item.subject, objectKinds: item.objectKinds.compactMap { .init(rawValue: $0.rawValue) },
            methods: item.methods.compactMap { .init(rawValue: $0.rawValue) }, industries: item.industries,
            qualifications: item.qualifications, ratioPercent: item.ratioPercent, frequency: item.frequency,
            guideline: .init(procedure: item.guideline.procedure, points: item.guideline.points, methods: item.guideline.methods),
            materials: item.materials
        )
    }
}

extension Components.Schemas.ItemListVersion {
    init(_ version: ListVersion<ItemList>) throws {
        self.init(
            department: version.owner, version: version.version, status: try .init(code: version.status.rawValue),
            note: version.note, createdBy: version.createdBy, createdAt: version.createdAt, publishedBy: version.publishedBy,
            publishedAt: version.publishedAt, items: version.document.items.map(Components.Schemas.InspectionItem.init)
        )
    }
}

extension Components.Schemas.ListVersionSummaries {
    init<Document>(_ versions: [ListVersion<Document>]) {
        self.init(
            items: versions.map { version in
                .init(
                    version: version.version, note: version.note, entries: version.document.entryCount,
                    publishedBy: version.publishedBy, publishedAt: version.publishedAt ?? version.createdAt)
            })
    }
}

extension Components.Schemas.ItemRef {
    init(_ ref: JointList.ItemRef) {
        self.init(department: ref.department.rawValue, code: ref.code)
    }
}

extension Components.Schemas.JointListVersion {
    init(_ version: ListVersion<JointList>) throws {
        let list = version.document
        self.init(
            industry: version.owner, version: version.version, status: try .init(code: version.status.rawValue),
            note: version.note, createdBy: version.createdBy, createdAt: version.createdAt, publishedBy: version.publishedBy,
            publishedAt: version.publishedAt, originator: list.originator.rawValue,
            sources: list.sources.map { .init(department: $0.department.rawValue, version: $0.version) },
            missingDepartments: list.missingDepartments.codes, unresolved: list.unresolved,
            entries: try list.entries.map { entry in
                .init(
                    number: entry.number, match: try .init(code: entry.match.rawValue), overlap: entry.isOverlap,
                    resolved: entry.isResolved, included: entry.included, reason: entry.reason,
                    lead: entry.lead.map(Components.Schemas.ItemRef.init), leadDepartment: entry.leadDepartment?.rawValue,
                    coDepartments: entry.coDepartments.codes, item: .init(entry.item),
                    members: entry.members.map { .init(department: $0.department.rawValue, item: .init($0.item)) }
                )
            }
        )
    }
}

extension Components.Schemas.Inspector {
    /// The entry as `actor` may see it: the phone masked outside the own department and the office.
    init(_ inspector: Inspector, for actor: Actor) throws {
        let showPhone = actor.seesPersonalData(of: inspector.department)
        self.init(
            id: inspector.id ?? 0, department: inspector.department.rawValue, name: inspector.name, position: inspector.position,
            certificateNumber: inspector.certificateNumber, post: inspector.post,
            phone: showPhone ? inspector.phone : inspector.maskedPhone, phoneMasked: !showPhone,
            level: try .init(code: inspector.level.rawValue), regionCode: inspector.regionCode,
            categories: inspector.categories, qualifications: inspector.qualifications, expertise: inspector.expertise,
            status: try .init(code: inspector.status.rawValue), isExpert: inspector.isExpert,
            institution: inspector.institution, username: inspector.username
        )
    }
}

extension Components.Schemas.ConflictDeclaration {
    init(_ conflict: ConflictDeclaration) {
        self.init(
            id: conflict.id ?? 0, inspectorId: conflict.inspectorID, creditCode: conflict.creditCode, reason: conflict.reason,
            from: conflict.from.description, until: conflict.until?.description, declaredBy: conflict.declaredBy
        )
    }
}
