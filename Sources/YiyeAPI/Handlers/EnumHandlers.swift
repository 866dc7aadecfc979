import YiyeContract
import YiyeCore

extension APIHandlers {
    func listEnums(_ input: Operations.ListEnums.Input) async throws -> Operations.ListEnums.Output {
        let enums = EnumCatalog.all.map { enumeration in
            Components.Schemas.EnumList.EnumsPayloadPayload(
                name: enumeration.name,
                label: enumeration.label,
                values: enumeration.values.map { .init(code: $0.code, label: $0.label) }
            )
        }
        return .ok(.init(body: .json(.init(enums: enums))))
    }
}
