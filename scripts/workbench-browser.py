#!/usr/bin/env python3
"""The departments' workbench in real browsers: the originator (commerce, on a laptop) and a participant (fire, on a
390x844 phone) each in a headless Chromium of their own. Fire waits on 我的待办; commerce raises a call from the form;
fire's count goes up live (the notification stream), fire asks, commerce answers, fire accepts, all through the pages
alone; the conversation reads in order and the API agrees. A screenshot of each step is saved.

Usage: workbench-browser.py BASE_URL CHROMIUM OUT_DIR   (the server runs `serve --demo` at BASE_URL)
"""
import json, os, sys, time

from devtools import API, Browser, Checks

BASE, BROWSER, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
PASSWORD = "Yiye@2026demo"
TITLE = "浏览器检查：请确认12月联合检查派员"
check = Checks("workbench: ")


def shot(page, name):
    path = os.path.join(OUT, f"workbench-{name}.png")
    check(f"screenshot {path}", page.screenshot(path) > 5_000)


def text(page, selector):
    return page.evaluate(f"(document.querySelector({json.dumps(selector)}) || {{}}).textContent || ''")


def fill(page, selector, value):
    page.evaluate(f"document.querySelector({json.dumps(selector)}).value = {json.dumps(value)}; true")


def count(page, kind):
    value = text(page, f'[data-count="{kind}"] strong')
    return int(value) if value else 0


with Browser(BROWSER, 19224, width=390, height=844, mobile=True) as fire, Browser(BROWSER, 19223) as commerce:
    fire.sign_in(BASE, "fire.dept_admin", PASSWORD, "/work")
    before = count(fire, "call_to_answer")
    check("fire's work lists what waits for it, in Chinese", "待确认的派单" in text(fire, "main") and "_" not in text(fire, "#agenda"))
    check("the phone's page is no wider than the phone", fire.evaluate("document.documentElement.scrollWidth") <= 390,
          fire.evaluate("document.documentElement.scrollWidth"))
    shot(fire, "1-fire-work")
    time.sleep(1.5)  # the live script connects to the notification stream

    commerce.sign_in(BASE, "commerce.dept_head", PASSWORD, "/work")
    commerce.open(BASE + "/calls")
    commerce.click_to_new_page('a[href="/calls/new"]', "location.pathname === '/calls/new'")
    commerce.evaluate("document.getElementById('industry').value = 'fuel_retail'; true")
    commerce.click_to_new_page('form[action="/calls/new"] button', "document.getElementById('title')")
    fill(commerce, "#stage", "inspection")
    fill(commerce, "#title", TITLE)
    fill(commerce, "#content", "12月15日起对抽中的加油站开展联合检查，请确认派员。")
    fill(commerce, "#actionRequired", "确认派员并回复")
    fill(commerce, "#deadlineWorkingDays", "2")
    commerce.evaluate("document.querySelectorAll('input[name=addressed]').forEach(b => b.checked = ['fire', 'samr'].includes(b.value)); true")
    shot(commerce, "2-commerce-raises")
    commerce.click_to_new_page('form[action="/calls"] button[type=submit]', "/^\\/calls\\/\\d+$/.test(location.pathname)")
    call_path = commerce.evaluate("location.pathname")
    check("commerce's call is raised and shown", TITLE in text(commerce, "h1"), text(commerce, "h1"))
    shot(commerce, "3-commerce-call")

    # Fire's count follows the stream, without reloading.
    try:
        fire.wait_for(f"Number((document.querySelector('[data-count=\"call_to_answer\"] strong') || {{}}).textContent || 0) === {before + 1}", 20)
        check("fire's count of calls to answer went up live", True)
    except TimeoutError as error:
        check("fire's count of calls to answer went up live", False, str(error))
    check("fire is offered to reload its list", "待办已更新" in text(fire, ".agenda-counts"))
    shot(fire, "4-fire-live")
    fire.open(BASE + "/work")
    fire.click_to_new_page(f'#agenda a[href="{call_path}"]', f"location.pathname === '{call_path}'")
    fill(fire, "#text", "需派几人？是否需要携带检测仪器？")
    fire.click_to_new_page('#respond button[value="ask"]', "document.querySelector('#history')")
    shot(fire, "5-fire-asks")

    commerce.open(BASE + call_path)
    check("commerce sees fire's question", "需派几人？" in text(commerce, "form.answer"), text(commerce, "main"))
    fill(commerce, "form.answer textarea", "每个对象一人，携带油气回收检测仪。")
    commerce.click_to_new_page("form.answer button", "document.querySelector('#history')")
    shot(commerce, "6-commerce-answers")

    fire.open(BASE + call_path)
    fill(fire, "#text", "已安排两名检查人员。")
    fire.click_to_new_page('#respond button[value="accept"]', "!document.querySelector('#respond')")
    history = json.loads(fire.evaluate("JSON.stringify([...document.querySelectorAll('#history strong')].map(s => s.textContent))"))
    check("the conversation reads in order", history == ["发起吹哨", "请求补充信息", "答复", "响应"], history)
    check("the phone's call page is no wider than the phone", fire.evaluate("document.documentElement.scrollWidth") <= 390)
    shot(fire, "7-fire-accepted")

    api = API(BASE, PASSWORD)
    call = api.get(call_path, api.token("fire.dept_admin"))
    states = {r["department"]: r["state"] for r in call["responses"]}
    check("the API has fire's acceptance and samr still unread", states == {"fire": "accepted", "samr": "unread"}, states)
    check("no error in either console", not fire.errors and not commerce.errors, fire.errors + commerce.errors)

check.done()
