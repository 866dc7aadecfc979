#!/usr/bin/env python3
"""Recompute a Yiye joint draw from its published files, independently of Yiye's code (docs/DRAW-SPEC.md).

    draw-check.py verify RECORD.json POOL.txt [INSPECTORS.txt CONFLICTS.txt]
        Checks the pool digest, the commitments, the seed, the sizes, the selection with its ranks and, given the
        inspector files and a full record (with teams), every team. Prints what differs; exits 1 if anything does.
    draw-check.py compute INPUT.json POOL.txt INSPECTORS.txt CONFLICTS.txt
        Computes a draw from a fixture's inputs (algorithm, parameters, reveals, beacon value, the needs of each
        candidate) and prints its record as JSON: how the golden vectors under Tests/ were made.

Only the standard library: hashlib's SM3 (OpenSSL's), exact integers and decimals.
"""
import hashlib
import json
import sys
from decimal import ROUND_CEILING, Decimal


def H(text):
    return hashlib.new("sm3", text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def read_pool(data):
    return [tuple(line.split("\t")) for line in data.decode("utf-8").split("\n")[:-1]]


def read_inspectors(data):
    rows = []
    for line in data.decode("utf-8").split("\n")[:-1]:
        dept, inspector, quals = line.split("\t")
        rows.append((dept, inspector, set(quals.split(",")) if quals else set()))
    return rows


def size(rule, n):
    if rule.get("ratio") is not None:
        return min(n, int((Decimal(n) * Decimal(rule["ratio"])).to_integral_value(rounding=ROUND_CEILING)))
    return min(n, rule["count"])


def seed_of(algorithm, pool_digest, inspector_digest, reveals, beacon):
    parts = "|".join(f"{r['department']}={r['secret']}" for r in sorted(reveals, key=lambda r: r["department"].encode()))
    text = f"{algorithm}|{pool_digest}|{inspector_digest}|{parts}"
    if beacon is not None:
        text += f"|beacon={beacon}"
    return H(text)


def select(pool, sizes, seed, skipped):
    ranked = {}
    for stratum, object_id in pool:
        if sizes.get(stratum, 0) > 0:
            ranked.setdefault(stratum, []).append((H(f"{seed}|object|{object_id}"), object_id))
    selected = []
    for stratum, candidates in ranked.items():
        taken = [c for c in sorted(candidates, key=lambda c: (c[0], c[1].encode())) if c[1] not in skipped][: sizes[stratum]]
        selected += [{"objectID": o, "stratum": stratum, "rank": r} for r, o in taken]
    return sorted(selected, key=lambda s: (s["rank"], s["objectID"].encode()))


def staff(algorithm, selected, needs, inspectors, conflicts, originator, cap, seed):
    by_dept = {}
    for dept, inspector, quals in inspectors:
        by_dept.setdefault(dept, []).append((inspector, quals))
    for dept in by_dept:
        by_dept[dept].sort(key=lambda e: e[0].encode())

    def holders(need):
        required = set(need["qualifications"])
        return [i for i, quals in by_dept.get(need["department"], []) if required <= quals]

    slots, able = {}, {}
    for s in selected:
        for need in needs.get(s["objectID"], []):
            slots[need["department"]] = slots.get(need["department"], 0) + need["count"]
            able.setdefault(need["department"], set()).update(holders(need))
    caps = {}
    for dept, count in slots.items():
        size_d = len(able.get(dept, ())) if algorithm == "yiye-draw-v2" else len(by_dept.get(dept, []))
        caps[dept] = cap if cap is not None else (0 if size_d == 0 else -(-count // size_d))
    load = {}
    teams = []
    for s in selected:
        oid, members, unstaffed = s["objectID"], [], None
        for need in needs.get(oid, []):
            dept, m = need["department"], need["count"]
            eligible = [i for i in holders(need) if load.get((dept, i), 0) < caps[dept] and (oid, i) not in conflicts]
            if len(eligible) < m:
                unstaffed = f"{dept} 需派 {m} 人，符合条件（无回避、资质相符、未达上限）的仅 {len(eligible)} 人"
                break
            if algorithm == "yiye-draw-v2":
                for i in range(m):
                    h = H(f"{seed}|inspector|{oid}|{dept}|{i}")
                    j = i + int(h, 16) % (len(eligible) - i)
                    eligible[i], eligible[j] = eligible[j], eligible[i]
                    members.append({"department": dept, "inspectorID": eligible[i], "rank": h, "leader": False})
            else:
                ranked = sorted((H(f"{seed}|inspector|{oid}|{dept}|{i}"), i) for i in eligible)
                ranked.sort(key=lambda r: (r[0], r[1].encode()))
                members += [{"department": dept, "inspectorID": i, "rank": h, "leader": False} for h, i in ranked[:m]]
        if unstaffed:
            teams.append({"objectID": oid, "needs": needs.get(oid, []), "members": [], "unstaffed": unstaffed})
            continue
        for member in members:
            load[(member["department"], member["inspectorID"])] = load.get((member["department"], member["inspectorID"]), 0) + 1
        leaders = [m for m in members if m["department"] == originator]
        if leaders:
            leaders[0]["leader"] = True
        teams.append({"objectID": oid, "needs": needs.get(oid, []), "members": members})
    return teams


def read_conflicts(data):
    return {tuple(line.split("\t")) for line in data.decode("utf-8").split("\n")[:-1]}


def execute(algorithm, parameters, reveals, beacon_value, pool_digest, inspector_digest, pool, inspectors, conflicts, needs_of,
            skipped=()):
    """seed, strata, selection and teams from what was fixed before the draw executed."""
    counts = {}
    for stratum, _ in pool:
        counts[stratum] = counts.get(stratum, 0) + 1
    strata = [{"stratum": s, "n": n, "k": size(parameters["sampling"][s], n) if s in parameters["sampling"] else 0}
              for s, n in sorted(counts.items(), key=lambda c: c[0].encode())]
    beacon = beacon_value if parameters.get("beacon") is not None else None
    seed = seed_of(algorithm, pool_digest, inspector_digest, reveals, beacon)
    selected = select(pool, {s["stratum"]: s["k"] for s in strata}, seed, set(skipped))
    teams = staff(algorithm, selected, needs_of(selected), inspectors, conflicts, parameters["originator"],
                  parameters.get("inspectorCap"), seed)
    return {"algorithm": algorithm, "poolDigest": pool_digest, "inspectorDigest": inspector_digest, "strata": strata,
            "seed": seed, "selected": selected, "teams": teams}


def verify(record, pool_file, inspector_file=None, conflict_file=None):
    if record["algorithm"] not in ("yiye-draw-v1", "yiye-draw-v2"):
        return [f"unknown algorithm {record['algorithm']}"]
    found = []
    if H(pool_file) != record["poolDigest"]:
        found.append("pool digest differs")
    with_teams = inspector_file is not None and record.get("teams") is not None
    if inspector_file is not None and H(inspector_file + conflict_file) != record["inspectorDigest"]:
        found.append("inspector digest differs")
    commitments = {c["department"]: c["commitment"] for c in record["commitments"]}
    for reveal in record["reveals"]:
        if commitments.get(reveal["department"]) != H(reveal["secret"]):
            found.append(f"{reveal['department']}'s secret does not match its commitment")
    needs = {t["objectID"]: t["needs"] for t in record.get("teams") or []} if with_teams else {}
    again = execute(record["algorithm"], record["parameters"], record["reveals"], record.get("beaconValue"), record["poolDigest"],
                    record["inspectorDigest"], read_pool(pool_file), read_inspectors(inspector_file) if with_teams else [],
                    read_conflicts(conflict_file) if with_teams else set(), lambda _: needs,
                    [s["objectID"] for s in record["skipped"]])
    if again["seed"] != record["seed"]:
        found.append(f"seed differs: recorded {record['seed']}, recomputed {again['seed']}")
    if [(s["stratum"], s["n"], s["k"]) for s in again["strata"]] != [(s["stratum"], s["n"], s["k"]) for s in record["strata"]]:
        found.append("strata (n, k) differ")
    if again["selected"] != record["selected"]:
        found.append("selection differs")
    if with_teams:
        recorded = {t["objectID"]: t for t in record["teams"]}
        for team in again["teams"]:
            mine = recorded.get(team["objectID"], {})
            if team["members"] != mine.get("members") or (team.get("unstaffed") is None) != (mine.get("unstaffed") is None):
                found.append(f"team of {team['objectID']} differs")
    return found


def main(argv):
    if len(argv) >= 4 and argv[1] == "verify":
        record = json.load(open(argv[2], encoding="utf-8"))
        record = record.get("record", record)  # GET /api/v1/draws/{id} wraps the full record
        files = [open(path, "rb").read() for path in argv[3:6]]
        found = verify(record, *files)
        for difference in found:
            print("DIFFERS", difference)
        if not found:
            teams = "teams checked" if len(files) == 3 and record.get("teams") is not None else "teams not checked"
            print(f"ok {record['algorithm']} seed {record['seed']}: {len(record['selected'])} selected, {teams}")
        return 1 if found else 0
    if len(argv) == 6 and argv[1] == "compute":
        fixture = json.load(open(argv[2], encoding="utf-8"))
        pool, inspectors, conflicts = [open(path, "rb").read() for path in argv[3:6]]
        result = execute(fixture["algorithm"], fixture["parameters"], fixture["reveals"], fixture.get("beaconValue"), H(pool),
                         H(inspectors + conflicts), read_pool(pool), read_inspectors(inspectors), read_conflicts(conflicts),
                         lambda selected: {s["objectID"]: fixture["needs"][s["objectID"]] for s in selected})
        print(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
