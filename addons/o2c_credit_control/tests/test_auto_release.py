# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo import SUPERUSER_ID
from odoo.addons.o2c_exception_base.tests.common import O2cQueryCountMixin
from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditAutoRelease(O2cQueryCountMixin, CreditCommon):
    """Payments, credit notes and new terms release the holds that now fit."""

    def _open_invoice(self):
        return self.env["account.move"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
            ]
        )

    def test_payment_releases_held_order(self):
        order = self._held_order(receivable=800, amount=300)
        hold = self._hold(order)
        self._pay(self._open_invoice(), 200)
        self.assertEqual(hold.state, "resolved")
        self.assertEqual(hold.decided_by_id.id, SUPERUSER_ID)
        self.assertTrue(hold.decision_reason.startswith("Released automatically: exposure"))
        self.assertIn("900.00 within limit", hold.decision_reason)
        release = hold.o2c_credit_release_ids
        self.assertEqual(
            (release.kind, release.user_id.id, release.triggered_by_id),
            ("automatic", SUPERUSER_ID, self.env.user),
        )
        self.assertEqual(release.exposure, 900)
        self.assertFalse(order.o2c_credit_hold)
        self.assertEqual(self._confirm(order).state, "sale")

    def test_small_payment_keeps_hold_and_refreshes_excess(self):
        order = self._held_order(receivable=800, amount=300)
        hold = self._hold(order)
        self._pay(self._open_invoice(), 40)
        self.assertEqual(hold.state, "open")
        self.assertEqual(hold.amount, 60)
        self.assertEqual(hold.o2c_credit_exposure, 1060)

    def test_credit_note_releases_held_order(self):
        order = self._held_order(receivable=800, amount=300)
        self._invoice(150, move_type="out_refund")
        self.assertEqual(self._hold(order).state, "resolved")

    def test_payment_of_overdue_invoice_releases(self):
        self._terms(limit=10000)
        invoice = self._invoice(100, due_days_ago=45)
        order = self._confirm(self._order(10))
        self.assertTrue(order.o2c_credit_hold)
        self._pay(invoice, 100)
        self.assertFalse(order.o2c_credit_hold)

    def test_only_holds_of_the_paying_customer(self):
        other = self.env["res.partner"].create({"name": "Other", "is_company": True})
        self._terms(partner=other, limit=0)
        other_order = self._confirm(self._order(50, partner=other))
        order = self._held_order()
        self._pay(self._open_invoice(), 200)
        self.assertEqual(self._hold(order).state, "resolved")
        self.assertEqual(self._hold(other_order).state, "open")

    def test_recheck_without_holds_is_cheap(self):
        """A payment of customers without holds costs a lookup, not an evaluation."""
        partners = self.env["res.partner"].create(
            [{"name": f"No hold {i}", "is_company": True} for i in range(50)]
        )

        def recheck(customers):
            recheck_partners = self.env["o2c.exception"]._o2c_credit_recheck_partners
            return self._o2c_query_count(recheck_partners, customers)

        one = recheck(partners[:1])
        self.assertEqual(one, recheck(partners))
        self.assertLessEqual(one, 2, "read the commercial partners, search the holds")

    def test_cron_releases_what_hooks_missed(self):
        order = self._held_order()
        hold = self._hold(order)
        # a payment whose accounting hooks did not re-check (e.g. a bank
        # synchronisation path that bypasses them): nothing released yet
        Exception_ = self.env.registry["o2c.exception"]
        with patch.object(
            Exception_, "_o2c_credit_recheck_partners", lambda self, partners: self.browse()
        ):
            self._pay(self._open_invoice(), 200)
        self.assertEqual(hold.state, "open")
        processed = self.env["o2c.exception"]._cron_o2c_credit_recheck()
        self.assertEqual(processed, 1)
        self.assertEqual(hold.state, "resolved")

    def test_cron_resolves_holds_of_cancelled_orders(self):
        order = self._held_order()
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.env["o2c.exception"]._cron_o2c_credit_recheck()
        self.assertEqual(self._hold(order).state, "resolved")
        self.assertIn("no longer subject", self._hold(order).decision_reason)

    def test_cron_keeps_holds_that_still_do_not_fit(self):
        order = self._held_order()
        self.env["o2c.exception"]._cron_o2c_credit_recheck()
        self.assertEqual(self._hold(order).state, "open")
        self.assertFalse(self._hold(order).o2c_credit_release_ids)

    def test_cron_batches_skip_locked(self):
        holds = self.env["o2c.exception"]
        for _i in range(3):
            holds |= self._hold(self._held_order(receivable=0, amount=2000))
        batch = self.env["o2c.exception"]._o2c_credit_recheck_lock(2)
        self.assertEqual(batch, holds.sorted("id")[:2])
        after = self.env["o2c.exception"]._o2c_credit_recheck_lock(2, batch.ids[-1])
        self.assertEqual(after, holds.sorted("id")[2:])
