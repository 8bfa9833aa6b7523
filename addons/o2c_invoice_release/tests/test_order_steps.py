# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import O2cReleaseCommon


@tagged("post_install", "-at_install")
class TestReleaseOrderSteps(O2cReleaseCommon):
    """The proof of delivery and the automatic invoicing are steps of the order."""

    def _steps(self, order):
        return order.o2c_step_ids.sorted(lambda s: (s.date, s.id)).mapped("step")

    def test_pod_is_a_step_between_delivery_and_invoice(self):
        order = self._order(self.customer_pod, user=self.clerk)
        picking = self._deliver(order)
        proof = self._proof(picking, user=self.warehouse, validate=False)
        self.assertNotIn("pod", self._steps(order), "a pending proof is no step")
        proof.with_user(self.finance).action_validate()
        pod = order.o2c_step_ids.filtered(lambda s: s.step == "pod")
        self.assertEqual(pod.picking_id, picking)
        self.assertEqual((pod.date, pod.user_id), (proof.validated_date, self.finance))
        labels = dict(self.env["o2c.order.step"]._fields["step"].selection)
        order_of_steps = list(labels)
        self.assertLess(order_of_steps.index("delivered"), order_of_steps.index("pod"))
        self.assertLess(order_of_steps.index("pod"), order_of_steps.index("first_invoice"))

    def test_cron_auto_invoice_records_the_invoice_steps(self):
        self.company.o2c_auto_post = True
        order = self._order(self.customer_delivery, user=self.clerk)
        self._deliver(order)
        self.env["sale.order"]._cron_o2c_auto_invoice(batch_size=5)
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(
            self._steps(order),
            [
                "quotation",
                "confirm_asked",
                "confirmed",
                "first_delivery",
                "delivered",
                "first_invoice",
                "invoiced",
            ],
        )
        first = order.o2c_step_ids.filtered(lambda s: s.step == "first_invoice")
        self.assertEqual(first.move_id, invoice)
        self.assertEqual(order.o2c_invoiced_date, first.date)

    def test_cron_draft_invoice_is_no_step(self):
        order = self._order(self.customer_delivery, user=self.clerk)
        self._deliver(order)
        self.env["sale.order"]._cron_o2c_auto_invoice(batch_size=5)
        self.assertEqual(order.invoice_ids.state, "draft", "posting is off")
        self.assertNotIn("first_invoice", self._steps(order))
        self.assertFalse(order.o2c_invoiced_date)
