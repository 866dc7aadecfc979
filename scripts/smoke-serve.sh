#!/usr/bin/env bash
# Smoke test of `yiye serve --demo` with the embedded database, as a newcomer runs it:
# it becomes ready, lists the demo departments, its demo draw verifies, survives a kill -9, and stops its cluster on SIGTERM.
# It starts in a folder of mode 0700 with the default data directory (./.yiye), as a clone in root's home does: as
# root, PostgreSQL runs as 'postgres', who cannot enter it, so the cluster is kept under /var/lib/yiye/clusters.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product yiye >/dev/null
bin="$(swift build --show-bin-path)/yiye"
work="$(mktemp -d /tmp/yiye-smoke.XXXXXX)"  # mode 0700, like /root
data="$work/.yiye"
port="${SMOKE_PORT:-18080}"
log="$work/serve.log"
cluster() { readlink "$data/cluster" || echo "$data"; }
runas=(); [ "$(id -u)" = 0 ] && runas=(runuser -u postgres --)
trap 'pkill -f "yiye serve --port $port" 2>/dev/null || true; [ -L "$data/cluster" ] && rm -rf "$(cluster)"; rm -rf "$work"' EXIT

start() {
  (cd "$work" && exec "$bin" serve --port "$port" --demo >>"$log" 2>&1) &
  pid=$!
  local started; started=$(date +%s.%N)
  # The first start loads the demo county with its year of activity (about 30 s in a debug build).
  for _ in $(seq 1 6000); do
    if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then
      printf 'ready after %.2f s\n' "$(echo "$(date +%s.%N) - $started" | bc)"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "yiye exited before becoming ready"; exit 1; }
    sleep 0.1
  done
  cat "$log"; echo "yiye did not become ready in 120 s"; exit 1
}

token() {
  curl -fsS -X POST "http://127.0.0.1:$port/api/v1/sessions" -H 'content-type: application/json' \
    -d "{\"username\": \"$1\", \"password\": \"Yiye@2026demo\"}" | sed -n 's/.*"token" : "\([^"]*\)".*/\1/p'
}

expect_demo() {
  local auth; auth="Authorization: Bearer $(token samr.inspector)"
  local body; body=$(curl -fsS -H "$auth" "http://127.0.0.1:$port/api/v1/departments")
  for code in office samr commerce emergency fire eco health; do
    grep -q "\"code\" : \"$code\"" <<<"$body" || { echo "department $code missing: $body"; exit 1; }
  done
  # The public 一业一单 and 一业一册 of the demo industries.
  # Read the whole page first: `grep -q` on a pipe may exit early and fail curl's write under pipefail.
  curl -fsS "http://127.0.0.1:$port/api/v1/joint-lists/fuel_retail/handbook.html" >"$work/handbook.html"
  grep -q "一业一册" "$work/handbook.html" \
    || { echo "fuel_retail handbook missing"; exit 1; }
  echo "demo departments listed"
}

start
expect_demo
if [ "$(id -u)" = 0 ]; then
  grep -q "its cluster is kept outside them" "$log" || { cat "$log"; echo "the start did not say where the cluster is"; exit 1; }
  echo "started in a folder postgres cannot enter; the cluster is in $(cluster), linked from $data/cluster"
fi
# The demo's first joint draw, recomputed by `yiye draw verify` from what anyone can download; a changed pool is named.
curl -fsS "http://127.0.0.1:$port/api/v1/draws/1/record" >"$work/record.json"
curl -fsS "http://127.0.0.1:$port/api/v1/draws/1/pool.txt" >"$work/pool.txt"
"$bin" draw verify "$work/record.json" "$work/pool.txt" || { echo "the demo draw does not verify"; exit 1; }
sed -i '1d' "$work/pool.txt"
if "$bin" draw verify "$work/record.json" "$work/pool.txt" >"$work/draw.txt"; then echo "draw verify missed a changed pool"; exit 1; fi
grep -q '对象池文件摘要不符' "$work/draw.txt" || { cat "$work/draw.txt"; echo "draw verify did not name the pool"; exit 1; }
echo "demo draw verified; a changed pool file caught"
# Every documented way of checking a draw, itself checked on every demo draw (v2, and drug retail's v1): yiye draw
# verify and the independent scripts/draw-check.py with the full record and inspector files (teams included), and
# the README's openssl-and-jq block, run as it is printed there.
office=$(token office.office_viewer)
for draw in 1 2 3 4 5; do
  api="http://127.0.0.1:$port/api/v1/draws/$draw"
  curl -fsS "$api" -H "Authorization: Bearer $office" >"$work/full.json"
  curl -fsS "$api/pool.txt" >"$work/pool.txt"
  curl -fsS "$api/inspector-pool.txt" -H "Authorization: Bearer $office" >"$work/inspectors.txt"
  curl -fsS "$api/conflicts.txt" -H "Authorization: Bearer $office" >"$work/conflicts.txt"
  python3 -c 'import json, sys; json.dump(json.load(open(sys.argv[1]))["record"], open(sys.argv[2], "w"))' "$work/full.json" "$work/record.json"
  "$bin" draw verify "$work/record.json" "$work/pool.txt" --inspectors "$work/inspectors.txt" --conflicts "$work/conflicts.txt" >/dev/null \
    || { echo "draw $draw: yiye draw verify disagrees"; exit 1; }
  python3 scripts/draw-check.py verify "$work/record.json" "$work/pool.txt" "$work/inspectors.txt" "$work/conflicts.txt" \
    || { echo "draw $draw: the independent script disagrees"; exit 1; }
done
recipe=$(awk '/^```sh$/ { block = 1; text = ""; next } /^```$/ { if (block && text ~ /^D=http/) print text; block = 0; next } block { text = text $0 "\n" }' README.md)
[ -n "$recipe" ] || { echo "the README's openssl recipe is missing"; exit 1; }
checked=$( (cd "$work" && bash -c "${recipe//http:\/\/127.0.0.1:8080/http://127.0.0.1:$port}") )
[ "$(echo "$checked" | tr '\n' ' ')" = "pool ok seed ok selection ok " ] || { echo "$checked"; echo "the README's openssl recipe fails"; exit 1; }
echo "every demo draw checked by yiye draw verify, scripts/draw-check.py and the README's openssl recipe"
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
echo "killed with SIGKILL; starting again"
start
expect_demo
if [ "$(id -u)" = 0 ]; then
  grep -q "its cluster is kept outside them" "$log" || { cat "$log"; echo "the start did not say where the cluster is"; exit 1; }
  echo "started in a folder postgres cannot enter; the cluster is in $(cluster), linked from $data/cluster"
fi
# A whistle call reaches the addressed department's open event stream; the stream stays open across SIGTERM.
curl -sN --max-time 60 -H "Authorization: Bearer $(token fire.dept_admin)" \
  "http://127.0.0.1:$port/api/v1/notifications/stream" >"$work/stream.txt" &
stream=$!
sleep 1
curl -fsS -X POST "http://127.0.0.1:$port/api/v1/calls" -H "Authorization: Bearer $(token commerce.dept_head)" \
  -H 'content-type: application/json' -d '{"industry": "fuel_retail", "stage": "inspection", "title": "冒烟测试吹哨",
  "content": "请确认", "actionRequired": "确认", "addressed": ["fire"], "deadlineHours": 4}' >/dev/null
for _ in $(seq 1 50); do grep -q '冒烟测试吹哨' "$work/stream.txt" && break; sleep 0.1; done
grep -q '^event: call_raised' "$work/stream.txt" || { cat "$work/stream.txt"; echo "the call did not reach the event stream"; exit 1; }
echo "whistle call pushed to the addressed department's event stream"

# Personal data is stored sealed with SM4; the master key is rotated while the server runs, which goes on showing it.
phone() {
  curl -fsS "http://127.0.0.1:$port/api/v1/inspectors?department=fire&limit=1" -H "Authorization: Bearer $(token fire.dept_admin)" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["phone"])'
}
phone_before=$(phone)
[[ "$phone_before" =~ ^1[0-9]{10}$ ]] || { echo "the roster shows no phone to its own department: $phone_before"; exit 1; }
clear=$("${runas[@]}" psql -At -h "$(cluster)/run" -U yiye yiye -c "SELECT count(*) FROM inspectors WHERE phone NOT LIKE 'sm4:%'")
[ "$clear" = 0 ] || { echo "$clear phones are stored in the clear"; exit 1; }
"$bin" keys rotate --data-dir "$data" | tee "$work/rotate.txt"
grep -q '重新封装数据密钥 1 个' "$work/rotate.txt" || { echo "the rotation did not rewrap the data key"; exit 1; }
[ "$(phone)" = "$phone_before" ] || { echo "the server lost the phones after the rotation"; exit 1; }
echo "phones stored sealed; master key rotated while serving, phones still shown"

# A backup while the server runs (through its socket): the database, the keys and the evidence files.
mkdir -p "$data/evidence/5a"
printf 'smoke evidence' >"$data/evidence/5a/5a-smoke"
"$bin" backup "$work/backup.tar" --data-dir "$data" | tee "$work/backup.txt"
grep -q 'evidence files 1' "$work/backup.txt" || { echo "the backup did not carry the evidence file"; exit 1; }
kill -TERM "$pid"; wait "$pid" || { echo "yiye did not exit cleanly on SIGTERM"; exit 1; }
wait "$stream" 2>/dev/null || true
if pgrep -f "postgres -D $(cluster)/pgdata" >/dev/null; then
  echo "the embedded PostgreSQL is still running after shutdown"; exit 1
fi
echo "stopped cleanly with its cluster"

# The backup restored into a new data directory: the audit trail verifies, the call written before the backup is
# there, the evidence file is back; a second restore there, and a changed archive, are refused.
restored="$work/restored"
"$bin" restore "$work/backup.tar" --data-dir "$restored"
"$bin" audit verify --data-dir "$restored" | tee "$work/verify-restored.txt"
grep -q '^intact$' "$work/verify-restored.txt" || { echo "the restored audit trail is not intact"; exit 1; }
cmp -s "$data/evidence/5a/5a-smoke" "$restored/evidence/5a/5a-smoke" || { echo "the evidence file was not restored"; exit 1; }
"$bin" serve --port "$port" --data-dir "$restored" --no-migrate >>"$log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$port/api/v1/calls?limit=200" -H "Authorization: Bearer $(token commerce.dept_head)" >"$work/calls.json"
grep -q '冒烟测试吹哨' "$work/calls.json" || { echo "the call made before the backup is not in the restored server"; exit 1; }
[ "$(phone)" = "$phone_before" ] || { echo "the restored server does not open the phones"; exit 1; }
# ... and into an empty database of a PostgreSQL reached by URL (here the restored server's own cluster).
restored_cluster=$(readlink "$restored/cluster" || echo "$restored")
"${runas[@]}" psql -q -h "$restored_cluster/run" -U yiye -d postgres -c 'CREATE DATABASE external_copy'
external="postgres://yiye@/external_copy?host=$restored_cluster/run&sslmode=disable"
"$bin" restore "$work/backup.tar" --database-url "$external" --audit-key "$work/external/key.pem" --evidence-dir "$work/external/evidence"
"$bin" audit verify --database-url "$external" --audit-key "$work/external/key.pem" | grep -q '^intact$' \
  || { echo "the copy restored by URL does not verify"; exit 1; }
kill -TERM "$pid"; wait "$pid" || true
if "$bin" restore "$work/backup.tar" --data-dir "$restored" 2>"$work/again.txt"; then echo "a restore over data was not refused"; exit 1; fi
grep -q '恢复目标不为空' "$work/again.txt" || { cat "$work/again.txt"; echo "the refusal did not say why"; exit 1; }
mkdir "$work/changed" && tar -xf "$work/backup.tar" -C "$work/changed"
printf 'x' >>"$work/changed/database.pgdump"
tar -cf "$work/changed.tar" -C "$work/changed" .
if "$bin" restore "$work/changed.tar" --data-dir "$work/restored-changed" 2>"$work/changed.txt"; then
  echo "a changed archive was restored"; exit 1
fi
grep -q 'database.pgdump' "$work/changed.txt" || { cat "$work/changed.txt"; echo "the refusal did not name the changed file"; exit 1; }
[ -L "$work/restored/cluster" ] && rm -rf "$(readlink "$work/restored/cluster")"
[ -L "$work/restored-changed/cluster" ] && rm -rf "$(readlink "$work/restored-changed/cluster")"
echo "backup restored into a new data directory and into an empty database by URL: audit trails intact, the call, the phones and the evidence there; a second restore and a changed archive refused"

# The audit trail: intact after the runs above; a row edited by a superuser is named by `yiye audit verify`.
"$bin" audit verify --data-dir "$data" | tee "$work/verify.txt"
grep -q '^intact$' "$work/verify.txt" || { echo "audit trail not intact"; exit 1; }
"$bin" serve --port "$port" --data-dir "$data" --no-migrate >>"$log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
"${runas[@]}" psql -q -h "$(cluster)/run" -U yiye yiye \
  -c "SET session_replication_role = replica; UPDATE audit_log SET details = 'tampered' WHERE seq = 2"
kill -TERM "$pid"; wait "$pid" || true
if "$bin" audit verify --data-dir "$data" | tee "$work/verify.txt"; then
  echo "audit verify missed a tampered record"; exit 1
fi
grep -q 'BROKEN at seq 2' "$work/verify.txt" || { echo "audit verify did not name seq 2"; exit 1; }
echo "tampering caught by yiye audit verify"
echo "smoke: 1 passed, 0 failed"
