import Hummingbird
import Logging
import OpenAPIHummingbird
import PostgresNIO
import ServiceLifecycle
import YiyeStore

/// Assembles the server: database (embedded or external), migrations, demo data, middleware, handlers.
/// The CLI runs what this returns; the tests call it too.
public func buildApplication(_ configuration: AppConfiguration) async throws -> some ApplicationProtocol {
    let logger = {
        var logger = Logger(label: "yiye")
        logger.logLevel = configuration.logLevel
        return logger
    }()

    var services: [any Service] = []
    let postgres: PostgresClient.Configuration
    switch configuration.database {
    case .url(let url):
        postgres = url.configuration
    case .embedded(let dataDirectory):
        let cluster = try EmbeddedCluster(dataDirectory: dataDirectory, logger: logger)
        try await cluster.start()
        services.append(EmbeddedClusterService(cluster: cluster))
        postgres = cluster.configuration()
    }
    let client = PostgresClient(configuration: postgres, backgroundLogger: logger)
    services.append(client)

    let router = Router(context: YiyeRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: RequestScopeMiddleware())
    let handlers = APIHandlers(client: client, metrics: Observability.registry, logger: logger)
    try handlers.registerHandlers(on: router)

    let address: BindAddress = switch configuration.listen {
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
            let applied = try await MigrationRunner(migrations: try Migration.load(from: Migration.defaultDirectory()), logger: logger)
                .apply(using: client)
            logger.info("migrations up to date", metadata: ["appliedNow": "\(applied)"])
        }
        if configuration.demo {
            try await DemoCounty.load(client: client, logger: logger)
        }
    }
    return app
}
