# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import O2cFulfillmentCommon


@tagged("post_install", "-at_install")
class TestBackorderCronIsolation(O2cFulfillmentCommon):
    """An order whose backorder check fails is parked; the others are checked."""

    def test_backorder_cron_parks_the_failing_order(self):
        product = self._product("O2C Late Widget", 20.0)
        soon = fields.Datetime.now() + timedelta(days=1)
        orders = self.env["sale.order"]
        for _i in range(3):
            orders |= self._order([(product, 5, 20.0)], commitment_date=soon)
        bad = orders[1]
        SaleOrder = self.env.registry["sale.order"]
        original = SaleOrder._o2c_check_and_plan
        calls = []

        def check_and_plan(records):
            calls.append(records.ids)
            if bad in records:
                message = f"No route to replenish {bad.name}"
                raise UserError(message)
            return original(records)

        with (
            self._capture_procurements(),
            patch.object(SaleOrder, "_o2c_check_and_plan", check_and_plan),
        ):
            self.env["sale.order"]._cron_o2c_check_backorders()
            for good in orders - bad:
                self.assertEqual(self._exceptions(good, "backorder").o2c_missing_qty, 5.0)
            self.assertFalse(self._exceptions(bad, "backorder"), "its work is rolled back")
            self.assertEqual(bad.o2c_backorder_check_error, f"No route to replenish {bad.name}")
            self.assertIn("Backorder check failed", bad.message_ids[0].body)
            calls.clear()
            self.env["sale.order"]._cron_o2c_check_backorders()
            self.assertNotIn(bad.id, [oid for ids in calls for oid in ids], "not retried")
        bad.with_user(self.salesperson).action_o2c_retry_backorder_check()
        self.assertFalse(bad.o2c_backorder_check_error)
        with self._capture_procurements():
            self.env["sale.order"]._cron_o2c_check_backorders()
        self.assertEqual(self._exceptions(bad, "backorder").o2c_missing_qty, 5.0)
