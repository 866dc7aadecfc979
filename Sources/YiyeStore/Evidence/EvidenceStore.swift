import Foundation
import YiyeCore

#if canImport(Glibc)
    import Glibc
#endif

/// Where the bytes of evidence files live: files under one directory (by default `<data dir>/evidence`), each named by
/// its SM3 digest (`ab/abcdef…`), written once and never changed.
///
/// Files, not PostgreSQL: photos and videos of up to 50 MiB would make every database backup, replica and vacuum carry
/// them, and PostgresNIO reads a `bytea` whole into memory; a content-addressed file is streamed in and out in small
/// chunks, stored once however often it is referred to, and copied by the backup as it is. Integrity does not depend
/// on the place: the digest is in the database and the audit trail, and a file whose bytes no longer hash to its name
/// is evident. A file is written to `tmp/` and fsynced, then renamed into place, and only then recorded in the
/// database: a crash leaves at most a stray file that nothing refers to, which the sweep removes.
public struct EvidenceStore: Sendable {
    /// Why an upload was refused.
    public enum Refusal: Error, Equatable {
        case tooLarge(limit: Int)
        case unrecognised
        case empty
    }

    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    func path(of digest: String) -> URL {
        directory.appendingPathComponent(String(digest.prefix(2)), isDirectory: true).appendingPathComponent(digest)
    }

    private var temporary: URL { directory.appendingPathComponent("tmp", isDirectory: true) }

    /// Writes `body` to a file while hashing it; refused past `limit` bytes, or when its first bytes are not of an
    /// accepted kind (checked before the rest is read). Returns where it now lives by digest, its size and kind.
    public func store<Body: AsyncSequence>(_ body: Body, limit: Int) async throws -> (digest: String, size: Int64, kind: EvidenceFile.Kind)
    where Body.Element == ArraySlice<UInt8> {
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let file = temporary.appendingPathComponent(UUID().uuidString)
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        let handle = try FileHandle(forWritingTo: file)
        var placed = false
        defer {
            try? handle.close()
            if !placed { try? FileManager.default.removeItem(at: file) }
        }
        let hasher = SM3Hasher()
        var (size, head, kind) = (0, [UInt8](), EvidenceFile.Kind?.none)
        for try await chunk in body {
            size += chunk.count
            guard size <= limit else { throw Refusal.tooLarge(limit: limit) }
            if kind == nil {
                head += chunk.prefix(16 - head.count)
                if head.count >= 12 {
                    guard let known = EvidenceFile.Kind.sniff(head) else { throw Refusal.unrecognised }
                    kind = known
                }
            }
            hasher.update(chunk)
            try handle.write(contentsOf: chunk)
        }
        guard size > 0 else { throw Refusal.empty }
        guard let kind = kind ?? EvidenceFile.Kind.sniff(head) else { throw Refusal.unrecognised }
        try handle.synchronize()
        let digest = hasher.finalize()
        let target = path(of: digest)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard rename(file.path, target.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
        }
        placed = true
        Self.synchronize(directory: target.deletingLastPathComponent())
        return (digest, Int64(size), kind)
    }

    /// The file's bytes in chunks, or nil when there is no such file.
    public func contents(of digest: String) -> AsyncThrowingStream<ArraySlice<UInt8>, any Error>? {
        guard let handle = try? FileHandle(forReadingFrom: path(of: digest)) else { return nil }
        return AsyncThrowingStream {
            guard let data = try handle.read(upToCount: 256 * 1024), !data.isEmpty else {
                try? handle.close()
                return nil
            }
            return ArraySlice(data)
        }
    }

    /// Removes the file of `digest`, if there is one.
    public func remove(_ digest: String) {
        try? FileManager.default.removeItem(at: path(of: digest))
    }

    /// The digests of the stored files last written before `cutoff`; temporary files older than that, left by a
    /// crash mid-upload, are removed on the way.
    public func files(writtenBefore cutoff: Date) -> [String] {
        let manager = FileManager.default
        func older(_ url: URL) -> Bool {
            ((try? manager.attributesOfItem(atPath: url.path)[.modificationDate]) as? Date).map { $0 < cutoff } ?? false
        }
        for file in (try? manager.contentsOfDirectory(at: temporary, includingPropertiesForKeys: nil)) ?? [] where older(file) {
            try? manager.removeItem(at: file)
        }
        var digests: [String] = []
        for folder in (try? manager.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        where folder.lastPathComponent.count == 2 {
            for file in (try? manager.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
            where EvidenceFile.digest(of: "sm3:" + file.lastPathComponent) != nil && older(file) {
                digests.append(file.lastPathComponent)
            }
        }
        return digests
    }

    /// Makes a rename into `directory` durable.
    private static func synchronize(directory: URL) {
        let descriptor = open(directory.path, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = close(descriptor)
    }
}
