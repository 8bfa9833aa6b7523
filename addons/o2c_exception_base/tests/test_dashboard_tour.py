# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .common import o2c_exceptions_on_new_orders


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
        etype = cls.env["o2c.exception.type"].create(
            {"name": "Tour check", "code": "o2c_tour", "stage": "warehouse_execution"}
        )
        cls.exceptions = o2c_exceptions_on_new_orders(cls.env, etype, 3)

    def test_dashboard_tour(self):
        self.assertEqual(len(self.exceptions), 3)
        self.start_tour(
            "/odoo/o2c-dashboard",  # the action's readable address
            "o2c_dashboard_tour",
            login=self.user.login,
        )
