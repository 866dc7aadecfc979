import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the PostgreSQL programs, as an unprivileged user when yiye itself runs as root.
///
/// Uses `posix_spawn` and `waitpid` rather than Foundation's `Process`, whose `waitUntilExit` can miss the exit
/// of a child that leaves a daemon behind (`pg_ctl start`).
struct CommandRunner: Sendable {
    /// The account to run as (root only): PostgreSQL refuses to run as root.
    var user: String?

    /// Runs `executable` with `arguments`, its output going to `outputFile`, so that a daemon it starts cannot
    /// hold a pipe of ours open. Returns the output; throws when the exit status is not 0.
    @discardableResult
    func run(_ executable: URL, _ arguments: [String], outputFile: URL) throws -> String {
        var argv = [executable.path] + arguments
        if let user { argv = ["/usr/sbin/runuser", "-u", user, "--"] + argv }
        let status = try Self.spawn(argv, outputPath: outputFile.path)
        let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw EmbeddedClusterError.commandFailed(
                command: ([executable.lastPathComponent] + arguments).joined(separator: " "), status: status, output: output
            )
        }
        return output
    }

    /// Runs a short command found on `PATH` and returns its standard output.
    static func output(of command: String, _ arguments: [String]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "yiye-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out")
        defer { try? FileManager.default.removeItem(at: file) }
        let status = try spawn(["/usr/bin/env", command] + arguments, outputPath: file.path)
        guard status == 0 else {
            throw EmbeddedClusterError.commandFailed(command: command, status: status, output: "")
        }
        return (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    }

    /// Spawns `argv` with stdin from /dev/null and stdout+stderr to `outputPath`; waits and returns the exit status.
    private static func spawn(_ argv: [String], outputPath: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else {
            throw EmbeddedClusterError.commandFailed(command: argv[0], status: spawned, output: String(cString: strerror(spawned)))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else {
                throw EmbeddedClusterError.commandFailed(command: argv[0], status: errno, output: "waitpid failed")
            }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        return 128 + (status & 0x7f)
    }
}
