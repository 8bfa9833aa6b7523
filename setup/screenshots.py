"""Screenshots of each role's main screen, taken from the real web client.

Usage: start Odoo on a database with every o2c addon and its demo data at
127.0.0.1:8175 (database ``o2c_cmp``, or set O2C_SHOT_DB), then
``python setup/screenshots.py docs/screenshots``. Each demo user logs in (login =
password), Chromium (headless, DevTools protocol) opens that user's screen.
Record ids in the URLs are those of a fresh demo database.
"""

import base64
import json
import os
import subprocess
import sys
import time

import requests
import websocket

BASE = "http://127.0.0.1:8175"
DB = os.environ.get("O2C_SHOT_DB", "o2c_cmp")
OUT = sys.argv[1]
SHOTS = [
    (
        "sales",
        "sales",
        "/odoo/action-sale.action_quotations_with_onboarding/51",
        "salesperson-held-quotation",
    ),
    (
        "approver",
        "approver",
        "/odoo/action-o2c_exception_base.o2c_exception_action",
        "approver-my-queue",
    ),
    (
        "warehouse",
        "warehouse",
        "/odoo/action-stock.action_picking_tree_all/34",
        "warehouse-delivery-proof",
    ),
    ("finance", "finance", "/odoo/o2c-dashboard", "finance-dashboard"),
    (
        "service",
        "service",
        "/odoo/action-helpdesk_mgmt.helpdesk_ticket_action/10",
        "service-dispute",
    ),
    ("o2cmanager", "o2cmanager", "/odoo/o2c-dashboard", "manager-dashboard"),
]

chrome = subprocess.Popen(
    [
        "chromium",
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--remote-debugging-port=9333",
        "--remote-allow-origins=*",
        "--window-size=1440,900",
        "--user-data-dir=/tmp/shots/profile",
        "about:blank",
    ],
    stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL,
)
try:
    for _ in range(50):
        try:
            targets = requests.get("http://127.0.0.1:9333/json", timeout=1).json()
            break
        except Exception:
            time.sleep(0.2)
    page = next(t for t in targets if t["type"] == "page")
    ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
    ids = iter(range(1, 10**6))

    def cdp(method, **params):
        i = next(ids)
        ws.send(json.dumps({"id": i, "method": method, "params": params}))
        while True:
            msg = json.loads(ws.recv())
            if msg.get("id") == i:
                return msg.get("result", {})

    def ready():
        expr = (
            "!!document.querySelector("
            "'.o_action_manager .o_view_controller, .o_o2c_dashboard .o_o2c_tile')"
            " && !document.querySelector('.o_loading_indicator, .o_blockUI')"
        )
        return cdp("Runtime.evaluate", expression=expr, returnByValue=True)["result"].get("value")

    cdp(
        "Emulation.setDeviceMetricsOverride",
        width=1440,
        height=900,
        deviceScaleFactor=1,
        mobile=False,
    )
    for login, password, url, name in SHOTS:
        session = requests.Session()
        r = session.post(
            f"{BASE}/web/session/authenticate",
            json={"params": {"db": DB, "login": login, "password": password}},
        )
        assert r.json().get("result"), (login, r.text[:300])
        cdp("Network.enable")
        cdp("Network.clearBrowserCookies")
        cdp(
            "Network.setCookie",
            name="session_id",
            value=session.cookies["session_id"],
            domain="127.0.0.1",
            path="/",
        )
        cdp("Page.navigate", url=BASE + url)
        for _ in range(60):
            time.sleep(0.5)
            if ready():
                break
        time.sleep(2.5)
        data = cdp("Page.captureScreenshot", format="png")["data"]
        with open(f"{OUT}/{name}.png", "wb") as f:
            f.write(base64.b64decode(data))
        print("saved", name)
finally:
    chrome.terminate()
