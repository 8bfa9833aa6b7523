# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import DisputeReminderCommon


@tagged("post_install", "-at_install")
class TestCommon(DisputeReminderCommon):
    def test_fixture_reminds_both_invoices_without_dispute(self):
        step = self._start()
        self.assertEqual(step.invoice_ids, self.invoice | self.other)
        self.assertFalse(step.o2c_disputed_invoice_ids)
        self.assertFalse(step.o2c_dispute_note)
