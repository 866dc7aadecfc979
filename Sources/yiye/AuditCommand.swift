import ArgumentParser
import Foundation
import YiyeCore
import YiyeStore

/// `yiye audit`: verify and sign the audit trail.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify or checkpoint the audit trail.", subcommands: [Verify.self, Checkpoint.self]
    )

    /// `yiye audit verify`: exit 0 when intact, 1 naming the first broken record.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the SM3 hash chain and check the SM2-signed checkpoints; name the first broken record."
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let logger = commandLogger("yiye.audit")
            try await reportingFailures {
                let key = try AuditSigningKey.load(at: database.auditKeyURL()).publicKey
                let report = try await withDatabase(database.source(), logger: logger) { client in
                    try await AuditTrail(client: client, logger: logger).verify(key: key)
                }
                print(
                    "records verified: \(report.recordsChecked); checkpoints checked: \(report.checkpointsChecked); signed through seq \(report.signedThrough)"
                )
                if let problem = report.problem {
                    print("BROKEN at seq \(problem.seq) (\(problem.kind.rawValue)): \(problem.message)")
                    throw ExitCode.failure
                }
                print("intact")
            }
        }
    }

    /// `yiye audit checkpoint`: sign the current head now.
    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign the audit chain's current head with the server's SM2 key.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let logger = commandLogger("yiye.audit")
            try await reportingFailures {
                let key = try AuditSigningKey.loadOrCreate(at: database.auditKeyURL(), logger: logger)
                let checkpoint = try await withDatabase(database.source(), logger: logger) { client in
                    try await AuditTrail(client: client, logger: logger).checkpoint(key: key)
                }
                if let checkpoint {
                    print("signed seq \(checkpoint.seq) head \(checkpoint.headHash)")
                } else {
                    print("nothing new to sign")
                }
            }
        }
    }
}
