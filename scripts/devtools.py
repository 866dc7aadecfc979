"""A headless Chromium driven over the DevTools protocol with a small WebSocket client of the standard library, so
nothing is installed for it: the browser scripts' shared part."""
import base64, json, os, socket, struct, subprocess, sys, tempfile, time, urllib.parse, urllib.request


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

    def click_to_new_page(self, selector, until="true"):
        """Clicks `selector` and waits until the page it leads to (a new document) is loaded and `until` holds."""
        self.evaluate(f"window.yiyeLeaving = true; document.querySelector({json.dumps(selector)}).click(); true")
        self.wait_for(f"!window.yiyeLeaving && document.readyState === 'complete' && !!({until})")

    def sign_in(self, base, username, password, landing):
        """Signs in through the page, asking to land on `landing` (a path), and waits until it is shown."""
        self.open(base + "/signin?next=" + urllib.parse.quote(landing, safe=""))
        self.evaluate(f"""document.getElementById('username').value = {json.dumps(username)};
            document.getElementById('password').value = {json.dumps(password)};
            document.querySelector('form[action="/signin"] button').click(); true""")
        self.wait_for(f"location.pathname === {json.dumps(landing)} && document.readyState === 'complete'")

    def screenshot(self, path):
        """Saves the whole page as a PNG; returns its size in bytes."""
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(base64.b64decode(shot["data"]))
        return os.path.getsize(path)


class Browser:
    """A Chromium of its own (own profile, so own cookies), its first tab as a Page; a context manager."""

    def __init__(self, chromium, port, width=1400, height=2000, mobile=False):
        self.profile = tempfile.mkdtemp(prefix="yiye-chromium-")
        self.process = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--remote-debugging-port={port}",
                                         f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(150):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
                tab = next(t for t in targets if t["type"] == "page")
                break
            except Exception:
                time.sleep(0.2)
        else:
            self.close()
            raise SystemExit("chromium did not start")
        self.page = Page(tab["webSocketDebuggerUrl"])
        if mobile:
            self.page.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=2, mobile=True)

    def close(self):
        self.process.terminate()
        self.process.wait()

    def __enter__(self):
        return self.page

    def __exit__(self, *exc):
        self.close()


class Checks:
    """Prints each check as ok or FAIL, prefixed with the script's subject; `done()` exits 1 if any failed."""

    def __init__(self, subject):
        self.subject, self.failed = subject, []

    def __call__(self, what, ok, detail=""):
        print(("ok   " if ok else "FAIL ") + self.subject + what + ("" if ok else f": {detail}"))
        if not ok:
            self.failed.append(what)

    def done(self):
        sys.exit(1 if self.failed else 0)


class API:
    """The server's JSON API at BASE/api/v1, signed in as demo users by name."""

    def __init__(self, base, password):
        self.base, self.password = base, password

    def call(self, method, path, token=None, body=None, raw=False):
        request = urllib.request.Request(self.base + "/api/v1" + path, method=method,
                                         data=None if body is None else json.dumps(body).encode())
        request.add_header("content-type", "application/json")
        if token:
            request.add_header("Authorization", "Bearer " + token)
        with urllib.request.urlopen(request) as response:
            return response.read() if raw else json.load(response)

    def get(self, path, token):
        return self.call("GET", path, token)

    def token(self, username):
        return self.call("POST", "/sessions", body={"username": username, "password": self.password})["token"]
