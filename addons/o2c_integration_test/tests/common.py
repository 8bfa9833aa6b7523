# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, fields
from odoo.api import call_kw
from odoo.service.model import get_public_method
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class AttackCommon(TransactionCase):
    """Every o2c addon installed; users per role; a customer at its credit limit.

    :meth:`rpc` calls a method the way an RPC client does (``call_kw`` on a
    public method, with any context the attacker chooses), as a given user, in
    a savepoint rolled back when the call fails, like the request's transaction.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True))
        cls.company = cls.env.company
        cls.today = fields.Date.context_today(cls.env.user)
        o2c = "o2c_exception_base.group_o2c_%s"
        cls.salesman = new_test_user(
            cls.env, "atk_salesman", "sales_team.group_sale_salesman," + o2c % "user"
        )
        cls.warehouse = new_test_user(cls.env, "atk_warehouse", "stock.group_stock_user")
        cls.billing = new_test_user(cls.env, "atk_billing", "account.group_account_invoice")
        cls.approver = new_test_user(
            cls.env, "atk_approver", "sales_team.group_sale_salesman_all_leads," + o2c % "approver"
        )
        cls.approver_2 = new_test_user(
            cls.env, "atk_approver2", "sales_team.group_sale_salesman_all_leads," + o2c % "approver"
        )
        cls.manager = new_test_user(
            cls.env, "atk_manager", "sales_team.group_sale_manager," + o2c % "manager"
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Attack product",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "standard_price": 60.0,
                "invoice_policy": "delivery",
                "taxes_id": [Command.clear()],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Attack Customer", "is_company": True}
        )
        cls.stock_location = cls.env.ref("stock.warehouse0").lot_stock_id
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.stock_location, 100)

    # ---------------------------------------------------------- HELPERS
    def rpc(self, user, model, method, *args, context=None, **kwargs):
        """Call ``model.method(*args, **kwargs)`` as an RPC client logged in as ``user``."""
        env = self.env(user=user, context={}, su=False)
        records = env[model]
        get_public_method(records, method)  # refuses private methods, like the RPC layer
        try:
            with self.env.cr.savepoint():
                result = call_kw(records, method, list(args), dict(kwargs, context=context or {}))
                env.flush_all()
        except Exception:
            self.env.invalidate_all(flush=False)
            raise
        self.env.invalidate_all()
        return result

    def snapshot(self, records, fnames):
        """Values of ``fnames`` of ``records`` as stored (read fresh as superuser)."""
        self.env.invalidate_all()
        return records.sudo().read(fnames)

    def assertUnchanged(self, records, fnames, before):
        self.assertEqual(self.snapshot(records, fnames), before)

    def quotation(self, user=None, discount=0.0, qty=1.0, customer=None):
        """A quotation of ``product`` created by ``user`` (the salesman by default)."""
        order = (
            self.env["sale.order"]
            .with_user(user or self.salesman)
            .create(
                {
                    "partner_id": (customer or self.customer).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": qty,
                                "discount": discount,
                            }
                        )
                    ],
                }
            )
        )
        return order.sudo()

    # ---------------------------------------------------- HELD DOCUMENTS
    @classmethod
    def _hold_type(cls):
        """A blocking exception type approved by O2C approvers (created once)."""
        etype = cls.env["o2c.exception.type"].search([("code", "=", "o2c_atk_hold")])
        return etype or cls.env["o2c.exception.type"].create(
            {
                "name": "Attack test hold",
                "code": "o2c_atk_hold",
                "stage": "order_validation",
                "blocking": True,
                "sla_hours": 4,
            }
        )

    def held(self, records):
        """Hold ``records`` with a blocking exception raised by the engine (as the system)."""
        self._hold_type()
        excs = records.sudo()._o2c_api_raise(records.ids, "o2c_atk_hold", "Held for the test")
        self.assertTrue(all(records.sudo().mapped("o2c_blocked")))
        return excs

    def delivery(self):
        """A confirmed order's ready delivery (nothing held), reserved."""
        order = self.quotation()
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.quantity = 1.0
        return picking

    def invoice(self):
        """A draft customer invoice of one manual line (no order)."""
        return (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [
                        Command.create({"name": "Service", "quantity": 1, "price_unit": 50.0})
                    ],
                }
            )
        )
