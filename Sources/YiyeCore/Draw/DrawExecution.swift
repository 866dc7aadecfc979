/// The one draw pipeline (docs/DRAW-SPEC.md §2–4): seed → select → needs → staff → record. The store executes draws
/// with it and `yiye draw verify` recomputes them with it.
extension JointDraw {
    /// Everything fixed before a draw executes: the frozen parameters, the pools' digests, the strata and exclusions,
    /// the commitments, the reveals and who is absent, the beacon's value.
    public struct Frozen: Sendable, Equatable {
        public var parameters: DrawRecord.Parameters
        public var poolDigest: String
        public var inspectorDigest: String
        public var strata: [DrawRecord.Stratum]
        public var exclusions: [DrawRecord.Exclusion]
        public var commitments: [DrawRecord.Commitment]
        public var reveals: [DrawRecord.Reveal]
        public var absent: [DepartmentCode]
        public var beaconValue: String?
        public var beaconEntry: DrawRecord.BeaconEntry?

        public init(
            parameters: DrawRecord.Parameters, poolDigest: String, inspectorDigest: String, strata: [DrawRecord.Stratum],
            exclusions: [DrawRecord.Exclusion], commitments: [DrawRecord.Commitment], reveals: [DrawRecord.Reveal],
            absent: [DepartmentCode], beaconValue: String?, beaconEntry: DrawRecord.BeaconEntry? = nil
        ) {
            self.parameters = parameters
            self.poolDigest = poolDigest
            self.inspectorDigest = inspectorDigest
            self.strata = strata
            self.exclusions = exclusions
            self.commitments = commitments
            self.reveals = reveals
            self.absent = absent
            self.beaconValue = beaconValue
            self.beaconEntry = beaconEntry
        }

        /// What a record says was fixed before it executed.
        public init(_ record: DrawRecord) {
            self.init(
                parameters: record.parameters, poolDigest: record.poolDigest, inspectorDigest: record.inspectorDigest,
                strata: record.strata,
                exclusions: record.exclusions, commitments: record.commitments, reveals: record.reveals, absent: record.absent,
                beaconValue: record.beaconValue, beaconEntry: record.beaconEntry)
        }
    }

    /// Executes a draw by `algorithm`, the teams read from the record alone.
    public static func execute(
        _ algorithm: DrawRecord.Algorithm, _ frozen: Frozen, pool: ObjectPool, inspectors: InspectorPool,
        skip: (ObjectPool.Candidate) -> String? = { _ in nil },
        needs: ([DrawRecord.Selected]) async throws -> [String: [DrawRecord.Need]]
    ) async rethrows -> DrawRecord {
        try await execute(algorithm, frozen, pool: pool, inspectors: inspectors, skip: skip, needs: needs) { for await _ in $0 {} }
    }

    /// Executes a draw by `algorithm`: the seed from the reveals and the beacon (only when one was named), the `k_s`
    /// smallest-ranked candidates of each stratum (`skip` passes over one, saying why), what each selected object
    /// needs (`needs`, given the selection), and its team. Staffing runs on its own thread: `staffed` reads its
    /// batches, each selected object with its team in the selection's order, while the next are made.
    public static func execute(
        _ algorithm: DrawRecord.Algorithm, _ frozen: Frozen, pool: ObjectPool, inspectors: InspectorPool,
        skip: (ObjectPool.Candidate) -> String? = { _ in nil },
        needs: ([DrawRecord.Selected]) async throws -> [String: [DrawRecord.Need]],
        staffed: (AsyncStream<[(DrawRecord.Selected, DrawRecord.Team)]>) async throws -> Void
    ) async rethrows -> DrawRecord {
        let beacon = frozen.parameters.beacon == nil ? nil : frozen.beaconValue
        let seed = seed(
            algorithm: algorithm, poolDigest: frozen.poolDigest, inspectorDigest: frozen.inspectorDigest, reveals: frozen.reveals,
            beacon: beacon)
        let sizes = Dictionary(frozen.strata.map { ($0.stratum, $0.k) }, uniquingKeysWith: { first, _ in first })
        let (selected, skipped) = select(pool: pool, sizes: sizes, seed: seed, skip: skip)
        let needed = try await needs(selected)
        let (batches, continuation) = AsyncStream.makeStream(of: [(DrawRecord.Selected, DrawRecord.Team)].self)
        let staffing = Task.detached {
            defer { continuation.finish() }
            return staff(
                algorithm, selected: selected, needs: needed, pool: inspectors, originator: frozen.parameters.originator,
                cap: frozen.parameters.inspectorCap, seed: seed
            ) { continuation.yield(Array(zip(selected[$0.indices], $0))) }
        }
        try await staffed(batches)
        let teams = await staffing.value
        return DrawRecord(algorithm: algorithm, frozen: frozen, seed: seed, selected: selected, skipped: skipped, teams: teams)
    }
}
