import NIOCore
import PostgresNIO
import YiyeCore

/// PostgreSQL's COPY text format: tab-separated, `\N` for null, backslash escapes, arrays as `{"a","b"}`.
enum CopyText {
    /// An object row: line number, then the `objects` columns the import copies.
    static func append(_ object: InspectedObject, line: Int, to buffer: inout ByteBuffer) {
        field(String(line), &buffer)
        field(object.creditCode, &buffer)
        field(object.name, &buffer)
        field(object.kind.rawValue, &buffer)
        array(object.industries, &buffer)
        field(object.regionCode, &buffer)
        field(object.address, &buffer)
        field(object.scale?.rawValue, &buffer)
        field(object.riskClass?.rawValue, &buffer)
        field(object.riskRatedOn?.description, &buffer)
        array(object.supervisingDepartments.map(\.rawValue), &buffer)
        field(object.status.rawValue, &buffer)
        array(object.tags, &buffer, last: true)
    }

    /// A licence row: line number, then the `object_licences` columns the import copies.
    static func append(_ licence: ObjectLicence, line: Int, to buffer: inout ByteBuffer) {
        field(String(line), &buffer)
        field(licence.creditCode, &buffer)
        field(licence.licence, &buffer)
        field(licence.number, &buffer)
        field(licence.issuedBy.rawValue, &buffer)
        field(licence.validUntil?.description, &buffer)
        field(licence.status.rawValue, &buffer, last: true)
    }

    /// An inspector row: line number, then the `inspectors` columns the import copies.
    static func append(_ inspector: Inspector, line: Int, to buffer: inout ByteBuffer) {
        field(String(line), &buffer)
        field(inspector.department.rawValue, &buffer)
        field(inspector.name, &buffer)
        field(inspector.position, &buffer)
        field(inspector.certificateNumber, &buffer)
        field(inspector.post, &buffer)
        field(inspector.phone, &buffer)
        field(inspector.level.rawValue, &buffer)
        field(inspector.regionCode, &buffer)
        array(inspector.categories, &buffer)
        array(inspector.qualifications, &buffer)
        array(inspector.expertise, &buffer)
        field(inspector.status.rawValue, &buffer)
        field(inspector.isExpert ? "t" : "f", &buffer)
        field(inspector.institution, &buffer, last: true)
    }

    /// A drawn object of a draw: the `drawn_objects` columns, with the position of its team's needs among the draw's
    /// distinct ones, why it went unstaffed, and its team in place order.
    static func append(
        _ selected: DrawRecord.Selected, team: DrawRecord.Team, needsSet: Int, draw: DrawID, year: Int, to buffer: inout ByteBuffer
    ) {
        field(draw.description, &buffer)
        field(selected.objectID, &buffer)
        field(String(year), &buffer)
        field(selected.stratum, &buffer)
        field(selected.rank, &buffer)
        field(String(needsSet), &buffer)
        field(team.unstaffed, &buffer)
        array(team.members.map(\.inspectorID), &buffer)
        array(team.members.map(\.department.rawValue), &buffer)
        // bytea in hex form, the ranks' hex concatenated (a backslash is doubled in COPY's text format).
        buffer.writeStaticString("\\\\x")
        for member in team.members { buffer.writeString(member.rank) }
        buffer.writeInteger(UInt8(ascii: "\t"))
        field(team.members.firstIndex(where: \.leader).map(String.init), &buffer, last: true)
    }

    /// Streams `rows` to a COPY, about a mebibyte at a time.
    static func write<Rows: Sequence>(
        _ rows: Rows, to writer: PostgresCopyFromWriter, _ append: (Rows.Element, inout ByteBuffer) -> Void
    ) async throws {
        var buffer = ByteBuffer()
        for row in rows {
            append(row, &buffer)
            if buffer.readableBytes >= 1 << 20 {
                try await writer.write(buffer)
                buffer.clear()
            }
        }
        if buffer.readableBytes > 0 { try await writer.write(buffer) }
    }

    private static func field(_ value: String?, _ buffer: inout ByteBuffer, last: Bool = false) {
        if let value {
            escaped(value, &buffer, inArray: false)
        } else {
            buffer.writeStaticString("\\N")
        }
        buffer.writeInteger(last ? UInt8(ascii: "\n") : UInt8(ascii: "\t"))
    }

    /// An array literal with every element quoted; array escapes (`\"`, `\\`) are then escaped again for COPY.
    private static func array(_ values: [String], _ buffer: inout ByteBuffer, last: Bool = false) {
        buffer.writeInteger(UInt8(ascii: "{"))
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            buffer.writeInteger(UInt8(ascii: "\""))
            escaped(value, &buffer, inArray: true)
            buffer.writeInteger(UInt8(ascii: "\""))
        }
        buffer.writeInteger(UInt8(ascii: "}"))
        buffer.writeInteger(last ? UInt8(ascii: "\n") : UInt8(ascii: "\t"))
    }

    private static func escaped(_ value: String, _ buffer: inout ByteBuffer, inArray: Bool) {
        let special: (UInt8) -> Bool = { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || (inArray && $0 == 0x22) }
        guard value.utf8.contains(where: special) else {
            buffer.writeString(value)
            return
        }
        for byte in value.utf8 {
            switch byte {
            case 0x5C: buffer.writeStaticString(inArray ? "\\\\\\\\" : "\\\\")
            case 0x22 where inArray: buffer.writeStaticString("\\\\\"")
            case 0x09: buffer.writeStaticString("\\t")
            case 0x0A: buffer.writeStaticString("\\n")
            case 0x0D: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }
}
