import Foundation
import Logging
import PostgresNIO
import YiyeCore
import YiyeStore

/// Everything `buildApplication` needs, read by the CLI from flags, environment and defaults.
public struct AppConfiguration: Sendable {
    /// Where the server listens.
    public enum Listen: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unixSocket(path: String)
    }

    /// Which PostgreSQL to use.
    public enum DatabaseSource: Sendable {
        /// An existing server; yiye never starts its own.
        case url(DatabaseURL)
        /// A private cluster under this directory, started and stopped by yiye.
        case embedded(dataDirectory: URL)
    }

    public var listen: Listen
    public var database: DatabaseSource
    /// Apply pending migrations before serving.
    public var migrate: Bool
    /// Load the demo county before serving.
    public var demo: Bool
    /// The password of every demo user (with `demo`).
    public var demoPassword: String
    public var logLevel: Logger.Level
    /// The SM2 key file that signs audit checkpoints; created on first start.
    public var auditKey: URL
    /// The master key file of the personal data sealed with SM4 (outside the database); created on first start.
    public var personalDataKey: URL
    public var checkpointInterval: Duration
    /// How often the deadline service looks for overdue work to escalate.
    public var escalationInterval: Duration
    /// How long the webhook sender waits when nothing is due, and its first retry pause (doubling after).
    public var webhookInterval: Duration
    public var webhookRetryBase: Duration
    /// How often an open notification stream gets a keep-alive comment and its session is checked.
    public var streamKeepAlive: Duration
    public var signIn: SignInPolicy
    /// Working days a department has to publish a result after the inspection (000 §3.1.2: 20; some counties set 5).
    public var resultPublicationWorkingDays: Int
    /// Where evidence files' bytes live (EvidenceStore), and the largest accepted.
    public var evidenceDirectory: URL
    public var evidenceLimitBytes: Int
    /// How often uploads nothing refers to are looked for (removed a day after upload).
    public var evidenceSweepInterval: Duration
    /// The token a metrics scraper sends as `Authorization: Bearer`; without one `/metrics` is not served.
    public var metricsToken: String?
    /// Reverse proxies whose `X-Forwarded-For` names the client (`"unix"` for a proxy on the unix socket).
    public var trustedProxies: Set<String>
    /// Webhooks may point at loopback, link-local and private addresses (a county's own network); off by default (SSRF).
    public var webhookAllowPrivate: Bool
    /// Where "now" comes from (the system's clock but in tests).
    public var clock: any WallClock

    public init(
        listen: Listen = .tcp(host: "127.0.0.1", port: 8080),
        database: DatabaseSource,
        migrate: Bool = true,
        demo: Bool = false,
        demoPassword: String = DemoCounty.defaultPassword,
        logLevel: Logger.Level = .info,
        auditKey: URL,
        personalDataKey: URL? = nil,
        checkpointInterval: Duration = .seconds(300),
        escalationInterval: Duration = .seconds(60),
        webhookInterval: Duration = .seconds(1),
        webhookRetryBase: Duration = .seconds(30),
        streamKeepAlive: Duration = .seconds(15),
        signIn: SignInPolicy = SignInPolicy(),
        resultPublicationWorkingDays: Int = InspectionResult.defaultPublicationWorkingDays,
        evidenceDirectory: URL, evidenceLimitBytes: Int = EvidenceFile.defaultLimitMiB * 1_048_576,
        evidenceSweepInterval: Duration = .seconds(3600),
        metricsToken: String? = nil, webhookAllowPrivate: Bool = false, trustedProxies: Set<String> = [],
        clock: any WallClock = SystemClock()
    ) {
        self.listen = listen
        self.database = database
        self.migrate = migrate
        self.demo = demo
        self.demoPassword = demoPassword
        self.logLevel = logLevel
        self.auditKey = auditKey
        self.personalDataKey = personalDataKey ?? MasterKeyFile.defaultURL(besides: auditKey)
        self.checkpointInterval = checkpointInterval
        self.escalationInterval = escalationInterval
        self.webhookInterval = webhookInterval
        self.webhookRetryBase = webhookRetryBase
        self.streamKeepAlive = streamKeepAlive
        self.signIn = signIn
        self.resultPublicationWorkingDays = resultPublicationWorkingDays
        self.evidenceDirectory = evidenceDirectory
        self.evidenceLimitBytes = evidenceLimitBytes
        self.evidenceSweepInterval = evidenceSweepInterval
        self.metricsToken = metricsToken
        self.webhookAllowPrivate = webhookAllowPrivate
        self.trustedProxies = trustedProxies
        self.clock = clock
    }
}

extension AppConfiguration.DatabaseSource {
    /// How to reach the database as its owner, starting the embedded cluster first when there is no URL
    /// (the caller stops it).
    public func open(logger: Logger) async throws -> (owner: PostgresClient.Configuration, cluster: EmbeddedCluster?) {
        switch self {
        case .url(let url):
            return (url.configuration, nil)
        case .embedded(let dataDirectory):
            let cluster = try EmbeddedCluster(dataDirectory: dataDirectory, logger: logger)
            try await cluster.start()
            return (cluster.configuration(), cluster)
        }
    }
}
