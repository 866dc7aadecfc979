import Foundation
import Logging
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
    public var logLevel: Logger.Level

    public init(
        listen: Listen = .tcp(host: "127.0.0.1", port: 8080),
        database: DatabaseSource,
        migrate: Bool = true,
        demo: Bool = false,
        logLevel: Logger.Level = .info
    ) {
        self.listen = listen
        self.database = database
        self.migrate = migrate
        self.demo = demo
        self.logLevel = logLevel
    }
}
