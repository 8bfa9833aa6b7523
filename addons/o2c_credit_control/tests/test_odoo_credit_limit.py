# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.o2c_credit_control.upgrade import move_own_limits_to_odoo
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestOdooCreditLimit(CreditCommon):
    """Odoo's own credit limit of a customer is the limit O2C checks: one value."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.credit_manager = new_test_user(
            cls.env,
            "cc_credit_manager",
            "account.group_account_invoice,base.group_partner_manager,"
            "o2c_credit_control.group_o2c_credit_manager",
        )

    def test_customer_with_only_odoo_limit_is_held_at_it(self):
        """No O2C setting on the customer (company: unlimited): Odoo's limit holds."""
        self.customer.with_user(self.credit_manager).write(
            {"use_partner_credit_limit": True, "credit_limit": 200.0}
        )
        self.assertEqual(self.customer.o2c_credit_limit_type or "default", "default")
        self.assertEqual(self.customer.o2c_credit_limit, 200.0, "the same value, O2C's name")
        self.assertEqual(self.customer.o2c_credit_limit_applied, 200.0)
        order = self._confirm(self._order(300))
        self.assertEqual(order.state, "draft")
        hold = self._hold(order)
        self.assertEqual((hold.o2c_credit_exposure, hold.o2c_credit_limit), (300.0, 200.0))
        self.assertTrue(self._confirm(self._order(150)).state == "sale", "within the limit")

    def test_banner_tells_the_holds_story_only(self):
        """Odoo's banner would count receivables its own way: O2C's reasons replace it."""
        self.company.account_use_credit_limit = True
        self.customer.with_user(self.credit_manager).credit_limit = 200.0
        warning = self._order(300).partner_credit_warning
        self.assertIn("over limit", warning)
        self.assertNotIn("has reached its credit limit", warning)
        # unlimited terms: no hold, no banner, though Odoo's reckoning is over its limit
        self.customer.with_user(self.credit_manager).o2c_credit_limit_type = "unlimited"
        self.assertFalse(self._order(300).partner_credit_warning)

    def test_own_terms_read_odoo_limit(self):
        self._terms(limit=400.0)
        self.assertEqual(self.customer.with_company(self.company).sudo().credit_limit, 400.0)
        self.assertEqual(self.customer.o2c_credit_terms_source, "Own terms")
        self.assertEqual(self._confirm(self._order(450)).state, "draft")

    def test_limit_changes_only_by_credit_managers_and_tracked(self):
        self.env.cr.precommit.run()  # the customer's creation is logged first
        self.customer.with_user(self.credit_manager).credit_limit = 500.0
        self.env.cr.precommit.run()  # tracking is written when the transaction commits
        for user in (self.salesman, self.finance, self.manager):
            for vals in (
                {"credit_limit": 10**6},
                {"use_partner_credit_limit": False},
                {"o2c_credit_limit": 10**6},
            ):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    self.customer.with_user(user).with_context(tracking_disable=True).write(vals)
        self.assertEqual(self.customer.sudo().credit_limit, 500.0)
        tracked = self.customer.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "o2c_credit_limit"
        )
        self.assertEqual(tracked[:1].new_value_float, 500.0)

    def test_upgrade_moves_own_limits_per_company(self):
        """Own O2C limits become Odoo's; a value without own terms did nothing, stays out."""
        other = self.env["res.partner"].create({"name": "No own terms", "is_company": True})
        cid = str(self.company.id)
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("ALTER TABLE res_partner ADD COLUMN o2c_credit_limit jsonb")
        cr.execute(
            "UPDATE res_partner SET o2c_credit_limit = jsonb_build_object(%s, 750.0), "
            "o2c_credit_limit_type = jsonb_build_object(%s, 'limit') WHERE id = %s",
            [cid, cid, self.customer.id],
        )
        cr.execute(
            "UPDATE res_partner SET o2c_credit_limit = jsonb_build_object(%s, 99.0), "
            "credit_limit = NULL WHERE id = %s",
            [cid, other.id],
        )
        self.assertEqual(move_own_limits_to_odoo(cr), 1)
        self.env.invalidate_all()
        self.assertEqual(self.customer.sudo().credit_limit, 750.0)
        self.assertFalse(other.sudo().use_partner_credit_limit)
        self.assertEqual(move_own_limits_to_odoo(cr), 0, "the old column is gone")
