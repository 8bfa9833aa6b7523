# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.o2c_exception_base.tests.common import O2cQueryCountMixin
from odoo.tests import tagged

from .common import DisputeReminderCommon


@tagged("post_install", "-at_install")
class TestDisputeReminderPerformance(O2cQueryCountMixin, DisputeReminderCommon):
    """The invoices left out of a reminder and its note cost a fixed number of queries."""

    def _customer_with_disputes(self, count):
        customer = self.env["res.partner"].create(
            {"name": f"Disputing {count}", "email": "d@example.com"}
        )
        invoices = self.env["account.move"]
        for _i in range(count):
            invoices |= self._overdue_invoice([(self.product_a, 1, 100.0)], partner=customer)
        self._bulk_disputes(invoices, 15.0)
        self._overdue_invoice([(self.product_b, 1, 40.0)], partner=customer)
        return customer

    def _step(self, customer):
        return (
            self.env["overdue.reminder.step"]
            .with_user(self.accountant)
            .create(
                {
                    "partner_id": customer.id,
                    "commercial_partner_id": customer.id,
                    "user_id": self.accountant.id,
                }
            )
        )

    def test_left_out_invoices_queries_flat(self):
        self._o2c_queries(self._step, self._customer_with_disputes(2))
        small = self._customer_with_disputes(3)
        big = self._customer_with_disputes(25)
        step3, queries3 = self._o2c_queries(self._step, small)
        step25, queries25 = self._o2c_queries(self._step, big)
        self.assertEqual(len(step3.o2c_disputed_invoice_ids), 3)
        self.assertEqual(len(step25.o2c_disputed_invoice_ids), 25)
        self.assertFlatQueries(queries3, queries25)
