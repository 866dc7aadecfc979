#!/usr/bin/env python3
"""The draw ceremony in five departments' browsers: commerce starts a triggered fuel-retail task and freezes its draw
from the pages; then each of the five
contributing departments, signed in in a headless Chromium of its own, opens the draw from 我的待办, makes its secret
in the browser (crypto.getRandomValues), computes its SM3 commitment there (sm3.js, checked first against the
GB/T 32905 examples and against OpenSSL's SM3 through Python's hashlib), saves the secret file and commits; then each
reveals (fire by giving back the saved file, the others from the copy kept in their browser); commerce executes from
the draw page and each department confirms its assignments there; and the independent scripts/draw-check.py verifies
the record against the published pool, its reveals being the secrets the browsers made. The draw's id is left in
OUT_DIR/ceremony-draw.txt for scripts/field-browser.py. Screenshots of the steps are saved.

Usage: draw-ceremony-browser.py BASE_URL CHROMIUM OUT_DIR   (the server runs `serve --demo` at BASE_URL)
"""
import hashlib, json, os, random, subprocess, sys, tempfile

from devtools import API, Browser, Checks

BASE, BROWSER, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
PASSWORD = "Yiye@2026demo"
api = API(BASE, PASSWORD)
DEPARTMENTS = ["commerce", "eco", "emergency", "fire", "samr"]
check = Checks("ceremony: ")




def sm3(text):
    return hashlib.new("sm3", text.encode()).hexdigest()


commerce = api.token("commerce.dept_head")
browsers = {}
try:
    for index, department in enumerate(DEPARTMENTS):
        phone = department == "fire"
        browsers[department] = Browser(BROWSER, 19230 + index, width=390 if phone else 1280, height=844 if phone else 1600, mobile=phone)
    pages = {department: browser.page for department, browser in browsers.items()}

    # Commerce starts a triggered task from its form (the window from today, so that the team visits today) and
    # freezes its draw.
    page = pages["commerce"]
    page.sign_in(BASE, "commerce.dept_admin", PASSWORD, "/work")
    page.open(BASE + "/tasks")
    page.click_to_new_page('a[href="/tasks/new"]', "location.pathname === '/tasks/new'")
    page.evaluate("document.getElementById('industry').value = 'fuel_retail'; true")
    page.click_to_new_page('form[action="/tasks/new"] button', "document.getElementById('name')")
    page.evaluate("document.getElementById('name').value = '浏览器抽取仪式检查'; "
                  "document.getElementById('description').value = '群众举报加油站存在安全隐患（浏览器检查）'; true")
    page.click_to_new_page('form[action="/tasks"] button[type=submit]', "/^\\/tasks\\/\\d+$/.test(location.pathname)")
    page.screenshot(os.path.join(OUT, "ceremony-0-task.png"))
    page.evaluate("document.getElementById('commitHours').value = '1'; document.getElementById('revealHours').value = '1'; true")
    page.click_to_new_page("#freeze button[type=submit]", "/^\\/draws\\/\\d+$/.test(location.pathname)")
    draw = int(page.evaluate("location.pathname").split("/")[-1])
    check("commerce started a task and froze its draw from the pages", page.evaluate("!!document.getElementById('commit')"))
    with open(os.path.join(OUT, "ceremony-draw.txt"), "w") as file:
        file.write(str(draw))
    print(f"draw {draw} frozen")

    # The page's SM3 is the standard's and OpenSSL's.
    vectors = {"abc": "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
               "abcd" * 16: "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"}
    for text, digest in vectors.items():
        check(f"sm3.js gives GB/T 32905's digest of {text[:8]}…", page.evaluate(f"YiyeSM3.hex({json.dumps(text)})") == digest)
    rng = random.Random(32905)
    samples = ["", "一业一查"] + ["".join(rng.choice("0123456789abcdef一业查") for _ in range(rng.randint(1, 200))) for _ in range(40)]
    computed = json.loads(page.evaluate(f"JSON.stringify({json.dumps(samples)}.map(YiyeSM3.hex))"))
    check(f"sm3.js agrees with OpenSSL's SM3 on {len(samples)} texts of 0 to 200 characters",
          computed == [sm3(s) for s in samples], [s for s, c in zip(samples, computed) if c != sm3(s)][:3])

    # Each department commits from its own browser.
    files = {}
    for department in DEPARTMENTS:
        page = pages[department]
        if department == "commerce":
            page.open(BASE + "/work")
        else:
            page.sign_in(BASE, f"{department}.dept_admin", PASSWORD, "/work")
        check(f"{department}: 我的待办 links the draw's commitment",
              page.evaluate(f"!!document.querySelector('#agenda a[href=\"/draws/{draw}\"]')"))
        page.open(f"{BASE}/draws/{draw}")
        page.evaluate("document.getElementById('make-secret').click(); true")
        page.wait_for("!document.getElementById('secret-made').hidden")
        # What the file holds is what the page keeps in the browser's storage (the page's policy lets no script read
        # the file's blob: address back).
        saved = json.loads(page.evaluate(f"localStorage.getItem('yiye-draw-secret:{draw}:{department}')"))
        check(f"{department}: the secret file is offered under a Chinese name",
              page.evaluate("document.getElementById('secret-file').download") == f"抽取{draw}-{department}-随机数.json")
        shown = page.evaluate("document.getElementById('commitment-shown').textContent")
        check(f"{department}: a 64-hex secret made in the browser, its SM3 the commitment shown",
              len(saved["secret"]) == 64 and sm3(saved["secret"]) == shown == saved["commitment"], saved)
        check(f"{department}: the commitment cannot be sent before the secret file is saved",
              page.evaluate("document.getElementById('commit-submit').disabled"))
        files[department] = saved
        if department == "fire":
            page.screenshot(os.path.join(OUT, "ceremony-1-fire-secret.png"))
        page.evaluate("document.getElementById('secret-file').click(); document.getElementById('commit-submit').click(); true")
        page.wait_for("!document.getElementById('commit') && document.readyState === 'complete'")
    status = api.call("GET", f"/draws/{draw}", commerce)
    check("every department committed; the reveal is open", status["phase"] == "revealing"
          and all(p["committed"] and not p["revealed"] for p in status["parties"]), status["parties"])

    # Each reveals: fire gives back its saved file, the others find the copy their browser kept.
    for department in DEPARTMENTS:
        page = pages[department]
        page.open(f"{BASE}/draws/{draw}")
        if department == "fire":
            page.evaluate("localStorage.clear(); true")
            page.open(f"{BASE}/draws/{draw}")
            check("fire: nothing filled in before the file is given", page.evaluate("document.getElementById('secret').value") == "")
            path = os.path.join(tempfile.mkdtemp(), "secret.json")
            with open(path, "w", encoding="utf-8") as file:
                json.dump(files[department], file, ensure_ascii=False)
            root = page.call("DOM.getDocument")["root"]["nodeId"]
            node = page.call("DOM.querySelector", nodeId=root, selector="#secret-file-input")["nodeId"]
            page.call("DOM.setFileInputFiles", files=[path], nodeId=node)
        page.wait_for(f"document.getElementById('secret').value === {json.dumps(files[department]['secret'])}")
        check(f"{department}: the secret, checked against its commitment in the browser",
              "一致" in page.evaluate("document.getElementById('secret-check').textContent"))
        if department == "fire":
            page.screenshot(os.path.join(OUT, "ceremony-2-fire-reveal.png"))
        page.evaluate("document.querySelector('#reveal button[type=submit]').click(); true")
        page.wait_for("!document.getElementById('reveal') && document.readyState === 'complete'")

    # Commerce executes from the draw page; each department confirms its assignments there.
    pages["commerce"].open(f"{BASE}/draws/{draw}")
    pages["commerce"].click_to_new_page(f'form[action="/draws/{draw}/execute"] button', "!!document.getElementById('sheets')")
    executed = api.call("GET", f"/draws/{draw}", commerce)
    for department in DEPARTMENTS:
        page = pages[department]
        page.open(f"{BASE}/draws/{draw}")
        if page.evaluate("!!document.querySelector('#confirm button')"):
            page.click_to_new_page("#confirm button", "!document.getElementById('confirm')")
    pages["fire"].screenshot(os.path.join(OUT, "ceremony-4-confirmed.png"))
    confirmations = api.call("GET", f"/draws/{draw}", commerce).get("confirmations", [])
    check("every department sending inspectors confirmed its assignments on the page",
          confirmations and all(c.get("confirmedAt") for c in confirmations), confirmations)
    record = executed["record"]
    check("the record's reveals are the secrets the browsers made",
          {r["department"]: r["secret"] for r in record["reveals"]} == {d: f["secret"] for d, f in files.items()}, record["reveals"])
    page = pages["fire"]
    page.open(f"{BASE}/draws/{draw}")
    check("fire's page shows the executed draw's seed", record["seed"] in page.evaluate("document.body.textContent"))
    page.screenshot(os.path.join(OUT, "ceremony-3-executed.png"))
    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(work, "record.json"), "w", encoding="utf-8") as file:
            json.dump(record, file, ensure_ascii=False)
        with open(os.path.join(work, "pool.txt"), "wb") as file:
            file.write(api.call("GET", f"/draws/{draw}/pool.txt", raw=True))
        verified = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "draw-check.py"), "verify",
                                   os.path.join(work, "record.json"), os.path.join(work, "pool.txt")], capture_output=True, text=True)
        check("the independent scripts/draw-check.py verifies the draw made in the browsers", verified.returncode == 0,
              verified.stdout + verified.stderr)
    for department, page in pages.items():
        check(f"{department}: no error in the console", not page.errors, page.errors)
finally:
    for browser in browsers.values():
        browser.close()

check.done()
