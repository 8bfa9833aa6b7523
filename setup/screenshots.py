"""Screenshots taken from the real web client, as the demo users see it.

Two sets:

- ``python setup/screenshots.py docs/screenshots``: each role's main screen, for
  the README;
- ``python setup/screenshots.py --addons [addon ...]``: one or two screens per addon with a UI,
  written to ``addons/<addon>/static/description/`` and listed (with captions) in
  ``addons/<addon>/readme/SCREENSHOTS.txt``, which ``setup/gen_readme.py`` puts on
  the addon's Apps page.

Start Odoo on a database with every o2c addon and its demo data (O2C_SHOT_URL,
default http://127.0.0.1:8175; database O2C_SHOT_DB, default ``o2c_cmp``). Each demo
user logs in (login = password); Chromium (headless, DevTools protocol) opens the
screen. Records in the addresses are named by XML id (``{module.xmlid}``, or
``{module.xmlid:field}`` for the record a many2one of it points to), resolved over
JSON-RPC as the admin, so the shots do not depend on the ids of one database.
"""

import base64
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import requests
import websocket
from PIL import Image

BASE = os.environ.get("O2C_SHOT_URL", "http://127.0.0.1:8175").rstrip("/")
DB = os.environ.get("O2C_SHOT_DB", "o2c_cmp")
ADMIN = os.environ.get("O2C_SHOT_ADMIN", "admin")  # login = password, as in the demo
CDP_PORT = int(os.environ.get("O2C_SHOT_CDP_PORT", "9333"))  # Chromium's DevTools
ROOT = Path(__file__).resolve().parents[1]
WIDTH, HEIGHT = 1280, 800
MAX_BYTES = 250_000

# the web client has drawn its action and is not loading anymore
WEBCLIENT_READY = (
    "!!document.querySelector('.o_action_manager .o_view_controller, .o_o2c_dashboard .o_o2c_tile')"
    " && !document.querySelector('.o_loading_indicator, .o_blockUI')"
)
STALE_PAGE = "The page is out of date"
REPORT_READY = "document.readyState === 'complete' && !!document.querySelector('.page, .article')"


class Shot(NamedTuple):
    login: str
    path: str  # address, with {module.xmlid} or {module.xmlid:field} placeholders
    file: str  # README: file name; addons: <addon>/<file name>
    caption: str = ""
    ready: str = WEBCLIENT_READY
    script: str = ""  # run before the capture


SALE_ORDER = "/odoo/action-sale.action_quotations_with_onboarding/"
EXCEPTION = "/odoo/action-o2c_exception_base.o2c_exception_action/"
TICKET = "/odoo/action-helpdesk_mgmt.helpdesk_ticket_action/"
PICKING = "/odoo/action-stock.action_picking_tree_all/"

ROLE_SHOTS = [
    Shot(
        "field",
        SALE_ORDER + "{o2c_pricing_approval.o2c_pricing_demo_order_held}",
        "salesperson-held-quotation.png",
    ),
    Shot(
        "approver", "/odoo/action-o2c_exception_base.o2c_exception_action", "approver-my-queue.png"
    ),
    Shot(
        "warehouse",
        PICKING + "{o2c_invoice_release.o2c_delivery_proof_demo_pending:picking_id}",
        "warehouse-delivery-proof.png",
    ),
    Shot("finance", "/odoo/o2c-dashboard", "finance-dashboard.png"),
    Shot(
        "service", TICKET + "{o2c_dispute_helpdesk.demo_dispute_to_approve}", "service-dispute.png"
    ),
    Shot("o2cmanager", "/odoo/o2c-dashboard", "manager-dashboard.png"),
]

ADDON_SHOTS = [
    Shot(
        "o2cmanager",
        "/odoo/o2c-dashboard",
        "o2c_exception_base/screenshot_dashboard.png",
        "The control tower: open exceptions by stage and owner, ageing, cycle figures",
    ),
    Shot(
        "approver",
        "/odoo/action-o2c_exception_base.o2c_exception_action",
        "o2c_exception_base/screenshot_queue.png",
        "The approver's queue: every held document, why, since when, who decides",
    ),
    Shot(
        ADMIN,
        "/odoo/action-o2c_exception_base.res_config_settings_action",
        "o2c_exception_base/screenshot_settings.png",
        "Settings, Order to Cash: the feature addons to install and the queue's settings",
    ),
    Shot(
        "field",
        SALE_ORDER + "{o2c_pricing_approval.o2c_pricing_demo_order_held}",
        "o2c_pricing_approval/screenshot_held_quotation.png",
        "A quotation held for its discount: the salesperson sees why and who approves",
    ),
    Shot(
        "approver",
        EXCEPTION + "{o2c_pricing_approval.o2c_exception_demo_discount}",
        "o2c_pricing_approval/screenshot_discount_exception.png",
        "The discount exception the approver decides",
    ),
    Shot(
        "o2cmanager",
        SALE_ORDER + "{o2c_credit_control.sale_order_o2c_credit_over}",
        "o2c_credit_control/screenshot_credit_hold.png",
        "An order over the customer's credit limit, held until the credit manager releases it",
    ),
    Shot(
        "credit",
        "/odoo/action-o2c_credit_control.o2c_exception_action_credit_holds",
        "o2c_credit_control/screenshot_credit_holds.png",
        "The credit manager's holds",
    ),
    Shot(
        "warehouse",
        PICKING + "{o2c_invoice_release.o2c_delivery_proof_demo_pending:picking_id}",
        "o2c_invoice_release/screenshot_delivery_proof.png",
        "A delivery and its proof of delivery, waiting for validation before invoicing",
    ),
    Shot(
        "finance",
        "/odoo/action-o2c_invoice_release.stock_picking_action_waiting_pod",
        "o2c_invoice_release/screenshot_waiting_pod.png",
        "Deliveries waiting for their proof of delivery",
    ),
    Shot(
        "o2cmanager",
        "/odoo/action-o2c_fulfillment.o2c_exception_action_backorder_aging",
        "o2c_fulfillment/screenshot_backorders.png",
        "Open backorders: the missing quantity and its value, oldest first",
    ),
    Shot(
        "o2cmanager",
        EXCEPTION + "{o2c_fulfillment.o2c_exception_demo_wh_open}",
        "o2c_fulfillment/screenshot_substitution.png",
        "A substitute product proposed at picking, waiting for an approver",
    ),
    Shot(
        "service",
        TICKET + "{o2c_dispute_helpdesk.demo_dispute_to_approve}",
        "o2c_dispute_helpdesk/screenshot_dispute.png",
        "A dispute ticket linked to its order, delivery and invoice, with the disputed lines",
    ),
    Shot(
        "o2cmanager",
        "/odoo/action-o2c_freight_control.o2c_freight_policy_action/"
        "{o2c_freight_control.o2c_freight_demo_policy_main}",
        "o2c_freight_control/screenshot_freight_policy.png",
        "A freight policy: expedited carriers, maximum cost and share that need an approval",
    ),
    Shot(
        "sales",
        "/odoo/action-o2c_order_intake.o2c_order_import_action/new",
        "o2c_order_intake/screenshot_order_import.png",
        "An order file to import: every line checked, then orders confirmed or held",
    ),
    Shot(
        "o2cmanager",
        "/report/html/o2c_evidence.report_evidence_pack/"
        "{o2c_pricing_approval.o2c_pricing_demo_order_approved}",
        "o2c_evidence/screenshot_evidence_pack.png",
        "The evidence pack of an order: confirmation, exceptions, approvals, proofs of delivery",
        REPORT_READY,
        "document.body.style.zoom = 0.75",  # more of the pack on one screen
    ),
]


class Browser:
    """Headless Chromium driven over the DevTools protocol."""

    def __init__(self):
        self.process = subprocess.Popen(
            [
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--remote-debugging-port={CDP_PORT}",
                "--remote-allow-origins=*",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--user-data-dir=/tmp/o2c-shots-{CDP_PORT}/profile",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        targets = []
        for _ in range(50):
            try:
                targets = requests.get(f"http://127.0.0.1:{CDP_PORT}/json", timeout=1).json()
                break
            except requests.RequestException:
                time.sleep(0.2)
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.ids = iter(range(1, 10**6))
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.cdp("Network.enable")

    def cdp(self, method, **params):
        i = next(self.ids)
        self.ws.send(json.dumps({"id": i, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == i:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def evaluate(self, expression):
        result = self.cdp("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def screenshot(self, session_id, url, ready, script=""):
        self.cdp("Network.clearBrowserCookies")
        self.cdp(
            "Network.setCookie", name="session_id", value=session_id, domain="127.0.0.1", path="/"
        )
        self.cdp("Page.navigate", url=url)
        self.wait(url, ready)
        # headless Chromium's bus worker is told it is outdated on every load, and the
        # web client shows a sticky "page is out of date" warning: close it, as a user would
        self.evaluate(
            "for (const n of document.querySelectorAll('.o_notification')) {"
            f" if (n.innerText.includes({STALE_PAGE!r}))"
            " n.querySelector('.o_notification_close').click(); }"
        )
        if script:
            self.evaluate(script)
        time.sleep(0.5)
        error = self.evaluate(
            "(document.querySelector('.o_error_dialog, .o_notification.border-danger')"
            " || {}).innerText || ''"
        )
        if error:
            raise RuntimeError(f"{url}: {error[:300]}")
        return base64.b64decode(self.cdp("Page.captureScreenshot", format="png")["data"])

    def wait(self, url, ready):
        for _ in range(60):
            time.sleep(0.5)
            if self.evaluate(ready):
                break
        else:
            raise RuntimeError(f"{url} never got ready")
        time.sleep(2.5)  # charts and lazy widgets draw after the view

    def close(self):
        self.process.terminate()
        self.process.wait(10)


def login(name):
    session = requests.Session()
    r = session.post(
        f"{BASE}/web/session/authenticate",
        json={"params": {"db": DB, "login": name, "password": name}},
        timeout=60,
    )
    assert r.json().get("result"), (name, r.text[:300])
    return session


def call_kw(session, model, method, *args, **kwargs):
    r = session.post(
        f"{BASE}/web/dataset/call_kw",
        json={"params": {"model": model, "method": method, "args": args, "kwargs": kwargs}},
        timeout=60,
    )
    body = r.json()
    if "error" in body:
        raise RuntimeError(f"{model}.{method}: {body['error']['data']['message']}")
    return body["result"]


def resolve(admin, path):
    """``path`` with each ``{module.xmlid}`` / ``{module.xmlid:field}`` replaced by an id."""

    def record_id(match):
        xmlid, __, field = match.group(1).partition(":")
        module, name = xmlid.split(".", 1)
        found = call_kw(
            admin,
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["model", "res_id"],
        )
        if not found:
            raise RuntimeError(f"no record {xmlid} (a database with the o2c demo data?)")
        if not field:
            return str(found[0]["res_id"])
        value = call_kw(admin, found[0]["model"], "read", [found[0]["res_id"]], [field])[0][field]
        return str(value[0])

    return re.sub(r"\{([^}]+)\}", record_id, path)


def small_png(data):
    """The PNG optimised; a palette of 256 colours when it is still above MAX_BYTES."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    if out.tell() > MAX_BYTES:
        out = io.BytesIO()
        image.quantize(256).save(out, "PNG", optimize=True)
    return out.getvalue()


def write_captions(shots):
    """readme/SCREENSHOTS.txt of each addon: its shots and their captions, in order."""
    by_addon = {}
    for shot in shots:
        addon, name = shot.file.split("/")
        by_addon.setdefault(addon, []).append(f"{name} | {shot.caption}")
    for addon, lines in by_addon.items():
        target = ROOT / "addons" / addon / "readme" / "SCREENSHOTS.txt"
        target.write_text(
            "# taken by setup/screenshots.py --addons from the demo database\n"
            + "\n".join(lines)
            + "\n"
        )


def main(argv):
    if argv[:1] == ["--addons"]:
        # --addons a b: only the shots of addons a and b (captions are written for all)
        shots = [s for s in ADDON_SHOTS if not argv[1:] or s.file.split("/")[0] in argv[1:]]
        targets = [ROOT / "addons" / s.file.split("/")[0] / "static" / "description" for s in shots]
    elif len(argv) == 1:
        shots = ROLE_SHOTS
        targets = [Path(argv[0])] * len(shots)
    else:
        sys.exit(__doc__)
    admin = login(ADMIN)
    sessions = {}
    browser = Browser()
    try:
        for shot, target in zip(shots, targets, strict=True):
            if shot.login not in sessions:
                sessions[shot.login] = login(shot.login).cookies["session_id"]
            url = BASE + resolve(admin, shot.path)
            data = small_png(browser.screenshot(sessions[shot.login], url, shot.ready, shot.script))
            path = target / Path(shot.file).name
            path.write_bytes(data)
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            print(f"{shown}: {len(data)} bytes")
    finally:
        browser.close()
    if argv[:1] == ["--addons"]:
        write_captions(ADDON_SHOTS)


if __name__ == "__main__":
    main(sys.argv[1:])
