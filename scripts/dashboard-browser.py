#!/usr/bin/env python3
"""The dashboard in a real browser: headless Chromium, driven over the DevTools protocol (a small WebSocket client of
the standard library, so nothing is installed for it), signs in through the page as the office, checks that the
figures the page shows equal the API's, that the console has no error, saves a screenshot, signs out through the
page, signs in as a department user and checks that only its own department's row shows.

Usage: dashboard-browser.py BASE_URL CHROMIUM OUT_DIR   (the server runs `serve --demo` at BASE_URL)
"""
import json, os, sys, time

from devtools import API, Browser, Checks

BASE, BROWSER, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
PASSWORD = "Yiye@2026demo"
api = API(BASE, PASSWORD)
check = Checks("")


def percent(rate):
    return "—" if rate is None else f"{rate * 100:.1f}%"


with Browser(BROWSER, 19222) as page:
    page.sign_in(BASE, "office.office_viewer", PASSWORD, "/dashboard")
    time.sleep(2)  # the live script connects to the notification stream
    shown = page.evaluate("""JSON.stringify({
        kpis: Object.fromEntries([...document.querySelectorAll('[data-kpi]')].map(k => [k.dataset.kpi, k.querySelector('.value').textContent])),
        departments: [...document.querySelectorAll('#departments tbody th')].map(th => th.textContent),
        risk: [...document.querySelectorAll('#risk tbody tr')].map(tr => [...tr.children].map(c => c.textContent)),
        overdue: document.querySelector('[data-live="overdue"]').textContent,
        charts: document.querySelectorAll('svg.chart').length})""")
    shown = json.loads(shown)
    board = api.get("/dashboard", api.token("office.office_viewer"))
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
    check(f"office: screenshot {OUT}/dashboard.png", page.screenshot(os.path.join(OUT, "dashboard.png")) > 10_000)
    check("office: no error in the console", not page.errors, page.errors)

    page.evaluate("document.querySelector('form[action=\"/signout\"] button').click(); true")
    page.wait_for("location.pathname === '/signin' && document.readyState === 'complete'")
    check("sign-out leads back to the sign-in page", True)
    page.sign_in(BASE, "fire.dept_admin", PASSWORD, "/dashboard")
    rows = json.loads(page.evaluate("JSON.stringify([...document.querySelectorAll('#departments tbody th')].map(th => th.textContent))"))
    check("fire: only its own department's row", rows == ["消防救援大队"], rows)
    fire = api.get("/dashboard", api.token("fire.dept_admin"))
    overdue = page.evaluate("document.querySelector('[data-live=\"overdue\"]').textContent")
    check("fire: the overdue count is its own, as the API's", overdue == str(fire["overdueTotal"]), overdue)
    check("fire: no error in the console", not page.errors, page.errors)

check.done()
