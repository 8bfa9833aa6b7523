# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from pathlib import Path

from odoo.tests import tagged

from .common import AttackCommon

ADDONS = Path(__file__).resolve().parents[2]
#: reads of the environment's context: ``env.context.get("k")``, ``self._context["k"]``
CONTEXT_READ = r"""(?:{names})\s*(?:\.get\(\s*|\[\s*)["']([\w.]+)["']"""
#: ``ctx = self.env.context``: reads through the alias count too
ALIAS = re.compile(r"^\s*(\w+)\s*=\s*(?:self\.)?(?:env\.context|_context)\s*$", re.M)

#: every context key the o2c addons read, and why it cannot let a document through
REVIEWED_KEYS = {
    "cancel_backorder": "Odoo's own backorder wizard key; only says whether a backorder is made",
    "picking_ids_not_to_backorder": "Odoo's own backorder wizard key (same)",
    "skip_backorder": "Odoo's own backorder wizard key: its answer is given, so the split "
    "check judges the backorder (stricter, never looser)",
    "ir_cron_progress_id": "set by ir.cron; the batched driver commits per batch in a cron",
    "cron_id": "set by ir.cron on the job it runs; a run that gave up a contended batch "
    "has that job run again (nothing skipped: the records still match its query)",
    "job_uuid": "set by queue_job on the job it runs; the batch job reads its tries from it "
    "(retried, then parked: the records are checked again either way)",
    "o2c_decision": "pre-selects the decision of the wizard, which checks rights and SoD",
    "o2c_raise_on_hold": "a held action raises instead of opening a window: stricter",
    "tz": "the user's time zone for the dashboard periods",
    "o2c_short_reason_id": "the short-pick reason typed in the wizard; validated by it",
    "o2c_short_note": "the short-pick note typed in the wizard",
    "o2c_cancel_reason_id": "the backorder cancellation reason typed in the wizard; validated",
    "o2c_cancel_note": "the backorder cancellation note typed in the wizard",
    "o2c_documents": "which documents the dispute wizard lists (invoices or deliveries)",
    "no_variant_attributes_price_extra": "Odoo's price context, read where the pricing "
    "check computes a reference as Odoo does: the caller's value is reset, a line's own "
    "attribute extras are set from the line",
}


def context_keys_read():
    """Return ``{key: [file]}`` of the context keys read by the o2c addons' code."""
    found = {}
    for path in sorted(ADDONS.glob("o2c_*/**/*.py")):
        if "tests" in path.parts:
            continue
        text = path.read_text()
        names = [r"env\.context", r"self\._context", *map(re.escape, ALIAS.findall(text))]
        for key in re.findall(CONTEXT_READ.format(names="|".join(names)), text):
            found.setdefault(key, []).append(str(path.relative_to(ADDONS)))
    return found


@tagged("post_install", "-at_install")
class TestContextKeys(AttackCommon):
    """No context key an o2c addon reads lets a held or unchecked document through."""

    def test_every_key_read_is_reviewed(self):
        found = context_keys_read()
        self.assertIn("o2c_raise_on_hold", found, "the scan finds the keys")
        # both ways: a key no longer read leaves the list, so the list stays the truth
        self.assertEqual(sorted(found), sorted(REVIEWED_KEYS), f"context keys read: {found}")

    def _attempts(self, order, picking, invoice):
        return [
            ("sale.order", "action_confirm", [order.ids]),
            ("sale.order", "write", [order.ids, {"state": "sale"}]),
            ("stock.picking", "button_validate", [picking.ids]),
            ("stock.picking", "write", [picking.ids, {"state": "done"}]),
            ("account.move", "action_post", [invoice.ids]),
            ("account.move", "write", [invoice.ids, {"state": "posted"}]),
        ]

    def _users(self):
        return {
            "sale.order": self.salesman,
            "stock.picking": self.warehouse,
            "account.move": self.billing,
        }

    def test_no_key_lets_a_held_document_through(self):
        picking = self.delivery()
        order, invoice = self.quotation(), self.invoice()
        self.held(order)
        self.held(picking)
        self.held(invoice)
        keys = sorted(set(context_keys_read()) | {"o2c_skip_enforce_once", "install_mode"})
        contexts = [{key: True} for key in keys] + [dict.fromkeys(keys, "1")]
        for context in contexts:
            for model, method, args in self._attempts(order, picking, invoice):
                with self.subTest(context=context, call=f"{model}.{method}"):
                    try:
                        self.rpc(self._users()[model], model, method, *args, context=context)
                    except Exception:  # refused is the point, whatever the error
                        self.env.invalidate_all(flush=False)
                    self.assertEqual(order.state, "draft")
                    self.assertEqual(picking.state, "assigned")
                    self.assertEqual(invoice.state, "draft")
