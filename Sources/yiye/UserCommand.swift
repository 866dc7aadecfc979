import ArgumentParser
import Foundation
import YiyeCore
import YiyeStore

/// `yiye user`: bootstrap and rescue accounts from the command line.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users from the command line.", subcommands: [Create.self]
    )

    /// `yiye user create`: e.g. the first office admin.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user (e.g. the first office_admin of the leadership office).")

        @Option(help: "Sign-in name, e.g. wang.office")
        var username: String

        @Option(help: "The person's name, e.g. 王芳")
        var displayName: String

        @Option(help: "Department code, e.g. office")
        var department: String

        @Option(
            name: .customLong("role"),
            help: "A role (repeat for several): office_admin, office_viewer, auditor, dept_admin, dept_head, reviewer, inspector")
        var roles: [String]

        @Flag(help: "Read the password from standard input (else from YIYE_PASSWORD).")
        var passwordStdin = false

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let password: String
            if passwordStdin {
                password = readLine(strippingNewline: true) ?? ""
            } else if let fromEnvironment = ProcessInfo.processInfo.environment["YIYE_PASSWORD"] {
                password = fromEnvironment
            } else {
                throw ValidationError("give the password on standard input with --password-stdin, or in YIYE_PASSWORD")
            }
            var parsedRoles = Set<Role>()
            for role in roles {
                guard let parsed = Role(rawValue: role) else { throw ValidationError("unknown role \(role)") }
                parsedRoles.insert(parsed)
            }
            let user = User(username: username, displayName: displayName, department: DepartmentCode(department), roles: parsedRoles)
            let logger = commandLogger("yiye.user")
            try await reportingFailures {
                let created = try await withDatabase(database.source(), logger: logger) { client in
                    let repository = DepartmentRepository(client: client, logger: logger)
                    guard let kind = try await repository.kinds(of: [user.department])[user.department] else {
                        throw ValidationError("department \(user.department) does not exist")
                    }
                    do throws(DomainError) {
                        try user.validate(departmentKind: kind)
                        try PasswordPolicy.validate(password, username: user.username)
                    } catch {
                        throw ValidationError(error.message)
                    }
                    let entry = AuditRecord.Entry(
                        actor: "cli", action: "user.create", objectType: "user", objectID: user.username,
                        details: "命令行创建 \(user.department) \(user.roles.sorted().map(\.rawValue).joined(separator: ","))"
                    )
                    do {
                        return try await UserRepository(client: client, logger: logger)
                            .create(user, passwordHash: PasswordHash(password: password), audit: entry)
                    } catch StoreError.alreadyExists {
                        throw ValidationError("user \(user.username) already exists")
                    }
                }
                print(
                    "created user \(created.username) (\(created.department): \(created.roles.sorted().map(\.rawValue).joined(separator: ", ")))"
                )
            }
        }
    }
}
