# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import DisputeCreditControlCommon


@tagged("post_install", "-at_install")
class TestCommon(DisputeCreditControlCommon):
    def test_fixture_dunns_both_invoices_without_dispute(self):
        run = self._run()
        self.assertEqual(run.line_ids.invoice_id, self.invoice | self.other)
        self.assertEqual(self._lines(run, self.invoice).balance_due, 1150.0)
        self.assertFalse(run.o2c_disputed_move_ids)
        self.assertNotIn("Disputed", run.report)
