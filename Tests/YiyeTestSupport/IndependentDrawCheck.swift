import Foundation

/// `scripts/draw-check.py`, the independent program that recomputes a draw from its published files (Python's hashlib
/// SM3, nothing of Yiye's).
public enum IndependentDrawCheck {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs `verify` on the files given by content (the record as JSON, the pool, and optionally the inspector and
    /// conflict files); its exit status and what it printed.
    public static func verify(record: Data, pool: [UInt8], inspectors: [UInt8]? = nil, conflicts: [UInt8]? = nil) throws
        -> (status: Int32, output: String)
    {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("yiye-draw-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var paths: [String] = []
        for (name, bytes) in [
            ("record.json", Array(record)), ("pool.txt", pool), ("inspectors.txt", inspectors), ("conflicts.txt", conflicts),
        ] {
            guard let bytes else { continue }
            let path = scratch.appendingPathComponent(name)
            try Data(bytes).write(to: path)
            paths.append(path.path)
        }
        return try run(["verify"] + paths)
    }

    /// Runs the script with `arguments`.
    public static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try ChildProcess.run("/usr/bin/env", ["python3", root.appendingPathComponent("scripts/draw-check.py").path] + arguments)
    }
}
