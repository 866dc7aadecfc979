import Foundation

/// 证据材料: a file kept as evidence of an inspection (a photo, a scanned record, the audio or video of a refusal),
/// stored once by its SM3 digest and referred to from item results as `sm3:<digest>`.
public struct EvidenceFile: Sendable, Equatable {
    /// The kinds accepted, recognised by their first bytes, never by the name or the declared type alone.
    public enum Kind: String, Sendable, CaseIterable, Labelled {
        case jpeg, png, pdf, mp4, mp3, wav

        public var label: String {
            switch self {
            case .jpeg: "JPEG 图片"
            case .png: "PNG 图片"
            case .pdf: "PDF 文件"
            case .mp4: "MP4 音视频"
            case .mp3: "MP3 录音"
            case .wav: "WAV 录音"
            }
        }

        public var mediaType: String {
            switch self {
            case .jpeg: "image/jpeg"
            case .png: "image/png"
            case .pdf: "application/pdf"
            case .mp4: "video/mp4"
            case .mp3: "audio/mpeg"
            case .wav: "audio/wav"
            }
        }

        /// The kind whose signature `head` (a file's first bytes, at least 12 when the file has them) starts with.
        public static func sniff(_ head: [UInt8]) -> Kind? {
            func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
                head.count >= offset + signature.count && Array(head[offset..<offset + signature.count]) == signature
            }
            if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
            if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
            if starts(Array("%PDF-".utf8)) { return .pdf }
            if starts(Array("ftyp".utf8), at: 4) { return .mp4 }
            if starts(Array("ID3".utf8)) || starts([0xFF, 0xFB]) || starts([0xFF, 0xF3]) || starts([0xFF, 0xF2]) { return .mp3 }
            if starts(Array("RIFF".utf8)), starts(Array("WAVE".utf8), at: 8) { return .wav }
            return nil
        }

        /// What a refusal lists as accepted.
        public static var accepted: String { allCases.map(\.label).joined(separator: "、") }
    }

    /// The default upload limit, configurable per deployment.
    public static let defaultLimitMiB = 50

    /// How an item result refers to the file.
    public static func reference(to digest: String) -> String { "sm3:" + digest }

    /// The digest an `sm3:` reference names, if `reference` is one.
    public static func digest(of reference: String) -> String? {
        guard reference.hasPrefix("sm3:") else { return nil }
        let digest = String(reference.dropFirst(4))
        return digest.count == 64 && digest.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) ? digest : nil
    }

    public var digest: String
    public var size: Int64
    public var kind: Kind
    /// The name it was uploaded under (for people; never used to find it).
    public var name: String
    public var department: DepartmentCode
    public var uploadedBy: String
    public var uploadedAt: Date

    public init(
        digest: String, size: Int64, kind: Kind, name: String, department: DepartmentCode, uploadedBy: String, uploadedAt: Date = Date()
    ) {
        self.digest = digest
        self.size = size
        self.kind = kind
        self.name = name
        self.department = department
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
    }
}
