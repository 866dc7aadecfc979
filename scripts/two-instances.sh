#!/usr/bin/env bash
# Two yiye instances behind nginx (docker/nginx.conf) on one PostgreSQL: traffic through the proxy reaches both, a
# session made through one works on both, the notification stream (SSE) passes through the proxy at once, an overdue
# call is escalated once although both instances sweep every second, and one instance killed with SIGKILL in the
# middle of a stream of writes loses none of those acknowledged (only requests in flight on it may fail).
# Usage: scripts/two-instances.sh [YIYE_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-$(swift build --show-bin-path)/yiye}"
work="$(mktemp -d /tmp/yiye-two.XXXXXX)"
chmod 755 "$work"  # as root, the cluster runs as postgres, who must be able to enter it
data="$work/data"
proxy=18600
metrics=metrics-token-for-two-instances
stop() {  # runs at exit under set -e: nothing in it may fail, or it would change the script's status
  status=$?
  if [ -f "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
  # SIGTERM, so that the first instance stops its cluster; then whatever is left.
  if [ -n "$(jobs -p)" ]; then
    kill -TERM $(jobs -p) 2>/dev/null || true
    sleep 5
    kill -9 $(jobs -p) 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap stop EXIT

ready() {
  for _ in $(seq 1 3000); do curl -fsS "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "nothing ready on port $1"; cat "$work"/*.log; exit 1
}
common=(--metrics-token "$metrics" --escalation-seconds 1 --trusted-proxies 127.0.0.1)
# The first instance runs the embedded cluster; the second reaches the same database by URL, as a second host would.
"$bin" serve --port 18601 --data-dir "$data" --demo "${common[@]}" >"$work/one.log" 2>&1 &
one=$!
ready 18601
cluster=$(readlink "$data/cluster" || echo "$data")
database="postgres://yiye@/yiye?host=$cluster/run&sslmode=disable"
"$bin" serve --port 18602 --database-url "$database" --audit-key "$data/audit-sm2-key.pem" --evidence-dir "$data/evidence" \
  "${common[@]}" >"$work/two.log" 2>&1 &
two=$!
ready 18602
sed -e "s/yiye-1:8080/127.0.0.1:18601/; s/yiye-2:8080/127.0.0.1:18602/; s/listen 80;/listen $proxy;/" \
  -e "s|error_log stderr warn;|error_log $work/nginx.log warn;|" docker/nginx.conf >"$work/nginx.conf"
nginx -p "$work" -c "$work/nginx.conf" -g "pid $work/nginx.pid;"
base="http://127.0.0.1:$proxy"
ready "$proxy"
runas=(); [ "$(id -u)" = 0 ] && runas=(runuser -u postgres --)
sql() { "${runas[@]}" psql -At -h "$cluster/run" -U yiye yiye -c "$1"; }
token() {
  curl -fsS -X POST "$base/api/v1/sessions" -H 'content-type: application/json' \
    -d "{\"username\": \"$1\", \"password\": \"Yiye@2026demo\"}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}
raise() {  # raises a call through the proxy as commerce; prints the status and the call's id
  curl -sS -o "$work/raised.json" -w '%{http_code}' -X POST "$base/api/v1/calls" -H "Authorization: Bearer $commerce" \
    -H 'content-type: application/json' -d "{\"industry\": \"fuel_retail\", \"stage\": \"inspection\", \"title\": \"$1\",
    \"content\": \"请确认\", \"actionRequired\": \"确认\", \"addressed\": [\"fire\", \"samr\"], \"deadlineWorkingDays\": 2}" || echo 000
  echo " $(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("id", ""))' "$work/raised.json" 2>/dev/null || true)"
}

# 1. Reads through the proxy reach both instances.
office=$(token office.office_admin)
ok=0
for _ in $(seq 1 200); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/departments" -H "Authorization: Bearer $office")" = 200 ] && ok=$((ok + 1))
done
served() { curl -fsS "http://127.0.0.1:$1/metrics" -H "Authorization: Bearer $metrics" | grep 'api/v1/departments' | grep -c . || true; }
[ "$ok" = 200 ] || { echo "only $ok of 200 reads through the proxy answered 200"; exit 1; }
[ "$(served 18601)" -gt 0 ] && [ "$(served 18602)" -gt 0 ] || { echo "the proxy did not spread reads over both instances"; exit 1; }
echo "200 of 200 reads through nginx answered 200, served by both instances"

# 2. A session made through the proxy works on each instance directly.
for port in 18601 18602; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/sessions/current" -H "Authorization: Bearer $office")" = 200 ] \
    || { echo "the session does not work on the instance on port $port"; exit 1; }
done
echo "a session made through nginx works on both instances"

# 3. The notification stream passes through the proxy at once.
commerce=$(token commerce.dept_head)
curl -sN --max-time 20 "$base/api/v1/notifications/stream" -H "Authorization: Bearer $(token fire.dept_admin)" >"$work/stream.txt" &
sleep 1
started=$(date +%s.%N)
read -r status call <<<"$(raise 代理测试吹哨)"
[ "$status" = 201 ] || { echo "raising a call through the proxy answered $status"; exit 1; }
for _ in $(seq 1 100); do grep -q '代理测试吹哨' "$work/stream.txt" && break; sleep 0.05; done
grep -q '^event: call_raised' "$work/stream.txt" || { cat "$work/stream.txt"; echo "the event did not come through the proxy"; exit 1; }
printf 'the call reached the event stream through nginx in %.2f s\n' "$(echo "$(date +%s.%N) - $started" | bc)"

# 4. An overdue call is escalated once, with both instances sweeping every second.
sql "UPDATE whistle_calls SET deadline = now() - interval '1 hour' WHERE id = $call" >/dev/null
for _ in $(seq 1 100); do [ "$(sql "SELECT count(*) FROM whistle_events WHERE call_id = $call AND action = 'escalate'")" -ge 2 ] && break; sleep 0.1; done
sleep 3  # both instances sweep three more times
escalated=$(sql "SELECT count(*) FROM whistle_events WHERE call_id = $call AND action = 'escalate'")
rows=$(sql "SELECT count(*) FROM escalations WHERE kind = 'call_response' AND subject_id = $call")
[ "$escalated" = 2 ] && [ "$rows" = 2 ] || { echo "escalations of the overdue call: $escalated events, $rows rows (expected 2 each: fire and samr)"; exit 1; }
echo "the overdue call was escalated once for each of its two departments, though both instances swept"

# 5. One instance killed in the middle of a stream of writes: nothing acknowledged is lost.
: >"$work/writes.txt"
for n in $(seq 1 150); do
  raise "切换测试吹哨 $n" >>"$work/writes.txt"
  [ "$n" = 50 ] && kill -9 "$two"
done
acknowledged=$(awk '$1 ~ /^2/' "$work/writes.txt" | wc -l)
failed=$(awk '$1 !~ /^2/' "$work/writes.txt" | wc -l)
lost=0
for id in $(awk '$1 ~ /^2/ {print $2}' "$work/writes.txt"); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/calls/$id" -H "Authorization: Bearer $office")" = 200 ] || lost=$((lost + 1))
done
echo "instance two killed after 50 of 150 writes: acknowledged $acknowledged, failed $failed (in flight on it), lost $lost"
[ "$lost" = 0 ] && [ "$failed" -le 2 ] || { echo "writes were lost, or more than the requests in flight failed"; exit 1; }
kill -0 "$one" || { echo "instance one is gone"; exit 1; }
echo "two instances: 5 passed, 0 failed"
kill -TERM "$one"; wait "$one" || true
