import ArgumentParser
import Foundation
import Hummingbird
import Logging
import YiyeAPI
import YiyeCore
import YiyeStore

/// `yiye serve`: run the HTTP server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the API over HTTP (TCP or a unix socket).")

    @Option(help: "Address to listen on (env YIYE_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (env YIYE_PORT; default 8080).")
    var port: Int?

    @Option(help: "Listen on this unix domain socket instead of TCP, e.g. for a reverse proxy (env YIYE_UNIX_SOCKET).")
    var unixSocket: String?

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Do not apply pending migrations on start.")
    var noMigrate = false

    @Flag(help: "Load the demo county (departments, industries, one user per role) if missing.")
    var demo = false

    @Option(help: "Password of every demo user (env YIYE_DEMO_PASSWORD; default \(DemoCounty.defaultPassword)).")
    var demoPassword: String?

    @Option(help: "Minutes a session may stay unused (env YIYE_SESSION_IDLE_MINUTES; default 30).")
    var sessionIdleMinutes: Int?

    @Option(help: "Hours a session lasts at most (env YIYE_SESSION_LIFETIME_HOURS; default 12).")
    var sessionLifetimeHours: Int?

    @Option(help: "Days a password signs in before it must be changed; 0 for never (env YIYE_PASSWORD_MAX_AGE_DAYS; default 90).")
    var passwordMaxAgeDays: Int?

    @Option(help: "Seconds between signed audit checkpoints (env YIYE_AUDIT_CHECKPOINT_SECONDS; default 300).")
    var auditCheckpointSeconds: Int?

    @Option(help: "Seconds between sweeps for overdue work to escalate (env YIYE_ESCALATION_SECONDS; default 60).")
    var escalationSeconds: Int?

    @Option(help: "Working days to publish a result after the inspection (env YIYE_RESULT_PUBLICATION_DAYS; default 20).")
    var resultPublicationDays: Int?

    @Option(help: "Largest evidence file accepted, in MiB (env YIYE_EVIDENCE_MAX_MIB; default 50).")
    var evidenceMaxMib: Int?

    @Option(help: "Token a metrics scraper sends as 'Authorization: Bearer'; without one /metrics is not served (env YIYE_METRICS_TOKEN).")
    var metricsToken: String?

    @Option(
        help:
            "Reverse proxies whose X-Forwarded-For names the client, comma-separated addresses; 'unix' for one on the unix socket (env YIYE_TRUSTED_PROXIES)."
    )
    var trustedProxies: String?

    @Flag(help: "Let webhooks point at loopback, link-local and private addresses (env YIYE_WEBHOOK_ALLOW_PRIVATE=1).")
    var webhookAllowPrivate = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (env YIYE_LOG_LEVEL; default info).")
    var logLevel: String?

    func run() async throws {
        let settings = Settings(flags: [
            "yiye.host": host, "yiye.port": port.map(String.init), "yiye.unix.socket": unixSocket, "yiye.log.level": logLevel,
            "yiye.demo.password": demoPassword, "yiye.session.idle.minutes": sessionIdleMinutes.map(String.init),
            "yiye.session.lifetime.hours": sessionLifetimeHours.map(String.init),
            "yiye.password.max.age.days": passwordMaxAgeDays.map(String.init),
            "yiye.audit.checkpoint.seconds": auditCheckpointSeconds.map(String.init),
            "yiye.escalation.seconds": escalationSeconds.map(String.init),
            "yiye.result.publication.days": resultPublicationDays.map(String.init),
            "yiye.evidence.max.mib": evidenceMaxMib.map(String.init), "yiye.metrics.token": metricsToken,
            "yiye.webhook.allow.private": webhookAllowPrivate ? "1" : nil, "yiye.trusted.proxies": trustedProxies,
        ])
        guard let level = Logger.Level(rawValue: settings.string("yiye.log.level", default: "info")) else {
            throw ValidationError("unknown log level")
        }
        let listen: AppConfiguration.Listen
        if let socket = settings.string("yiye.unix.socket"), !socket.isEmpty {
            listen = .unixSocket(path: socket)
        } else {
            guard let port = Int(settings.string("yiye.port", default: "8080")), (1...65535).contains(port) else {
                throw ValidationError("the port must be a number from 1 to 65535")
            }
            listen = .tcp(host: settings.string("yiye.host", default: "127.0.0.1"), port: port)
        }
        let idle = try settings.positiveInt("yiye.session.idle.minutes", default: 30)
        let lifetime = try settings.positiveInt("yiye.session.lifetime.hours", default: 12)
        guard let passwordDays = Int(settings.string("yiye.password.max.age.days", default: "90")), (0...3650).contains(passwordDays) else {
            throw ValidationError("yiye.password.max.age.days must be a whole number from 0 (never) to 3650")
        }
        let checkpointSeconds = try settings.positiveInt("yiye.audit.checkpoint.seconds", default: 300)
        let escalationSeconds = try settings.positiveInt("yiye.escalation.seconds", default: 60)
        let publicationDays = try settings.positiveInt(
            "yiye.result.publication.days", default: InspectionResult.defaultPublicationWorkingDays)
        guard publicationDays <= 60 else { throw ValidationError("yiye.result.publication.days must be at most 60") }
        let evidenceMiB = try settings.positiveInt("yiye.evidence.max.mib", default: EvidenceFile.defaultLimitMiB)
        guard evidenceMiB <= 4096 else { throw ValidationError("yiye.evidence.max.mib must be at most 4096") }
        let metricsToken = settings.string("yiye.metrics.token").flatMap { $0.isEmpty ? nil : $0 }
        if let metricsToken, metricsToken.count < 16 {
            throw ValidationError("--metrics-token must be at least 16 characters")
        }
        let password = settings.string("yiye.demo.password", default: DemoCounty.defaultPassword)
        if demo {
            do {
                try PasswordPolicy.validate(password, username: "")
            } catch {
                throw ValidationError("--demo-password: \(error.message)")
            }
        }
        let configuration = AppConfiguration(
            listen: listen, database: try database.source(), migrate: !noMigrate, demo: demo, demoPassword: password,
            logLevel: level, auditKey: database.auditKeyURL(), personalDataKey: database.personalDataKeyURL(),
            checkpointInterval: .seconds(checkpointSeconds),
            escalationInterval: .seconds(escalationSeconds),
            signIn: SignInPolicy(
                idleTimeout: .seconds(idle * 60), absoluteLifetime: .seconds(lifetime * 3600),
                passwordMaximumAge: passwordDays == 0 ? nil : .seconds(passwordDays * 86_400)),
            resultPublicationWorkingDays: publicationDays, evidenceDirectory: database.evidenceDirectoryURL(),
            evidenceLimitBytes: evidenceMiB * 1_048_576, metricsToken: metricsToken,
            webhookAllowPrivate: ["1", "true", "yes"].contains(settings.string("yiye.webhook.allow.private", default: "0").lowercased()),
            trustedProxies: Set(
                settings.string("yiye.trusted.proxies", default: "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty })
        )
        if demo {
            print("示范数据：每个部门每个角色一个用户，用户名为「部门代码.角色」（如 samr.inspector、office.office_admin），密码：\(password)")
        }
        try await reportingFailures {
            let app = try await buildApplication(configuration)
            try await app.runService()
        }
    }
}

/// Prints a failure as one clear line (not a stack of Swift types) and exits non-zero.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch {
        let typeName = String(reflecting: type(of: error))
        let text =
            typeName.contains("PSQLError") || typeName.contains("ConnectionPoolError")
            ? "cannot reach the database (check --database-url / DATABASE_URL): \(error)"
            : String(describing: error)
        FileHandle.standardError.write(Data("yiye: \(text)\n".utf8))
        throw ExitCode.failure
    }
}
