import Foundation

/// Runs a program to its end, its standard input and output in temporary files. Not pipes: a process another test
/// starts meanwhile (an embedded PostgreSQL) inherits a pipe's open end, and reading to the end then never ends.
public enum ChildProcess {
    public static func run(_ executable: String, _ arguments: [String], input: Data = Data()) throws -> (status: Int32, output: String) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("yiye-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (inputFile, outputFile) = (scratch.appendingPathComponent("in"), scratch.appendingPathComponent("out"))
        try input.write(to: inputFile)
        try Data().write(to: outputFile)
        let (reading, writing) = (try FileHandle(forReadingFrom: inputFile), try FileHandle(forWritingTo: outputFile))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = reading
        process.standardOutput = writing
        try process.run()
        process.waitUntilExit()
        try reading.close()
        try writing.close()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: outputFile), as: UTF8.self))
    }
}
