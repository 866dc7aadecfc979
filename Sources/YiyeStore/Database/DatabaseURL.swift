import Foundation
import PostgresNIO

/// A PostgreSQL connection URL, the way libpq writes them:
/// `postgres://user:password@host:5432/db?sslmode=disable` over TCP, or
/// `postgres://user@/db?host=/var/run/postgresql` over a unix socket (the `host` parameter names its directory).
public struct DatabaseURL: Sendable, Equatable {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// Path of the socket file itself (`<dir>/.s.PGSQL.<port>`).
        case unixSocket(path: String)
    }

    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    public var endpoint: Endpoint
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public init(endpoint: Endpoint, username: String, password: String? = nil, database: String, tls: TLSMode = .disable) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// Parses `text`; the error says what is wrong without echoing the password.
    public init(_ text: String) throws(DatabaseURLError) {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else { throw .notAPostgresURL }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last }
        )
        let port = components.port ?? Int(query["port"] ?? "") ?? 5432
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            endpoint = .unixSocket(path: "\(socketDirectory)/.s.PGSQL.\(port)")
        } else if let host = components.host, !host.isEmpty {
            endpoint = .tcp(host: host, port: port)
        } else {
            throw .missingHost
        }
        let user = components.user ?? query["user"] ?? ""
        guard !user.isEmpty else { throw .missingUser }
        username = user
        password = components.password ?? query["password"]
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? user : path
        guard let mode = TLSMode(rawValue: query["sslmode"] ?? "prefer") ?? Self.libpqMode(query["sslmode"]) else {
            throw .unsupportedSSLMode(query["sslmode"] ?? "")
        }
        tls = mode
    }

    /// libpq's modes beyond ours map to the nearest: `allow` → prefer, `verify-*` → require.
    private static func libpqMode(_ mode: String?) -> TLSMode? {
        switch mode {
        case "allow": .prefer
        case "verify-ca", "verify-full": .require
        default: nil
        }
    }

    /// The PostgresNIO client configuration for this URL.
    public var configuration: PostgresClient.Configuration {
        switch endpoint {
        case .unixSocket(let path):
            return PostgresClient.Configuration(unixSocketPath: path, username: username, password: password, database: database)
        case .tcp(let host, let port):
            let tlsConfig: PostgresClient.Configuration.TLS =
                switch tls {
                case .disable: .disable
                case .prefer: .prefer(.makeClientConfiguration())
                case .require: .require(.makeClientConfiguration())
                }
            return PostgresClient.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: tlsConfig
            )
        }
    }
}

/// Why a database URL was refused.
public enum DatabaseURLError: Error, CustomStringConvertible, Equatable {
    case notAPostgresURL
    case missingHost
    case missingUser
    case unsupportedSSLMode(String)

    public var description: String {
        switch self {
        case .notAPostgresURL: "the database URL must look like postgres://user:password@host:5432/database"
        case .missingHost: "the database URL names no host (nor a socket directory in ?host=/path)"
        case .missingUser: "the database URL names no user"
        case .unsupportedSSLMode(let mode): "sslmode=\(mode) is not supported (use disable, prefer or require)"
        }
    }
}
