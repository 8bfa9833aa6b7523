# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .common import o2c_exceptions_on_new_orders


@tagged("post_install", "-at_install")
class TestQueueTour(HttpCase):
    """Headless browser, as an approver: from My queue to a decided exception."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.approver = new_test_user(
            cls.env, "o2c_queue_tour", "o2c_exception_base.group_o2c_approver"
        )
        etype = cls.env["o2c.exception.type"].create(
            {"name": "Queue tour", "code": "o2c_queue_tour"}
        )
        cls.exceptions = o2c_exceptions_on_new_orders(cls.env, etype, 2)

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
