import Logging
import PostgresNIO
import YiyeCore
import _ConnectionPoolModule

/// What the store reports to callers; PostgreSQL's own errors never leave the store except as `.unexpected`.
public enum StoreError: Error, Sendable {
    /// A row with the same key exists (unique violation).
    case alreadyExists
    /// The row to change does not exist.
    case notFound
    /// PostgreSQL refused a value (class 22: a NUL byte in text, a number out of range, …).
    case invalidInput
    /// A foreign key or check constraint refused the row; the code names it for the client.
    case constraint(String)
    /// The database cannot be reached.
    case unavailable
    /// Anything else PostgreSQL said; logged in full, answered as an internal error.
    case unexpected(String)

    /// Translates a PostgreSQL client error.
    static func from(_ error: any Error) -> any Error {
        if let transaction = error as? PostgresTransactionError {
            // The closure's own error (a domain rule, a not-found) is what the caller must see.
            if let inner = transaction.closureError ?? transaction.commitError ?? transaction.beginError {
                return from(inner)
            }
        }
        if error is ConnectionPoolError { return StoreError.unavailable }
        guard let error = error as? PSQLError else { return error }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            if state == "23505" { return StoreError.alreadyExists }
            if state == "23503" { return StoreError.constraint("unknown_reference") }
            if state == "23514" { return StoreError.constraint("constraint_violation") }
            if state.hasPrefix("22") { return StoreError.invalidInput }
            return StoreError.unexpected(String(reflecting: error))
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed:
            return StoreError.unavailable
        default:
            return StoreError.unexpected(String(reflecting: error))
        }
    }
}

extension PostgresClient {
    /// How long a store call may wait, mostly for a connection, before the database counts as unavailable: the
    /// pool itself keeps retrying an unreachable server for a minute, too long to keep a caller waiting.
    static let defaultDeadline: Duration = .seconds(15)

    /// Runs `body`, translating PostgreSQL errors into `StoreError`, and giving up with `.unavailable` after
    /// `deadline`.
    func translatingErrors<T: Sendable>(
        deadline: Duration = defaultDeadline, _ body: @Sendable @escaping () async throws -> T
    ) async throws -> T {
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await body() }
                group.addTask {
                    try await Task.sleep(for: deadline)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let result = first else { throw StoreError.unavailable }
                return result
            }
        } catch {
            throw StoreError.from(error)
        }
    }

    /// Runs `body` in one transaction, translating errors; errors thrown by `body` come out unwrapped.
    func transaction<T: Sendable>(
        logger: Logger, deadline: Duration = defaultDeadline, _ body: @Sendable @escaping (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await translatingErrors(deadline: deadline) {
            try await self.withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }
}

extension AsyncSequence where Self: Sendable {
    /// Every element, in order.
    func all() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }
}

extension CalendarDate {
    /// A date as stored (`YYYY-MM-DD`); anything else is a loud error, never a made-up day.
    init(stored text: String) throws {
        guard let date = CalendarDate(text) else { throw StoreError.unexpected("stored date \(text) is not a date") }
        self = date
    }
}
