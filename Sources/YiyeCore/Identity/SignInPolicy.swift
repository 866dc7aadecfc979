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

    public init(
        maximumFailures: Int = 5, lockout: Duration = .seconds(15 * 60),
        idleTimeout: Duration = .seconds(30 * 60), absoluteLifetime: Duration = .seconds(12 * 3600)
    ) {
        self.maximumFailures = maximumFailures
        self.lockout = lockout
        self.idleTimeout = idleTimeout
        self.absoluteLifetime = absoluteLifetime
    }

    /// Bytes of randomness in a session token (256 bits).
    public static let tokenBytes = 32
}
