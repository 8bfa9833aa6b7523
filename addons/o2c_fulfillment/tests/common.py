# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import contextmanager
from unittest.mock import patch

from odoo import Command
from odoo.tests import Form, new_test_user
from odoo.tests.common import TransactionCase


class O2cFulfillmentCommon(TransactionCase):
    """Sales, warehouse and approver users, a vendor, storable products; no demo data.

    The products have a vendor (lead time 5 days) but no replenishment route:
    supply addons give them theirs by overriding ``_product_routes``.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=False,
                mail_notrack=False,
                no_reset_password=True,
                mail_create_nolog=True,
            )
        )
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        o2c = "o2c_exception_base.group_o2c_"
        cls.salesperson = new_test_user(
            cls.env, "o2c_f_sales", f"sales_team.group_sale_salesman,{o2c}user"
        )
        cls.stock_user = new_test_user(cls.env, "o2c_f_stock", f"stock.group_stock_user,{o2c}user")
        cls.approver = new_test_user(
            cls.env, "o2c_f_approver", f"stock.group_stock_user,{o2c}approver"
        )
        cls.manager = new_test_user(
            cls.env,
            "o2c_f_manager",
            f"stock.group_stock_manager,sales_team.group_sale_manager,{o2c}manager",
        )
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "O2C Fulfil Customer", "email": "c@example.com"})
        cls.vendor = Partner.create({"name": "O2C Fulfil Vendor"})
        cls.categ = cls.env["product.category"].create({"name": "O2C Fulfil"})
        cls.product = cls._product("O2C Widget", 50.0)
        cls.substitute = cls._product("O2C Widget Plus", 60.0)
        cls.product.o2c_substitute_product_ids = cls.substitute
        cls.policy = cls.env.ref("o2c_fulfillment.o2c_fulfillment_policy_default")
        cls.reason_stockout = cls.env.ref("o2c_fulfillment.o2c_reason_code_short_stockout")
        cls.reason_other = cls.env.ref("o2c_fulfillment.o2c_reason_code_short_other")
        cls.reason_cancel = cls.env.ref("o2c_fulfillment.o2c_reason_code_cancel_customer")

    @classmethod
    def _product_routes(cls):
        """Routes of the products the tests create (none here: no supply addon)."""
        return cls.env["stock.route"]

    @classmethod
    def _product(cls, name, price, **vals):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "is_storable": True,
                "list_price": price,
                "invoice_policy": "delivery",
                "standard_price": price / 2,
                "categ_id": cls.categ.id,
                # explicit: a supply addon may give new products a default route
                "route_ids": [Command.set(cls._product_routes().ids)],
                "seller_ids": [
                    Command.create({"partner_id": cls.vendor.id, "price": price / 2, "delay": 5})
                ],
                **vals,
            }
        )

    @classmethod
    def _stock(cls, product, qty, warehouse=None, lot=None):
        cls.env["stock.quant"]._update_available_quantity(
            product, (warehouse or cls.warehouse).lot_stock_id, qty, lot_id=lot
        )

    def _substitute_form(self, picking):
        """The substitution wizard the warehouse opens from the moves of ``picking``."""
        action = picking.move_ids.with_user(self.stock_user).action_o2c_substitute()
        return Form(
            self.env["o2c.substitute.wizard"]
            .with_user(self.stock_user)
            .with_context(**action["context"])
        )

    @classmethod
    def _order(cls, lines, warehouse=None, user=None, **vals):
        """Create and confirm an order of ``[(product, qty, price)]`` as the salesperson."""
        env = cls.env(user=user or cls.salesperson)
        order = env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "warehouse_id": (warehouse or cls.warehouse).id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": q, "price_unit": price})
                    for p, q, price in lines
                ],
                **vals,
            }
        )
        order.action_confirm()
        return order.with_env(cls.env)

    def _set_quantities(self, picking, quantities):
        for move in picking.move_ids.filtered(lambda m: m.state != "cancel"):
            move.quantity = quantities.get(move.product_id, 0.0)
            move.picked = True

    def _deliver(self, picking, quantities, backorder=True, reason=None, note=None, user=None):
        """Validate ``picking`` shipping ``{product: qty}`` as the warehouse user.

        Answers the backorder wizard: create the backorder, or close without one
        with the short pick ``reason``. Returns what ``button_validate`` returned.
        """
        picking = picking.with_user(user or self.stock_user)
        self._set_quantities(picking, quantities)
        res = picking.button_validate()
        if isinstance(res, dict) and res.get("res_model") == "stock.backorder.confirmation":
            form = Form(picking.env["stock.backorder.confirmation"].with_context(**res["context"]))
            if reason:
                form.o2c_short_reason_id = reason
                form.o2c_short_note = note or ""
            wizard = form.save()
            res = wizard.process() if backorder else wizard.process_cancel_backorder()
        return res

    def _backordered_order(self, ordered=10, shipped=4, price=50.0):
        """An order of ``self.product`` shipped in part: its rest is backordered."""
        order = self._order([(self.product, ordered, price)])
        self._deliver(order.picking_ids, {self.product: shipped})
        return order

    def _backorder_picking(self, order):
        return order.picking_ids.filtered(lambda p: p.backorder_id and p.state != "done")

    def _exceptions(self, record, code, states=("open", "approved", "rejected")):
        return self.env["o2c.exception"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "in", record.ids),
                ("code", "=", code),
                ("state", "in", list(states)),
            ]
        )

    def _replenishment_notes(self, order):
        """The order's internal notes about the replenishment."""
        return order.message_ids.filtered(lambda m: "Replenishment" in str(m.body))

    @contextmanager
    def _capture_procurements(self):
        """Record the procurements the planner runs instead of running them."""
        captured = []

        def run(planner, procurements):
            captured.extend(procurements)
            return {}

        with patch.object(self.registry["o2c.fulfillment.planner"], "_run_procurements", run):
            yield captured

    @contextmanager
    def _incoming_supply(self, supply):
        """Make the planner see ``{(product, warehouse): (qty, date)}`` as incoming."""

        def incoming(planner, products, warehouses):
            return {(p.id, w.id): value for (p, w), value in supply.items()}

        planner = self.registry["o2c.fulfillment.planner"]
        with patch.object(planner, "_o2c_incoming_supply", incoming):
            yield
