# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import O2cFulfillmentCommon


@tagged("post_install", "-at_install")
class TestBackorder(O2cFulfillmentCommon):
    """Validating part of a delivery raises a backorder and follows it up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock(cls.product, 4)

    def test_backorder_raises_exception_with_missing_qty_and_value(self):
        order = self._backordered_order()
        exc = self._exceptions(order, "backorder")
        self.assertEqual(len(exc), 1)
        self.assertEqual(exc.o2c_missing_qty, 6.0)
        self.assertEqual(exc.amount, 300.0)
        self.assertFalse(exc.blocking)
        self.assertEqual(exc.stage, "fulfillment_planning")
        self.assertIn(self._backorder_picking(order).name, exc.name)

    @freeze_time("2026-03-02 10:00:00")
    def test_backorder_requests_replenishment_for_missing_qty(self):
        with self._capture_procurements() as procurements:
            order = self._backordered_order()
        self.assertEqual(len(procurements), 1)
        procurement = procurements[0]
        self.assertEqual(procurement.product_id, self.product)
        self.assertEqual(procurement.product_qty, 6.0)
        self.assertEqual(procurement.location_id, self.warehouse.lot_stock_id)
        self.assertEqual(procurement.origin, order.name)
        self.assertEqual(procurement.values["warehouse_id"], self.warehouse)
        self.assertEqual(
            procurement.values["date_planned"], datetime(2026, 3, 7, 10), "vendor lead time"
        )
        self.assertIn("Replenishment requested: 6", str(self._replenishment_notes(order).body))

    def test_incoming_supply_is_deducted_from_the_need(self):
        supply = {(self.product, self.warehouse): (4.0, None)}
        with self._incoming_supply(supply), self._capture_procurements() as procurements:
            self._backordered_order()
        self.assertEqual([p.product_qty for p in procurements], [2.0], "6 missing - 4 incoming")

    def test_incoming_supply_covering_the_need_orders_nothing(self):
        supply = {(self.product, self.warehouse): (6.0, None)}
        with self._incoming_supply(supply), self._capture_procurements() as procurements:
            order = self._backordered_order()
        self.assertFalse(procurements)
        self.assertFalse(self._replenishment_notes(order))

    def test_backorder_schedules_activity_for_salesperson(self):
        self.policy.communication = "activity"
        order = self._backordered_order()
        activity_type = self.env.ref("o2c_fulfillment.mail_activity_type_o2c_backorder")
        activity = order.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.salesperson)
        self.assertIn(
            self.env.ref("o2c_fulfillment.mail_template_o2c_backorder_notice"),
            activity_type.mail_template_ids,
        )

    @freeze_time("2026-03-02 10:00:00")
    def test_promised_date_from_vendor_lead_time(self):
        order = self._backordered_order()
        # now + 5 days of vendor lead time + 1 buffer day
        self.assertEqual(order.o2c_promised_date, datetime(2026, 3, 8, 10))
        self.assertEqual(self._backorder_picking(order).scheduled_date, datetime(2026, 3, 8, 10))

    @freeze_time("2026-03-02 10:00:00")
    def test_promised_date_from_policy_lead_time_without_vendor(self):
        product = self._product("O2C Unsourced", 10.0, seller_ids=[Command.clear()])
        self._stock(product, 1)
        order = self._order([(product, 3, 10.0)])
        self._deliver(order.picking_ids, {product: 1})
        # now + 14 default lead days + 1 buffer day
        self.assertEqual(order.o2c_promised_date, datetime(2026, 3, 17, 10))

    @freeze_time("2026-03-02 10:00:00")
    def test_promised_date_follows_incoming_supply(self):
        supply = {(self.product, self.warehouse): (6.0, datetime(2026, 3, 4, 8))}
        with self._incoming_supply(supply):
            order = self._backordered_order()
        self.assertEqual(order.o2c_promised_date, datetime(2026, 3, 5, 8))
        self.assertEqual(self._backorder_picking(order).scheduled_date, datetime(2026, 3, 5, 8))

    def test_policy_auto_sends_the_notice(self):
        self.policy.communication = "auto"
        order = self._backordered_order()
        comment = self.env.ref("mail.mt_comment")
        sent = order.message_ids.filtered(
            lambda m: m.subtype_id == comment and "backordered" in (m.subject or "")
        )
        self.assertEqual(len(sent), 1)
        self.assertIn(self.customer, sent.partner_ids)
        self.assertFalse(order.activity_ids)

    def test_category_policy_without_replenishment(self):
        self.env["o2c.fulfillment.policy"].create(
            {
                "name": "No replenishment for this category",
                "categ_ids": [(4, self.categ.id)],
                "replenish": False,
                "communication": "none",
            }
        )
        with self._capture_procurements() as procurements:
            order = self._backordered_order()
        self.assertFalse(procurements)
        self.assertFalse(self._replenishment_notes(order))
        self.assertFalse(order.activity_ids)
        self.assertEqual(len(self._exceptions(order, "backorder")), 1)

    def test_policy_limited_to_order_class(self):
        matching = self.env["o2c.order.class"].create(
            {
                "name": "Fulfil class",
                "code": "o2c_ff_cls",
                "product_categ_ids": [(4, self.categ.id)],
            }
        )
        other = self.env["o2c.order.class"].create(
            {
                "name": "Other class",
                "code": "o2c_ff_other",
                "sequence": 99,
                "team_ids": [(0, 0, {"name": "O2C nobody's team"})],
            }
        )
        policy = self.env["o2c.fulfillment.policy"].create(
            {
                "name": "No replenishment for the other class",
                "order_class_ids": [(4, other.id)],
                "replenish": False,
                "communication": "none",
            }
        )
        with self._capture_procurements() as procurements:
            order = self._backordered_order()
        self.assertEqual(order.o2c_order_class_id, matching)
        self.assertTrue(procurements, "the class policy does not apply")
        policy.order_class_ids = matching
        order_2 = self._backordered_order()
        self.assertFalse(order_2.activity_ids, "the class policy applies: no communication")

    def test_partial_shipment_lowers_the_exception(self):
        order = self._backordered_order()
        self._stock(self.product, 2)
        backorder = self._backorder_picking(order)
        backorder.action_assign()
        self._deliver(backorder, {self.product: 2})
        exc = self._exceptions(order, "backorder")
        self.assertEqual(exc.state, "open")
        self.assertEqual(exc.o2c_missing_qty, 4.0)
        self.assertEqual(exc.amount, 200.0)
        self.assertTrue(exc.message_ids.filtered(lambda m: "Partially shipped" in str(m.body)))

    def test_exception_resolves_when_backorder_ships(self):
        order = self._backordered_order()
        exc = self._exceptions(order, "backorder")
        self._stock(self.product, 6)
        backorder = self._backorder_picking(order)
        backorder.action_assign()
        self._deliver(backorder, {self.product: 6})
        self.assertEqual(exc.state, "resolved")
        self.assertEqual(order.delivery_status, "full")

    def test_acknowledged_backorder_resolves_too(self):
        order = self._backordered_order()
        exc = self._exceptions(order, "backorder")
        exc.with_user(self.approver).action_approve("Customer informed, RFQ sent")
        self._stock(self.product, 6)
        backorder = self._backorder_picking(order)
        backorder.action_assign()
        self._deliver(backorder, {self.product: 6})
        self.assertEqual(exc.state, "resolved")

    def test_acknowledged_backorder_stays_acknowledged_while_shipping(self):
        order = self._backordered_order()
        exc = self._exceptions(order, "backorder")
        exc.with_user(self.approver).action_approve("Customer informed, RFQ sent")
        self._stock(self.product, 2)
        backorder = self._backorder_picking(order)
        backorder.action_assign()
        self._deliver(backorder, {self.product: 2})
        self.assertEqual(exc.state, "approved")
        self.assertEqual(exc.o2c_missing_qty, 4.0)

    def test_cancel_backorder_requires_reason(self):
        order = self._backordered_order()
        backorder = self._backorder_picking(order)
        with self.assertRaises(UserError) as cm:
            backorder.with_user(self.stock_user).action_cancel()
        self.assertIn("Cancellation Reason", str(cm.exception))
        self.assertNotEqual(backorder.state, "cancel")

    def test_cancel_backorder_with_reason_resolves(self):
        order = self._backordered_order()
        exc = self._exceptions(order, "backorder")
        backorder = self._backorder_picking(order)
        action = backorder.with_user(self.stock_user).action_o2c_cancel_backorder()
        form = Form(
            self.env["o2c.backorder.cancel.wizard"]
            .with_user(self.stock_user)
            .with_context(**action["context"])
        )
        form.reason_id = self.reason_cancel
        form.save().action_confirm()
        self.assertEqual(backorder.state, "cancel")
        self.assertEqual(backorder.o2c_cancel_reason_id, self.reason_cancel)
        self.assertEqual(exc.state, "resolved")
        self.assertIn(self.reason_cancel.name, exc.decision_reason)

    def test_cancel_reason_other_needs_a_note(self):
        other = self.env.ref("o2c_fulfillment.o2c_reason_code_cancel_other")
        backorder = self._backorder_picking(self._backordered_order())
        with self.assertRaises(UserError) as cm:
            backorder.with_user(self.stock_user).with_context(
                o2c_cancel_reason_id=other.id
            ).action_cancel()
        self.assertIn("Cancellation Note", str(cm.exception))

    def test_order_cancel_settles_backorder(self):
        order = self._backordered_order()
        exc = self._exceptions(order, "backorder")
        order.with_user(self.manager).with_context(disable_cancel_warning=True)._action_cancel()
        self.assertEqual(exc.state, "resolved")
        self.assertIn("cancelled", exc.decision_reason)

    def test_commitment_date_not_reservable_raises_backorder(self):
        product = self._product("O2C Late Widget", 20.0)
        order = self._order(
            [(product, 5, 20.0)],
            commitment_date=fields.Datetime.now() + timedelta(days=1),
        )
        with self._capture_procurements() as procurements:
            self.env["sale.order"]._cron_o2c_check_backorders()
        exc = self._exceptions(order, "backorder")
        self.assertEqual(exc.o2c_missing_qty, 5.0)
        self.assertIn("Not reservable", exc.details)
        self.assertEqual([(p.product_id, p.product_qty) for p in procurements], [(product, 5.0)])

    def test_order_older_than_the_install_is_watched_once_touched(self):
        """History: an order untouched since o2c was installed raises nothing."""
        product = self._product("O2C Old Widget", 20.0)
        order = self._order(
            [(product, 5, 20.0)],
            commitment_date=fields.Datetime.now() + timedelta(days=1),
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_order SET write_date = write_date - interval '1 day' WHERE id = %s;"
            "UPDATE stock_picking SET write_date = write_date - interval '1 day' "
            "WHERE sale_id = %s",
            [order.id, order.id],
        )
        self.env["ir.config_parameter"].sudo().set_param(
            "o2c_fulfillment.commitment_watch_since", fields.Datetime.to_string(self.env.cr.now())
        )
        with self._capture_procurements():
            self.env["sale.order"]._cron_o2c_check_backorders()
        self.assertFalse(self._exceptions(order, "backorder"))
        order.note = "Customer called: still needed on the promised day"
        with self._capture_procurements():
            self.env["sale.order"]._cron_o2c_check_backorders()
        self.assertEqual(self._exceptions(order, "backorder").o2c_missing_qty, 5.0)

    def test_commitment_date_far_away_is_not_a_backorder(self):
        product = self._product("O2C Later Widget", 20.0)
        order = self._order(
            [(product, 5, 20.0)],
            commitment_date=fields.Datetime.now() + timedelta(days=10),
        )
        self.env["sale.order"]._cron_o2c_check_backorders()
        self.assertFalse(self._exceptions(order, "backorder"))

    def test_reserved_delivery_resolves_commitment_backorder(self):
        product = self._product("O2C Late Widget", 20.0)
        order = self._order(
            [(product, 5, 20.0)],
            commitment_date=fields.Datetime.now() + timedelta(days=1),
        )
        self.env["sale.order"]._cron_o2c_check_backorders()
        exc = self._exceptions(order, "backorder")
        self._stock(product, 5)
        order.picking_ids.action_assign()
        self.env["sale.order"]._cron_o2c_check_backorders()
        self.assertEqual(exc.state, "resolved")

    def _receipts(self, product, warehouse=None):
        """Moves bringing ``product`` into the warehouse stock, not done yet."""
        return self.env["stock.move"].search(
            [
                ("product_id", "=", product.id),
                ("location_dest_id", "=", (warehouse or self.warehouse).lot_stock_id.id),
                ("state", "not in", ("done", "cancel")),
            ]
        )

    def test_second_backorder_orders_its_own_missing_qty(self):
        self._backordered_order()
        order = self._order([(self.product, 3, 50.0)])
        with self._capture_procurements() as procurements:
            self.env["o2c.fulfillment.planner"]._plan(order.picking_ids.move_ids)
        self.assertEqual([p.product_qty for p in procurements], [3.0], "not the whole deficit")

    def test_replenishment_failure_does_not_block_delivery(self):
        """No replenishment rule at all: a note on the order, never an error."""
        self.warehouse.reception_route_id.active = False
        order = self._backordered_order()
        self.assertEqual(self._backorder_picking(order).state, "confirmed")
        self.assertEqual(len(self._exceptions(order, "backorder")), 1)
        note = self._replenishment_notes(order)
        self.assertEqual(len(note), 1)
        self.assertIn("Replenishment of O2C Widget failed", str(note.body))
        self.assertIn("No rule has been found", str(note.body))
        self.assertFalse(self._receipts(self.product))

    def test_replenishment_failure_does_not_stop_the_others(self):
        """One product without rule does not stop the replenishment of the rest."""
        self.warehouse.reception_route_id.active = False
        source = self.env["stock.warehouse"].create(
            {"name": "O2C Source", "code": "O2SRC", "company_id": self.company.id}
        )
        self.warehouse.resupply_wh_ids = source
        routed = self._product(
            "O2C Resupplied Widget",
            10.0,
            route_ids=[Command.set(self.warehouse.resupply_route_ids.ids)],
        )
        self._stock(routed, 1)
        self._stock(routed, 50, warehouse=source)
        order = self._order([(self.product, 10, 50.0), (routed, 3, 10.0)])
        self._deliver(order.picking_ids, {self.product: 4, routed: 1})
        body = str(self._replenishment_notes(order).body)
        self.assertIn("Replenishment of O2C Widget failed", body)
        self.assertIn("Replenishment requested: 2", body)
        self.assertEqual(self._receipts(routed).product_uom_qty, 2.0)
        self.assertFalse(self._receipts(self.product))
