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

    /// The demo users' password unless `--demo-password` sets another.
    public static let defaultPassword = "Yiye@2026demo"

    /// One user per role that applies to each demo department, named `<department>.<role>`.
    public static var users: [User] {
        let names = [
            "张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴霞", "徐明", "孙丽", "马超",
            "朱琳", "胡斌", "郭婷", "何勇", "高洁", "林峰", "罗燕", "郑凯", "梁爽", "谢军", "宋佳", "唐浩", "许晴", "韩冰",
        ]
        var index = 0
        return departments.flatMap { department in
            Role.available(to: department.kind).map { role in
                defer { index += 1 }
                return User(
                    username: "\(department.code).\(role.rawValue)", displayName: names[index % names.count],
                    department: department.code, roles: [role])
            }
        }
    }

    /// Inserts what is missing, in one transaction, with one audit record when anything was added.
    public static func load(client: PostgresClient, password: String, logger: Logger) async throws {
        let existing = Set(
            try await UserRepository(client: client, logger: logger).list(after: nil, limit: 10_000, department: nil).map(\.username))
        // Hashing is deliberately slow (PBKDF2), so only new users are hashed, before the transaction opens.
        let newUsers = users.filter { !existing.contains($0.username) }.map { ($0, PasswordHash(password: password)) }
        try await client.transaction(logger: logger) { connection in
            var added = 0
            for department in departments {
                added += try await connection.query(
                    """
                    INSERT INTO departments (code, name, kind, region_code)
                    VALUES (\(department.code), \(department.name), \(department.kind.rawValue), \(department.regionCode))
                    ON CONFLICT (code) DO NOTHING RETURNING code
                    """, logger: logger
                ).collect().count
            }
            for industry in industries {
                let inserted = try await connection.query(
                    """
                    INSERT INTO industries (code, name, gbt_code, originating_department)
                    VALUES (\(industry.code), \(industry.name), \(industry.gbtCode), \(industry.departments?.originator))
                    ON CONFLICT (code) DO NOTHING RETURNING code
                    """, logger: logger
                ).collect()
                guard !inserted.isEmpty, let participants = industry.departments?.participants else { continue }
                added += 1
                _ = try await connection.query(
                    """
                    INSERT INTO industry_participants (industry_code, department_code)
                    SELECT \(industry.code), unnest(\(participants)::text[])
                    """, logger: logger)
            }
            for (user, hash) in newUsers {
                added += try await connection.query(
                    """
                    INSERT INTO users (username, display_name, department_code, roles, password_hash)
                    VALUES (\(user.username), \(user.displayName), \(user.department), \(user.roles.map(\.rawValue)), \(hash.encoded))
                    ON CONFLICT (username) DO NOTHING RETURNING id
                    """, logger: logger
                ).collect().count
            }
            if added > 0 {
                try await AuditTrail.append(
                    AuditRecord.Entry(action: "demo.load", objectType: "county", objectID: regionCode, details: "载入示范数据 \(added) 项"),
                    on: connection, logger: logger
                )
            }
        }
        logger.info(
            "demo county loaded",
            metadata: [
                "departments": "\(departments.count)", "industries": "\(industries.count)", "newUsers": "\(newUsers.count)",
            ])
    }
}
