# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import O2cIntakeCommon

#: queries per order that may differ between a file of 2 orders and one of 10
#: (the per-file work is shared by more orders: the bigger file costs less; about
#: 74 queries per file and 14 per order of 5 lines: the confirmation is the job's)
PER_ORDER_SLACK = 3
#: most queries the confirmation job may spend on an order of 5 lines (84 measured;
#: in one transaction with 9 others it would cost about 48, but any conflict with
#: another user's stock reservation would then cost the 10 confirmations)
JOB_QUERIES_PER_ORDER = 90


@tagged("post_install", "-at_install")
class TestImportPerformance(O2cIntakeCommon):
    """500 lines in one batch; the cost per order does not grow with the file."""

    def test_500_lines_as_10_orders_of_50(self):
        result = self._import_and_confirm(self._csv(self._rows(orders=10, lines=50)))
        orders = self.env["sale.order"].browse(result["order_ids"])
        self.assertEqual(len(orders), 10)
        self.assertEqual(len(orders.order_line), 500)
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        self.assertEqual(len(orders.picking_ids.move_ids), 500)

    def test_500_lines_as_one_order(self):
        rows = self._rows(orders=1, lines=500)
        result = self._import_and_confirm(self._csv(rows))
        order = self.env["sale.order"].browse(result["order_ids"])
        self.assertEqual(len(order.order_line), 500)
        self.assertEqual(order.state, "sale")

    def test_queries_per_order_flat(self):
        self._import(self._csv(self._rows(orders=2, lines=5, prefix="WARM")))
        counts = {
            size: self._o2c_query_count(
                self._import, self._csv(self._rows(orders=size, lines=5, prefix=f"N{size}-"))
            )
            for size in (2, 6, 10)
        }
        label = f"queries by number of orders: {counts}"
        self.assertLessEqual(counts[10] / 10, counts[2] / 2 + PER_ORDER_SLACK, label)
        # each added order costs the same, however many the file has
        first, second = (counts[6] - counts[2]) / 4, (counts[10] - counts[6]) / 4
        self.assertLessEqual(abs(second - first), 1, label)

    def test_confirmation_job_queries_per_order_flat(self):
        """The job confirms one order per transaction: each costs the same (about 84
        queries for 5 lines, lock and marker included), however many wait."""
        self._import_and_confirm(self._csv(self._rows(orders=2, lines=5, prefix="WARM")))
        counts = {}
        # the first count after an import reads the importing user's record rules
        # again (about 60 queries once): counted apart
        for size in ("cold", 2, 6, 10):
            orders = 1 if size == "cold" else size
            self._import(self._csv(self._rows(orders=orders, lines=5, prefix=f"J{size}-")))
            counts[size] = self._o2c_query_count(self._confirm_imported)
        label = f"confirmation job queries by number of orders: {counts}"
        first, second = (counts[6] - counts[2]) / 4, (counts[10] - counts[6]) / 4
        self.assertLessEqual(abs(second - first), 1, label)
        self.assertLessEqual(second, JOB_QUERIES_PER_ORDER, label)
