#!/usr/bin/env python3
"""bench/load.sh's driver: a county's busiest morning against `yiye serve --demo`, with wrk (Debian's package), beside
the ceiling of the machine measured in the same run: a bare Hummingbird + PostgresNIO route running SELECT 1 on the
same PostgreSQL (bench/LoadCeiling).

The mix (per 100 requests): lists 35 (tasks, calls, notifications, the roster, the directory), the printable sheet 10
(JSON and page), the public results 25 (list, search by credit code, the public page), writes 20 (a result draft saved,
whistle calls raised, and each accepted by the addressed department: a first response every time), other reads 10 (a
draw, an object's results, the office's dashboard); twenty notification streams (SSE) stay open throughout and count
the events pushed to them.

Phases: the mix as fast as it goes (maximum throughput) and paced to --rate (1,000 req/s: p50/p99), each for yiye and
for the ceiling. `--soak MINUTES` then runs the mix at --rate minute by minute, sampling yiye's resident memory, and
fails unless every answer was 2xx and memory stayed flat (the last minute within 10% or 16 MiB of the second's).
Every yiye phase must answer 2xx only; any other answer, socket error or timeout fails the run.
"""
import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "Yiye@2026demo"


def log(text):
    print(text, flush=True)


def call(base, method, path, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=60) as answer:
        text = answer.read().decode()
        return json.loads(text) if answer.headers.get_content_type() == "application/json" else text


def ready(url, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except Exception:
            pass
        time.sleep(0.2)
    raise SystemExit(f"nothing ready at {url} after {seconds} s")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Streams:
    """Notification streams (SSE) held open during the run, counting the events pushed."""

    def __init__(self, port, tokens):
        self.events = 0
        self.broken = 0
        self.lock = threading.Lock()
        self.stopping = False
        self.connections = []
        for token in tokens:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
            connection.request("GET", "/api/v1/notifications/stream", headers={"Authorization": "Bearer " + token})
            answer = connection.getresponse()
            if answer.status != 200:
                raise SystemExit(f"the notification stream answered {answer.status}")
            self.connections.append(connection)
            threading.Thread(target=self.read, args=(answer,), daemon=True).start()

    def read(self, answer):
        try:
            for line in answer:
                if line.startswith(b"event:"):
                    with self.lock:
                        self.events += 1
        except Exception:
            pass
        if not self.stopping:
            with self.lock:
                self.broken += 1

    def close(self):
        self.stopping = True
        for connection in self.connections:
            try:
                connection.sock.shutdown(2)
            except Exception:
                pass


def wrk(base, mix_file, rate, seconds, connections):
    command = [
        "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", os.path.join(HERE, "load-mix.lua"),
        base, "--", mix_file, str(rate), "2",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next((l for l in output.splitlines() if l.startswith("LOAD ")), None)
    if line is None:
        raise SystemExit("wrk printed no figures:\n" + output)
    figures = json.loads(line[5:])
    figures["rate"] = figures["requests"] / figures["seconds"]
    figures["errors"] = sum(figures[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts", "http_errors"))
    return figures


def describe(name, f):
    return (f"{name:<34} {f['rate']:8.0f} req/s  p50 {f['p50_ms']:7.2f} ms  p99 {f['p99_ms']:8.2f} ms  "
            f"max {f['max_ms']:8.1f} ms  errors {f['errors']}  ({f['requests']} requests)")


def write_mix(path, lines):
    with open(path, "w") as out:
        for weight, kind, method, target, token, body in lines:
            for _ in range(weight):
                out.write("\t".join([kind, method, target, token or "", json.dumps(body, ensure_ascii=False) if body else ""]) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin-dir", required=True)
    parser.add_argument("--seconds", type=int, default=30, help="each phase's length")
    parser.add_argument("--rate", type=int, default=1000, help="the paced phases' requests per second")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--soak", type=int, default=0, metavar="MINUTES")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="yiye-load.")
    os.chmod(work, 0o755)  # as root, the cluster runs as postgres, who must be able to enter it
    data = os.path.join(work, "data")
    port, ceiling_port = 18700, 18701
    base, ceiling = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{ceiling_port}"
    processes = []
    try:
        yiye = subprocess.Popen(
            [os.path.join(args.bin_dir, "yiye"), "serve", "--port", str(port), "--data-dir", data, "--demo",
             "--log-level", "warning"], stdout=open(os.path.join(work, "yiye.log"), "w"), stderr=subprocess.STDOUT)
        processes.append(yiye)
        started = time.time()
        ready(base + "/health/ready", 900)
        log(f"yiye serving the demo county after {time.time() - started:.0f} s")
        cluster = os.path.realpath(os.path.join(data, "cluster")) if os.path.islink(os.path.join(data, "cluster")) else data
        database = f"postgres://yiye@/yiye?host={cluster}/run"
        processes.append(subprocess.Popen(
            [os.path.join(args.bin_dir, "load-ceiling"), str(ceiling_port), database],
            stdout=open(os.path.join(work, "ceiling.log"), "w"), stderr=subprocess.STDOUT))
        ready(ceiling + "/ceiling", 60)

        def token(user):
            return call(base, "POST", "/api/v1/sessions", body={"username": user, "password": PASSWORD})["token"]

        office, commerce, fire, samr = (token(u) for u in
                                        ("office.office_viewer", "commerce.dept_admin", "fire.dept_admin", "samr.inspector"))
        # A draft result to save again and again, as its department's admin would while entering it.
        tasks = call(base, "GET", "/api/v1/tasks?limit=100", office)["items"]
        runas = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        found = subprocess.run(
            runas + ["psql", "-At", "-F", " ", "-h", f"{cluster}/run", "-U", "yiye", "yiye", "-c",
                     "SELECT draw_id, credit_code, department FROM inspection_results WHERE status = 'draft' ORDER BY id LIMIT 1"],
            capture_output=True, text=True, check=True).stdout.split()
        if len(found) != 3:
            raise SystemExit("the demo county has no draft result to save")
        results = call(base, "GET", f"/api/v1/draws/{found[0]}/objects/{found[1]}/results", office)["items"]
        draft = next(r for r in results if r["department"] == found[2])
        department = draft["department"]
        owner = token(f"{department}.dept_admin")
        result_path = f"/api/v1/draws/{draft['drawId']}/objects/{draft['creditCode']}/results/{department}"
        fields = ("entry", "outcome", "method", "finding", "breachedBasis", "evidence")
        result_body = {
            "items": [{k: item[k] for k in fields if item.get(k) not in (None, "", [])} for item in draft["items"]],
            "categories": [{"category": c["category"]} for c in draft.get("categories", [])],
        }
        if draft.get("inspectedOn"):
            result_body["inspectedOn"] = draft["inspectedOn"]
        call(base, "PUT", result_path, owner, result_body)
        sheet_draw = draft["drawId"]
        code = draft["creditCode"]
        raise_body = {"industry": "fuel_retail", "stage": "inspection", "title": "压力测试吹哨", "content": "请确认检查安排",
                      "actionRequired": "确认", "addressed": ["fire"], "deadlineWorkingDays": 2}
        mix = [
            (7, "list", "GET", "/api/v1/tasks?limit=20", office, None),
            (7, "list", "GET", "/api/v1/calls?limit=20", commerce, None),
            (10, "list", "GET", "/api/v1/notifications?limit=20", fire, None),
            (5, "list", "GET", "/api/v1/inspectors?department=fire&limit=20", samr, None),
            (6, "list", "GET", "/api/v1/objects?industry=fuel_retail&limit=20", office, None),
            (5, "sheet", "GET", f"/api/v1/draws/{sheet_draw}/objects/{code}/sheet", owner, None),
            (5, "sheet", "GET", f"/api/v1/draws/{sheet_draw}/objects/{code}/sheet.html", owner, None),
            (10, "public", "GET", "/api/v1/published-results?limit=20", None, None),
            (10, "public", "GET", f"/api/v1/published-results?creditCode={code}", None, None),
            (5, "public", "GET", "/public/results", None, None),
            (8, "result", "PUT", result_path, owner, result_body),
            (6, "raise", "POST", "/api/v1/calls", commerce, raise_body),
            (6, "accept", "POST", "/api/v1/calls/{id}/actions", fire, {"action": "accept", "text": "已收到，按时派员参加"}),
            (4, "read", "GET", f"/api/v1/draws/{sheet_draw}", office, None),
            (4, "read", "GET", f"/api/v1/draws/{sheet_draw}/objects/{code}/results", office, None),
            (2, "read", "GET", "/api/v1/dashboard", office, None),
        ]
        mix_file, ceiling_file = os.path.join(work, "mix.tsv"), os.path.join(work, "ceiling.tsv")
        write_mix(mix_file, mix)
        write_mix(ceiling_file, [(1, "ceiling", "GET", "/ceiling", None, None)])
        # Every request of the mix answers 2xx before the run (a broken mix would only measure errors).
        for _, kind, method, target, tok, body in mix:
            if kind != "accept":
                call(base, method, target, tok, body)
        log(f"mix ready: draft result {result_path}; {len(tasks)} tasks in the county")

        streams = Streams(port, [fire] * 10 + [commerce] * 10)
        wrk(base, mix_file, 0, 5, args.connections)  # warm-up, not counted
        figures = {}
        for name, url, file, rate in [
            ("ceiling, as fast as it goes", ceiling, ceiling_file, 0),
            ("yiye mix, as fast as it goes", base, mix_file, 0),
            (f"ceiling at {args.rate} req/s", ceiling, ceiling_file, args.rate),
            (f"yiye mix at {args.rate} req/s", base, mix_file, args.rate),
        ]:
            figures[name] = wrk(url, file, rate, args.seconds, args.connections)
            log(describe(name, figures[name]))
        mix_max = figures["yiye mix, as fast as it goes"]
        log(f"requests sent by kind (as fast as it goes): {json.dumps(mix_max['sent'], ensure_ascii=False)}")
        log(f"yiye's maximum is {100 * mix_max['rate'] / figures['ceiling, as fast as it goes']['rate']:.0f}% of the ceiling's")
        failures = [n for n, f in figures.items() if f["errors"]]

        if args.soak:
            samples = []
            for minute in range(1, args.soak + 1):
                f = wrk(base, mix_file, args.rate, 60, args.connections)
                samples.append(rss_mib(yiye.pid))
                log(f"soak minute {minute}: {describe('', f).strip()}  yiye RSS {samples[-1]:.1f} MiB")
                if f["errors"]:
                    failures.append(f"soak minute {minute}")
            reference = samples[1] if len(samples) > 1 else samples[0]
            growth = samples[-1] - reference
            flat = growth <= max(16.0, 0.10 * reference)
            log(f"soak: memory {reference:.1f} MiB after minute {min(2, len(samples))}, {samples[-1]:.1f} MiB at the end "
                f"({'flat' if flat else 'growing'})")
            if not flat:
                failures.append("memory grew")

        streams.close()
        time.sleep(0.5)
        log(f"notification streams: {len(streams.connections)} open throughout, {streams.events} events pushed, "
            f"{streams.broken} broken")
        if streams.broken or streams.events == 0:
            failures.append("notification streams")
        if yiye.poll() is not None:
            failures.append("yiye exited")
        if failures:
            log("load: FAILED (" + ", ".join(failures) + ")")
            with open(os.path.join(work, "yiye.log")) as server_log:
                log(server_log.read()[-3000:])
            return 1
        log("load: every answer 2xx, no socket error or timeout")
        return 0
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    sys.exit(main())
