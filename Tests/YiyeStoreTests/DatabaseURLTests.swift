import Testing
import YiyeStore

@Suite("Database URLs")
struct DatabaseURLTests {
    @Test("a TCP URL gives host, port, user, password and database")
    func tcp() throws {
        let url = try DatabaseURL("postgres://yiye:s%40cret@db.internal:6543/inspections?sslmode=disable")
        #expect(url.endpoint == .tcp(host: "db.internal", port: 6543))
        #expect(url.username == "yiye")
        #expect(url.password == "s@cret")
        #expect(url.database == "inspections")
        #expect(url.tls == .disable)
    }

    @Test("defaults: port 5432, database named after the user, TLS preferred")
    func defaults() throws {
        let url = try DatabaseURL("postgresql://yiye@localhost")
        #expect(url.endpoint == .tcp(host: "localhost", port: 5432))
        #expect(url.database == "yiye")
        #expect(url.tls == .prefer)
    }

    @Test("a socket directory in ?host= selects a unix socket")
    func unixSocket() throws {
        let url = try DatabaseURL("postgres://yiye@/yiye?host=/var/run/postgresql")
        #expect(url.endpoint == .unixSocket(path: "/var/run/postgresql/.s.PGSQL.5432"))
        #expect(try DatabaseURL("postgres://yiye@/yiye?host=/tmp&port=5433").endpoint == .unixSocket(path: "/tmp/.s.PGSQL.5433"))
    }

    @Test(
        "bad URLs are refused with a reason",
        arguments: [
            ("mysql://a@b/c", DatabaseURLError.notAPostgresURL),
            ("not a url at all", DatabaseURLError.notAPostgresURL),
            ("postgres://yiye@/db", DatabaseURLError.missingHost),
            ("postgres://localhost/db", DatabaseURLError.missingUser),
            ("postgres://a@b/c?sslmode=sometimes", DatabaseURLError.unsupportedSSLMode("sometimes")),
        ])
    func refused(text: String, expected: DatabaseURLError) {
        #expect(throws: expected) { try DatabaseURL(text) }
    }

    @Test("the refusal never repeats the password")
    func noPasswordInErrors() {
        do {
            _ = try DatabaseURL("postgres://yiye:topsecret@/db")
            Issue.record("expected a refusal")
        } catch {
            #expect(!error.description.contains("topsecret"))
        }
    }
}
