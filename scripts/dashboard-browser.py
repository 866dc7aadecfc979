#!/usr/bin/env python3
"""The dashboard in a real browser: headless Chromium, driven over the DevTools protocol (a small WebSocket client of
the standard library, so nothing is installed for it), signs in through the page as the office, checks that the
figures the page shows equal the API's, that the console has no error, saves a screenshot, signs out through the
page, signs in as a department user and checks that only its own department's row shows.

Usage: dashboard-browser.py BASE_URL CHROMIUM OUT_DIR   (the server runs `serve --demo` at BASE_URL)
"""
import base64, json, os, socket, struct, subprocess, sys, tempfile, time, urllib.request

BASE, BROWSER, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
PASSWORD = "Yiye@2026demo"


class WebSocket:
    """Just enough of RFC 6455 for the DevTools protocol: text frames, masked from the client, any length."""

    def __init__(self, url):
        host, _, path = url[len("ws://"):].partition("/")
        name, _, port = host.partition(":")
        self.sock = socket.create_connection((name, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += self.sock.recv(1)
        assert b" 101 " in answer.split(b"\r\n")[0], answer

    def send(self, text):
        data = text.encode()
        header = bytes([0x81])
        if len(data) < 126:
            header += bytes([0x80 | len(data)])
        elif len(data) < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def exactly(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise EOFError("the browser closed the connection")
            data += chunk
        return data

    def receive(self):
        message = b""
        while True:
            first, second = self.exactly(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self.exactly(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self.exactly(8))[0]
            message += self.exactly(length)
            if first & 0x80:
                return message.decode()


class Page:
    """One tab: commands with their answers, and the console's errors seen meanwhile."""

    def __init__(self, url):
        self.ws, self.next_id, self.errors = WebSocket(url), 0, []
        for domain in ("Runtime", "Page", "Log"):
            self.call(domain + ".enable")

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.receive())
            self.note(message)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def note(self, message):
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append("console: " + " ".join(str(a.get("value", a.get("description"))) for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            self.errors.append("exception: " + params["exceptionDetails"].get("text", ""))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            self.errors.append("log: " + params["entry"].get("text", "") + " " + params["entry"].get("url", ""))

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, seconds=20):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.evaluate(expression):
                return
            time.sleep(0.2)
        raise TimeoutError(f"waited {seconds} s for {expression}; at {self.evaluate('location.href')}")

    def open(self, url):
        self.call("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'")

    def sign_in(self, username):
        self.open(BASE + "/signin")
        self.evaluate(f"""document.getElementById('username').value = {json.dumps(username)};
            document.getElementById('password').value = {json.dumps(PASSWORD)};
            document.querySelector('form[action="/signin"] button').click(); true""")
        self.wait_for("location.pathname === '/dashboard' && document.readyState === 'complete'")


def api(path, token):
    request = urllib.request.Request(BASE + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def token(username):
    request = urllib.request.Request(BASE + "/api/v1/sessions", method="POST", headers={"content-type": "application/json"},
                                     data=json.dumps({"username": username, "password": PASSWORD}).encode())
    with urllib.request.urlopen(request) as response:
        return json.load(response)["token"]


def percent(rate):
    return "—" if rate is None else f"{rate * 100:.1f}%"


failed = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else f": {detail}"))
    if not ok:
        failed.append(what)


profile = tempfile.mkdtemp(prefix="yiye-chromium-")
port = 19222
chromium = subprocess.Popen([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", f"--remote-debugging-port={port}",
                             f"--user-data-dir={profile}", "--window-size=1400,2000", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(100):
        try:
            targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
            tab = next(t for t in targets if t["type"] == "page")
            break
        except Exception:
            time.sleep(0.2)
    else:
        raise SystemExit("chromium did not start")
    page = Page(tab["webSocketDebuggerUrl"])

    page.sign_in("office.office_viewer")
    time.sleep(2)  # the live script connects to the notification stream
    shown = page.evaluate("""JSON.stringify({
        kpis: Object.fromEntries([...document.querySelectorAll('[data-kpi]')].map(k => [k.dataset.kpi, k.querySelector('.value').textContent])),
        departments: [...document.querySelectorAll('#departments tbody th')].map(th => th.textContent),
        risk: [...document.querySelectorAll('#risk tbody tr')].map(tr => [...tr.children].map(c => c.textContent)),
        overdue: document.querySelector('[data-live="overdue"]').textContent,
        charts: document.querySelectorAll('svg.chart').length})""")
    shown = json.loads(shown)
    board = api("/api/v1/dashboard", token("office.office_viewer"))
    total = board["total"]
    expected = {
        "completion": percent(total["plan"].get("completionRate")),
        "coverage": percent(total["coverage"].get("rate")),
        "joint": percent(total["joint"].get("jointShare")),
        "avoided": str(total["joint"]["visitsAvoided"]),
        "problems": percent(total["results"].get("problemRate")),
        "publication": percent(total["timeliness"].get("publicationRate")),
        "timely": percent(total["timeliness"].get("timelyRate")),
        "closure": percent(total["followUp"].get("closureRate")),
        "response": percent(total["coordination"].get("responseRate")),
        "warnings": str(total["risk"]["raised"]),
        "overdue": str(board["overdueTotal"]),
    }
    for key, value in expected.items():
        check(f"office: KPI {key} shows the API's {value}", shown["kpis"].get(key) == value, shown["kpis"].get(key))
    check("office: the departments table lists the API's departments",
          shown["departments"] == [d["name"] for d in board["departments"]], shown["departments"])
    risk_rows = {row[0]: row for row in shown["risk"]}
    check("office: the risk table has the total and each industry", len(shown["risk"]) == 1 + len(board["industries"]), shown["risk"])
    for industry in board["industries"]:
        row, risk = risk_rows.get(industry["name"]), industry["figures"]["risk"]
        grades = " · ".join(f"{g['name']} {g['objects']}" for g in industry["grades"]) or "未发布指标体系"
        check(f"office: {industry['name']}: warnings by state and grades as the API gives them",
              row is not None and row[1:] == [str(risk[k]) for k in ("raised", "reported", "pending", "dismissed", "onAgenda", "tasked",
                                                                       "triggeredResults", "triggeredProblems")] + [grades], row)
    check("office: the demo's warnings are in every state",
          all(total["risk"][k] > 0 for k in ("pending", "dismissed", "onAgenda", "tasked")), total["risk"])
    check("office: the overdue count is the API's", shown["overdue"] == str(board["overdueTotal"]), shown["overdue"])
    check("office: three charts drawn", shown["charts"] == 3, shown["charts"])
    check("office: the year has data to show", total["joint"]["visits"] > 0 and total["results"]["published"] > 0, total)
    shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "dashboard.png"), "wb") as file:
        file.write(base64.b64decode(shot["data"]))
    check(f"office: screenshot {OUT}/dashboard.png", os.path.getsize(os.path.join(OUT, "dashboard.png")) > 10_000)
    check("office: no error in the console", not page.errors, page.errors)

    page.evaluate("document.querySelector('form[action=\"/signout\"] button').click(); true")
    page.wait_for("location.pathname === '/signin' && document.readyState === 'complete'")
    check("sign-out leads back to the sign-in page", True)
    page.sign_in("fire.dept_admin")
    rows = json.loads(page.evaluate("JSON.stringify([...document.querySelectorAll('#departments tbody th')].map(th => th.textContent))"))
    check("fire: only its own department's row", rows == ["消防救援大队"], rows)
    fire = api("/api/v1/dashboard", token("fire.dept_admin"))
    overdue = page.evaluate("document.querySelector('[data-live=\"overdue\"]').textContent")
    check("fire: the overdue count is its own, as the API's", overdue == str(fire["overdueTotal"]), overdue)
    check("fire: no error in the console", not page.errors, page.errors)
finally:
    chromium.terminate()
    chromium.wait()

sys.exit(1 if failed else 0)
