# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import Command
from odoo.addons.o2c_exception_base.tests.common import O2cQueryCountMixin
from odoo.tests import tagged

from .common import O2cReleaseCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestReleasePerformance(O2cQueryCountMixin, O2cReleaseCommon):
    """Releasing and invoicing deliveries costs a flat number of queries per delivery."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"].create(
            [
                {"name": f"Perf customer {i}", "o2c_invoice_release_policy": "on_pod"}
                for i in range(10)
            ]
        )

    def _delivered(self, count):
        """``count`` confirmed orders, each with a done delivery and a pending POD."""
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.customers[i % len(self.customers)].id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 10, "price_unit": 10}
                        )
                    ],
                }
                for i in range(count)
            ]
        )
        orders.action_confirm()
        pickings = orders.picking_ids
        pickings.move_ids.write({"quantity": 10, "picked": True})
        pickings.button_validate()
        proofs = self.env["o2c.delivery.proof"].create(
            [
                {"picking_id": picking.id, "kind": "carrier", "tracking_ref": f"T{picking.id}"}
                for picking in pickings
            ]
        )
        return orders, proofs

    def _release_and_invoice(self, count):
        orders, proofs = self._delivered(count)
        release = self._o2c_query_count(proofs.action_validate)
        invoice = self._o2c_query_count(
            lambda: self.env["sale.order"]._cron_o2c_auto_invoice(batch_size=count)
        )
        self.assertEqual(orders.order_line.mapped("qty_invoiced"), [10.0] * count)
        return release, invoice

    def test_batch_of_200_deliveries_flat_per_delivery(self):
        self._release_and_invoice(5)  # warm-up
        release_20, invoice_20 = self._release_and_invoice(20)
        release_200, invoice_200 = self._release_and_invoice(200)
        _logger.info(
            "o2c release queries: 20 -> %s, 200 -> %s; invoicing: 20 -> %s, " "200 -> %s",
            release_20,
            release_200,
            invoice_20,
            invoice_200,
        )
        # Releasing: the same statements whatever the count (ORM batches of 100
        # rows and prefetch chunks of 1000 aside), so fewer queries per delivery.
        self.assertLessEqual(
            release_200 - release_20, 30, f"release 20: {release_20}, 200: {release_200}"
        )
        # Invoicing: one _create_invoices call per batch; per delivery it never grows.
        self.assertLessEqual(
            invoice_200 / 200, invoice_20 / 20, f"invoice 20: {invoice_20}, 200: {invoice_200}"
        )
