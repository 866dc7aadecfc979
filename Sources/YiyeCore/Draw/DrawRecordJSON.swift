import Foundation

extension DrawRecord {
    /// The record as JSON that its `Codable` form decodes, written directly: a province-wide draw has tens of thousands
    /// of teams, over which `JSONEncoder` takes seconds. The small parts go through `JSONEncoder` still.
    public func json() throws -> [UInt8] {
        var out = JSONBytes()
        out.bytes.reserveCapacity(256 + selected.count * 140 + (teams?.count ?? 0) * 1_200)
        out.open()
        out.key("algorithm", first: true)
        out.string(algorithm)
        out.key("parameters")
        try out.encoded(parameters)
        out.key("poolDigest")
        out.string(poolDigest)
        out.key("inspectorDigest")
        out.string(inspectorDigest)
        out.key("strata")
        try out.encoded(strata)
        out.key("exclusions")
        try out.encoded(exclusions)
        out.key("commitments")
        try out.encoded(commitments)
        out.key("reveals")
        try out.encoded(reveals)
        out.key("absent")
        try out.encoded(absent)
        if let beaconValue {
            out.key("beaconValue")
            out.string(beaconValue)
        }
        if let beaconEntry {
            out.key("beaconEntry")
            try out.encoded(beaconEntry)
        }
        out.key("seed")
        out.string(seed)
        out.key("selected")
        out.array(selected) { out, item in
            out.open()
            out.key("objectID", first: true)
            out.string(item.objectID)
            out.key("stratum")
            out.string(item.stratum)
            out.key("rank")
            out.string(item.rank)
            out.close()
        }
        out.key("skipped")
        try out.encoded(skipped)
        if let teams {
            out.key("teams")
            out.array(teams) { out, team in out.team(team) }
        }
        out.close()
        return out.bytes
    }
}

/// JSON written byte by byte.
private struct JSONBytes {
    var bytes: [UInt8] = []
    private let encoder = JSONEncoder()

    mutating func open() { bytes.append(UInt8(ascii: "{")) }

    mutating func close() { bytes.append(UInt8(ascii: "}")) }

    mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: "\":".utf8)
    }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0..<0x20:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 0xF)])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hex = Array("0123456789abcdef".utf8)

    mutating func int(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }

    mutating func array<Element>(_ elements: [Element], _ write: (inout JSONBytes, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            write(&self, element)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A small value through `JSONEncoder`.
    mutating func encoded(_ value: some Encodable) throws {
        bytes.append(contentsOf: try encoder.encode(value))
    }

    mutating func team(_ team: DrawRecord.Team) {
        open()
        key("objectID", first: true)
        string(team.objectID)
        key("needs")
        array(team.needs) { out, need in
            out.open()
            out.key("department", first: true)
            out.string(need.department.rawValue)
            out.key("count")
            out.int(need.count)
            out.key("qualifications")
            out.array(need.qualifications) { $0.string($1) }
            out.close()
        }
        key("members")
        array(team.members) { out, member in
            out.open()
            out.key("department", first: true)
            out.string(member.department.rawValue)
            out.key("inspectorID")
            out.string(member.inspectorID)
            out.key("rank")
            out.string(member.rank)
            out.key("leader")
            out.bool(member.leader)
            out.close()
        }
        if let unstaffed = team.unstaffed {
            key("unstaffed")
            string(unstaffed)
        }
        close()
    }
}
