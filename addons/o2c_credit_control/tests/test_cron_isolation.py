# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditCronIsolation(CreditCommon):
    """A hold whose re-check fails is parked; the other holds are re-checked."""

    def _failing_recheck(self, bad, calls):
        """Make the credit evaluation fail for ``bad`` (our code, not the ORM)."""
        Exception_ = self.env.registry["o2c.exception"]
        original = Exception_._o2c_credit_statuses

        def statuses(holds):
            calls.append(holds.ids)
            if bad in holds:
                raise ValueError(f"credit group of {bad.res_name} is inconsistent")
            return original(holds)

        return patch.object(Exception_, "_o2c_credit_statuses", statuses)

    def test_recheck_parks_the_failing_hold(self):
        orders = self.env["sale.order"]
        for _i in range(3):
            orders |= self._held_order(receivable=0, amount=2000)
        holds = orders.o2c_exception_ids.filtered(lambda e: e.code == "credit_hold")
        self.assertEqual(len(holds), 3)
        # the hooks miss the cancellations: the cron must resolve the holds
        orders.with_context(disable_cancel_warning=True).action_cancel()
        bad = holds[1]
        calls = []
        with self._failing_recheck(bad, calls):
            self.assertEqual(self.env["o2c.exception"]._cron_o2c_credit_recheck(batch_size=10), 3)
            self.assertEqual(set((holds - bad).mapped("state")), {"resolved"})
            self.assertEqual(bad.state, "open")
            reason = f"ValueError: credit group of {bad.res_name} is inconsistent"
            self.assertEqual(bad.o2c_credit_recheck_error, reason)
            self.assertIn("Automatic credit re-check failed", bad.message_ids[0].body)
            self.assertIn(reason, bad.message_ids[0].body)
            calls.clear()
            self.assertEqual(self.env["o2c.exception"]._cron_o2c_credit_recheck(), 0)
            self.assertFalse(calls, "the parked hold is not retried")
        with self.assertRaises(UserError):
            bad.with_user(self.salesman).action_o2c_credit_retry_recheck()
        bad.with_user(self.finance).action_o2c_credit_retry_recheck()
        self.assertFalse(bad.o2c_credit_recheck_error)
        self.assertEqual(self.env["o2c.exception"]._cron_o2c_credit_recheck(), 1)
        self.assertEqual(bad.state, "resolved")

    def test_successful_recheck_by_a_hook_clears_the_marker(self):
        order = self._held_order(receivable=800, amount=300)
        hold = self._hold(order)
        with self._failing_recheck(hold, []):
            self.env["o2c.exception"]._cron_o2c_credit_recheck()
        self.assertTrue(hold.o2c_credit_recheck_error)
        # the customer's credit changes: the immediate re-check passes
        self._terms(limit=5000)
        self.env["o2c.exception"]._o2c_credit_recheck_partners(self.customer)
        self.assertEqual(hold.state, "resolved")
        self.assertFalse(hold.o2c_credit_recheck_error)
