/// Reads CSV (RFC 4180: quoted fields with doubled quotes and line breaks inside) from chunks of bytes, so a file
/// of any size is read in constant memory. A UTF-8 byte-order mark at the start is skipped; CRLF and LF both end
/// records.
public struct CSVReader: Sendable {
    /// One record with the line it starts on (1-based, counting physical lines).
    public struct Record: Sendable, Equatable {
        public var line: Int
        public var fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    private var field: [UInt8] = []
    private var fields: [String] = []
    private var inQuotes = false
    private var quoteSeen = false
    private var atStart = true
    private var line = 1
    private var recordLine = 1
    private var pendingCR = false
    private var bomChecked = false
    private var bomPrefix: [UInt8] = []

    public init() {}

    /// Reads `chunk`, calling `emit` for each record it completes.
    public mutating func read(_ chunk: some Sequence<UInt8>, emit: (Record) throws -> Void) rethrows {
        for byte in chunk {
            if !bomChecked {
                bomPrefix.append(byte)
                if [0xEF, 0xBB, 0xBF].starts(with: bomPrefix) {
                    if bomPrefix.count == 3 {
                        bomChecked = true
                        bomPrefix = []
                    }
                    continue
                }
                bomChecked = true
                let pending = bomPrefix
                bomPrefix = []
                for earlier in pending { try consume(earlier, emit: emit) }
                continue
            }
            try consume(byte, emit: emit)
        }
    }

    /// Ends the input, emitting a last record that had no line break after it.
    public mutating func finish(emit: (Record) throws -> Void) rethrows {
        if !bomChecked, !bomPrefix.isEmpty {
            bomChecked = true
            let pending = bomPrefix
            bomPrefix = []
            for byte in pending { try consume(byte, emit: emit) }
        }
        if !atStart || !field.isEmpty || !fields.isEmpty { try endRecord(emit: emit) }
    }

    private mutating func consume(_ byte: UInt8, emit: (Record) throws -> Void) rethrows {
        if pendingCR {
            pendingCR = false
            if byte == 0x0A { return }
        }
        if atStart {
            recordLine = line
            atStart = false
        }
        if inQuotes {
            if byte == 0x22 {
                inQuotes = false
                quoteSeen = true
            } else {
                if byte == 0x0A { line += 1 }
                field.append(byte)
            }
            return
        }
        switch byte {
        case 0x22:
            if quoteSeen { field.append(0x22) }  // a doubled quote inside a quoted field
            inQuotes = true
            quoteSeen = false
        case 0x2C:
            endField()
        case 0x0D:
            pendingCR = true
            try endRecord(emit: emit)
            line += 1
        case 0x0A:
            try endRecord(emit: emit)
            line += 1
        default:
            quoteSeen = false
            field.append(byte)
        }
    }

    private mutating func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        quoteSeen = false
    }

    private mutating func endRecord(emit: (Record) throws -> Void) rethrows {
        endField()
        let record = Record(line: recordLine, fields: fields)
        fields.removeAll(keepingCapacity: true)
        atStart = true
        // Blank lines are not records.
        if !(record.fields.count == 1 && record.fields[0].isEmpty) { try emit(record) }
    }
}
