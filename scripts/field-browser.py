#!/usr/bin/env python3
"""Results in the field, in real browsers: fire's admin on a 390x844 phone opens an executed fuel-retail draw (the ceremony's)
from 我的待办, picks an object not entered yet, marks each of fire's items, takes a photo (a file given to the camera
input), has the business sign on the screen, and loses the connection: the draft is kept in the browser, survives a
reload, and goes by itself when the connection is back. Fire's reviewer approves from the list on a laptop, fire's
admin publishes, and the result shows on the public query page. Screenshots of the steps are saved.

Usage: field-browser.py BASE_URL CHROMIUM OUT_DIR [DRAW]   (the server runs `serve --demo` at BASE_URL; DRAW, an executed
draw whose task's window holds today, by default the demo's draw 1)
"""
import json, os, struct, sys, tempfile, zlib

from devtools import API, Browser, Checks

BASE, BROWSER, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
DRAW = int(sys.argv[4]) if len(sys.argv) > 4 else 1
PASSWORD = "Yiye@2026demo"
api = API(BASE, PASSWORD)
REMARKS = "浏览器现场检查：消防设施完好"
check = Checks("field: ")


def photo(path):
    """A 64x48 PNG, red to blue: something the browser decodes as a camera picture."""
    rows = b"".join(b"\x00" + b"".join(bytes([255 - 4 * x, 40, 4 * x]) for x in range(64)) for _ in range(48))
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    with open(path, "wb") as file:
        file.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 48, 8, 2, 0, 0, 0))
                   + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def sign(page):
    """Draws a zigzag across the signature pad with the mouse (the page listens to pointer events)."""
    page.evaluate("document.getElementById('signature-pad').scrollIntoView({block: 'center'}); true")
    box = json.loads(page.evaluate("JSON.stringify(document.getElementById('signature-pad').getBoundingClientRect())"))
    points = [(box["x"] + box["width"] * (0.1 + 0.08 * i), box["y"] + box["height"] * (0.5 + (0.3 if i % 2 else -0.3))) for i in range(10)]
    page.call("Input.dispatchMouseEvent", type="mousePressed", x=points[0][0], y=points[0][1], button="left", clickCount=1)
    for x, y in points[1:]:
        page.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y, button="left", buttons=1)
    page.call("Input.dispatchMouseEvent", type="mouseReleased", x=points[-1][0], y=points[-1][1], button="left", clickCount=1)


def shot(page, name):
    path = os.path.join(OUT, f"field-{name}.png")
    check(f"screenshot {path}", page.screenshot(path) > 5_000)


with Browser(BROWSER, 19240, width=390, height=844, mobile=True) as phone, Browser(BROWSER, 19241) as laptop:
    phone.sign_in(BASE, "fire.dept_admin", PASSWORD, "/work")
    phone.evaluate(f"document.querySelector('#agenda a[href=\"/draws/{DRAW}/results\"]').click(); true")
    phone.wait_for(f"location.pathname === '/draws/{DRAW}/results' && document.readyState === 'complete'")
    code = phone.evaluate("document.querySelector('#objects a.button[href$=\"/field\"]').closest('tr').dataset.object")
    shot(phone, "1-objects")
    field = f"/draws/{DRAW}/objects/{code}/field"
    phone.evaluate(f"document.querySelector('a[href=\"{field}\"]').click(); true")
    phone.wait_for(f"location.pathname === '{field}' && document.readyState === 'complete'")
    items = json.loads(phone.evaluate("JSON.stringify([...document.querySelectorAll('fieldset.item')].map(f => f.dataset.item))"))
    check("fire's items of the joint sheet are on the phone", len(items) > 0, items)
    check("the field form is no wider than the phone", phone.evaluate("document.documentElement.scrollWidth") <= 390,
          phone.evaluate("document.documentElement.scrollWidth"))
    # Each item: the first outcome (正常 or 合格).
    phone.evaluate("document.querySelectorAll('fieldset.item').forEach(f => f.querySelector('input[type=radio]').click()); true")
    phone.evaluate(f"document.getElementById('remarks').value = {json.dumps(REMARKS)}; "
                   "document.getElementById('remarks').dispatchEvent(new Event('input', {bubbles: true})); true")

    # A photo from the camera for the first item: scaled, uploaded, named in the item.
    path = os.path.join(tempfile.mkdtemp(), "photo.png")
    photo(path)
    root = phone.call("DOM.getDocument")["root"]["nodeId"]
    node = phone.call("DOM.querySelector", nodeId=root, selector=f"input[data-photo=\"{items[0]}\"]")["nodeId"]
    phone.call("DOM.setFileInputFiles", files=[path], nodeId=node)
    phone.wait_for(f"!!document.querySelector('input[name=\"evidence-{items[0]}\"]')")
    reference = phone.evaluate(f"document.querySelector('input[name=\"evidence-{items[0]}\"]').value")
    check("the photo is the object's evidence, named by its SM3", reference.startswith("sm3:") and len(reference) == 68, reference)

    # The business signs on the screen.
    phone.evaluate("document.getElementById('signedBy').value = '王经理'; "
                   "document.getElementById('signedBy').dispatchEvent(new Event('input', {bubbles: true})); true")
    sign(phone)
    ink = phone.evaluate("(() => { const c = document.getElementById('signature-pad'); const d = c.getContext('2d')"
                         ".getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) n += d[i] > 0; return n; })()")
    check("the signature is drawn on the pad", ink > 200, ink)
    shot(phone, "2-signed")

    # The draft survives a reload.
    phone.open(BASE + field)
    check("a reload gives back the draft kept in the browser",
          phone.evaluate("document.getElementById('remarks').value") == REMARKS
          and "已恢复本机暂存的草稿" in phone.evaluate("document.getElementById('draft-note').textContent")
          and phone.evaluate(f"!!document.querySelector('input[name=\"evidence-{items[0]}\"]')"))
    # The pad is blank after the reload: sign again.
    sign(phone)

    # Offline: the submission waits in the browser, and goes when the connection is back.
    phone.call("Network.enable")
    phone.call("Network.emulateNetworkConditions", offline=True, latency=0, downloadThroughput=-1, uploadThroughput=-1)
    phone.evaluate("document.querySelector('button[value=submit]').click(); true")
    phone.wait_for("document.getElementById('draft-note').textContent.includes('联网后将自动提交')")
    location = phone.evaluate("location.pathname")
    check("offline, the submission is kept and waits", location == field, location)
    shot(phone, "3-offline")
    phone.call("Network.emulateNetworkConditions", offline=False, latency=0, downloadThroughput=-1, uploadThroughput=-1)
    phone.wait_for(f"location.pathname === '/draws/{DRAW}/results' && document.readyState === 'complete'", 30)
    admin = api.token("fire.dept_admin")
    results = api.get(f"/draws/{DRAW}/objects/{code}/results", admin)["items"]
    mine = next((r for r in results if r["department"] == "fire"), None)
    check("back online, the result is submitted for review", mine is not None and mine["status"] == "submitted", mine)
    visit = api.get(f"/draws/{DRAW}/objects/{code}/visit", admin)
    check("the visit holds the signature drawn on the screen", visit["signedBy"] == "王经理" and visit.get("signature", "").startswith("sm3:"), visit)
    check("the draft is gone once sent", phone.evaluate(f"localStorage.getItem('yiye-field-draft:{DRAW}:{code}')") is None)
    shot(phone, "4-submitted")

    # The reviewer approves on a laptop; the admin publishes; the public sees it.
    laptop.sign_in(BASE, "fire.reviewer", PASSWORD, "/work")
    laptop.open(f"{BASE}/draws/{DRAW}/results")
    laptop.evaluate(f"document.querySelector('tr[data-object=\"{code}\"] button[value=approve]').click(); true")
    laptop.wait_for(f"!document.querySelector('tr[data-object=\"{code}\"] button[value=approve]') && document.readyState === 'complete'")
    shot(laptop, "5-reviewed")
    phone.open(f"{BASE}/draws/{DRAW}/results")
    phone.evaluate(f"document.querySelector('form[action=\"/draws/{DRAW}/objects/{code}/publication\"] button').click(); true")
    phone.wait_for(f"!document.querySelector('form[action=\"/draws/{DRAW}/objects/{code}/publication\"]') && document.readyState === 'complete'")
    laptop.open(f"{BASE}/public/results?creditCode={code}")
    check("the result shows on the public query page", REMARKS in laptop.evaluate("document.body.textContent"))
    shot(laptop, "6-public")
    check("no error in either console", not phone.errors and not laptop.errors, phone.errors + laptop.errors)

check.done()
