# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.addons.o2c_freight_control.hooks import backfill_confirmed_carriers
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import O2cFreightCommon


@tagged("post_install", "-at_install")
class TestPickingFreight(O2cFreightCommon):
    """A delivery of an order confirmed with the standard carrier, validated by
    the warehouse user."""

    def _delivery(self, carrier=None):
        order = self._order(carrier or self.standard)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        picking = order.picking_ids.with_user(self.warehouse)
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.picking_type_code, "outgoing")
        picking.move_ids.write({"quantity": 1.0, "picked": True})
        return order, picking

    def _held(self, picking):
        picking.button_validate()
        self.assertEqual(picking.state, "assigned", "the delivery is not validated")
        exc = self._exception(picking)
        self.assertEqual(exc.state, "open")
        return exc

    def test_switch_to_expedited_carrier_holds_validation(self):
        __, picking = self._delivery()
        picking.carrier_id = self.express
        exc = self._held(picking)
        self.assertTrue(picking.o2c_blocked)
        self.assertEqual(exc.approver_group_id, self.group_approver)
        self.assertIn("Switched to an expedited carrier", exc.name)
        self.assertIn("O2C Overnight instead of O2C Standard Road", exc.details)
        self.assertEqual(exc.amount, 40.0, "the overnight rate 60 instead of 20")
        self.assertEqual(exc.sale_order_id, picking.sudo().sale_id)

    def test_express_resupply_transfer_for_the_order_is_held(self):
        """A transfer replenishing the order sent with an expedited carrier."""
        order, __ = self._delivery()
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        locations = {
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": warehouse.wh_output_stock_loc_id.id,
        }
        transfer = (
            self.env["stock.picking"]
            .with_user(self.warehouse)
            .create(
                {
                    "picking_type_id": warehouse.int_type_id.id,
                    "carrier_id": self.express.id,
                    "move_type": "direct",
                    "move_ids": [
                        Command.create(
                            {
                                "name": "Resupply",
                                "product_id": self.product.id,
                                "product_uom_qty": 1.0,
                                "product_uom": self.product.uom_id.id,
                                "group_id": order.procurement_group_id.id,
                                **locations,
                            }
                        )
                    ],
                    **locations,
                }
            )
        )
        self.assertEqual(transfer.sudo().sale_id, order)
        transfer.action_confirm()
        transfer.move_ids.write({"quantity": 1.0, "picked": True})
        transfer.button_validate()
        self.assertNotEqual(transfer.state, "done", "held before it is validated")
        exc = self._exception(transfer)
        self.assertIn("Switched to an expedited carrier", exc.name)
        exc.with_user(self.approver).action_approve("The customer's line is down")
        self.assertEqual(transfer.state, "done")

    def test_approved_switch_validates(self):
        __, picking = self._delivery()
        picking.carrier_id = self.express
        exc = self._held(picking)
        exc.with_user(self.approver).action_approve("Line down at the customer")
        self.assertEqual(picking.state, "done", "validated on behalf of the warehouse")

    def test_rejected_switch_waits(self):
        __, picking = self._delivery()
        picking.carrier_id = self.express
        exc = self._held(picking)
        exc.with_user(self.approver).action_reject(
            "Road is fine",
            root_cause_id=self.env.ref("o2c_exception_base.o2c_root_cause_training").id,
        )
        self.assertEqual(picking.state, "assigned")
        picking.button_validate()
        self.assertEqual(picking.state, "assigned")
        with self.assertRaises(UserError):
            picking._action_done()
        self.assertEqual(picking.state, "assigned")

    def test_back_to_the_order_carrier_resolves(self):
        __, picking = self._delivery()
        picking.carrier_id = self.express
        exc = self._held(picking)
        picking.carrier_id = self.standard
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(exc.state, "resolved")

    def test_same_carrier_as_the_order_passes(self):
        __, picking = self._delivery()
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.o2c_exception_ids)

    def test_approved_expedited_order_ships_without_new_approval(self):
        order = self._order(self.express)
        order.with_user(self.salesman).action_confirm()
        self._exception(order).with_user(self.approver).action_approve("Overnight accepted")
        picking = order.picking_ids.with_user(self.warehouse)
        picking.move_ids.write({"quantity": 1.0, "picked": True})
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_carrier_changed_on_the_confirmed_order_holds_the_delivery(self):
        """Odoo moves the pending deliveries to the order's new carrier: the
        delivery is judged against the carrier the order was confirmed with."""
        order, picking = self._delivery()
        rate = self.express.rate_shipment(order)["price"]
        order.with_user(self.salesman).set_delivery_line(self.express, rate)
        self.assertEqual(picking.carrier_id, self.express)
        self.assertEqual(order.o2c_freight_carrier_id, self.standard)
        self._held(picking)

    def test_expedited_carrier_added_after_confirmation_holds_the_delivery(self):
        order = self._order()
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.o2c_freight_carrier_id)
        rate = self.express.rate_shipment(order)["price"]
        order.with_user(self.salesman).set_delivery_line(self.express, rate)
        picking = order.picking_ids.with_user(self.warehouse)
        self.assertEqual(picking.carrier_id, self.express)
        picking.move_ids.write({"quantity": 1.0, "picked": True})
        exc = self._held(picking)
        self.assertIn("O2C Overnight instead of no carrier", exc.details)
        self.assertEqual(exc.amount, 60.0)

    def test_shipping_cost_above_the_maximum_holds(self):
        self.policy.max_freight_cost = 100.0
        __, picking = self._delivery()
        picking.carrier_price = 130.0
        exc = self._held(picking)
        self.assertIn("Shipping cost", exc.name)
        self.assertEqual(exc.amount, 30.0)
        exc.with_user(self.approver).action_approve("Heavy pallet")
        self.assertEqual(picking.state, "done")

    def test_shipping_cost_changed_after_approval_raises_again(self):
        self.etype.resume_after_decision = False
        self.policy.max_freight_cost = 100.0
        __, picking = self._delivery()
        picking.carrier_price = 130.0
        exc = self._held(picking)
        exc.with_user(self.approver).action_approve("Heavy pallet")
        self.assertEqual(picking.state, "assigned")
        picking.carrier_price = 180.0
        self.assertEqual(exc.state, "open")
        self._held(picking)
        self.assertEqual(exc.amount, 80.0)

    def test_install_records_the_carrier_of_confirmed_orders(self):
        order, __ = self._delivery()
        quotation = self._order(self.express)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_order SET o2c_freight_carrier_id = NULL WHERE id IN %s",
            [(order.id, quotation.id)],
        )
        backfill_confirmed_carriers(self.env)
        self.assertEqual(order.o2c_freight_carrier_id, self.standard)
        self.assertFalse(quotation.o2c_freight_carrier_id, "not confirmed: nothing recorded")
