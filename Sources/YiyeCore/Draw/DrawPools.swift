import Foundation

/// The frozen candidates of a draw (docs/DRAW-SPEC.md §1): the object pool file and the inspector pool and conflict files,
/// byte for byte as published, with their digests.
public struct ObjectPool: Sendable {
    public struct Candidate: Sendable, Hashable {
        /// The risk class, or `-` when unstratified.
        public var stratum: String
        /// The 统一社会信用代码.
        public var objectID: String

        public init(stratum: String, objectID: String) {
            self.stratum = stratum
            self.objectID = objectID
        }
    }

    /// `STRATUM<TAB>OBJECT_ID<LF>` per candidate, sorted by stratum, then object id, in byte order.
    public let file: [UInt8]
    /// Where each candidate's id lies in `file`, in the file's order: a pool is read without making a million strings.
    let ids: [Range<Int>]
    /// Each stratum with the positions of its candidates in `ids` (the pool lists a stratum's candidates together).
    let strata: [(name: String, candidates: Range<Int>)]

    public init(_ candidates: [Candidate]) {
        var file: [UInt8] = []
        file.reserveCapacity(candidates.count * 22)
        for candidate in candidates.sorted(by: { bytesLess(($0.stratum, $0.objectID), ($1.stratum, $1.objectID)) }) {
            file.appendLine(candidate.stratum, candidate.objectID.utf8)
        }
        self.init(file: file)!
    }

    /// Reads a pool file; nil when a line is not `STRATUM<TAB>OBJECT_ID`.
    public init?(file: [UInt8]) {
        guard file.isEmpty || file.last == 0x0A else { return nil }
        var ids: [Range<Int>] = []
        var strata: [(name: String, candidates: Range<Int>)] = []
        var stratum: Range<Int> = 0..<0
        var start = 0
        while start < file.count {
            guard let end = file[start...].firstIndex(of: 0x0A), let tab = file[start..<end].firstIndex(of: 0x09),
                !file[(tab + 1)..<end].contains(0x09)
            else { return nil }
            // A pool has a handful of strata: their names are made once, not once per line.
            if strata.isEmpty || !file[stratum].elementsEqual(file[start..<tab]) {
                stratum = start..<tab
                strata.append((String(decoding: file[stratum], as: UTF8.self), ids.count..<ids.count))
            }
            ids.append((tab + 1)..<end)
            strata[strata.count - 1].candidates = strata[strata.count - 1].candidates.lowerBound..<ids.count
            start = end + 1
        }
        (self.file, self.ids, self.strata) = (file, ids, strata)
    }

    /// The candidates in the file's order.
    public var candidates: [Candidate] {
        strata.flatMap { stratum in stratum.candidates.map { Candidate(stratum: stratum.name, objectID: objectID(at: $0)) } }
    }

    /// The id of the candidate at a position of `ids`.
    func objectID(at index: Int) -> String {
        String(decoding: file[ids[index]], as: UTF8.self)
    }

    /// Byte-order comparison of two ids.
    static func compare(_ left: UnsafeRawBufferPointer, _ a: Range<Int>, _ right: UnsafeRawBufferPointer, _ b: Range<Int>)
        -> Int32
    {
        let common = min(a.count, b.count)
        let order = common == 0 ? 0 : memcmp(left.baseAddress! + a.lowerBound, right.baseAddress! + b.lowerBound, common)
        return order != 0 ? order : Int32(a.count) - Int32(b.count)
    }

    public var digest: String { SM3.hex(file) }

    /// `n_s`: candidates per stratum.
    public var counts: [String: Int] {
        strata.reduce(into: [:]) { $0[$1.name, default: 0] += $1.candidates.count }
    }
}

extension ObjectPool {
    /// The pool file built from runs of object ids, as the freeze reads them from the database: one run per group of
    /// objects sharing a stratum and an exclusion decision, each run the ids joined by LF. No candidate is held as a
    /// value; a run already in byte order is merged as it is, any other is sorted first.
    public struct Writer: Sendable {
        private struct Run: Sendable {
            var bytes: [UInt8]
            /// Where each id lies in `bytes`, in byte order of the ids.
            var ids: [Range<Int>]
        }

        private var strata: [String: [Run]] = [:]
        /// `n_s`: candidates per stratum.
        public private(set) var counts: [String: Int] = [:]

        public init() {}

        /// Adds a run of ids joined by LF to a stratum.
        public mutating func append(stratum: String, ids bytes: [UInt8]) {
            guard !bytes.isEmpty else { return }
            var run = Run(bytes: bytes, ids: [])
            var start = 0
            for index in bytes.indices where bytes[index] == 0x0A {
                run.ids.append(start..<index)
                start = index + 1
            }
            run.ids.append(start..<bytes.count)
            bytes.withUnsafeBytes { raw in
                let ordered = zip(run.ids, run.ids.dropFirst()).allSatisfy { ObjectPool.compare(raw, $0, raw, $1) < 0 }
                if !ordered { run.ids = Self.sorted(run.ids, in: raw) }
            }
            strata[stratum, default: []].append(run)
            counts[stratum, default: 0] += run.ids.count
        }

        /// All candidates.
        public var count: Int { counts.values.reduce(0, +) }

        /// Those of `objectIDs` that are candidates.
        public func members(among objectIDs: [String]) -> Set<String> {
            Set(matches(objectIDs).map(\.key))
        }

        /// Leaves out the candidates among `objectIDs`; returns them, in byte order.
        public mutating func remove(_ objectIDs: [String]) -> [String] {
            let found = matches(objectIDs)
            for (stratum, runs) in strata {
                for index in runs.indices {
                    let gone = Set(found.lazy.filter { $0.stratum == stratum && $0.run == index }.map(\.position))
                    guard !gone.isEmpty else { continue }
                    strata[stratum]![index].ids = runs[index].ids.enumerated().filter { !gone.contains($0.offset) }.map(\.element)
                    counts[stratum]! -= gone.count
                }
                // A stratum left empty is no stratum, as if none of its objects had come.
                if counts[stratum] == 0 { (strata[stratum], counts[stratum]) = (nil, nil) }
            }
            return found.map(\.key).sorted { $0.bytesLess($1) }
        }

        /// The places of `objectIDs` in the runs: one walk through each run beside the ids sorted, as the runs are.
        private func matches(_ objectIDs: [String]) -> [(key: String, stratum: String, run: Int, position: Int)] {
            let keys = Set(objectIDs).map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
            var found: [(key: String, stratum: String, run: Int, position: Int)] = []
            for (stratum, runs) in strata {
                for (index, run) in runs.enumerated() {
                    run.bytes.withUnsafeBytes { bytes in
                        var (position, next) = (0, 0)
                        while position < run.ids.count, next < keys.count {
                            let order = keys[next].withUnsafeBytes { ObjectPool.compare(bytes, run.ids[position], $0, 0..<$0.count) }
                            if order < 0 {
                                position += 1
                            } else if order > 0 {
                                next += 1
                            } else {
                                found.append((String(decoding: keys[next], as: UTF8.self), stratum, index, position))
                                (position, next) = (position + 1, next + 1)
                            }
                        }
                    }
                }
            }
            return found
        }

        /// The file: strata in byte order, each in object-id order; nil when an id occurs twice.
        public var file: [UInt8]? {
            var file: [UInt8] = []
            file.reserveCapacity(
                strata.reduce(0) { total, stratum in total + stratum.value.reduce(0) { $0 + $1.bytes.count + 1 } } + 3 * count)
            for stratum in strata.keys.sorted(by: { $0.bytesLess($1) }) {
                guard Self.merge(strata[stratum]!, stratum: stratum, into: &file) else { return nil }
            }
            return file
        }

        /// Appends the lines of a stratum's runs in object-id order; false when an id occurs twice.
        private static func merge(_ runs: [Run], stratum: String, into file: inout [UInt8]) -> Bool {
            var next = [Int](repeating: 0, count: runs.count)
            var last: (run: Int, id: Range<Int>)?
            while true {
                // The run whose next id comes first (a stratum has a handful of runs).
                var first: Int?
                for (index, run) in runs.enumerated() where next[index] < run.ids.count {
                    if let chosen = first, order(runs, (index, run.ids[next[index]]), (chosen, runs[chosen].ids[next[chosen]])) >= 0 {
                        continue
                    }
                    first = index
                }
                guard let first else { return true }
                let id = runs[first].ids[next[first]]
                if let last, order(runs, last, (first, id)) >= 0 { return false }
                file.appendLine(stratum, runs[first].bytes[id])
                (last, next[first]) = ((first, id), next[first] + 1)
            }
        }

        private static func order(_ runs: [Run], _ a: (run: Int, id: Range<Int>), _ b: (run: Int, id: Range<Int>)) -> Int32 {
            runs[a.run].bytes.withUnsafeBytes { left in
                runs[b.run].bytes.withUnsafeBytes { right in ObjectPool.compare(left, a.id, right, b.id) }
            }
        }

        /// Ids in byte order. Each is first compared by its first 16 bytes read as two integers (zero after its end),
        /// which decides for all but ids sharing those bytes: a million ids sort in a fraction of the time.
        private static func sorted(_ ids: [Range<Int>], in bytes: UnsafeRawBufferPointer) -> [Range<Int>] {
            struct Keyed {
                var key: (UInt64, UInt64)
                var id: Range<Int>
            }
            func word(_ id: Range<Int>, from offset: Int) -> UInt64 {
                (0..<8).reduce(0) { word, index in
                    let position = id.lowerBound + offset + index
                    return word << 8 | UInt64(position < id.upperBound ? bytes[position] : 0)
                }
            }
            var keyed = ids.map { Keyed(key: (word($0, from: 0), word($0, from: 8)), id: $0) }
            keyed.sort { $0.key != $1.key ? $0.key < $1.key : ObjectPool.compare(bytes, $0.id, bytes, $1.id) < 0 }
            return keyed.map(\.id)
        }
    }
}

/// The inspectors the participating departments put in a draw, with their qualifications, and the conflict pairs.
public struct InspectorPool: Sendable {
    public struct Entry: Sendable, Hashable {
        public var department: DepartmentCode
        public var inspectorID: String
        /// Sorted.
        public var qualifications: [String]

        public init(department: DepartmentCode, inspectorID: String, qualifications: [String]) {
            self.department = department
            self.inspectorID = inspectorID
            self.qualifications = qualifications.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        }
    }

    public struct Conflict: Sendable, Hashable {
        public var objectID: String
        public var inspectorID: String

        public init(objectID: String, inspectorID: String) {
            self.objectID = objectID
            self.inspectorID = inspectorID
        }
    }

    /// Sorted by department, then inspector id.
    public let entries: [Entry]
    /// Sorted by object, then inspector.
    public let conflicts: [Conflict]

    public init(entries: [Entry], conflicts: [Conflict]) {
        self.entries = entries.sorted { bytesLess(($0.department.rawValue, $0.inspectorID), ($1.department.rawValue, $1.inspectorID)) }
        self.conflicts = Array(Set(conflicts)).sorted { bytesLess(($0.objectID, $0.inspectorID), ($1.objectID, $1.inspectorID)) }
    }

    /// Reads the two files; nil when a line is malformed.
    public init?(file: [UInt8], conflictFile: [UInt8]) {
        var entries: [Entry] = []
        for line in Self.lines(file) {
            guard line.count == 3 else { return nil }
            entries.append(
                Entry(
                    department: DepartmentCode(line[0]), inspectorID: line[1],
                    qualifications: line[2].isEmpty ? [] : line[2].split(separator: ",").map(String.init)))
        }
        var conflicts: [Conflict] = []
        for line in Self.lines(conflictFile) {
            guard line.count == 2 else { return nil }
            conflicts.append(Conflict(objectID: line[0], inspectorID: line[1]))
        }
        self.entries = entries
        self.conflicts = conflicts
    }

    /// `DEPT_CODE<TAB>INSPECTOR_ID<TAB>QUALIFICATIONS<LF>`
    public var file: [UInt8] {
        var bytes: [UInt8] = []
        for entry in entries {
            bytes += entry.department.rawValue.utf8
            bytes.append(0x09)
            bytes += entry.inspectorID.utf8
            bytes.append(0x09)
            bytes += entry.qualifications.joined(separator: ",").utf8
            bytes.append(0x0A)
        }
        return bytes
    }

    /// `OBJECT_ID<TAB>INSPECTOR_ID<LF>`
    public var conflictFile: [UInt8] {
        var bytes: [UInt8] = []
        for conflict in conflicts {
            bytes += conflict.objectID.utf8
            bytes.append(0x09)
            bytes += conflict.inspectorID.utf8
            bytes.append(0x0A)
        }
        return bytes
    }

    /// `inspector_digest = H(inspector file bytes + conflict file bytes)`.
    public var digest: String { SM3.hex(file + conflictFile) }

    private static func lines(_ bytes: [UInt8]) -> [[String]] {
        bytes.split(separator: 0x0A).map { line in
            line.split(separator: 0x09, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        }
    }
}

extension [UInt8] {
    /// `STRATUM<TAB>OBJECT_ID<LF>`.
    fileprivate mutating func appendLine(_ stratum: String, _ objectID: some Collection<UInt8>) {
        append(contentsOf: stratum.utf8)
        append(0x09)
        append(contentsOf: objectID)
        append(0x0A)
    }
}

extension String {
    /// Byte-order comparison of the UTF-8 forms, as docs/DRAW-SPEC.md sorts.
    public func bytesLess(_ other: String) -> Bool {
        utf8.lexicographicallyPrecedes(other.utf8)
    }
}

/// Byte-order comparison of pairs, the first field first.
func bytesLess(_ lhs: (String, String), _ rhs: (String, String)) -> Bool {
    lhs.0 == rhs.0 ? lhs.1.bytesLess(rhs.1) : lhs.0.bytesLess(rhs.0)
}
