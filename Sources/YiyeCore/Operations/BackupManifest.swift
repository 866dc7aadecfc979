/// The table of contents of a backup archive (`yiye backup`): every file's SM3, size and path, so that a restore
/// refuses an archive that was changed, cut short or added to. One line per file after a header line:
/// `<64 hex SM3>  <size in bytes>  <path>`.
public struct BackupManifest: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var digest: String
        public var size: Int64

        public init(path: String, digest: String, size: Int64) {
            self.path = path
            self.digest = digest
            self.size = size
        }
    }

    public static let fileName = "MANIFEST.sm3"
    static let header = "yiye-backup 1"

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries.sorted { $0.path < $1.path }
    }

    public var text: String {
        ([Self.header] + entries.map { "\($0.digest)  \($0.size)  \($0.path)" }).joined(separator: "\n") + "\n"
    }

    /// Reads a manifest, refusing anything that is not one: a wrong header, a malformed line, a path leaving the
    /// archive or listed twice.
    public init(text: String) throws(BackupError) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard lines.first == Self.header else { throw .damaged("清单的首行不是 \(Self.header)") }
        lines.removeFirst()
        var entries: [Entry] = []
        for line in lines {
            let parts = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: true)
            guard parts.count == 3, parts[0].count == 64, parts[0].allSatisfy(\.isHexDigit), let size = Int64(parts[1]), size >= 0
            else { throw .damaged("清单行无法识别：\(line.prefix(120))") }
            let path = String(parts[2])
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains(".."), path != Self.fileName else {
                throw .damaged("清单中的路径不合法：\(path)")
            }
            entries.append(Entry(path: path, digest: String(parts[0]).lowercased(), size: size))
        }
        guard Set(entries.map(\.path)).count == entries.count else { throw .damaged("清单中有重复的路径") }
        self.init(entries: entries)
    }

    /// Compares what an archive holds (`found`: each file's path, SM3 and size as read) with the manifest.
    public func check(_ found: [Entry]) throws(BackupError) {
        let listed = Dictionary(uniqueKeysWithValues: entries.map { ($0.path, $0) })
        for file in found where listed[file.path] == nil { throw .damaged("备份中有未列入清单的文件：\(file.path)") }
        let present = Dictionary(uniqueKeysWithValues: found.map { ($0.path, $0) })
        for entry in entries {
            guard let file = present[entry.path] else { throw .damaged("清单所列文件缺失：\(entry.path)") }
            guard file.size == entry.size, file.digest == entry.digest else {
                throw .damaged("文件与清单的 SM3 摘要不符（已被改动或不完整）：\(entry.path)")
            }
        }
    }
}

/// Why a backup or restore stopped.
public enum BackupError: Error, Equatable, CustomStringConvertible {
    /// The archive is not a whole, unchanged yiye backup.
    case damaged(String)
    /// The target already holds data: a restore writes only into an empty one.
    case targetNotEmpty(String)

    public var description: String {
        switch self {
        case .damaged(let why): "备份文件不可用：\(why)"
        case .targetNotEmpty(let what): "恢复目标不为空：\(what)；请恢复到新的数据目录或空数据库"
        }
    }
}
