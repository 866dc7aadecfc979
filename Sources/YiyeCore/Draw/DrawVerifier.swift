/// Recomputes a draw from its record and pool files and says exactly what differs (`yiye draw verify`).
public enum DrawVerifier {
    /// The differences found, in Chinese; empty when the draw checks out. Without the inspector files only the object
    /// selection is recomputed (the public part); with them the teams too.
    public static func differences(
        record: DrawRecord, objectPoolFile: [UInt8], inspectorFile: [UInt8]? = nil, conflictFile: [UInt8]? = nil
    ) async -> [String] {
        var found: [String] = []
        guard let algorithm = DrawRecord.Algorithm(rawValue: record.algorithm) else { return ["算法版本 \(record.algorithm) 不受支持"] }
        let poolDigest = SM3.hex(objectPoolFile)
        if poolDigest != record.poolDigest {
            found.append("对象池文件摘要不符：记录为 \(record.poolDigest)，文件为 \(poolDigest)")
        }
        guard let pool = ObjectPool(file: objectPoolFile) else { return found + ["对象池文件格式错误"] }
        var inspectorPool: InspectorPool?
        if let inspectorFile {
            let digest = SM3.hex(inspectorFile + (conflictFile ?? []))
            if digest != record.inspectorDigest {
                found.append("检查人员池文件摘要不符：记录为 \(record.inspectorDigest)，文件为 \(digest)")
            }
            inspectorPool = InspectorPool(file: inspectorFile, conflictFile: conflictFile ?? [])
            if inspectorPool == nil { found.append("检查人员池文件格式错误") }
        }
        let counts = pool.counts
        for stratum in record.strata {
            if counts[stratum.stratum, default: 0] != stratum.n {
                found.append("第 \(stratum.stratum) 层候选数不符：记录为 \(stratum.n)，文件为 \(counts[stratum.stratum, default: 0])")
            }
            let k = (try? record.parameters.sampling[stratum.stratum]?.size(of: stratum.n)) ?? 0
            if k != stratum.k { found.append("第 \(stratum.stratum) 层抽取数不符：记录为 \(stratum.k)，按规则应为 \(k)") }
        }
        let commitments = Dictionary(record.commitments.map { ($0.department, $0.commitment) }, uniquingKeysWith: { first, _ in first })
        for reveal in record.reveals where commitments[reveal.department] != JointDraw.commitment(for: reveal.secret) {
            found.append("\(reveal.department) 公开的随机数与其承诺值不符")
        }
        if record.parameters.beacon != nil, record.beaconValue == nil { found.append("记录缺少公共信标的取值") }
        // The draw again, through the same pipeline: the record's skipped candidates passed over, its needs per object.
        let skipped = Set(record.skipped.map(\.objectID))
        let needs =
            inspectorPool == nil
            ? [:] : Dictionary((record.teams ?? []).map { ($0.objectID, $0.needs) }, uniquingKeysWith: { first, _ in first })
        let again = await JointDraw.execute(
            algorithm, JointDraw.Frozen(record), pool: pool, inspectors: inspectorPool ?? InspectorPool(entries: [], conflicts: []),
            skip: { skipped.contains($0.objectID) ? "记录所载" : nil }, needs: { _ in needs })
        if again.seed != record.seed { found.append("种子不符：记录为 \(record.seed)，重新计算为 \(again.seed)") }
        found += compare(record.selected.map(\.objectID), again.selected.map(\.objectID), what: "抽中对象")
        if found.isEmpty, record.selected != again.selected { found.append("抽中对象的排序值或分层与重新计算不符") }
        if inspectorPool != nil, let teams = record.teams {
            let expected = Dictionary((again.teams ?? []).map { ($0.objectID, $0) }, uniquingKeysWith: { first, _ in first })
            let names = { (team: DrawRecord.Team?) in
                (team?.members ?? []).map { "\($0.department)/\($0.inspectorID)\($0.leader ? "（组长）" : "")" }.joined(separator: "、")
            }
            for team in teams where expected[team.objectID] != team {
                found.append("对象 \(team.objectID) 的检查组不符：记录为 \(names(team))，重新计算为 \(names(expected[team.objectID]))")
            }
        }
        return found
    }

    private static func compare(_ recorded: [String], _ recomputed: [String], what: String) -> [String] {
        let recordedSet = Set(recorded)
        let recomputedSet = Set(recomputed)
        let missing = recomputed.filter { !recordedSet.contains($0) }
        let extra = recorded.filter { !recomputedSet.contains($0) }
        var found: [String] = []
        if !missing.isEmpty { found.append("\(what)缺少：\(missing.joined(separator: "、"))") }
        if !extra.isEmpty { found.append("\(what)多出：\(extra.joined(separator: "、"))") }
        return found
    }
}
