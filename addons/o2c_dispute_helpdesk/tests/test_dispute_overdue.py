# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeOverdue(DisputeCommon):
    """The disputed amount is left out of overdue checks (hook for credit control)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice([(cls.product_a, 10, 100.0)])  # 1,150 due
        cls.other = cls._invoice([(cls.product_b, 1, 40.0)])
        cls.Move = cls.env["account.move"]

    def test_hook_returns_open_disputed_amounts(self):
        self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=230.0)
        amounts = self.Move._o2c_disputed_amounts(self.invoice.ids + self.other.ids)
        self.assertEqual(amounts, {self.invoice.id: 230.0})

    def test_disputed_domain_finds_only_disputed_invoices(self):
        # credit control reads the overdue lines of these invoices one by one
        domain = [("id", "in", (self.invoice | self.other).ids)]
        self.assertFalse(self.Move.search(domain + self.Move._o2c_disputed_domain()))
        self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=230.0)
        self.assertEqual(self.Move.search(domain + self.Move._o2c_disputed_domain()), self.invoice)

    def test_hook_empty_without_dispute(self):
        self.assertEqual(self.Move._o2c_disputed_amounts(self.invoice.ids), {})

    def test_stays_disputed_through_payment_matching(self):
        # odoo/odoo#222906: reconciliation must not silently clear the dispute
        self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=230.0)
        self._pay(self.invoice, 500.0)
        self.assertEqual(self.invoice.payment_state, "partial")
        self.assertTrue(self.invoice.o2c_is_disputed)
        self.assertEqual(self.invoice.o2c_dispute_amount, 230.0)
        self.assertEqual(
            self.Move._o2c_disputed_amounts(self.invoice.ids), {self.invoice.id: 230.0}
        )

    def test_hook_capped_by_what_is_still_due(self):
        self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=230.0)
        self._pay(self.invoice, 1000.0)  # 150 left due
        self.assertTrue(self.invoice.o2c_is_disputed)
        self.assertEqual(
            self.Move._o2c_disputed_amounts(self.invoice.ids), {self.invoice.id: 150.0}
        )
        self._pay(self.invoice, 150.0)
        self.assertTrue(self.invoice.o2c_is_disputed)
        self.assertEqual(self.Move._o2c_disputed_amounts(self.invoice.ids), {})

    def test_resolved_dispute_no_longer_excluded(self):
        ticket = self._dispute(
            o2c_invoice_id=self.invoice.id,
            o2c_disputed_amount=230.0,
            o2c_root_cause="customer",
            o2c_resolution="rejected",
            o2c_rejection_reason="Goods delivered in full",
        )
        ticket.with_user(self.agent).action_o2c_apply_resolution()
        self.assertFalse(self.invoice.o2c_is_disputed)
        self.assertEqual(self.Move._o2c_disputed_amounts(self.invoice.ids), {})

    def test_foreign_currency_converted_at_invoice_rate(self):
        eur = self.env.ref("base.EUR")
        usd = self.env.ref("base.USD")
        foreign = eur if self.company.currency_id != eur else usd
        foreign.active = True
        self.env["res.currency.rate"].create(
            {
                "currency_id": foreign.id,
                "name": "2026-01-01",
                "rate": 2.0,
                "company_id": self.company.id,
            }
        )
        invoice = self._invoice(post=False)
        invoice.currency_id = foreign
        invoice.action_post()
        self.assertEqual(invoice.amount_total, 1150.0)
        self._dispute(o2c_invoice_id=invoice.id, o2c_disputed_amount=230.0)
        self.assertEqual(self.Move._o2c_disputed_amounts(invoice.ids), {invoice.id: 115.0})

    def test_disputed_filter_for_reminders(self):
        self._dispute(o2c_invoice_id=self.invoice.id, o2c_disputed_amount=230.0)
        not_disputed = self.Move.search(
            [("id", "in", (self.invoice | self.other).ids), ("o2c_is_disputed", "=", False)]
        )
        self.assertEqual(not_disputed, self.other)
