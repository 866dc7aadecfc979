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

    /// Sections run on this many connections at once: PostgreSQL groups one section per core, and a request of the
    /// dashboard leaves the pool's other connections to everyone else.
    static let lanes = 3

    /// Every row of the dashboard that has something to count, the total always. `timed`, when given, is told how
    /// long each part took (the benchmark prints it).
    public func figures(
        _ scope: Scope, timed: (@Sendable (_ part: String, _ took: Duration) -> Void)? = nil
    ) async throws -> [DashboardKey: DashboardFigures] {
        try await client.translatingErrors {
            try await DrawCompletion.keepUnkept(client: client, logger: logger)
            let start = ContinuousClock.now
            let completed = try await client.withConnection { try await DrawCompletion.completedTasks(scope, on: $0, logger: logger) }
            timed?("completedTasks", ContinuousClock.now - start)
            let queue = SectionQueue()
            let counted = try await withThrowingTaskGroup(of: [(Section, [(DashboardKey, String?, Section.Cells)])].self) { group in
                for _ in 0..<Self.lanes {
                    group.addTask { [client, logger] in
                        try await client.withConnection { connection in
                            let run = Section.Runner(scope: scope, completed: completed, connection: connection, logger: logger)
                            var done: [(Section, [(DashboardKey, String?, Section.Cells)])] = []
                            while let section = await queue.next() {
                                let start = ContinuousClock.now
                                done.append((section, try await run(section)))
                                timed?(section.name, ContinuousClock.now - start)
                            }
                            return done
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            var rows: [DashboardKey: DashboardFigures] = [.total: DashboardFigures()]
            for (section, cells) in counted {
                for (key, code, cells) in cells { try section.apply(cells, code, &rows[key, default: DashboardFigures()]) }
            }
            return rows
        }
    }
}

/// The sections not counted yet, handed to the lanes one at a time.
private actor SectionQueue {
    private var rest = Section.all[...]

    func next() -> Section? { rest.popFirst() }
}
