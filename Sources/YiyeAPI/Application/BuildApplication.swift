import Hummingbird
import Logging
import OpenAPIHummingbird
import PostgresNIO
import ServiceLifecycle
import YiyeContract
import YiyeStore

/// Assembles the server: database (embedded or external), migrations, demo data, audit signing, middleware,
/// handlers. The CLI runs what this returns; the tests call it too.
public func buildApplication(_ configuration: AppConfiguration) async throws -> some ApplicationProtocol {
    let logger = {
        var logger = Logger(label: "yiye")
        logger.logLevel = configuration.logLevel
        return logger
    }()

    // Services shut down in reverse order: HTTP server, webhook sender, deadline sweeps, notification listener,
    // checkpoint, pool, cluster.
    var services: [any Service] = []
    let (owner, cluster) = try await configuration.database.open(logger: logger)
    if let cluster { services.append(EmbeddedClusterService(cluster: cluster)) }
    let client = PostgresClient(configuration: owner.actingAsApplication, backgroundLogger: logger)
    services.append(client)
    let signingKey = try AuditSigningKey.loadOrCreate(at: configuration.auditKey, logger: logger)
    let trail = AuditTrail(client: client, logger: logger)
    services.append(AuditCheckpointService(trail: trail, key: signingKey, interval: configuration.checkpointInterval, logger: logger))
    // The background services start once migrations and the demo are in place.
    let gate = StartupGate()
    let hub = NoticeHub()
    let webhookTargets = WebhookTargets(allowPrivate: configuration.webhookAllowPrivate)
    services.append(NotificationListener(client: client, hub: hub, gate: gate, logger: logger))
    services.append(
        EscalationService(
            escalations: EscalationRepository(client: client, logger: logger), warnings: WarningRepository(client: client, logger: logger),
            interval: configuration.escalationInterval, clock: configuration.clock, gate: gate, logger: logger))
    services.append(
        WebhookService(
            webhooks: WebhookRepository(client: client, logger: logger), interval: configuration.webhookInterval,
            retryBase: configuration.webhookRetryBase, targets: webhookTargets, clock: configuration.clock, gate: gate, logger: logger))

    // Its keys load when migrating (as the owner, first of all), else on first use.
    let personalData = PersonalDataCipher(client: client, keyFile: configuration.personalDataKey, logger: logger)
    let evidenceStore = EvidenceStore(directory: configuration.evidenceDirectory)
    services.append(
        EvidenceSweepService(
            evidence: EvidenceRepository(client: client, logger: logger), store: evidenceStore,
            interval: configuration.evidenceSweepInterval, clock: configuration.clock, gate: gate, logger: logger))

    let handlers = APIHandlers(
        client: client, personalData: personalData, signIn: configuration.signIn,
        resultPublicationWorkingDays: configuration.resultPublicationWorkingDays,
        evidenceStore: evidenceStore, evidenceLimitBytes: configuration.evidenceLimitBytes,
        auditPublicKey: signingKey.publicKey, metrics: Observability.registry, webhookTargets: webhookTargets,
        clock: configuration.clock, logger: logger
    )
    let router = Router(context: YiyeRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: ClientAddressMiddleware(trustedProxies: configuration.trustedProxies))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: CharsetMiddleware())
    router.add(middleware: HTMLSecurityMiddleware())
    router.add(middleware: ErrorMiddleware(audit: trail))
    router.add(middleware: MetricsGate(token: configuration.metricsToken))
    router.add(middleware: MethodNotAllowedMiddleware(spec: OpenAPIDocument.text))
    router.add(middleware: AuthenticationMiddleware(sessions: handlers.sessions, policy: configuration.signIn))
    router.add(middleware: RequestScopeMiddleware())
    // The notification stream writes its events itself (NotificationStream); its access is the same table's.
    let stream = NotificationStream(
        notifications: handlers.notifications, sessions: handlers.sessions, hub: hub, audit: trail,
        keepAlive: configuration.streamKeepAlive, policy: configuration.signIn)
    router.get(RouterPath(NotificationStream.path)) { request, _ in try await stream.respond(to: request) }
    WebPages(handlers: handlers, library: try await WebPages.load(), audit: trail).register(on: router)
    // Who may call an operation is decided first, then the request is held to the spec, then it is decoded.
    try handlers.registerHandlers(
        on: router, configuration: .init(dateTranscoder: RFC3339DateTranscoder()),
        middlewares: [
            AccessMiddleware(audit: trail),
            RequestContractMiddleware(
                contract: try RequestContract(spec: OpenAPIDocument.text), maxJSONBody: YiyeRequestContext.maxJSONBody),
        ]
    )

    let address: BindAddress =
        switch configuration.listen {
        case .tcp(let host, let port): .hostname(host, port: port)
        case .unixSocket(let path): .unixDomainSocket(path: path)
        }
    var app = Application(
        router: router,
        configuration: .init(address: address, serverName: "yiye"),
        services: services,
        logger: logger
    )
    app.beforeServerStarts {
        if configuration.migrate {
            // Migrations run as the owner; the pool acts as the application role, which may not change schema.
            let migrations = try Migration.load(from: Migration.defaultDirectory())
            try await withTemporaryClient(owner, logger: logger) { ownerClient in
                let applied = try await MigrationRunner(migrations: migrations, logger: logger).apply(using: ownerClient)
                logger.info("migrations up to date", metadata: ["appliedNow": "\(applied)"])
                // Personal data written in the clear (before sealing began, or restored from an older backup) is
                // sealed as part of migrating.
                let keys = try await personalData.load(using: ownerClient)
                _ = try await PersonalDataMaintenance.sealWrittenInTheClear(owner: ownerClient, keys: keys, logger: logger)
            }
        }
        if configuration.demo {
            try await DemoCounty.load(client: client, password: configuration.demoPassword, logger: logger)
            try await DemoCounty.loadSampleData(client: client, personalData: personalData, clock: configuration.clock, logger: logger)
            try await handlers.loadDemoYear(
                try await DemoCounty.loadPastDraws(client: client, now: configuration.clock.now, logger: logger))
            if let inspected = try await DemoCounty.loadInspectedDraw(client: client, now: configuration.clock.now, logger: logger) {
                try await handlers.loadDemoResults(inspected)
            }
            try await handlers.loadDemoWarnings()
        }
        gate.open()
    }
    return app
}
