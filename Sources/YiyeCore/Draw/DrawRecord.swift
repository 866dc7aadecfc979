import Foundation

/// What a joint draw publishes (docs/DRAW-SPEC.md §5): enough, with the pool files, for anyone to recompute it.
public struct DrawRecord: Sendable, Codable, Equatable {
    /// The versions of the draw: a record names its own, and is verified by it for ever.
    public enum Algorithm: String, Sendable, Codable, CaseIterable {
        case v1 = "yiye-draw-v1"
        case v2 = "yiye-draw-v2"

        /// What new draws use.
        public static let current = Algorithm.v2
    }

    /// The inputs fixed at freeze time.
    public struct Parameters: Sendable, Codable, Equatable {
        public var originator: DepartmentCode
        public var participants: [DepartmentCode]
        /// The rule per stratum (`A`…`D`, or `-` unstratified).
        public var sampling: [String: SampleRule]
        /// Inspectors a department sends to one object (m_d), where not the default.
        public var inspectorsPerDepartment: [DepartmentCode: Int]
        /// The most objects one inspector is sent to; nil: an even spread, ceil(slots / inspectors holding the required
        /// qualifications) in v2, ceil(slots / pool size) in v1.
        public var inspectorCap: Int?
        /// A public beacon named at freeze time, taken after it (e.g. a lottery result on a named date).
        public var beacon: String?

        public init(
            originator: DepartmentCode, participants: [DepartmentCode], sampling: [String: SampleRule],
            inspectorsPerDepartment: [DepartmentCode: Int] = [:], inspectorCap: Int? = nil, beacon: String? = nil
        ) {
            self.originator = originator
            self.participants = participants
            self.sampling = sampling
            self.inspectorsPerDepartment = inspectorsPerDepartment
            self.inspectorCap = inspectorCap
            self.beacon = beacon
        }

        /// The departments that contribute randomness: the originator and every participant.
        public var contributors: [DepartmentCode] { [originator] + participants }
    }

    public struct Stratum: Sendable, Codable, Equatable {
        public var stratum: String
        public var n: Int
        public var k: Int

        public init(stratum: String, n: Int, k: Int) {
            self.stratum = stratum
            self.n = n
            self.k = k
        }
    }

    public struct Exclusion: Sendable, Codable, Equatable {
        public var reason: String
        public var count: Int

        public init(reason: String, count: Int) {
            self.reason = reason
            self.count = count
        }
    }

    public struct Commitment: Sendable, Codable, Equatable {
        public var department: DepartmentCode
        public var commitment: String

        public init(department: DepartmentCode, commitment: String) {
            self.department = department
            self.commitment = commitment
        }
    }

    /// Who entered the public beacon's value, and when (RFC 3339).
    public struct BeaconEntry: Sendable, Codable, Equatable {
        public var by: String
        public var at: String

        public init(by: String, at: Date) {
            self.by = by
            self.at = at.ISO8601Format()
        }
    }

    public struct Reveal: Sendable, Codable, Equatable {
        public var department: DepartmentCode
        public var secret: String

        public init(department: DepartmentCode, secret: String) {
            self.department = department
            self.secret = secret
        }
    }

    public struct Selected: Sendable, Codable, Equatable {
        public var objectID: String
        public var stratum: String
        public var rank: String

        public init(objectID: String, stratum: String, rank: String) {
            self.objectID = objectID
            self.stratum = stratum
            self.rank = rank
        }
    }

    public struct Skipped: Sendable, Codable, Equatable {
        public var objectID: String
        public var stratum: String
        public var rank: String
        public var reason: String

        public init(objectID: String, stratum: String, rank: String, reason: String) {
            self.objectID = objectID
            self.stratum = stratum
            self.rank = rank
            self.reason = reason
        }
    }

    /// What one department must send to an object.
    public struct Need: Sendable, Codable, Hashable {
        public var department: DepartmentCode
        public var count: Int
        /// Every one of these the inspector must hold.
        public var qualifications: [String]

        public init(department: DepartmentCode, count: Int, qualifications: [String]) {
            self.department = department
            self.count = count
            self.qualifications = qualifications
        }

        /// The department and the count: a draw's needs differ in those, and hashing the qualifications' Chinese
        /// text once per need of every drawn object cost a tenth of a second at a million objects. Equality still
        /// compares all.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(department)
            hasher.combine(count)
        }
    }

    public struct Member: Sendable, Codable, Equatable {
        public var department: DepartmentCode
        public var inspectorID: String
        public var rank: String
        public var leader: Bool

        public init(department: DepartmentCode, inspectorID: String, rank: String, leader: Bool) {
            self.department = department
            self.inspectorID = inspectorID
            self.rank = rank
            self.leader = leader
        }
    }

    public struct Team: Sendable, Codable, Equatable {
        public var objectID: String
        public var needs: [Need]
        public var members: [Member]
        /// Why the object could not be staffed; then it has no members.
        public var unstaffed: String?

        public init(objectID: String, needs: [Need], members: [Member], unstaffed: String? = nil) {
            self.objectID = objectID
            self.needs = needs
            self.members = members
            self.unstaffed = unstaffed
        }
    }

    /// The algorithm's name, as recorded (`yiye-draw-v2`, or `yiye-draw-v1` for draws executed before it).
    public var algorithm: String
    public var parameters: Parameters
    public var poolDigest: String
    public var inspectorDigest: String
    public var strata: [Stratum]
    public var exclusions: [Exclusion]
    public var commitments: [Commitment]
    public var reveals: [Reveal]
    /// Contributors that did not reveal by the deadline.
    public var absent: [DepartmentCode]
    public var beaconValue: String?
    /// Who entered the beacon's value, and when (v2; absent in v1 records).
    public var beaconEntry: BeaconEntry?
    public var seed: String
    /// In ascending rank order across strata.
    public var selected: [Selected]
    /// Candidates passed over when the draw executed (the annual cap reached meanwhile), with the reason.
    public var skipped: [Skipped]
    /// The internal part: nil in what the public reads.
    public var teams: [Team]?

    /// The record of a draw executed by `algorithm`: what was fixed before (`frozen`, the beacon's value and entry only
    /// when one was named) and what the draw computed.
    public init(
        algorithm: Algorithm, frozen: JointDraw.Frozen, seed: String, selected: [Selected], skipped: [Skipped], teams: [Team]?
    ) {
        self.algorithm = algorithm.rawValue
        parameters = frozen.parameters
        poolDigest = frozen.poolDigest
        inspectorDigest = frozen.inspectorDigest
        strata = frozen.strata
        exclusions = frozen.exclusions
        commitments = frozen.commitments
        reveals = frozen.reveals
        absent = frozen.absent
        beaconValue = frozen.parameters.beacon == nil ? nil : frozen.beaconValue
        beaconEntry = beaconValue == nil ? nil : frozen.beaconEntry
        self.seed = seed
        self.selected = selected
        self.skipped = skipped
        self.teams = teams
    }

    /// The record without the inspectors, as published.
    public var publicPart: DrawRecord {
        var copy = self
        copy.teams = nil
        return copy
    }
}
