# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CreditCommon

CREDIT_MANAGER = "o2c_credit_control.group_o2c_credit_manager"


@tagged("post_install", "-at_install")
class TestCreditTermsGovernance(CreditCommon):
    """Credit terms: a Credit Manager's right; a terms change never releases its changer's hold."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # sells, and manages credit (and the company settings): the conflicted case
        cls.seller_cm = new_test_user(
            cls.env,
            "cc_seller_cm",
            "sales_team.group_sale_salesman,base.group_partner_manager,base.group_system,"
            + CREDIT_MANAGER,
        )
        cls.credit_manager = new_test_user(
            cls.env,
            "cc_credit_manager",
            "account.group_account_invoice,base.group_partner_manager,"
            "o2c_exception_base.group_o2c_approver," + CREDIT_MANAGER,
        )

    def _own_held_order(self, receivable=800.0, amount=300.0):
        """An order of the credit manager who sells, held (limit 1000)."""
        self._terms()
        if receivable:
            self._invoice(receivable)
        order = self._confirm(self._order(amount, user=self.seller_cm), user=self.seller_cm)
        hold = self._hold(order)
        self.assertEqual(hold.state, "open")
        self.assertEqual(hold.requested_by_id, self.seller_cm)
        return order, hold

    def _invoice_of_customer(self):
        return self.env["account.move"].search(
            [("partner_id", "=", self.customer.id), ("move_type", "=", "out_invoice")]
        )

    def test_approver_is_not_a_credit_manager(self):
        self.finance.groups_id |= self.env.ref("base.group_partner_manager")
        with self.assertRaises(AccessError) as cm:
            self.customer.with_user(self.finance).o2c_credit_limit_type = "unlimited"
        self.assertIn("Credit Managers", str(cm.exception))
        self.assertIn("o2c_credit_limit_type", str(cm.exception))
        self.customer.with_user(self.credit_manager).o2c_credit_limit = 2000
        self.assertEqual(self.customer.o2c_credit_limit, 2000)

    def test_own_terms_change_keeps_the_hold_open(self):
        order, hold = self._own_held_order()
        self.customer.with_user(self.seller_cm).o2c_credit_limit = 5000
        self.assertEqual(hold.state, "open")
        self.assertEqual(hold.o2c_credit_terms_changed_by_id, self.seller_cm)
        self.assertEqual(hold.o2c_credit_terms_before["limit"], 1000)
        self.assertIn(self.seller_cm, hold.conflict_user_ids)
        self.assertEqual(self._confirm(order, user=self.seller_cm).state, "draft")
        self.env["o2c.exception"]._cron_o2c_credit_recheck()
        self.assertEqual(hold.state, "open")

    def test_payment_still_releases_when_it_fits_the_earlier_terms(self):
        order, hold = self._own_held_order()
        self.customer.with_user(self.seller_cm).o2c_credit_limit = 5000
        self._pay(self._invoice_of_customer(), 40)  # 1060: fits 5000, not 1000
        self.assertEqual(hold.state, "open")
        self._pay(self._invoice_of_customer(), 160)  # 900: fits 1000 too
        self.assertEqual(hold.state, "resolved")
        self.assertEqual(hold.o2c_credit_release_id.kind, "automatic")
        self.assertEqual(self._confirm(order, user=self.seller_cm).state, "sale")

    def test_another_credit_manager_sets_the_terms(self):
        order, hold = self._own_held_order()
        self.customer.with_user(self.seller_cm).o2c_credit_limit = 5000
        self.assertEqual(hold.state, "open")
        self.customer.with_user(self.credit_manager).o2c_credit_limit = 6000
        self.assertEqual(hold.state, "resolved")
        self.assertFalse(hold.o2c_credit_terms_changed_by_id)
        self.assertIn(self.credit_manager, hold.conflict_user_ids)
        self.assertEqual(hold.o2c_credit_release_id.triggered_by_id, self.credit_manager)

    def test_another_credit_manager_approves(self):
        order, hold = self._own_held_order()
        self.customer.with_user(self.seller_cm).o2c_credit_limit_type = "unlimited"
        self._release(hold, user=self.credit_manager, reason="Checked the new terms")
        self.assertEqual(hold.state, "approved")
        self.assertEqual(self._confirm(order, user=self.seller_cm).state, "sale")

    def test_company_default_change_by_the_requester(self):
        self.company.write(
            {"o2c_credit_default_limit_type": "limit", "o2c_credit_default_limit": 100}
        )
        order = self._confirm(self._order(300, user=self.seller_cm), user=self.seller_cm)
        hold = self._hold(order)
        self.company.with_user(self.seller_cm).o2c_credit_default_limit_type = "unlimited"
        self.assertEqual(hold.state, "open")
        self.assertEqual(hold.o2c_credit_terms_changed_by_id, self.seller_cm)
        self.assertIn("100.00", " ".join(hold.message_ids.mapped("body")))

    def test_company_default_change_by_another_credit_manager_releases(self):
        self.company.write(
            {"o2c_credit_default_limit_type": "limit", "o2c_credit_default_limit": 100}
        )
        order = self._confirm(self._order(300))
        self.credit_manager.groups_id |= self.env.ref("base.group_erp_manager")
        self.company.with_user(self.credit_manager).o2c_credit_default_limit = 1000
        self.assertEqual(self._hold(order).state, "resolved")

    def test_credit_group_change_by_the_requester(self):
        tag = self.env["res.partner.category"].create({"name": "Shops"})
        group = self.env["o2c.credit.group"].create(
            {"name": "Shops", "category_ids": [Command.link(tag.id)], "credit_limit": 100}
        )
        self.customer.category_id = tag
        order = self._confirm(self._order(300, user=self.seller_cm), user=self.seller_cm)
        hold = self._hold(order)
        group.with_user(self.seller_cm).limit_type = "unlimited"
        self.assertEqual(hold.state, "open")
        self.assertEqual(hold.o2c_credit_terms_changed_by_id, self.seller_cm)
        group.with_user(self.credit_manager).credit_limit = 50  # while unlimited: no change
        self.assertEqual(hold.state, "open")
        group.with_user(self.credit_manager).limit_type = "limit"
        self.assertEqual(hold.state, "open", "back to limit 50: still over")
        self.assertFalse(hold.o2c_credit_terms_changed_by_id, "a free credit manager decided")

    def test_cancelled_order_of_a_kept_hold_is_resolved(self):
        order, hold = self._own_held_order()
        self.customer.with_user(self.seller_cm).o2c_credit_limit_type = "unlimited"
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.env["o2c.exception"]._cron_o2c_credit_recheck()
        self.assertEqual(hold.state, "resolved")

    def test_order_class_policy_is_a_credit_managers_right(self):
        order_class = self.env["o2c.order.class"].create({"name": "Phone", "code": "cc_phone"})
        with self.assertRaises(AccessError):
            order_class.with_user(self.manager).o2c_credit_policy = "warn"
        self.credit_manager.groups_id |= self.env.ref("o2c_exception_base.group_o2c_manager")
        order_class.with_user(self.credit_manager).o2c_credit_policy = "warn"
        self.assertEqual(order_class.o2c_credit_policy, "warn")
