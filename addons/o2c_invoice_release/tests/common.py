# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import Form, new_test_user
from odoo.tests.common import TransactionCase


class O2cReleaseCommon(TransactionCase):
    """Customers on each release policy, a delivered-quantity product, O2C roles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True))
        cls.company = cls.env.company
        cls.company.write(
            {
                "o2c_invoice_release_policy": "on_delivery",
                "o2c_auto_invoice": True,
                "o2c_auto_post": False,
                "o2c_auto_send": False,
                "o2c_pod_aging_days": 3,
                "o2c_pod_responsible_id": False,
                "o2c_portal_pod": True,
            }
        )
        cls.clerk = new_test_user(
            cls.env,
            "o2c_rel_clerk",
            "base.group_user,sales_team.group_sale_salesman_all_leads,"
            "account.group_account_invoice,o2c_exception_base.group_o2c_user",
        )
        cls.finance = new_test_user(
            cls.env,
            "o2c_rel_finance",
            "base.group_user,sales_team.group_sale_salesman_all_leads,"
            "account.group_account_invoice,o2c_exception_base.group_o2c_approver",
        )
        cls.warehouse = new_test_user(
            cls.env, "o2c_rel_warehouse", "base.group_user,stock.group_stock_user"
        )
        cls.product = cls._product("O2C pallet", is_storable=False)
        Partner = cls.env["res.partner"]
        cls.customer_pod = Partner.create(
            {"name": "POD customer", "o2c_invoice_release_policy": "on_pod"}
        )
        cls.customer_delivery = Partner.create({"name": "Delivery customer"})
        cls.customer_manual = Partner.create(
            {"name": "Manual customer", "o2c_invoice_release_policy": "manual"}
        )

    # ------------------------------------------------------------ helpers
    @classmethod
    def _product(cls, name, **vals):
        """A goods product invoiced on delivered quantities at 10.00, no taxes."""
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "invoice_policy": "delivery",
                "list_price": 10.0,
                "taxes_id": [Command.clear()],
                **vals,
            }
        )

    def _order(self, partner=None, qty=10.0, price=10.0, user=None):
        order = (
            self.env["sale.order"]
            .with_user(user or self.env.user)
            .create(
                {
                    "partner_id": (partner or self.customer_pod).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": qty,
                                "price_unit": price,
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        return order.with_user(self.env.user)

    def _deliver(self, order, qty=None):
        """Validate the open delivery of ``order`` (``qty`` shipped, backorder the rest)."""
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picking.ensure_one()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty if qty is None else qty
        picking.move_ids.picked = True
        res = picking.button_validate()
        if isinstance(res, dict) and res.get("res_model") == "stock.backorder.confirmation":
            Form(self.env[res["res_model"]].with_context(**res["context"])).save().process()
        self.assertEqual(picking.state, "done")
        return picking

    def _proof(self, picking, validate=True, user=None, **vals):
        proof = (
            self.env["o2c.delivery.proof"]
            .with_user(user or self.warehouse)
            .create(
                {
                    "picking_id": picking.id,
                    "kind": "carrier",
                    "tracking_ref": "TRK-1",
                    **vals,
                }
            )
        )
        if validate:
            proof.action_validate()
        return proof

    def _return(self, picking, qty):
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = qty
        res = wizard.action_create_returns()
        returned = self.env["stock.picking"].browse(res["res_id"])
        returned.move_ids.quantity = qty
        returned.move_ids.picked = True
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        return returned

    def _invoice(self, orders, user=None, **vals):
        """Create invoices through the standard wizard; return the new invoices."""
        before = orders.invoice_ids
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_user(user or self.clerk)
            .with_context(active_model="sale.order", active_ids=orders.ids)
            .create({"advance_payment_method": "delivered", **vals})
        )
        wizard.create_invoices()
        return orders.invoice_ids - before

    def _invoiced_qty(self, order):
        return sum(order.order_line.mapped("qty_invoiced"))
