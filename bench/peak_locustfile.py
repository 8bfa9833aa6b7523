# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Locust users of bench scenario 7 (peak hour): a distributor's people over JSON-RPC.

Run by :mod:`bench.scenarios.peak` in the locust venv (``.o2c/locust-venv``),
never by hand: ``PEAK_CONFIG`` names the JSON file the scenario wrote (database,
users, customers, products, mix) and ``PEAK_OUT`` the file this run writes its
samples to (one per user action: name, milliseconds, error kind).

Each user action may take several RPC calls (a picking validated with its
backorder wizard); it is timed and reported as one locust request named after
the action; its requests' URLs end with the action's tag (``/web/dataset/call_kw``
ignores what follows the method), so that Odoo's request log gives the server's
own time per action. Errors are classified by kind (serialization failure, deadlock,
UserError with its message...) from Odoo's JSON-RPC error data.
"""

import base64
import itertools
import json
import os
import random
import re
import time

import requests
from locust import User, between, events, task

with open(os.environ["PEAK_CONFIG"]) as _fh:
    CONFIG = json.load(_fh)
O2C = CONFIG["label"] != "vanilla"
SAMPLES = []
TOUCHED = {"confirmed": [], "edi": []}
_IDS = itertools.count(1)
DECIDED = re.compile(r"^Cannot \w+ exception .*: it is (\w+)\.$")
#: o2c's refusal to change a done delivery: another warehouse user validated it first
DELIVERED = re.compile(r"^\S+ is done: its quantities are what the customer received")


def action_tag(name):
    """The URL-safe tag of a user action: ``sales: confirm (held)`` → ``sales-confirm-held``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


class RpcError(Exception):
    """A JSON-RPC error; ``kind`` groups it in the report."""

    def __init__(self, kind, message):
        super().__init__(f"{kind}: {message}")
        self.kind = kind


def error_kind(error):
    """The kind of a JSON-RPC error: serialization and lock errors first."""
    data = error.get("data") or {}
    name = data.get("name") or error.get("message") or "error"
    text = f"{name} {data.get('message', '')} {data.get('debug', '')}"
    if "SerializationFailure" in text or "could not serialize" in text:
        return "serialization failure"
    if "DeadlockDetected" in text or "deadlock detected" in text:
        return "deadlock"
    if "LockNotAvailable" in text or "could not obtain lock" in text:
        return "lock not available"
    message = " ".join(str(data.get("message", "")).split())
    decided = DECIDED.search(message)
    if decided:
        # two approvers took the same exception: the second one hears it is decided
        return f"UserError: exception already {decided.group(1).lower()} (taken by another user)"
    if DELIVERED.search(message):
        # two warehouse users took the same delivery: vanilla takes the second
        # one's write of the done quantities in silence, o2c refuses it
        return "UserError: delivery already done (taken by another user)"
    return f"{name.rsplit('.', 1)[-1]}: {message[:90]}"


class PeakUser(User):
    """Base: one login, a requests session, actions timed and reported."""

    abstract = True
    role = None
    #: the tag of the action in progress, at the end of its requests' URLs
    tag = "untagged"
    wait_time = between(*CONFIG["think_s"])

    def on_start(self):
        # each simulated person has a login of their own (round robin over the role's),
        # with the web session the bench opened for it before the load (a password
        # check costs a pbkdf2 hash: hundreds of ms of the server's CPU)
        logins = CONFIG["users"][self.role]
        index = next(_IDS)
        self.login = logins[index % len(logins)]
        self.rng = random.Random(CONFIG["seed"] + index)
        self.session = requests.Session()
        self.session.cookies.set("session_id", self.login["session_id"])
        self.url = self.host.rstrip("/") + "/web/dataset/call_kw"

    def rpc(self, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` as the web client calls it (JSON-RPC, session)."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(_IDS),
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
        }
        try:
            response = self.session.post(
                f"{self.url}/{model}/{method}/{self.tag}", json=payload, timeout=CONFIG["timeout_s"]
            )
        except requests.Timeout:
            raise RpcError(f"timeout (no answer in {CONFIG['timeout_s']} s)", "") from None
        except requests.RequestException as error:
            raise RpcError(f"connection: {type(error).__name__}", "") from None
        if response.status_code != 200:
            raise RpcError(f"HTTP {response.status_code}", response.reason)
        body = response.json()
        if "error" in body:
            raise RpcError(error_kind(body["error"]), "") from None
        return body["result"]

    def action(self, name, fn):
        """Run one user action (``fn``), time it, report it to locust and the samples."""
        self.tag = action_tag(name)
        start = time.perf_counter()
        kind, result = None, None
        try:
            result = fn()
        except RpcError as error:
            kind = error.kind
        elapsed = (time.perf_counter() - start) * 1000.0
        SAMPLES.append((name, round(elapsed, 2), kind, time.time()))
        events.request.fire(
            request_type="RPC",
            name=name,
            response_time=elapsed,
            response_length=0,
            exception=RpcError(kind, "") if kind else None,
            context={},
        )
        return result, kind

    def order_lines(self, count, discount=0.0):
        products = self.rng.sample(CONFIG["products"], min(count, len(CONFIG["products"])))
        return [
            (
                0,
                0,
                {
                    "product_id": product["id"],
                    "product_uom_qty": self.rng.randint(2, 12),
                    "discount": discount,
                },
            )
            for product in products
        ]

    def customer(self):
        """The hot customer for a share of the orders (many orders of one customer at once)."""
        if self.rng.random() < CONFIG["hot_share"]:
            return CONFIG["hot_customer"]
        return self.rng.choice(CONFIG["customers"])


class InsideSales(PeakUser):
    """Creates a quotation of 5-30 lines and confirms it; some are held (deep discount)."""

    role = "sales"
    fixed_count = CONFIG["mix"]["sales"]

    orders = 0

    @task
    def create_and_confirm(self):
        # every few orders of each person is held: a deep discount (the second one first)
        self.orders += 1
        held = self.orders % CONFIG["held_every"] == 2 % CONFIG["held_every"]
        lines = self.rng.randint(*CONFIG["lines"])
        vals = {
            "partner_id": self.customer()["id"],
            "order_line": self.order_lines(lines, CONFIG["held_discount"] if held else 0.0),
        }
        order_id, kind = self.action(
            "sales: create quotation", lambda: self.rpc("sale.order", "create", vals)
        )
        if kind:
            return
        name = "sales: confirm (held)" if held and O2C else "sales: confirm"
        _res, kind = self.action(name, lambda: self.rpc("sale.order", "action_confirm", [order_id]))
        if not kind:
            TOUCHED["confirmed"].append(order_id)


class Approver(PeakUser):
    """Approves from the exception queue (every approver works on the one queue)."""

    role = "approver"
    fixed_count = CONFIG["mix"]["approver"]

    @task
    def approve_next(self):
        if not O2C:
            # vanilla has no queue: the same person reviews the open quotations
            self.action(
                "approver: read queue",
                lambda: self.rpc(
                    "sale.order",
                    "search_read",
                    [("state", "in", ("draft", "sent"))],
                    fields=["name", "amount_total"],
                    limit=20,
                    order="id",
                ),
            )
            return
        queue, kind = self.action(
            "approver: read queue",
            lambda: self.rpc(
                "o2c.exception",
                "search_read",
                [("can_approve", "=", True), ("state", "=", "open")],
                fields=["name", "deadline", "min_approvals"],
                limit=20,
                order="deadline, id",
            ),
        )
        if kind or not queue:
            return
        # approvers work the head of the same queue: collisions are part of the load
        exc = self.rng.choice(queue[:5])
        self.action(
            "approver: approve",
            lambda: self.rpc(
                "o2c.exception", "action_approve", [exc["id"]], reason="Peak-hour bench approval"
            ),
        )


class Warehouse(PeakUser):
    """Validates deliveries (a share short, with a backorder) and records PODs."""

    role = "warehouse"
    fixed_count = CONFIG["mix"]["warehouse"]

    @task(3)
    def validate_delivery(self):
        pickings, kind = self.action(
            "warehouse: read ready deliveries",
            lambda: self.rpc(
                "stock.picking",
                "search_read",
                [("picking_type_code", "=", "outgoing"), ("state", "=", "assigned")],
                fields=["move_ids"],
                limit=20,
                order="id",
            ),
        )
        if kind or not pickings:
            return
        picking = self.rng.choice(pickings)
        short = self.rng.random() < CONFIG["short_share"]
        name = "warehouse: validate (short pick)" if short else "warehouse: validate"
        self.action(name, lambda: self._validate(picking, short))

    def _validate(self, picking, short):
        moves = self.rpc("stock.move", "read", picking["move_ids"], ["product_uom_qty"])
        updates = []
        for index, move in enumerate(moves):
            qty = move["product_uom_qty"]
            if short and index == 0 and qty > 1:
                qty = qty // 2
            updates.append((1, move["id"], {"quantity": qty, "picked": True}))
        self.rpc("stock.picking", "write", [picking["id"]], {"move_ids": updates})
        result = self.rpc("stock.picking", "button_validate", [picking["id"]])
        if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
            context = result.get("context") or {}
            wizard = self.rpc(
                "stock.backorder.confirmation",
                "create",
                {
                    "pick_ids": [(4, picking["id"])],
                    "backorder_confirmation_line_ids": [
                        (0, 0, {"picking_id": picking["id"], "to_backorder": True})
                    ],
                },
                context=context,
            )
            self.rpc("stock.backorder.confirmation", "process", [wizard], context=context)
        return True

    @task(1)
    def record_pod(self):
        if not O2C:
            return
        todo, kind = self.action(
            "warehouse: read deliveries without POD",
            lambda: self.rpc(
                "stock.picking",
                "search_read",
                [("o2c_pod_state", "=", "missing"), ("state", "=", "done")],
                fields=["name"],
                limit=10,
                order="id",
            ),
        )
        if kind or not todo:
            return
        picking = self.rng.choice(todo)
        self.action("warehouse: record POD", lambda: self._pod(picking))

    def _pod(self, picking):
        proof = self.rpc(
            "o2c.delivery.proof",
            "create",
            {
                "picking_id": picking["id"],
                "kind": "carrier",
                "tracking_ref": f"TRK-{picking['id']}-{self.rng.randint(1, 10**6)}",
                "received_by": "Dock clerk",
            },
        )
        return self.rpc("o2c.delivery.proof", "action_validate", [proof])


class Finance(PeakUser):
    """Posts the invoices waiting in draft (vanilla: invoices delivered orders first)."""

    role = "finance"
    fixed_count = CONFIG["mix"]["finance"]

    @task
    def post_invoices(self):
        if not O2C:
            # vanilla has no release job: finance invoices the delivered orders itself
            self.action("finance: create invoices", self._vanilla_invoices)
        drafts, kind = self.action(
            "finance: read draft invoices",
            lambda: self.rpc(
                "account.move",
                "search",
                [("move_type", "=", "out_invoice"), ("state", "=", "draft")],
                limit=5,
                order="id",
            ),
        )
        if kind or not drafts:
            return
        self.action(
            "finance: post invoices", lambda: self.rpc("account.move", "action_post", drafts)
        )

    def _vanilla_invoices(self):
        orders = self.rpc(
            "sale.order", "search", [("invoice_status", "=", "to invoice")], limit=5, order="id"
        )
        if not orders:
            return False
        context = {"active_model": "sale.order", "active_ids": orders}
        wizard = self.rpc(
            "sale.advance.payment.inv",
            "create",
            {"advance_payment_method": "delivered"},
            context=context,
        )
        return self.rpc("sale.advance.payment.inv", "create_invoices", [wizard], context=context)


class EdiIntegration(PeakUser):
    """Pushes order files (a batch of orders) through the intake API (vanilla: create+confirm).

    o2c's import creates the quotations and returns: its job (a cron worker, or a
    queue job) confirms each in a transaction of its own, so the two actions do
    not compare; the drain waits for those confirmations and the invariants
    check that none failed.
    """

    role = "edi"
    fixed_count = CONFIG["mix"]["edi"]
    wait_time = between(*CONFIG["edi_think_s"])

    @task
    def push_batch(self):
        count = self.rng.randint(*CONFIG["edi_orders"])
        batch = next(_IDS)
        orders = []
        for number in range(count):
            partner = self.customer()
            lines = self.rng.randint(*CONFIG["edi_lines"])
            ref = f"PO-{self.login['uid']}-{batch}-{number}"
            products = self.rng.sample(CONFIG["products"], min(lines, len(CONFIG["products"])))
            orders.append((partner, ref, [(p, self.rng.randint(2, 12)) for p in products]))
        if O2C:
            rows = ["customer_ref,order_ref,product_code,quantity"]
            for partner, ref, lines in orders:
                rows += [f"{partner['ref']},{ref},{p['code']},{qty}" for p, qty in lines]
            data = base64.b64encode("\n".join(rows).encode()).decode()
            result, kind = self.action(
                "edi: push order file",
                lambda: self.rpc("o2c.order.import", "import_file", f"{ref}.csv", data),
            )
            if not kind:
                TOUCHED["edi"] += result["order_ids"]
            return
        vals = [
            {
                "partner_id": partner["id"],
                "client_order_ref": ref,
                "order_line": [
                    (0, 0, {"product_id": p["id"], "product_uom_qty": qty}) for p, qty in lines
                ],
            }
            for partner, ref, lines in orders
        ]

        def push():
            ids = self.rpc("sale.order", "create", vals)
            self.rpc("sale.order", "action_confirm", ids)
            return ids

        ids, kind = self.action("edi: push order file", push)
        if not kind:
            TOUCHED["edi"] += ids


STARTED = []


@events.test_start.add_listener
def _started(environment, **_kwargs):
    STARTED.append(time.time())


@events.quitting.add_listener
def _write_samples(environment, **_kwargs):
    with open(os.environ["PEAK_OUT"], "w") as fh:
        tags = {action_tag(name): name for name, *_rest in SAMPLES}
        json.dump({"started": STARTED[0], "samples": SAMPLES, "touched": TOUCHED, "tags": tags}, fh)
