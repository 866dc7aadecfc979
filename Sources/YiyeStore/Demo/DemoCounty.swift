import Logging
import PostgresNIO
import YiyeCore

/// The demo county that `serve --demo` loads: its leadership office, regulators and jointly inspected industries.
///
/// Loading is idempotent and never overwrites what users changed: existing rows are left as they are.
public enum DemoCounty {
    /// 示范县 region code (GB/T 2260 form).
    public static let regionCode = "330110"

    public static let departments: [Department] = [
        Department(code: "office", name: "双随机、一公开监管工作领导小组办公室", kind: .leadershipOffice, regionCode: regionCode),
        Department(code: "samr", name: "市场监督管理局", kind: .regulator, regionCode: regionCode),
        Department(code: "commerce", name: "商务局", kind: .regulator, regionCode: regionCode),
        Department(code: "emergency", name: "应急管理局", kind: .regulator, regionCode: regionCode),
        Department(code: "fire", name: "消防救援大队", kind: .regulator, regionCode: regionCode),
        Department(code: "eco", name: "生态环境局", kind: .regulator, regionCode: regionCode),
        Department(code: "health", name: "卫生健康委员会", kind: .regulator, regionCode: regionCode),
    ]

    public static let industries: [Industry] = [
        Industry(
            code: "fuel_retail", name: "成品油零售（加油站）", gbtCode: "F5265",
            departments: IndustryDepartments(originator: "commerce", participants: ["eco", "emergency", "fire", "samr"])
        ),
        Industry(
            code: "catering", name: "餐饮服务", gbtCode: "H62",
            departments: IndustryDepartments(originator: "samr", participants: ["eco", "fire", "health"])
        ),
        Industry(
            code: "drug_retail", name: "药品零售", gbtCode: "F5251",
            departments: IndustryDepartments(originator: "samr", participants: ["health"])
        ),
        Industry(
            code: "hazardous_chemicals", name: "危险化学品经营", gbtCode: "F5166",
            departments: IndustryDepartments(originator: "emergency", participants: ["eco", "fire", "samr"])
        ),
    ]

    /// Inserts what is missing, in one transaction.
    public static func load(client: PostgresClient, logger: Logger) async throws {
        try await client.transaction(logger: logger) { connection in
            for department in departments {
                _ = try await connection.query("""
                    INSERT INTO departments (code, name, kind, region_code)
                    VALUES (\(department.code), \(department.name), \(department.kind.rawValue), \(department.regionCode))
                    ON CONFLICT (code) DO NOTHING
                    """, logger: logger)
            }
            for industry in industries {
                let inserted = try await connection.query("""
                    INSERT INTO industries (code, name, gbt_code, originating_department)
                    VALUES (\(industry.code), \(industry.name), \(industry.gbtCode), \(industry.departments?.originator))
                    ON CONFLICT (code) DO NOTHING RETURNING code
                    """, logger: logger).collect()
                guard !inserted.isEmpty, let participants = industry.departments?.participants else { continue }
                _ = try await connection.query("""
                    INSERT INTO industry_participants (industry_code, department_code)
                    SELECT \(industry.code), unnest(\(participants)::text[])
                    """, logger: logger)
            }
        }
        logger.info("demo county loaded", metadata: ["departments": "\(departments.count)", "industries": "\(industries.count)"])
    }
}
