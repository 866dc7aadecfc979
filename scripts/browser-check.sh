#!/usr/bin/env bash
# The 一企一表 sheet and the 一次告知 notice of the demo's fuel-retail draw, rendered by headless Chromium: each
# page renders, shows the lead department's section and the 配合部门 column, shows each entry once (a merged item
# under its lead only), and is saved as a screenshot (BROWSER_OUT, default /tmp/yiye-browser) to look at. Then a
# result published through the API shows on the public query page (公示查询), marked 异议处理中 once objected to; and
# the demo's visit refused before a witness prints as its 联合检查记录表; the office's dashboard, signed in
# through its page, shows the API's figures; a whistle call is raised and answered through the workbench's pages; and
# five departments' browsers commit and reveal a draw that the independent check then verifies; and a result is
# entered on a phone (photo, signature, offline draft), reviewed, published and seen on the public page.
set -eu
cd "$(dirname "$0")/.."

browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "chromium is not installed (apt-get install -y chromium)"; exit 1; }
swift build --product yiye >/dev/null
bin="$(swift build --show-bin-path)/yiye"
work="$(mktemp -d /tmp/yiye-browser.XXXXXX)"
chmod 755 "$work"
out="${BROWSER_OUT:-/tmp/yiye-browser}"
mkdir -p "$out"
port="${BROWSER_PORT:-18282}"
"$bin" serve --port "$port" --data-dir "$work/data" --demo >"$work/serve.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
# The demo county loads with its year of activity, grades and warnings: one to three minutes in a debug build on a slow
# 2-core machine; up to ten are allowed.
for _ in $(seq 1 6000); do curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
api="http://127.0.0.1:$port/api/v1"
token=$(curl -s "$api/sessions" -H 'content-type: application/json' \
  -d '{"username": "commerce.dept_admin", "password": "Yiye@2026demo"}' | sed -n 's/.*"token" : "\([^"]*\)".*/\1/p')
object=$(curl -s "$api/draws/1" -H "Authorization: Bearer $token" | python3 -c '
import json, sys
teams = json.load(sys.stdin)["teams"]
print(next(t["objectID"] for t in teams if "unstaffed" not in t))')

curl -fsS "$api/draws/1/objects/$object/sheet" -H "Authorization: Bearer $token" >"$work/sheet.json"
failed=0
for page in sheet notice; do
  curl -fsS "$api/draws/1/objects/$object/$page.html" -H "Authorization: Bearer $token" >"$work/$page.html"
  "$browser" --headless --no-sandbox --disable-gpu --window-size=1400,1800 \
    --screenshot="$out/$page.png" "file://$work/$page.html" >/dev/null 2>&1
  "$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$work/$page.html" 2>/dev/null >"$work/$page.dom"
  check() { if grep -q "$2" "$work/$page.dom"; then echo "ok   $page: $1"; else echo "FAIL $page: $1"; failed=1; fi; }
  [ -s "$out/$page.png" ] && echo "ok   $page: screenshot $out/$page.png" || { echo "FAIL $page: no screenshot"; failed=1; }
  check "配合部门 column" "配合部门"
  # Each entry of the sheet's JSON shows exactly once on the rendered page: no merged item twice.
  if python3 - "$work/sheet.json" "$work/$page.dom" <<'PY'
import json, sys
sheet = json.load(open(sys.argv[1]))
dom = open(sys.argv[2], encoding="utf-8").read()
contents = [e["item"]["content"] for s in sheet["sections"] for e in s["entries"]]
twice = [c for c in set(contents) if dom.count(c) != contents.count(c)]
sys.exit(1 if twice or not contents else 0)
PY
  then echo "ok   $page: each of the sheet's entries shows once"; else echo "FAIL $page: an entry shows twice or not at all"; failed=1; fi
done
check_sheet() { grep -q "消防救援大队（牵头）" "$work/sheet.dom" && echo "ok   sheet: fire's section marked 牵头" || { echo "FAIL sheet: no 牵头 section"; failed=1; }; }
check_sheet

# 一公开: fire enters, its reviewer approves and fire publishes its result of one object through the API; the public
# query page (公示查询) then shows it in Chromium, served as it is to anyone, with the standard columns.
published=$(python3 - "$api" <<'PY'
import json, sys, urllib.request
api = sys.argv[1]
def call(method, path, token=None, body=None):
    request = urllib.request.Request(api + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("content-type", "application/json")
    if token: request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request) as response: return json.load(response)
def sign_in(user): return call("POST", "/sessions", body={"username": user, "password": "Yiye@2026demo"})["token"]
admin, reviewer = sign_in("fire.dept_admin"), sign_in("fire.reviewer")
teams = call("GET", "/draws/1", admin)["teams"]
team = next(t for t in teams if "unstaffed" not in t and any(m["department"] == "fire" for m in t["members"]))
sheet = call("GET", f"/draws/1/objects/{team['objectID']}/sheet", admin)
entries = next(s["entries"] for s in sheet["sections"] if s["department"] == "fire")
items = []
for entry in entries:
    method = entry["item"]["methods"][0]
    items.append({"entry": entry["number"], "method": method, "outcome": "pass" if method == "sampling_test" else "normal"})
category = "pass" if any(i["outcome"] == "pass" for i in items) else "no_problem"
base = f"/draws/1/objects/{team['objectID']}/results/fire"
call("PUT", base, admin, {"items": items, "categories": [{"category": category}], "remarks": "浏览器检查"})
call("POST", base + "/submission", admin)
call("POST", base + "/review", reviewer, {"decision": "approve"})
call("POST", base + "/publication", admin)
# The business objects on the public side, without an account: the page then shows 异议处理中.
published = call("GET", f"/published-results?creditCode={team['objectID']}")["items"][0]
call("POST", f"/published-results/{published['id']}/objections",
     body={"creditCode": team["objectID"], "businessName": sheet["object"]["name"], "contact": "王经理", "grounds": "浏览器检查的异议"})
print(team["objectID"], sheet["object"]["name"])
PY
)
code="${published%% *}"
name="${published#* }"
page=results
"$browser" --headless --no-sandbox --disable-gpu --window-size=1400,1000 \
  --screenshot="$out/$page.png" "http://127.0.0.1:$port/public/results?creditCode=$code" >/dev/null 2>&1
"$browser" --headless --no-sandbox --disable-gpu --dump-dom "http://127.0.0.1:$port/public/results?creditCode=$code" 2>/dev/null >"$work/$page.dom"
[ -s "$out/$page.png" ] && echo "ok   $page: screenshot $out/$page.png" || { echo "FAIL $page: no screenshot"; failed=1; }
for expected in "双随机抽查检查结果公示" "$name" "$code" "消防救援大队" "部门联合双随机抽查" "检查实施机关" "浏览器检查" "异议处理中"; do
  if grep -q "$expected" "$work/$page.dom"; then echo "ok   $page: shows $expected"; else echo "FAIL $page: $expected missing"; failed=1; fi
done
"$browser" --headless --no-sandbox --disable-gpu --dump-dom "http://127.0.0.1:$port/public/results?creditCode=91330110MA00000000" \
  2>/dev/null >"$work/none.dom"
grep -q "未查到符合条件的公示检查结果" "$work/none.dom" && echo "ok   $page: an unknown code finds nothing" || { echo "FAIL $page: unknown code"; failed=1; }

# 现场确认: the demo's inspected draw holds a visit refused before a witness; its 联合检查记录表, printed from the API,
# renders in Chromium with the refusal, the witness and the record's SM3 digest. The credit repair shows publicly.
visit=$(python3 - "$api" <<'PY'
import json, sys, urllib.error, urllib.request
api = sys.argv[1]
def call(path, token):
    request = urllib.request.Request(api + path)
    request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request) as response: return json.load(response)
token = json.load(urllib.request.urlopen(urllib.request.Request(api + "/sessions", method="POST",
    data=json.dumps({"username": "commerce.dept_head", "password": "Yiye@2026demo"}).encode(),
    headers={"content-type": "application/json"})))["token"]
task = next(t for t in call("/tasks?limit=100", token)["items"] if "已完成现场检查" in t["name"])
draw = call(f"/tasks/{task['id']}", token)["drawId"]
for team in call(f"/draws/{draw}", token)["teams"]:
    try:
        if call(f"/draws/{draw}/objects/{team['objectID']}/visit", token)["confirmation"] == "refused":
            print(draw, team["objectID"], token); break
    except urllib.error.HTTPError:
        pass
PY
)
read -r vdraw vobject vtoken <<<"$visit"
page=visit-record
curl -fsS "$api/draws/$vdraw/objects/$vobject/visit-record" -H "Authorization: Bearer $vtoken" >"$work/$page.html"
"$browser" --headless --no-sandbox --disable-gpu --window-size=1400,1800 \
  --screenshot="$out/$page.png" "file://$work/$page.html" >/dev/null 2>&1
"$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$work/$page.html" 2>/dev/null >"$work/$page.dom"
[ -s "$out/$page.png" ] && echo "ok   $page: screenshot $out/$page.png" || { echo "FAIL $page: no screenshot"; failed=1; }
for expected in "联合检查记录表" "$vobject" "拒绝签字" "李明（社区网格员）" "本记录 SM3 摘要："; do
  if grep -q "$expected" "$work/$page.dom"; then echo "ok   $page: shows $expected"; else echo "FAIL $page: $expected missing"; failed=1; fi
done
"$browser" --headless --no-sandbox --disable-gpu --dump-dom "http://127.0.0.1:$port/public/results" 2>/dev/null >"$work/repaired.dom"
grep -q "信用修复" "$work/repaired.dom" && echo "ok   results: a credit repair shows" || { echo "FAIL results: no credit repair shown"; failed=1; }

# 统计看板: signed in through the page as the office, the figures shown are the API's and the console is clean; a
# department user sees only its own row (scripts/dashboard-browser.py drives Chromium over the DevTools protocol).
python3 scripts/dashboard-browser.py "http://127.0.0.1:$port" "$browser" "$out" || failed=1

# 我的待办 and 吹哨响应: commerce on a laptop raises a call from the form, fire on a 390x844 phone sees its count go up
# live, asks, is answered and accepts, through the pages alone (scripts/workbench-browser.py).
python3 scripts/workbench-browser.py "http://127.0.0.1:$port" "$browser" "$out" || failed=1

# The draw ceremony: five departments commit from their own browsers (secret and SM3 commitment made in the page) and
# reveal; the draw so made is verified by the independent scripts/draw-check.py (scripts/draw-ceremony-browser.py).
python3 scripts/draw-ceremony-browser.py "http://127.0.0.1:$port" "$browser" "$out" || failed=1

# Results in the field, on the draw the ceremony made: fire on a phone marks its items, takes a photo, has the business sign on the screen, loses the
# connection and submits when it is back; its reviewer approves, it publishes, the public page shows it.
python3 scripts/field-browser.py "http://127.0.0.1:$port" "$browser" "$out" "$(cat "$out/ceremony-draw.txt" 2>/dev/null || echo 1)" || failed=1
exit "$failed"
