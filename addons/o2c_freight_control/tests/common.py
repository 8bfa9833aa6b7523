# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.addons.o2c_exception_base.tests.common import O2cQueryCountMixin, o2c_test_env
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

CODE = "expedited_freight"
O2C = "o2c_exception_base.group_o2c_"


class O2cFreightCommon(O2cQueryCountMixin, TransactionCase):
    """A salesperson, an approver and a warehouse user, two rated carriers (one
    expedited) and one freight policy of the company.

    Every existing freight policy is archived: each test sees only its own.
    The carriers' delivery products cost nothing on the pricelist, so that the
    pricing policies never judge the delivery lines.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = o2c_test_env(cls.env)
        cls.company = cls.env.company
        # Sales/User: own documents only
        cls.salesman = new_test_user(
            cls.env, "o2c_fr_salesman", f"sales_team.group_sale_salesman,{O2C}user"
        )
        cls.approver = new_test_user(cls.env, "o2c_fr_approver", f"base.group_user,{O2C}approver")
        cls.warehouse = new_test_user(cls.env, "o2c_fr_warehouse", "stock.group_stock_user")
        cls.group_approver = cls.env.ref(f"{O2C}approver")

        cls.partner = cls.env["res.partner"].create({"name": "O2C Freight Customer"})
        cls.pricelist = cls.env["product.pricelist"].create({"name": "O2C Freight Prices"})
        cls.partner.property_product_pricelist = cls.pricelist
        cls.product = cls.env["product.product"].create(
            {
                "name": "O2C Freight Pallet",
                "type": "consu",
                "list_price": 100.0,
                "standard_price": 50.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.standard = cls._carrier("O2C Standard Road", 20.0)
        cls.express = cls._carrier("O2C Overnight", 60.0, o2c_expedited=True)
        cls.express_2 = cls._carrier("O2C Same Day", 90.0, o2c_expedited=True)

        cls.env["o2c.freight.policy"].search([]).active = False
        cls.policy = cls.env["o2c.freight.policy"].create(
            {"name": "O2C test freight policy", "company_id": cls.company.id}
        )
        cls.etype = cls.env["o2c.exception.type"].search([("code", "=", CODE)])

    @classmethod
    def _carrier(cls, name, price, **vals):
        """A carrier rated by rule: ``price`` whatever the order."""
        product = cls.env["product.product"].create(
            {
                "name": f"{name} fee",
                "type": "service",
                "list_price": 0.0,
                "taxes_id": [Command.clear()],
            }
        )
        return cls.env["delivery.carrier"].create(
            {
                "name": name,
                "delivery_type": "base_on_rule",
                "product_id": product.id,
                "price_rule_ids": [
                    Command.create(
                        {
                            "variable": "price",
                            "operator": ">=",
                            "max_value": 0.0,
                            "list_base_price": price,
                        }
                    )
                ],
                **vals,
            }
        )

    def _order(self, carrier=None, qty=1, price=None, lines=1):
        """Quotation of the salesperson with ``lines`` product lines and, with a
        carrier, its delivery line at the carrier's rate (or at ``price``)."""
        env = self.env(user=self.salesman)
        order = env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": qty})
                    for __ in range(lines)
                ],
            }
        )
        if carrier:
            carrier = carrier.with_env(env)
            rate = carrier.rate_shipment(order)
            self.assertTrue(rate["success"], rate.get("error_message"))
            order.set_delivery_line(carrier, rate["price"] if price is None else price)
        return order

    def _exception(self, record):
        return self.env["o2c.exception"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("code", "=", CODE),
                ("state", "in", ("open", "approved", "rejected")),
            ]
        )
