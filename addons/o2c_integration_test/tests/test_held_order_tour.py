# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.addons.o2c_exception_base.tests.common import o2c_policy_approval_off
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestHeldOrderTour(HttpCase):
    """In the browser: the salesperson's held order, the approver's queue, the order going on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        o2c = "o2c_exception_base.group_o2c_%s"
        cls.salesman = new_test_user(
            cls.env, "o2c_tour_sales", "sales_team.group_sale_salesman," + o2c % "user"
        )
        cls.approver = new_test_user(
            cls.env,
            "o2c_tour_approver",
            "sales_team.group_sale_salesman_all_leads," + o2c % "approver",
        )
        o2c_policy_approval_off(cls.env, "pricing")  # the admin sets the scene
        cls.env["o2c.pricing.policy"].search([]).active = False
        cls.env["o2c.pricing.policy"].create(
            {
                "name": "Tour pricing policy",
                "company_id": False,
                "max_discount": 15.0,
                "tier_ids": [
                    Command.create(
                        {"threshold": 15.0, "approver_group_id": cls.env.ref(o2c % "approver").id}
                    )
                ],
            }
        )
        cls.env["o2c.exception.type"].search([("code", "=", "discount_approval")]).min_approvals = 1
        product = cls.env["product.product"].create(
            {"name": "O2C Tour Product", "type": "consu", "list_price": 100.0}
        )
        customer = cls.env["res.partner"].create({"name": "O2C Tour Customer"})
        cls.order = (
            cls.env["sale.order"]
            .with_user(cls.salesman)
            .create(
                {
                    "partner_id": customer.id,
                    "order_line": [Command.create({"product_id": product.id, "discount": 40.0})],
                }
            )
        )
        # sent to the customer: Odoo's primary button is then Confirm
        cls.order.action_quotation_sent()
        cls.order.action_confirm()

    def test_held_order_goes_on_after_approval(self):
        order = self.order.sudo()
        self.assertEqual(order.state, "sent")
        self.assertTrue(order.o2c_blocked)
        self.assertEqual(order.o2c_resume_action, "confirm")
        url = f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}"
        self.start_tour(url, "o2c_held_order_salesperson", login=self.salesman.login)
        self.assertEqual(order.state, "sent")
        exc = order.o2c_exception_ids.with_user(self.approver)
        self.assertEqual(exc.mapped("can_approve"), [True])
        self.assertIn(self.approver, exc.sudo().activity_ids.user_id, "asked by the salesperson")
        self.start_tour(
            "/odoo/action-o2c_exception_base.o2c_exception_action",
            "o2c_held_order_approver",
            login=self.approver.login,
        )
        self.assertEqual(order.state, "sale", "confirmed by itself after the approval")
        self.start_tour(url, "o2c_held_order_confirmed", login=self.salesman.login)
