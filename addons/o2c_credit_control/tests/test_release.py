# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditRelease(CreditCommon):
    def test_finance_releases_then_order_confirms(self):
        order = self._held_order()
        hold = self._hold(order)
        release = self._release(hold, reason="Paid by wire tomorrow")
        self.assertEqual(hold.state, "approved")
        self.assertEqual(hold.decided_by_id, self.finance)
        self.assertEqual(
            (release.kind, release.user_id, release.reason, release.exposure, release.excess),
            ("manual", self.finance, "Paid by wire tomorrow", 1100, 100),
        )
        self.assertFalse(order.o2c_credit_hold)
        self._confirm(order)
        self.assertEqual(order.state, "sale")

    def test_release_is_in_chatter_with_exposure(self):
        order = self._held_order()
        self._release(self._hold(order))
        bodies = " ".join(order.message_ids.mapped("body"))
        self.assertIn("Credit released by cc_finance", bodies)
        self.assertIn("1,100.00", bodies)

    def test_order_change_reopens_release(self):
        order = self._held_order()
        hold = self._hold(order)
        release = self._release(hold)
        order.with_user(self.salesman).write(
            {"order_line": [Command.update(order.order_line.id, {"price_unit": 350})]}
        )
        self.assertEqual(hold.state, "open")
        self.assertEqual(release.state, "void")
        self._confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertEqual(hold.amount, 150)

    def test_release_bound_to_customer_and_amount_only(self):
        order = self._held_order()
        hold = self._hold(order)
        self._release(hold)
        order.with_user(self.salesman).note = "Deliver in the morning"
        self._confirm(order)
        self.assertEqual(hold.state, "approved")
        self.assertEqual(order.state, "sale")

    def _expire(self, release):
        """Days went by: the release's expiry date is yesterday (code, not a user)."""
        release.sudo()._o2c_owned_write({"expiry_date": self.today - timedelta(days=1)})

    def test_expired_release_reopens_at_confirmation(self):
        order = self._held_order()
        hold = self._hold(order)
        release = self._release(hold, expiry_date=self.today)
        self._expire(release)
        self._confirm(order)
        self.assertEqual(order.state, "draft")
        self.assertEqual(hold.state, "open")
        self.assertEqual(release.state, "void")

    def test_expired_release_lapses_by_cron(self):
        order = self._held_order()
        hold = self._hold(order)
        release = self._release(hold, expiry_date=self.today)
        self._expire(release)
        self.env["o2c.exception"]._cron_o2c_credit_recheck()
        self.assertEqual(release.state, "expired")
        self.assertEqual(hold.state, "open")
        self.assertTrue(order.o2c_credit_hold)

    def test_release_amount_cap(self):
        order = self._held_order()
        hold = self._hold(order)
        self._release(hold, amount_cap=120)
        self._invoice(50)  # excess 150 > 120
        self._confirm(order)
        self.assertEqual(hold.state, "open")
        self.assertEqual(order.state, "draft")

    def test_release_amount_cap_still_covers(self):
        order = self._held_order()
        hold = self._hold(order)
        self._release(hold, amount_cap=120)
        self._invoice(10)  # excess 110 <= 120
        self._confirm(order)
        self.assertEqual(order.state, "sale")

    def test_wizard_keeps_terms_after_approval_request(self):
        """The normal flow: the salesperson asks, finance releases with terms.

        Approving unlinks the approval activities the request made; the wizard
        used to re-read its (open-only) holds then and dropped the terms.
        """
        order = self._held_order()
        hold = self._hold(order)
        order.with_user(self.salesman).action_o2c_request_approval()
        self.assertTrue(hold.activity_ids, "the request asks the approvers")
        release = self._release(hold, expiry_date=self.today, amount_cap=120)
        self.assertEqual(hold.state, "approved")
        self.assertEqual(release.expiry_date, self.today)
        self.assertEqual(release.amount_cap, 120)

    def test_wizard_refuses_past_expiry(self):
        order = self._held_order()
        with self.assertRaises(ValidationError) as cm:
            self._release(self._hold(order), expiry_date=self.today - timedelta(days=1))
        self.assertIn("Expiry Date", str(cm.exception))

    def test_wizard_requires_reason(self):
        order = self._held_order()
        with self.assertRaises(UserError) as cm:
            self._hold(order).with_user(self.finance).action_approve("  ")
        self.assertIn("reason", str(cm.exception))

    def test_salesman_cannot_release(self):
        order = self._held_order()
        with self.assertRaises(UserError) as cm:
            self._hold(order).with_user(self.salesman).action_approve("my customer")
        self.assertIn("only members", str(cm.exception))

    def test_sod_author_cannot_release_own_order(self):
        seller_approver = new_test_user(
            self.env,
            "cc_seller_approver",
            "sales_team.group_sale_salesman_all_leads,o2c_exception_base.group_o2c_approver",
        )
        self._terms(limit=100)
        order = self._confirm(self._order(300, user=seller_approver), user=seller_approver)
        with self.assertRaises(UserError) as cm:
            self._hold(order).with_user(seller_approver).action_approve("trust me")
        self.assertIn("Segregation of duties", str(cm.exception))
        self.assertEqual(self._hold(order).state, "open")

    def test_two_person_rule_records_one_release(self):
        self.env.ref("o2c_credit_control.o2c_exception_type_credit_hold").min_approvals = 2
        order = self._held_order()
        hold = self._hold(order)
        self._release(hold)
        self.assertEqual(hold.state, "open")
        self.assertFalse(hold.o2c_credit_release_ids)
        self._release(hold, user=self.finance_2)
        self.assertEqual(hold.state, "approved")
        self.assertEqual(hold.o2c_credit_release_ids.user_id, self.finance_2)

    def test_release_cannot_be_deleted(self):
        order = self._held_order()
        release = self._release(self._hold(order))
        with self.assertRaises(UserError):
            release.sudo().unlink()
