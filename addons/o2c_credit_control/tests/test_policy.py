# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditPolicy(CreditCommon):
    def test_within_limit_confirms(self):
        self._terms(limit=1000)
        self._invoice(600)
        order = self._confirm(self._order(400))
        self.assertEqual(order.state, "sale")
        self.assertFalse(self._hold(order))
        self.assertFalse(order.o2c_credit_badge)

    def test_over_limit_holds_with_excess(self):
        order = self._held_order(receivable=800, amount=300)
        hold = self._hold(order)
        self.assertTrue(order.o2c_credit_hold)
        self.assertEqual(order.o2c_credit_badge, "Credit hold", "the badge of the lists")
        self.assertTrue(order.o2c_blocked)
        self.assertEqual(hold.state, "open")
        self.assertEqual(hold.amount, 100)
        self.assertEqual(hold.currency_id, self.currency)
        self.assertEqual((hold.o2c_credit_exposure, hold.o2c_credit_limit), (1100, 1000))
        self.assertEqual(hold.partner_id, self.customer)
        self.assertIn("over limit", hold.name)

    def test_order_class_credit_policy_overrides_customer_policy(self):
        edi = self.env["utm.source"].create({"name": "O2C credit EDI"})
        self.env["o2c.order.class"].create(
            {
                "name": "EDI key accounts",
                "code": "o2c_cc_edi",
                "source_ids": [Command.link(edi.id)],
                "o2c_credit_policy": "warn",
            }
        )
        self._terms(limit=100, policy="approve")
        warned = self._confirm(self._order(300, source_id=edi.id))
        self.assertEqual(warned.state, "sale", "the class's policy (warn) applies")
        held = self._confirm(self._order(300))
        self.assertEqual(held.state, "draft", "other orders follow the customer's policy")

    def test_order_of_contact_held_on_commercial_terms(self):
        self._terms(limit=100)
        order = self._confirm(self._order(300, partner=self.contact))
        self.assertEqual(order.state, "draft")
        self.assertEqual(self._hold(order).partner_id, self.customer)

    def test_zero_limit_means_no_credit(self):
        self._terms(limit=0)
        order = self._confirm(self._order(1))
        self.assertTrue(order.o2c_credit_hold)

    def test_unlimited_partner_ignores_company_default_limit(self):
        self.company.write(
            {"o2c_credit_default_limit_type": "limit", "o2c_credit_default_limit": 100}
        )
        self.customer.o2c_credit_limit_type = "unlimited"
        self.assertEqual(self._confirm(self._order(5000)).state, "sale")

    def test_company_default_limit(self):
        self.company.write(
            {"o2c_credit_default_limit_type": "limit", "o2c_credit_default_limit": 200}
        )
        order = self._confirm(self._order(300))
        self.assertEqual(self._hold(order).amount, 100)

    def test_credit_group_limit(self):
        tag = self.env["res.partner.category"].create({"name": "Small shops"})
        self.env["o2c.credit.group"].create(
            {"name": "Small shops", "category_ids": [Command.link(tag.id)], "credit_limit": 500}
        )
        self.customer.category_id = tag
        self.assertTrue(self._confirm(self._order(600)).o2c_credit_hold)

    def test_credit_group_applies_from_its_creation_to_its_archiving(self):
        """Which companies have groups is cached: a check after the first group of a
        company was created, or its last one archived, sees it at once."""
        tag = self.env["res.partner.category"].create({"name": "Shops seen at once"})
        self.customer.category_id = tag
        self.assertEqual(self._confirm(self._order(600)).state, "sale", "no group yet")
        group = self.env["o2c.credit.group"].create(
            {"name": "Shops", "category_ids": [Command.link(tag.id)], "credit_limit": 500}
        )
        self.assertTrue(self._confirm(self._order(600)).o2c_credit_hold)
        group.active = False
        self.assertEqual(self._confirm(self._order(600)).state, "sale", "group archived")

    def test_overdue_beyond_tolerance_holds(self):
        self._invoice(100, due_days_ago=40)
        order = self._confirm(self._order(10))
        hold = self._hold(order)
        self.assertEqual(hold.amount, 100)
        self.assertEqual(hold.o2c_credit_overdue, 100)
        self.assertIn("overdue more than 30 days", hold.name)

    def test_overdue_within_tolerance_days_confirms(self):
        self._invoice(100, due_days_ago=20)
        self.assertEqual(self._confirm(self._order(10)).state, "sale")

    def test_overdue_within_tolerance_amount_confirms(self):
        self._terms(limit=10000, days=30, amount=150)
        self._invoice(100, due_days_ago=40)
        self.assertEqual(self._confirm(self._order(10)).state, "sale")

    def test_warn_policy_confirms_with_note(self):
        self._terms(limit=100, policy="warn")
        order = self._confirm(self._order(300))
        self.assertEqual(order.state, "sale")
        self.assertFalse(self._hold(order))
        self.assertTrue(any("Credit warning" in (m.body or "") for m in order.message_ids))

    def test_warn_banner_on_quotation(self):
        self._terms(limit=100)
        order = self._order(300)
        self.assertIn("over limit", order.partner_credit_warning)
        self.assertFalse(self._order(50).partner_credit_warning)

    def test_block_policy_cannot_be_released_by_approval(self):
        order = self._held_order(policy="block")
        hold = self._hold(order)
        self.assertEqual(hold.o2c_credit_policy, "block")
        with self.assertRaises(UserError) as cm:
            hold.with_user(self.finance).action_approve("please")
        self.assertIn("Block", str(cm.exception))
        self.assertEqual(hold.state, "open")

    def test_batch_confirmation_counts_earlier_orders(self):
        self._terms(limit=1000)
        first, second = self._order(600), self._order(600)
        self._confirm(first | second)
        self.assertEqual((first.state, second.state), ("sale", "draft"))
        self.assertEqual(self._hold(second).amount, 200)

    def test_credit_control_off(self):
        self._terms(limit=0)
        self.company.o2c_credit_check = False
        self.assertEqual(self._confirm(self._order(300)).state, "sale")

    def test_recheck_at_confirmation_resolves_when_fitting(self):
        order = self._held_order()
        self._terms(limit=5000)  # also re-checked right away
        self.assertEqual(self._hold(order).state, "resolved")
        self.assertEqual(self._confirm(order).state, "sale")

    def test_negative_limit_is_refused(self):
        with self.assertRaises(ValidationError) as cm:
            self._terms(limit=-1)
        self.assertIn("Own Credit Limit", str(cm.exception))

    def test_negative_tolerance_is_refused(self):
        with self.assertRaises(ValidationError) as cm:
            self._terms(days=-5)
        self.assertIn("Overdue Tolerance (days)", str(cm.exception))

    def test_negative_group_limit_is_refused(self):
        tag = self.env["res.partner.category"].create({"name": "Bad"})
        with self.assertRaises(ValidationError) as cm:
            self.env["o2c.credit.group"].create(
                {"name": "Bad", "category_ids": [Command.link(tag.id)], "credit_limit": -5}
            )
        self.assertIn("Credit Limit", str(cm.exception))

    def test_negative_company_default_is_refused(self):
        with self.assertRaises(ValidationError) as cm:
            self.company.o2c_credit_default_limit = -10
        self.assertIn("O2C Default Credit Limit", str(cm.exception))

    def test_salesman_cannot_change_terms(self):
        seller = new_test_user(
            self.env,
            "cc_seller_partners",
            "sales_team.group_sale_salesman,base.group_partner_manager",
        )
        self.customer.with_user(seller).ref = "C-001"  # may edit the customer
        with self.assertRaises(AccessError) as cm:
            self.customer.with_user(seller).o2c_credit_limit = 10**6
        self.assertIn("o2c_credit_limit", str(cm.exception))


@tagged("post_install", "-at_install")
class TestCreditDelivery(CreditCommon):
    """Optional: deliveries of a customer on hold are held too."""

    def _picking_over_limit(self):
        self._terms(limit=1000)
        order = self._confirm(self._order(500))
        self.assertEqual(order.state, "sale")
        self._invoice(700)  # now 1200 > 1000
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        return picking

    def test_delivery_held_when_option_on(self):
        self.company.o2c_credit_block_delivery = True
        picking = self._picking_over_limit()
        picking.button_validate()
        self.assertNotEqual(picking.state, "done")
        hold = picking.o2c_exception_ids
        self.assertEqual(hold.code, "credit_hold")
        self.assertEqual(hold.sale_order_id, picking.sale_id)
        self.assertIn("Delivery on credit hold", hold.name)

    def test_delivery_goes_when_option_off(self):
        picking = self._picking_over_limit()
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_delivery_released_by_payment(self):
        self.company.o2c_credit_block_delivery = True
        picking = self._picking_over_limit()
        picking.button_validate()
        invoice = self.env["account.move"].search(
            [("partner_id", "=", self.customer.id), ("move_type", "=", "out_invoice")]
        )
        self._pay(invoice, 300)
        self.assertEqual(picking.o2c_exception_ids.state, "resolved")
        picking.button_validate()
        self.assertEqual(picking.state, "done")
