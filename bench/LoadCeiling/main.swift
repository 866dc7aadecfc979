import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle

// The ceiling `bench/load.sh` compares yiye with: a bare Hummingbird server whose one route, `GET /ceiling`, runs
// `SELECT 1` through a PostgresNIO pool on the same PostgreSQL — no middleware, no access checks, no JSON, no audit.
// What this serves per second on the machine is as much as any server of this stack could.
// Usage: load-ceiling PORT DATABASE_URL (postgres://user@/db?host=/socket/dir)

let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[1]), let url = URLComponents(string: arguments[2]),
    let user = url.user, let socket = url.queryItems?.first(where: { $0.name == "host" })?.value
else {
    FileHandle.standardError.write(Data("usage: load-ceiling PORT postgres://USER@/DATABASE?host=SOCKET_DIR\n".utf8))
    exit(2)
}
var logger = Logger(label: "load-ceiling")
logger.logLevel = .warning
var configuration = PostgresClient.Configuration(
    unixSocketPath: socket + "/.s.PGSQL.5432", username: user, password: nil, database: String(url.path.dropFirst()))
configuration.options.maximumConnections = 20
let client = PostgresClient(configuration: configuration, backgroundLogger: logger)

let router = Router()
router.get("ceiling") { _, _ -> String in
    let rows = try await client.query("SELECT 1", logger: logger)
    var one = 0
    for try await value in rows.decode(Int.self) { one = value }
    return String(one)
}
let app = Application(
    router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "load-ceiling"),
    services: [client], logger: logger)
try await app.runService()
