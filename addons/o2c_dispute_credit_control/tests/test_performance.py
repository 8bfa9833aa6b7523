# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.o2c_exception_base.tests.common import O2cQueryCountMixin
from odoo.tests import tagged

from .common import DisputeCreditControlCommon


@tagged("post_install", "-at_install")
class TestDisputeCreditControlPerformance(O2cQueryCountMixin, DisputeCreditControlCommon):
    """The disputed parts of a run's move lines cost a fixed number of queries."""

    def _disputed_receivables(self, count):
        invoices = self._disputed_invoices(count, 15.0)
        return invoices.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable"
        )

    def _parts_and_notes(self, receivables):
        parts = receivables._o2c_disputed_parts()
        notes = receivables.move_id._o2c_credit_control_dispute_notes()
        return parts, notes

    def test_disputed_parts_queries_flat(self):
        self._o2c_queries(self._parts_and_notes, self._disputed_receivables(3))
        small = self._disputed_receivables(5)
        big = self._disputed_receivables(40)
        (parts5, notes5), queries5 = self._o2c_queries(self._parts_and_notes, small)
        (parts40, notes40), queries40 = self._o2c_queries(self._parts_and_notes, big)
        self.assertEqual(set(parts40.values()), {15.0})
        self.assertEqual((len(parts5), len(notes5), len(notes40)), (5, 5, 40))
        self.assertFlatQueries(queries5, queries40)
