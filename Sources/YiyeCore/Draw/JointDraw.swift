/// The draw itself, `yiye-draw-v1` (DRAW-SPEC.md §2–4): a pure function of the frozen pools, the revealed secrets
/// and the beacon, so that anyone holding them gets the same result.
public enum JointDraw {
    /// A secret: 64 lowercase hex characters (32 random bytes).
    public static func validate(secret: String) throws(DomainError) {
        let valid = secret.utf8.count == 64 && secret.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        guard valid else { throw DomainError(.invalidSecret, "随机数须为 64 位小写十六进制字符（32 字节）", field: "secret") }
    }

    /// `c_d = H(secret_d)`.
    public static func commitment(for secret: String) -> String {
        SM3.hex(secret)
    }

    /// `H("yiye-draw-v1|" + pool_digest + "|" + inspector_digest + "|" + C1 + … + "|beacon=" + BEACON)`, `Ci` being
    /// `DEPT=secret` in department byte order; the beacon part only when one was named.
    public static func seed(poolDigest: String, inspectorDigest: String, reveals: [DrawRecord.Reveal], beacon: String?) -> String {
        let parts = reveals.sorted { $0.department.bytesLess($1.department) }.map { "\($0.department)=\($0.secret)" }
        var text = "\(DrawRecord.algorithm)|\(poolDigest)|\(inspectorDigest)|" + parts.joined(separator: "|")
        if let beacon { text += "|beacon=\(beacon)" }
        return SM3.hex(text)
    }

    /// `H(seed + "|object|" + OBJECT_ID)`.
    public static func objectRank(seed: String, objectID: String) -> String {
        SM3.hex(seed + "|object|" + objectID)
    }

    /// `H(seed + "|inspector|" + OBJECT_ID + "|" + DEPT_CODE + "|" + INSPECTOR_ID)`.
    public static func inspectorRank(seed: String, objectID: String, department: String, inspectorID: String) -> String {
        SM3.hex(seed + "|inspector|" + objectID + "|" + department + "|" + inspectorID)
    }

    /// `k_s` per stratum from the rules; a stratum without a rule gives none.
    public static func sizes(counts: [String: Int], sampling: [String: SampleRule]) throws(DomainError) -> [String: Int] {
        var sizes: [String: Int] = [:]
        for (stratum, n) in counts {
            sizes[stratum] = try sampling[stratum]?.size(of: n) ?? 0
        }
        return sizes
    }

    /// In each stratum, the `k_s` candidates of smallest rank (ties by object id); a candidate `skip` refuses (with
    /// the reason) is passed over and the next-ranked takes its place. The selection comes back in ascending rank
    /// order across strata.
    public static func select(
        pool: ObjectPool, sizes: [String: Int], seed: String, skip: (ObjectPool.Candidate) -> String? = { _ in nil }
    ) -> (selected: [DrawRecord.Selected], skipped: [DrawRecord.Skipped]) {
        var byStratum: [String: [(rank: String, candidate: ObjectPool.Candidate)]] = [:]
        for candidate in pool.candidates where (sizes[candidate.stratum] ?? 0) > 0 {
            byStratum[candidate.stratum, default: []].append((objectRank(seed: seed, objectID: candidate.objectID), candidate))
        }
        var selected: [DrawRecord.Selected] = []
        var skipped: [DrawRecord.Skipped] = []
        for (stratum, ranked) in byStratum {
            let ordered = ranked.sorted { bytesLess(($0.rank, $0.candidate.objectID), ($1.rank, $1.candidate.objectID)) }
            var taken = 0
            for (rank, candidate) in ordered {
                guard taken < sizes[stratum] ?? 0 else { break }
                if let reason = skip(candidate) {
                    skipped.append(.init(objectID: candidate.objectID, stratum: stratum, rank: rank, reason: reason))
                    continue
                }
                selected.append(.init(objectID: candidate.objectID, stratum: stratum, rank: rank))
                taken += 1
            }
        }
        return (selected.sorted(by: rankOrder), skipped.sorted { bytesLess(($0.rank, $0.objectID), ($1.rank, $1.objectID)) })
    }

    /// The needs of an object: one inspector from each department, two from the originator when it goes alone
    /// (every team has at least two); `overrides` sets m_d.
    public static func needs(
        originator: String, departments: [String], qualifications: [String: [String]], overrides: [String: Int]
    ) -> [DrawRecord.Need] {
        let others = departments.filter { $0 != originator }
        return ([originator] + others).map { department in
            let standard = department == originator && others.isEmpty ? 2 : 1
            return DrawRecord.Need(department: department, count: overrides[department] ?? standard,
                                   qualifications: (qualifications[department] ?? []).sorted { $0.bytesLess($1) })
        }
    }

    /// Staffs the selected objects in ascending rank order (DRAW-SPEC.md §4). `needs` says, per object, what each
    /// department must send. Eligible: in the department's pool, not in conflict with the object, holding every
    /// required qualification, below the cap. The smallest-ranked are taken; the originator's first is the leader.
    public static func staff(
        selected: [DrawRecord.Selected], needs: [String: [DrawRecord.Need]], pool: InspectorPool, originator: String,
        cap: Int?, seed: String
    ) -> [DrawRecord.Team] {
        let byDepartment = Dictionary(grouping: pool.entries, by: \.department)
        let conflicts = Set(pool.conflicts)
        var slots: [String: Int] = [:]
        for object in selected {
            for need in needs[object.objectID] ?? [] { slots[need.department, default: 0] += need.count }
        }
        var caps: [String: Int] = [:]
        for (department, count) in slots {
            let size = byDepartment[department]?.count ?? 0
            caps[department] = cap ?? (size == 0 ? 0 : (count + size - 1) / size)
        }
        var load: [String: Int] = [:]
        var teams: [DrawRecord.Team] = []
        for object in selected {
            let objectNeeds = needs[object.objectID] ?? []
            var members: [DrawRecord.Member] = []
            var unstaffed: String?
            for need in objectNeeds {
                let required = Set(need.qualifications)
                let eligible = (byDepartment[need.department] ?? []).filter { entry in
                    !conflicts.contains(.init(objectID: object.objectID, inspectorID: entry.inspectorID))
                        && required.isSubset(of: entry.qualifications)
                        && load[entry.inspectorID, default: 0] < caps[need.department, default: 0]
                }
                guard eligible.count >= need.count else {
                    unstaffed = "\(need.department) 需派 \(need.count) 人，符合条件（无回避、资质相符、未达上限）的仅 \(eligible.count) 人"
                    break
                }
                let ranked = eligible.map {
                    (rank: inspectorRank(seed: seed, objectID: object.objectID, department: need.department, inspectorID: $0.inspectorID),
                     id: $0.inspectorID)
                }.sorted { bytesLess(($0.rank, $0.id), ($1.rank, $1.id)) }
                for pick in ranked.prefix(need.count) {
                    members.append(.init(department: need.department, inspectorID: pick.id, rank: pick.rank, leader: false))
                }
            }
            if unstaffed != nil {
                members = []
            } else {
                for member in members { load[member.inspectorID, default: 0] += 1 }
                if let leader = members.firstIndex(where: { $0.department == originator }) { members[leader].leader = true }
            }
            teams.append(.init(objectID: object.objectID, needs: objectNeeds, members: members, unstaffed: unstaffed))
        }
        return teams
    }

    static func rankOrder(_ lhs: DrawRecord.Selected, _ rhs: DrawRecord.Selected) -> Bool {
        bytesLess((lhs.rank, lhs.objectID), (rhs.rank, rhs.objectID))
    }
}
