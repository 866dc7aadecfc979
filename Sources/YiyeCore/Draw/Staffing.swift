/// The inspector pool as staffing sees it (docs/DRAW-SPEC.md §4): inspectors as indexes, each department's in
/// inspector-id byte order, conflicts by object, who holds what each kind of need requires, each department's cap and
/// how many objects each inspector was sent to so far.
struct Staffing {
    let entries: [InspectorPool.Entry]
    private var byDepartment: [DepartmentCode: [Int]] = [:]
    /// Each inspector's place in its department's id order.
    private var position: [Int]
    private var conflicted: [String: Set<Int>] = [:]
    private var qualified: [DrawRecord.Need: [Int]] = [:]
    /// Per kind of need, the holders still below the cap, in id order: kept up to date as inspectors reach the cap,
    /// so that a need costs its picks, not a pass over the department.
    private var available: [DrawRecord.Need: [Int]] = [:]
    private(set) var caps: [DepartmentCode: Int] = [:]
    private var load: [Int]

    init(
        pool: InspectorPool, selected: [DrawRecord.Selected], needs: [String: [DrawRecord.Need]], cap: Int?, algorithm: DrawRecord.Algorithm
    ) {
        entries = pool.entries
        load = [Int](repeating: 0, count: entries.count)
        position = [Int](repeating: 0, count: entries.count)
        var indexesByID: [String: [Int]] = [:]
        for (index, entry) in entries.enumerated() {
            byDepartment[entry.department, default: []].append(index)
            indexesByID[entry.inspectorID, default: []].append(index)
        }
        for (department, indexes) in byDepartment {
            let ordered = indexes.sorted { entries[$0].inspectorID.bytesLess(entries[$1].inspectorID) }
            byDepartment[department] = ordered
            for (place, index) in ordered.enumerated() { position[index] = place }
        }
        // A conflict pair names the inspector by id alone: it excludes whoever has that id.
        for conflict in pool.conflicts {
            conflicted[conflict.objectID, default: []].formUnion(indexesByID[conflict.inspectorID] ?? [])
        }
        // The default cap spreads a department's places evenly: over its whole pool in v1, over those holding the
        // qualifications one of its needs requires in v2.
        var slots: [DepartmentCode: Int] = [:]
        var kinds: Set<DrawRecord.Need> = []
        for object in selected {
            for need in needs[object.objectID] ?? [] {
                slots[need.department, default: 0] += need.count
                kinds.insert(need.kind)
            }
        }
        var able: [DepartmentCode: Set<Int>] = [:]
        for kind in kinds where algorithm == .v2 { able[kind.department, default: []].formUnion(holders(kind)) }
        for (department, count) in slots {
            let size = algorithm == .v2 ? able[department]?.count ?? 0 : byDepartment[department]?.count ?? 0
            caps[department] = cap ?? (size == 0 ? 0 : (count + size - 1) / size)
        }
    }

    /// Who in the need's department holds every qualification it requires, in inspector-id order; worked out once
    /// per kind of need.
    mutating func holders(_ need: DrawRecord.Need) -> [Int] {
        let key = need.kind
        if let found = qualified[key] { return found }
        let required = Set(need.qualifications)
        let found = (byDepartment[need.department] ?? []).filter { required.isSubset(of: entries[$0].qualifications) }
        qualified[key] = found
        return found
    }

    /// The need's eligible inspectors for an object (holders below the cap, not among its `conflicted`, in id order) as
    /// a view: how many there are and the `p`-th of them, found without listing them all.
    mutating func eligible(_ need: DrawRecord.Need, conflicted: Set<Int>) -> Eligible {
        let key = need.kind
        if available[key] == nil {
            let cap = caps[need.department, default: 0]
            available[key] = holders(need).filter { load[$0] < cap }
        }
        let list = available[key]!
        // Where the object's conflicted inspectors sit in the list, ascending.
        var gaps: [Int] = []
        for index in conflicted where entries[index].department == need.department {
            if let place = find(index, in: list) { gaps.append(place) }
        }
        return Eligible(list: list, gaps: gaps.sorted())
    }

    /// The place of `index` in `list` (a department's inspectors in id order), by binary search.
    private func find(_ index: Int, in list: [Int]) -> Int? {
        var (low, high) = (0, list.count)
        while low < high {
            let middle = (low + high) / 2
            if position[list[middle]] < position[index] { low = middle + 1 } else { high = middle }
        }
        return low < list.count && list[low] == index ? low : nil
    }

    /// A list of inspectors with some places left out.
    struct Eligible {
        let list: [Int]
        /// The places left out, ascending.
        let gaps: [Int]

        var count: Int { list.count - gaps.count }

        subscript(_ p: Int) -> Int {
            var place = p
            for gap in gaps {
                guard gap <= place else { break }
                place += 1
            }
            return list[place]
        }
    }

    func excluded(_ index: Int, from objectID: String) -> Bool { conflicted[objectID]?.contains(index) ?? false }

    func below(_ index: Int, cap department: DepartmentCode) -> Bool { load[index] < caps[department, default: 0] }

    /// The team of `objectID` from what each need picked, or unstaffed with the first need that could not be met;
    /// only a staffed team counts against the cap.
    mutating func team(
        _ objectID: String, needs: [DrawRecord.Need], picks: [(need: DrawRecord.Need, members: [(index: Int, rank: String)])],
        unstaffed: String?, originator: DepartmentCode
    ) -> DrawRecord.Team {
        guard unstaffed == nil else { return .init(objectID: objectID, needs: needs, members: [], unstaffed: unstaffed) }
        var members: [DrawRecord.Member] = []
        members.reserveCapacity(picks.reduce(0) { $0 + $1.members.count })
        for (need, picked) in picks {
            let cap = caps[need.department, default: 0]
            for pick in picked {
                members.append(
                    .init(department: need.department, inspectorID: entries[pick.index].inspectorID, rank: pick.rank, leader: false))
                load[pick.index] += 1
                if load[pick.index] == cap { reachedCap(pick.index) }
            }
        }
        if let leader = members.firstIndex(where: { $0.department == originator }) { members[leader].leader = true }
        return .init(objectID: objectID, needs: needs, members: members)
    }

    /// An inspector at the cap leaves every list of its department's available holders.
    private mutating func reachedCap(_ index: Int) {
        for key in available.keys where key.department == entries[index].department {
            if let place = find(index, in: available[key]!) { available[key]!.remove(at: place) }
        }
    }

    /// One hashing job per need of each object of `batch`, in order: `OBJECT_ID|DEPT|` followed in turn by each of
    /// `hashed(need)` (the pool indexes of its holders in v1, its picks `0..<m_d` in v2); and how many hashes they make.
    static func rankJobs(
        _ batch: ArraySlice<DrawRecord.Selected>, needs: [String: [DrawRecord.Need]], hashed: (DrawRecord.Need) -> [Int]
    ) -> (jobs: [JointDraw.RankJob], count: Int) {
        var jobs: [JointDraw.RankJob] = []
        var count = 0
        for object in batch {
            for need in needs[object.objectID] ?? [] {
                var prefix = Array(object.objectID.utf8)
                prefix.append(0x7C)
                prefix.append(contentsOf: need.department.rawValue.utf8)
                prefix.append(0x7C)
                let suffixes = hashed(need)
                jobs.append(.init(prefix: prefix, holders: suffixes, offset: count))
                count += suffixes.count
            }
        }
        return (jobs, count)
    }

    static func shortfall(_ need: DrawRecord.Need, eligible: Int) -> String {
        "\(need.department) 需派 \(need.count) 人，符合条件（无回避、资质相符、未达上限）的仅 \(eligible) 人"
    }

    // MARK: - v2

    /// v2 (§4): for each need, the eligible sorted by id are partially shuffled, `m_d` hashes per need:
    /// `j = i + int(H(seed|inspector|OBJECT_ID|DEPT|i)) mod (|E| − i)`, swap `E[i]` and `E[j]`. The hashes depend on the
    /// object, the department and `i` alone, not on who is busy: a batch of objects is hashed on every core first; then
    /// the objects are staffed one after another in rank order, as the cap requires.
    mutating func shuffled(
        _ selected: [DrawRecord.Selected], needs: [String: [DrawRecord.Need]], originator: DepartmentCode, seed: String,
        staffed: (ArraySlice<DrawRecord.Team>) -> Void
    ) -> [DrawRecord.Team] {
        let most = needs.values.lazy.flatMap { $0.map(\.count) }.max() ?? 0
        let numbers = (0..<most).map { Array(String($0).utf8) }
        // A need's picks `0..<m_d`, one shared array per count.
        let picksOf = (0...most).map { Array(0..<$0) }
        var teams: [DrawRecord.Team] = []
        teams.reserveCapacity(selected.count)
        for start in stride(from: 0, to: selected.count, by: JointDraw.rankBatch) {
            let batch = selected[start..<min(start + JointDraw.rankBatch, selected.count)]
            let (jobs, total) = Self.rankJobs(batch, needs: needs) { picksOf[$0.count] }
            let ranks = JointDraw.rank(jobs, count: total, seed: seed, ids: numbers)
            defer { ranks.deallocate() }
            var job = 0
            for object in batch {
                let objectNeeds = needs[object.objectID] ?? []
                defer { job += objectNeeds.count }
                let picks = shuffle(objectNeeds, conflicted: conflicted[object.objectID] ?? []) { need, i in
                    ranks[jobs[job + need].offset + i]
                }
                teams.append(
                    team(object.objectID, needs: objectNeeds, picks: picks.picks, unstaffed: picks.unstaffed, originator: originator))
            }
            staffed(teams[start...])
        }
        return teams
    }

    /// One object's picks, need after need, `rank(need, i)` giving the hash of the `i`-th pick of the `need`-th need;
    /// unstaffed at the first need with too few eligible.
    private mutating func shuffle(
        _ needs: [DrawRecord.Need], conflicted: Set<Int>, rank: (Int, Int) -> Rank
    ) -> (picks: [(need: DrawRecord.Need, members: [(index: Int, rank: String)])], unstaffed: String?) {
        var picks: [(need: DrawRecord.Need, members: [(index: Int, rank: String)])] = []
        for (number, need) in needs.enumerated() {
            let pool = eligible(need, conflicted: conflicted)
            guard pool.count >= need.count else { return (picks, Self.shortfall(need, eligible: pool.count)) }
            // The shuffle touches at most 2·m_d places: only those are kept (m_d is small: a short list searched beats
            // a dictionary made per need; the last pick records none), the rest of E is read through the view.
            var moved: [(place: Int, index: Int)] = []
            func at(_ place: Int) -> Int { moved.last { $0.place == place }?.index ?? pool[place] }
            var members: [(index: Int, rank: String)] = []
            members.reserveCapacity(need.count)
            for i in 0..<need.count {
                let hash = rank(number, i)
                let j = i + hash.remainder(dividingBy: pool.count - i)
                let (atI, atJ) = (at(i), at(j))
                if i + 1 < need.count { moved += [(i, atJ), (j, atI)] }
                members.append((atJ, hash.hex))
            }
            picks.append((need, members))
        }
        return (picks, nil)
    }
}

extension DrawRecord.Need {
    /// What the need asks for, whatever the count: the department and the qualifications.
    var kind: DrawRecord.Need {
        var kind = self
        kind.count = 0
        return kind
    }
}

extension Rank {
    /// `int(h) mod n`, the digest read as one 256-bit big-endian integer.
    func remainder(dividingBy n: Int) -> Int {
        let divisor = UInt64(n)
        var remainder: UInt64 = 0
        for word in [a, b, c, d] {
            remainder = divisor.dividingFullWidth((high: remainder, low: word)).remainder
        }
        return Int(remainder)
    }
}

// MARK: - v1

extension Staffing {
    /// v1 (§4a): every eligible inspector ranked by `H(seed|inspector|OBJECT_ID|DEPT|INSPECTOR_ID)`, the smallest `m_d`
    /// taken (ties by id). Ranks do not depend on who is already busy, so a batch of objects is hashed on every core
    /// first; then the objects are staffed one after another in rank order, as the cap requires.
    mutating func ranked(
        _ selected: [DrawRecord.Selected], needs: [String: [DrawRecord.Need]], originator: DepartmentCode, seed: String,
        staffed: (ArraySlice<DrawRecord.Team>) -> Void
    ) -> [DrawRecord.Team] {
        let entries = entries
        let ids = entries.map { Array($0.inspectorID.utf8) }
        var teams: [DrawRecord.Team] = []
        teams.reserveCapacity(selected.count)
        for start in stride(from: 0, to: selected.count, by: JointDraw.rankBatch) {
            let batch = selected[start..<min(start + JointDraw.rankBatch, selected.count)]
            let (jobs, total) = Self.rankJobs(batch, needs: needs) { holders($0) }
            let ranks = JointDraw.rank(jobs, count: total, seed: seed, ids: ids)
            defer { ranks.deallocate() }
            var job = 0
            for object in batch {
                let objectNeeds = needs[object.objectID] ?? []
                var picks: [(need: DrawRecord.Need, members: [(index: Int, rank: String)])] = []
                var unstaffed: String?
                for need in objectNeeds {
                    defer { job += 1 }
                    guard unstaffed == nil else { continue }
                    // The `count` smallest-ranked eligible inspectors, kept sorted as they are found.
                    var best: [(rank: Rank, index: Int)] = []
                    var eligible = 0
                    for (position, index) in jobs[job].holders.enumerated()
                    where below(index, cap: need.department) && !excluded(index, from: object.objectID) {
                        eligible += 1
                        let rank = ranks[jobs[job].offset + position]
                        let before: ((rank: Rank, index: Int)) -> Bool = {
                            $0.rank == rank ? entries[index].inspectorID.bytesLess(entries[$0.index].inspectorID) : rank < $0.rank
                        }
                        if best.count < need.count || before(best[best.count - 1]) {
                            best.insert((rank, index), at: best.firstIndex(where: before) ?? best.count)
                            if best.count > need.count { best.removeLast() }
                        }
                    }
                    guard eligible >= need.count else {
                        unstaffed = Self.shortfall(need, eligible: eligible)
                        continue
                    }
                    picks.append((need, best.map { ($0.index, $0.rank.hex) }))
                }
                teams.append(team(object.objectID, needs: objectNeeds, picks: picks, unstaffed: unstaffed, originator: originator))
            }
            staffed(teams[start...])
        }
        return teams
    }
}
