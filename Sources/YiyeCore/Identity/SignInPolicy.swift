import Foundation

/// Sign-in and session limits (等保2.0 level 3: login failure handling and session timeouts).
public struct SignInPolicy: Sendable, Equatable {
    /// Failed sign-ins in a row that lock the account.
    public var maximumFailures: Int
    /// How long a locked account stays locked.
    public var lockout: Duration
    /// A session unused this long ends.
    public var idleTimeout: Duration
    /// A session ends this long after sign-in, however active.
    public var absoluteLifetime: Duration
    /// Failed sign-ins from one client address, whatever the names, within `addressWindow`, after which that address
    /// may not sign in until the window ends (guessing one password across many names).
    public var maximumFailuresPerAddress: Int
    public var addressWindow: Duration
    /// A password older than this no longer signs in until its user changes it (nil: never too old).
    public var passwordMaximumAge: Duration?

    public init(
        maximumFailures: Int = 5, lockout: Duration = .seconds(15 * 60),
        idleTimeout: Duration = .seconds(30 * 60), absoluteLifetime: Duration = .seconds(12 * 3600),
        maximumFailuresPerAddress: Int = 30, addressWindow: Duration = .seconds(15 * 60),
        passwordMaximumAge: Duration? = .seconds(90 * 86_400)
    ) {
        self.maximumFailures = maximumFailures
        self.lockout = lockout
        self.idleTimeout = idleTimeout
        self.absoluteLifetime = absoluteLifetime
        self.maximumFailuresPerAddress = maximumFailuresPerAddress
        self.addressWindow = addressWindow
        self.passwordMaximumAge = passwordMaximumAge
    }

    /// How fresh a session's idle clock is kept: a request within this of the last one recorded does not write it
    /// again (a thirtieth of the idle timeout, at most a minute), so that reads do not each cost a write.
    public var idleClockResolution: Duration { min(.seconds(60), idleTimeout / 30) }

    /// Whether a password changed at `changedAt` is too old at `now`.
    public func passwordExpired(changedAt: Date, now: Date) -> Bool {
        guard let age = passwordMaximumAge else { return false }
        return now.timeIntervalSince(changedAt) > Double(age.components.seconds)
    }

    /// Whether a sign-in attempt may go on to have its password checked.
    public enum Admission: Sendable, Equatable {
        /// The attempt is the name's `attempt`-th in a row, counted before its password is checked, so that
        /// concurrent guesses cannot check more than `maximumFailures` passwords.
        case allowed(attempt: Int)
        case nameLocked
        case addressLimited
    }

    /// Bytes of randomness in a session token (256 bits).
    public static let tokenBytes = 32
}
