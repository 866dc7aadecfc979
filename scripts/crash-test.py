#!/usr/bin/env python3
"""Crash test: nothing acknowledged is lost, nothing is half-written.

Writers work through the API at once — commerce raises whistle calls (a call and a response row per addressed
department), fire reads and accepts them, fire's inspector reports clues (a clue and a route per department), samr
accepts its routes, a department saves its draft result again and again (the result and its items), commerce starts
triggered tasks and freezes their draws and each of the five departments commits to its secret — and record every
write answered 2xx. At a random moment of each cycle the process is killed:
yiye with SIGKILL, or PostgreSQL with `pg_ctl stop -m immediate` and then yiye. After each restart every acknowledged
write must be there (the draft result as its last acknowledged save left it, or as the save in flight did), each call
must have all its addressed departments' rows, each clue all its routes and the draft all its items, and at the end
`yiye audit verify` must pass. Every frozen draw must be found with its task and all five parties, and every
acknowledged commitment in it. Prints acknowledged / found / lost per cycle; exits 1 on any loss.

Usage: scripts/crash-test.py YIYE_BINARY WORKDIR [--cycles N] [--seconds S] [--port P]
"""
import argparse
import datetime
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

PASSWORD = "Yiye@2026demo"
# Fuel retail's departments: the originator and its four participants, each a party to the industry's draws.
DRAW_PARTIES = ("commerce", "eco", "emergency", "fire", "samr")


class Server:
    def __init__(self, binary, data, port, log):
        self.binary, self.data, self.port, self.log = binary, data, port, log
        self.process = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, demo=False):
        arguments = [self.binary, "serve", "--port", str(self.port), "--data-dir", self.data]
        if demo:
            arguments.append("--demo")
        self.process = subprocess.Popen(arguments, stdout=self.log, stderr=subprocess.STDOUT)
        started = time.time()
        while time.time() - started < 300:
            if self.process.poll() is not None:
                sys.exit(f"yiye exited before it was ready (see {self.log.name})")
            try:
                with urllib.request.urlopen(self.base + "/health/ready", timeout=2) as answer:
                    if answer.status == 200:
                        return time.time() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        sys.exit("yiye was not ready in 300 s")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)

    def cluster(self):
        link = os.path.join(self.data, "cluster")
        return os.readlink(link) if os.path.islink(link) else self.data

    def stop_postgres_immediately(self):
        pg_ctl = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip() + "/pg_ctl"
        if not os.path.exists(pg_ctl):
            pg_ctl = sorted(p for p in (f"/usr/lib/postgresql/{v}/bin/pg_ctl" for v in os.listdir("/usr/lib/postgresql"))
                            if os.path.exists(p))[-1]
        command = [pg_ctl, "stop", "-D", os.path.join(self.cluster(), "pgdata"), "-m", "immediate", "-w"]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--"] + command
        subprocess.run(command, check=True, capture_output=True)

    def psql(self, sql):
        command = ["psql", "-At", "-h", os.path.join(self.cluster(), "run"), "-U", "yiye", "yiye", "-c", sql]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--"] + command
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def call(base, method, path, body=None, token=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def sign_in(base, user):
    status, body = call(base, "POST", "/api/v1/sessions", {"username": user, "password": PASSWORD})
    if status != 201 and status != 200:
        raise ConnectionError(f"sign-in as {user}: {status}")
    return body["token"]


class Ledger:
    """Every write acknowledged with 2xx in a cycle, by kind."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls, self.responses, self.clues, self.routes = {}, {}, {}, {}
        # The draft result's remarks, in the order saved: those acknowledged, and the last one sent.
        self.saves, self.sent_save = [], None
        # Draws frozen (id -> task id) and the departments whose commitment to each was acknowledged.
        self.draws, self.commitments = {}, {}

    def total(self):
        return (len(self.calls) + len(self.responses) + len(self.clues) + len(self.routes) + len(self.saves) + len(self.draws)
                + sum(len(d) for d in self.commitments.values()))


def writer(name, base, user, stop, step):
    """Runs `step(token, n)` until told to stop; a refused connection (the server gone) ends it quietly."""
    token, n = None, 0
    while not stop.is_set():
        try:
            token = token or sign_in(base, user)
            n += 1
            if step(token, n) == 401:
                token = None
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.05)


class Draft:
    """The demo's draft result, which its department saves again and again during the cycles."""

    def __init__(self, server):
        draw, code, department = server.psql(
            "SELECT draw_id, credit_code, department FROM inspection_results WHERE status = 'draft' ORDER BY id LIMIT 1").split("|")
        self.user, self.path = f"{department}.dept_admin", f"/api/v1/draws/{draw}/objects/{code}/results/{department}"
        token = sign_in(server.base, "office.office_admin")
        _, body = call(server.base, "GET", f"/api/v1/draws/{draw}/objects/{code}/results", token=token)
        saved = next(r for r in body["items"] if r["department"] == department)
        fields = ("entry", "outcome", "method", "finding", "breachedBasis", "evidence")
        self.items = [{k: item[k] for k in fields if item.get(k) not in (None, "", [])} for item in saved["items"]]

    def stored(self, server):
        """The draft's remarks and item count as the server has them."""
        token = sign_in(server.base, "office.office_admin")
        status, body = call(server.base, "GET", self.path.rsplit("/", 1)[0], token=token)
        department = self.path.rsplit("/", 1)[1]
        result = next(r for r in body["items"] if r["department"] == department) if status == 200 else None
        return (result["remarks"], len(result["items"])) if result else (None, 0)


def run_cycle(server, number, seconds, mode, ledger, draft):
    stop = threading.Event()
    base = server.base

    def raise_call(token, n):
        title = f"崩溃测试吹哨 {number}-{n}"
        status, body = call(base, "POST", "/api/v1/calls", {
            "industry": "fuel_retail", "stage": "inspection", "title": title, "content": "请确认", "actionRequired": "确认",
            "addressed": ["fire", "samr"], "deadlineWorkingDays": 2}, token)
        if status == 201:
            with ledger.lock:
                ledger.calls[body["id"]] = title
        return status

    def report_clue(token, n):
        description = f"崩溃测试线索 {number}-{n}：群众举报夜间散装销售汽油。"
        status, body = call(base, "POST", "/api/v1/clues", {
            "industry": "fuel_retail", "source": "complaint", "description": description, "suspectedViolation": "违规散装销售汽油",
            "legalBasis": "《危险化学品安全管理条例》", "evidence": ["举报录音"], "departments": ["samr", "emergency"],
            "deadlineWorkingDays": 5}, token)
        if status == 201:
            with ledger.lock:
                ledger.clues[body["id"]] = description
        return status

    def save_result(token, n):
        remarks = f"崩溃测试保存 {number}-{n}"
        with ledger.lock:
            ledger.sent_save = remarks
        status, _ = call(base, "PUT", draft.path, {"items": draft.items, "categories": [], "remarks": remarks}, token)
        if status == 200:
            with ledger.lock:
                ledger.saves.append(remarks)
        return status

    tokens = {}

    def draw_round(token, n):
        """A triggered task, its draw frozen, then each of fuel retail's five departments commits to its secret."""
        today = datetime.date.today()
        status, task = call(base, "POST", "/api/v1/tasks", {
            "industry": "fuel_retail", "name": f"崩溃测试任务 {number}-{n}", "windowStart": str(today + datetime.timedelta(days=1)),
            "windowEnd": str(today + datetime.timedelta(days=31)),
            "trigger": {"source": "complaint", "description": "群众举报加油站存在安全隐患"}}, token)
        if status != 201:
            return status
        status, draw = call(base, "POST", f"/api/v1/tasks/{task['id']}/draw", {}, token, timeout=60)
        if status != 201:
            return status
        with ledger.lock:
            ledger.draws[draw["id"]] = task["id"]
            ledger.commitments[draw["id"]] = set()
        for department in DRAW_PARTIES:
            user = f"{department}.dept_admin"
            tokens[user] = tokens.get(user) or sign_in(base, user)
            secret = os.urandom(32).hex()
            commitment = hashlib.new("sm3", secret.encode()).hexdigest()
            status, _ = call(base, "POST", f"/api/v1/draws/{draw['id']}/commitments", {"commitment": commitment}, tokens[user])
            if status == 200:
                with ledger.lock:
                    ledger.commitments[draw["id"]].add(department)
        return 200

    def accepting(acknowledged, answered, path, body):
        """A step that answers the next acknowledged write not yet answered, recording whether it was accepted."""

        def step(token, n):
            with ledger.lock:
                waiting = [i for i in acknowledged if i not in answered]
            if not waiting:
                time.sleep(0.02)
                return 200
            status, _ = call(base, "POST", path.format(waiting[0]), body, token)
            with ledger.lock:
                answered[waiting[0]] = "accepted" if status == 200 else None
            return status

        return step

    accept_call = accepting(ledger.calls, ledger.responses, "/api/v1/calls/{}/actions", {"action": "accept", "text": "已安排"})
    accept_route = accepting(ledger.clues, ledger.routes, "/api/v1/clues/{}/decisions", {"decision": "accept"})

    threads = [threading.Thread(target=writer, args=(name, base, user, stop, step), daemon=True) for name, user, step in [
        ("calls", "commerce.dept_head", raise_call), ("responses", "fire.dept_admin", accept_call),
        ("clues", "fire.inspector", report_clue), ("routes", "samr.dept_admin", accept_route),
        ("calls-2", "commerce.dept_admin", raise_call), ("clues-2", "fire.dept_admin", report_clue),
        ("results", draft.user, save_result), ("draws", "commerce.dept_head", draw_round)]]
    for thread in threads:
        thread.start()
    moment = random.uniform(seconds / 2, seconds)
    time.sleep(moment)
    if mode == "postgres":
        server.stop_postgres_immediately()
        time.sleep(0.5)
    server.kill()
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    return moment


def check(server, ledger, draft):
    """Returns (found, lost, half-written) for what the ledger acknowledged."""
    base = server.base
    token = sign_in(base, "office.office_admin")
    found, lost = 0, []
    for call_id, title in ledger.calls.items():
        status, body = call(base, "GET", f"/api/v1/calls/{call_id}", token=token)
        ok = status == 200 and body["title"] == title and {r["department"] for r in body["responses"]} == {"fire", "samr"}
        accepted = ledger.responses.get(call_id)
        if ok and accepted:
            ok = any(r["department"] == "fire" and r["state"] == "accepted" for r in body["responses"])
            found += 1 if ok else 0
        found += 1 if ok else 0
        if not ok:
            lost.append(f"call {call_id}")
    for clue_id, description in ledger.clues.items():
        status, body = call(base, "GET", f"/api/v1/clues/{clue_id}", token=token)
        ok = status == 200 and body["description"] == description and {r["department"] for r in body["routes"]} == {"samr", "emergency"}
        if ok and ledger.routes.get(clue_id):
            ok = any(r["department"] == "samr" and r["state"] == "accepted" for r in body["routes"])
            found += 1 if ok else 0
        found += 1 if ok else 0
        if not ok:
            lost.append(f"clue {clue_id}")
    for draw_id, task_id in ledger.draws.items():
        status, body = call(base, "GET", f"/api/v1/draws/{draw_id}", token=token)
        committed = {p["department"] for p in body["parties"] if p["committed"]} if status == 200 else set()
        whole = status == 200 and body["taskId"] == task_id and len(body["parties"]) == len(DRAW_PARTIES)
        ok = whole and ledger.commitments[draw_id] <= committed
        found += 1 + len(ledger.commitments[draw_id]) if ok else 0
        if not ok:
            lost.append(f"draw {draw_id} (committed {sorted(committed)}, acknowledged {sorted(ledger.commitments[draw_id])})")
    # A later save supersedes an earlier one: the draft holds the last acknowledged, or the one in flight at the kill.
    remarks, items = draft.stored(server)
    if ledger.saves and remarks in (ledger.saves[-1], ledger.sent_save) and items == len(draft.items):
        found += len(ledger.saves)
    elif ledger.saves:
        lost.append(f"the draft result ({remarks!r} with {items} items after {ledger.saves[-1]!r})")
    # Nothing half-written anywhere, acknowledged or not: every call with both its departments, every clue routed.
    half = int(server.psql(
        "SELECT (SELECT count(*) FROM whistle_calls c WHERE (SELECT count(*) FROM whistle_responses r WHERE r.call_id = c.id) = 0)"
        " + (SELECT count(*) FROM clues c WHERE NOT EXISTS (SELECT 1 FROM clue_routes r WHERE r.clue_id = c.id))"))
    return found, lost, half


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("workdir")
    parser.add_argument("--cycles", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--port", type=int, default=18500)
    options = parser.parse_args()
    os.makedirs(options.workdir, exist_ok=True)
    os.chmod(options.workdir, 0o755)
    data = os.path.join(options.workdir, "data")
    log = open(os.path.join(options.workdir, "serve.log"), "ab")
    server = Server(options.binary, data, options.port, log)
    print(f"ready after {server.start(demo=True):.1f} s (demo county loaded)", flush=True)
    failed = False
    draft = Draft(server)
    for number in range(1, options.cycles + 1):
        mode = "yiye" if number % 2 else "postgres"
        ledger = Ledger()
        moment = run_cycle(server, number, options.seconds, mode, ledger, draft)
        ready = server.start()
        found, lost, half = check(server, ledger, draft)
        acknowledged = ledger.total() - sum(1 for v in ledger.responses.values() if v is None) - sum(
            1 for v in ledger.routes.values() if v is None)
        what = "kill -9 yiye" if mode == "yiye" else "pg_ctl stop -m immediate, then kill -9 yiye"
        print(f"cycle {number} ({what} at {moment:.1f} s; back in {ready:.1f} s): acknowledged {acknowledged} "
              f"(calls {len(ledger.calls)}, clues {len(ledger.clues)}, result saves {len(ledger.saves)}, draws {len(ledger.draws)} with "
              f"{sum(len(d) for d in ledger.commitments.values())} commitments), found {found}, lost {len(lost)}, half-written {half}",
              flush=True)
        if lost or half or acknowledged == 0:
            failed = True
            print("  lost: " + ", ".join(lost[:20]) if lost else "  nothing acknowledged" if acknowledged == 0 else "", flush=True)
    server.stop()
    verify = subprocess.run([options.binary, "audit", "verify", "--data-dir", data], capture_output=True, text=True)
    print("audit trail: " + verify.stdout.strip().splitlines()[-1], flush=True)
    if verify.returncode != 0 or "intact" not in verify.stdout:
        failed = True
    print("crash test: " + ("FAILED" if failed else "passed"), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
