# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    """Headless browser: open the control tower, check a tile, drill down to its list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            "o2c_dash_tour",
            "sales_team.group_sale_salesman_all_leads,o2c_exception_base.group_o2c_approver",
        )
        cls.env["o2c.exception.type"].create(
            {"name": "Tour check", "code": "o2c_tour", "stage": "warehouse_execution"}
        )
        partner = cls.env["res.partner"].create({"name": "O2C Tour Customer"})
        product = cls.env["product.product"].create({"name": "O2C Tour Service", "type": "service"})
        orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": product.id, "price_unit": 10})],
                }
                for __ in range(3)
            ]
        )
        cls.exceptions = orders._o2c_raise_exceptions(
            "o2c_tour",
            {order.id: {"name": f"Tour check {i}"} for i, order in enumerate(orders, 1)},
        )

    def test_dashboard_tour(self):
        self.assertEqual(len(self.exceptions), 3)
        self.start_tour(
            "/odoo/o2c-dashboard",  # the action's readable address
            "o2c_dashboard_tour",
            login=self.user.login,
        )
