import ArgumentParser
import Foundation
import Hummingbird
import Logging
import YiyeAPI

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

    @Flag(help: "Load the demo county (departments, industries) if missing.")
    var demo = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (env YIYE_LOG_LEVEL; default info).")
    var logLevel: String?

    func run() async throws {
        let settings = Settings(flags: [
            "yiye.host": host, "yiye.port": port.map(String.init), "yiye.unix.socket": unixSocket, "yiye.log.level": logLevel,
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
        let configuration = AppConfiguration(
            listen: listen, database: try database.source(), migrate: !noMigrate, demo: demo, logLevel: level
        )
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
        let text = typeName.contains("PSQLError") || typeName.contains("ConnectionPoolError")
            ? "cannot reach the database (check --database-url / DATABASE_URL): \(error)"
            : String(describing: error)
        FileHandle.standardError.write(Data("yiye: \(text)\n".utf8))
        throw ExitCode.failure
    }
}
