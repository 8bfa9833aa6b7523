# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestQueueTour(HttpCase):
    """Headless browser, as an approver: from My queue to a decided exception."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.approver = new_test_user(
            cls.env, "o2c_queue_tour", "o2c_exception_base.group_o2c_approver"
        )
        cls.env["o2c.exception.type"].create({"name": "Queue tour", "code": "o2c_queue_tour"})
        partner = cls.env["res.partner"].create({"name": "O2C Queue Tour Customer"})
        product = cls.env["product.product"].create(
            {"name": "O2C Queue Service", "type": "service"}
        )
        orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [Command.create({"product_id": product.id, "price_unit": 10})],
                }
                for __ in range(2)
            ]
        )
        cls.exceptions = orders._o2c_raise_exceptions(
            "o2c_queue_tour",
            {order.id: {"name": f"Queue tour {i}"} for i, order in enumerate(orders, 1)},
        )

    def test_approve_from_my_queue_in_one_click(self):
        first, second = self.exceptions
        self.start_tour(
            "/odoo/action-o2c_exception_base.o2c_exception_action",
            "o2c_queue_tour",
            login=self.approver.login,
        )
        self.assertEqual(first.state, "approved")
        self.assertEqual(first.decided_by_id, self.approver)
        self.assertEqual(second.state, "open")
