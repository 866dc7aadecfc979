#!/usr/bin/env bash
# Fuzzes every operation of the served spec with schemathesis (pinned) against `yiye serve --demo`, positive and
# negative data with its stateful links, as five users of five departments and roles in turn: fuel retail's originator
# (commerce.dept_admin), catering's participant (health.dept_admin), a participant's inspector (samr.inspector), a
# department head (fire.dept_head) and the office's viewer (office.office_viewer). Checks: no server error, every
# answer as the spec describes it (response_schema_conformance), and no department reading another's objects
# (object_level_authorization: commerce and health share no industry, so an object one of them reads and the other
# cannot list must not be served to the other). Fails on any finding, and on a server that stops answering or died.
# Usage: scripts/fuzz-api.sh [seconds per user, default 110]
set -euo pipefail
cd "$(dirname "$0")/.."

budget="${1:-110}"
version=4.32.5
venv="${FUZZ_VENV:-/tmp/yiye-schemathesis-$version}"
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==$version"
fi

swift build --product yiye >/dev/null
bin="$(swift build --show-bin-path)/yiye"
work="$(mktemp -d /tmp/yiye-fuzz.XXXXXX)"
chmod 755 "$work"  # as root, the cluster runs as postgres, who must be able to enter it
port="${FUZZ_PORT:-18090}"
base="http://127.0.0.1:$port"
log="$work/serve.log"
cleanup() {  # runs at exit under set -e: nothing in it may fail
  if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" serve --port "$port" --data-dir "$work/data" --demo --log-level warning >>"$log" 2>&1 &
pid=$!
for _ in $(seq 1 6000); do
  curl -fsS "$base/health/ready" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "yiye exited before becoming ready"; exit 1; }
  sleep 0.1
done

token() {
  curl -fsS -X POST "$base/api/v1/sessions" -H 'content-type: application/json' \
    -d "{\"username\": \"$1\", \"password\": \"Yiye@2026demo\"}" | sed -n 's/.*"token" : "\([^"]*\)".*/\1/p'
}

# Every session first: the fuzzer's own failed sign-ins lock the address out for a while. The users go to a Web
# Fuzzing Commons auth file, the two peers to the configuration.
users=(commerce.dept_admin health.dept_admin samr.inspector fire.dept_head office.office_viewer)
entries=()
for user in "${users[@]}"; do
  value=$(token "$user")
  [ -n "$value" ] || { echo "could not sign in as $user"; exit 1; }
  entries+=("{\"name\": \"$user\", \"fixedHeaders\": [{\"name\": \"Authorization\", \"value\": \"Bearer $value\"}]}")
done
(IFS=,; echo "{\"auth\": [${entries[*]}]}") >"$work/auth.json"
cat >"$work/schemathesis.toml" <<TOML
[auth.wfc]
path = "$work/auth.json"
peers = ["commerce.dept_admin", "health.dept_admin"]
TOML

status=0
for user in "${users[@]}"; do
  echo "== schemathesis as $user, ${budget}s"
  # Signing out would end the fuzzer's own session, and the event stream never ends by design. One worker: with two,
  # hypothesis parses lambda sources from both threads at once and CPython 3.11 may fail with "AST constructor
  # recursion depth mismatch", a crash of the fuzzer itself, not a finding.
  "$venv/bin/schemathesis" --config-file "$work/schemathesis.toml" run "$base/openapi.yaml" --url "$base" \
    --auth-wfc-user "$user" --checks not_a_server_error,response_schema_conformance,object_level_authorization --mode all --max-time "$budget" --request-timeout 20 --workers 1 --seed 2026 \
    --exclude-operation-id deleteCurrentSession --exclude-operation-id streamNotifications \
    --suppress-health-check all --warnings off --no-color >"$work/st-$user.txt" 2>&1 || status=1
  tail -n 40 "$work/st-$user.txt"
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "yiye died during the run:"; tail -n 50 "$log"; exit 1
  fi
  curl -fsS "$base/health/live" >/dev/null || { echo "yiye stopped answering"; tail -n 50 "$log"; exit 1; }
done
grep -E "Fatal error|fatalError|Illegal instruction" "$log" && { echo "the server log shows a trap"; status=1; }
[ "$status" = 0 ] && echo "fuzz: no server error, server alive"
exit "$status"
