# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common import O2cFreightCommon


@tagged("post_install", "-at_install")
class TestOrderFreight(O2cFreightCommon):
    def _held(self, order):
        """Confirm as the salesperson: the order is held, its exception returned."""
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        exc = self._exception(order)
        self.assertEqual(exc.state, "open")
        return exc

    def test_expedited_carrier_holds_confirmation_without_side_effect(self):
        order = self._order(self.express)
        exc = self._held(order)
        self.assertFalse(order.picking_ids, "no delivery is created for a held order")
        self.assertFalse(order.o2c_freight_carrier_id)
        self.assertTrue(order.o2c_blocked)
        self.assertEqual(exc.type_id, self.etype)
        self.assertTrue(exc.blocking)
        self.assertEqual(exc.approver_group_id, self.group_approver)
        self.assertEqual(exc.amount, 60.0, "an expedited carrier: all its cost needs approval")
        self.assertIn("Expedited carrier", exc.name)
        self.assertIn("O2C Overnight", exc.details)
        self.assertEqual(order.o2c_portal_status, "Shipping under review")

    def test_approval_confirms_the_held_order(self):
        order = self._order(self.express)
        exc = self._held(order)
        exc.with_user(self.approver).action_approve("Customer line stopped")
        self.assertEqual(exc.state, "approved")
        self.assertEqual(order.state, "sale", "confirmed on behalf of the salesperson")
        self.assertTrue(order.picking_ids)
        self.assertEqual(order.picking_ids.carrier_id, self.express)
        self.assertEqual(order.o2c_freight_carrier_id, self.express)

    def test_rejection_keeps_the_quotation_waiting(self):
        order = self._order(self.express)
        exc = self._held(order)
        exc.with_user(self.approver).action_reject(
            "Ship by road",
            root_cause_id=self.env.ref("o2c_exception_base.o2c_root_cause_training").id,
        )
        self.assertEqual(exc.state, "rejected")
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)
        self.assertEqual(self._exception(order).state, "rejected")

    def test_cheap_standard_freight_passes(self):
        self.policy.write(
            {"max_freight_cost": 50.0, "max_freight_share": 25.0, "max_uncharged_freight": 5.0}
        )
        order = self._order(self.standard)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.o2c_exception_ids)
        self.assertEqual(order.o2c_freight_carrier_id, self.standard)

    def test_order_without_carrier_passes(self):
        order = self._order()
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.o2c_exception_ids)

    def test_thresholds(self):
        """Standard carrier (cost 20) on an order of 100: each threshold on its own."""
        cases = {
            "cost": ({"max_freight_cost": 15.0}, None, "Freight cost", 5.0),
            "share": ({"max_freight_share": 12.0}, None, "Freight share of the order", 8.0),
            "uncharged": (
                {"max_uncharged_freight": 5.0},
                4.0,
                "Freight not charged to the customer",
                11.0,
            ),
        }
        off = {"approve_expedited": False}
        for label, (limits, price, rule, excess) in cases.items():
            with self.subTest(label):
                self.policy.write(
                    {
                        **off,
                        "max_freight_cost": 0.0,
                        "max_freight_share": 0.0,
                        "max_uncharged_freight": 0.0,
                        **limits,
                    }
                )
                order = self._order(self.standard, price=price)
                exc = self._held(order)
                self.assertIn(rule, exc.name)
                self.assertIn(rule, exc.details)
                self.assertEqual(exc.amount, excess)

    def test_expedited_carrier_allowed_by_policy(self):
        self.policy.approve_expedited = False
        order = self._order(self.express)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(self._exception(order))

    def test_free_shipping_is_freight_not_charged(self):
        """A carrier free over an amount: Odoo charges 0, the carrier still costs."""
        self.policy.write({"approve_expedited": False, "max_uncharged_freight": 10.0})
        free = self.env["delivery.carrier"].create(
            {
                "name": "O2C Free over 50",
                "delivery_type": "fixed",
                "product_id": self.env["product.product"]
                .create({"name": "O2C free fee", "type": "service", "list_price": 30.0})
                .id,
                "free_over": True,
                "amount": 50.0,
            }
        )
        order = self._order(free)
        self.assertEqual(order.order_line.filtered("is_delivery").price_unit, 0.0)
        order.with_user(self.salesman).action_confirm()
        exc = self._exception(order)
        self.assertIn("Freight not charged to the customer", exc.name)
        self.assertEqual(exc.amount, 20.0, "30 not charged, 10 allowed")

    def test_most_specific_policy_wins(self):
        segment = self.env["res.partner.category"].create({"name": "O2C Key account"})
        sub_segment = self.env["res.partner.category"].create(
            {"name": "O2C Key account north", "parent_id": segment.id}
        )
        self.partner.category_id = sub_segment
        key_accounts = self.env["o2c.freight.policy"].create(
            {
                "name": "Key accounts ship overnight",
                "company_id": self.company.id,
                "sequence": 50,
                "partner_category_ids": [Command.link(segment.id)],
                "approve_expedited": False,
            }
        )
        order = self._order(self.express)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale", "the segment's policy wins over the company's")

        order_class = self.env["o2c.order.class"].create(
            {"name": "O2C Freight class", "code": "o2c_freight_class", "sequence": 1}
        )
        order = self._order(self.express)
        self.assertEqual(order.o2c_order_class_id, order_class)
        self.env["o2c.freight.policy"].create(
            {
                "name": "Class: every expedited shipment approved",
                "company_id": False,
                "sequence": 99,
                "order_class_ids": [Command.link(order_class.id)],
            }
        )
        self._held(order)
        self.assertTrue(key_accounts.active)

    def test_carrier_change_after_approval_raises_again(self):
        self.etype.resume_after_decision = False  # approved, still a quotation
        order = self._order(self.express)
        exc = self._held(order)
        exc.with_user(self.approver).action_approve("Overnight accepted")
        self.assertEqual((exc.state, order.state), ("approved", "draft"))
        rate = self.express_2.rate_shipment(order)["price"]
        order.with_user(self.salesman).set_delivery_line(self.express_2, rate)
        self.assertEqual(exc.state, "open", "another carrier: the approval no longer holds")
        self.assertIn(self.salesman, exc.conflict_user_ids)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(exc.amount, 90.0)

    def test_delivery_line_change_after_approval_raises_again(self):
        self.etype.resume_after_decision = False
        self.policy.write({"approve_expedited": False, "max_uncharged_freight": 5.0})
        order = self._order(self.standard, price=10.0)
        exc = self._held(order)
        exc.with_user(self.approver).action_approve("Shared freight")
        order.order_line.filtered("is_delivery").with_user(self.salesman).price_unit = 0.0
        self.assertEqual(exc.state, "open")
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(exc.amount, 15.0)

    def test_unrelated_change_keeps_the_approval(self):
        self.etype.resume_after_decision = False
        order = self._order(self.express)
        exc = self._held(order)
        exc.with_user(self.approver).action_approve("Overnight accepted")
        order.with_user(self.salesman).write({"note": "Gate 4", "client_order_ref": "PO-9"})
        self.assertEqual(exc.state, "approved")
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_back_within_policy_resolves(self):
        order = self._order(self.express)
        exc = self._held(order)
        rate = self.standard.rate_shipment(order)["price"]
        order.with_user(self.salesman).set_delivery_line(self.standard, rate)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(exc.state, "resolved")
