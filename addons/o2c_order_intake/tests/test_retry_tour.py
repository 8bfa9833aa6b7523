# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import O2cIntakeCommon

INTEGRATION = "o2c_exception_base.group_o2c_integration"


@tagged("post_install", "-at_install")
class TestRetryTour(O2cIntakeCommon, HttpCase):
    """In the browser: a salesperson retries the orders the confirmation job parked."""

    def test_salesperson_retries_parked_orders_in_the_browser(self):
        result = self._import(self._csv(self._rows(orders=2, lines=2)), "PO-TOUR.csv")
        orders = self.env["sale.order"].browse(result["order_ids"])
        # the integration account lost its sales rights before the job ran
        self.integration.groups_id = [Command.set([self.env.ref("base.group_user").id])]
        self.assertEqual(self._confirm_imported(batch_size=10), 2)
        self.assertEqual(set(orders.mapped("o2c_intake_state")), {"parked"})
        self.integration.groups_id = [Command.link(self.env.ref(INTEGRATION).id)]
        self.assertFalse(self.salesman.has_group("base.group_system"))
        self.start_tour(
            f"/odoo/action-o2c_order_intake.o2c_order_import_action/{result['import_id']}",
            "o2c_order_import_retry",
            login=self.salesman.login,
        )
        self.env.invalidate_all()
        self.assertEqual(set(orders.mapped("o2c_intake_state")), {"waiting"})
        self.assertEqual(set(orders.mapped("o2c_intake_error")), {False})
        self.assertEqual(self._confirm_imported(), 2)
        self.assertEqual(set(orders.mapped("state")), {"sale"})
