# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.addons.o2c_exception_base.tests.common import O2cQueryCountMixin
from odoo.tests import tagged

from .common import DisputeCreditControlCommon


@tagged("post_install", "-at_install")
class TestDisputeCreditControlPerformance(O2cQueryCountMixin, DisputeCreditControlCommon):
    """The disputed parts of a run's move lines cost a fixed number of queries."""

    def _disputed_receivables(self, count):
        invoices = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": "2026-01-15",
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product_a.id,
                                "quantity": 1,
                                "price_unit": 100.0,
                                "tax_ids": [Command.set(self.tax.ids)],
                            }
                        )
                    ],
                }
                for _i in range(count)
            ]
        )
        invoices.action_post()
        self.Ticket.create(
            [
                {
                    "name": "Bulk dispute",
                    "description": "<p>x</p>",
                    "o2c_is_dispute": True,
                    "o2c_dispute_type": "pricing",
                    "o2c_invoice_id": invoice.id,
                    "o2c_disputed_amount": 15.0,
                }
                for invoice in invoices
            ]
        )
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
