import Foundation
import Logging
import PostgresNIO
import YiyeCore

/// The dashboard's counts (`docs/DASHBOARD.md`), each section one SQL aggregate over the rows where the facts are
/// kept, grouped at once by department, by department within industry, by industry and overall.
public struct DashboardRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// What is counted: the period, the industries in scope (nil: all), the one department whose part is counted (nil:
    /// every department's), the start of the objects' region code (nil: everywhere), and the moment counted at.
    public struct Scope: Sendable, Equatable {
        public var period: DashboardPeriod
        public var industries: [String]?
        public var department: DepartmentCode?
        public var region: String?
        public var now: Date

        public init(period: DashboardPeriod, industries: [String]?, department: DepartmentCode?, region: String?, now: Date) {
            self.period = period
            self.industries = industries
            self.department = department
            self.region = region
            self.now = now
        }
    }

    /// Every row of the dashboard that has something to count, the total always. `timed`, when given, is told how
    /// long each part took (the benchmark prints it).
    public func figures(
        _ scope: Scope, timed: (@Sendable (_ part: String, _ took: Duration) -> Void)? = nil
    ) async throws -> [DashboardKey: DashboardFigures] {
        try await client.translatingErrors {
            try await DrawCompletion.keepUnkept(client: client, logger: logger)
            return try await client.withConnection { connection in
                var start = ContinuousClock.now
                let completed = try await DrawCompletion.completedTasks(scope, on: connection, logger: logger)
                timed?("completedTasks", ContinuousClock.now - start)
                let run = Section.Runner(scope: scope, completed: completed, connection: connection, logger: logger)
                var rows: [DashboardKey: DashboardFigures] = [.total: DashboardFigures()]
                for section in Section.all {
                    start = ContinuousClock.now
                    for (key, code, cells) in try await run(section) {
                        try section.apply(cells, code, &rows[key, default: DashboardFigures()])
                    }
                    timed?(section.name, ContinuousClock.now - start)
                }
                return rows
            }
        }
    }
}
