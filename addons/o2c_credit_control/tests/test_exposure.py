# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import ExitStack
from unittest.mock import patch

from odoo import Command
from odoo.tests import Form, tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditExposure(CreditCommon):
    """Exposure = open receivables + orders not invoiced + draft invoices (+ the order)."""

    def _figures(self, partner=None):
        partner = (partner or self.customer).with_company(self.company)
        partner.invalidate_recordset()
        return partner

    def _disputed(self, invoice, amount):
        """The dispute hooks (filled by o2c_dispute_helpdesk) report ``amount`` on ``invoice``."""
        model = type(self.env["account.move"])
        stack = ExitStack()
        stack.enter_context(
            patch.object(model, "_o2c_disputed_domain", lambda self: [("id", "=", invoice.id)])
        )
        stack.enter_context(
            patch.object(model, "_o2c_disputed_amounts", lambda self, ids: {invoice.id: amount})
        )
        return stack

    def test_open_invoice_is_receivable(self):
        self._invoice(300)
        partner = self._figures()
        self.assertEqual(partner.o2c_credit_receivable, 300)
        self.assertEqual(partner.o2c_credit_exposure, 300)

    def test_partial_payment_lowers_receivable(self):
        invoice = self._invoice(300)
        self._pay(invoice, 120)
        self.assertEqual(self._figures().o2c_credit_receivable, 180)

    def test_credit_note_lowers_receivable(self):
        self._invoice(300)
        self._invoice(50, move_type="out_refund")
        self.assertEqual(self._figures().o2c_credit_receivable, 250)

    def test_unapplied_payment_lowers_exposure(self):
        self._invoice(300)
        self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 100,
            }
        ).action_post()
        self.assertEqual(self._figures().o2c_credit_exposure, 200)

    def test_order_and_its_draft_invoice_counted_once(self):
        order = self._confirm(self._order(400, qty=4))
        self.assertEqual(self._figures().o2c_credit_orders, 400)
        invoice = order._create_invoices()
        partner = self._figures()
        self.assertEqual((partner.o2c_credit_orders, partner.o2c_credit_draft_invoices), (0, 400))
        self.assertEqual(partner.o2c_credit_exposure, 400)
        invoice.action_post()
        partner = self._figures()
        self.assertEqual(
            (
                partner.o2c_credit_receivable,
                partner.o2c_credit_orders,
                partner.o2c_credit_draft_invoices,
            ),
            (400, 0, 0),
        )

    def test_partial_draft_invoice_counted_once(self):
        order = self._confirm(self._order(400, qty=4))
        invoice = order._create_invoices()
        with Form(invoice) as form, form.invoice_line_ids.edit(0) as line:
            line.quantity = 1
        partner = self._figures()
        self.assertEqual((partner.o2c_credit_orders, partner.o2c_credit_draft_invoices), (300, 100))
        self.assertEqual(partner.o2c_credit_exposure, 400)

    def test_cancelled_and_quotation_orders_not_counted(self):
        self._order(500)
        self._confirm(self._order(200)).with_context(disable_cancel_warning=True)._action_cancel()
        self.assertEqual(self._figures().o2c_credit_orders, 0)

    def test_child_contact_rolls_up(self):
        self._invoice(100, partner=self.contact)
        self._confirm(self._order(50, partner=self.contact))
        self.assertEqual(self._figures().o2c_credit_exposure, 150)
        self.assertEqual(self._figures(self.contact).o2c_credit_exposure, 150)

    def test_foreign_currency_uses_company_rates(self):
        eur = self.env.ref("base.EUR") if self.currency.name != "EUR" else self.env.ref("base.USD")
        eur.active = True
        self.env["res.currency.rate"].create(
            {
                "currency_id": eur.id,
                "rate": 2.0,
                "name": "2000-01-01",
                "company_id": self.company.id,
            }
        )
        pricelist = self.env["product.pricelist"].create({"name": "Foreign", "currency_id": eur.id})
        self._confirm(self._order(500, pricelist_id=pricelist.id))
        self._invoice(200, currency_id=eur.id)
        partner = self._figures()
        self.assertEqual(partner.o2c_credit_orders, 250)
        self.assertEqual(partner.o2c_credit_receivable, 100)

    def test_overdue_amount_and_oldest_days(self):
        self._invoice(100, due_days_ago=40)
        self._invoice(50, due_days_ago=10)
        self._invoice(70)
        partner = self._figures()
        self.assertEqual(partner.o2c_overdue_amount, 150)
        self.assertEqual(partner.o2c_overdue_days, 40)
        self.assertEqual(partner.o2c_credit_receivable, 220)

    def test_disputed_amount_left_out_of_overdue(self):
        invoice = self._invoice(100, due_days_ago=40)
        with self._disputed(invoice, 60.0):
            partner = self._figures()
            self.assertEqual(partner.o2c_overdue_amount, 40)
            self.assertEqual(partner.o2c_credit_exposure, 100, "still owed")

    def test_dispute_taken_only_off_its_invoice_on_a_shared_due_date(self):
        # overdue lines are summed per due date, except those of invoices that may be
        # disputed: a dispute larger than its invoice takes nothing off the other one
        disputed = self._invoice(100, due_days_ago=40)
        self._invoice(80, due_days_ago=40)
        self._invoice(30, due_days_ago=40)
        with self._disputed(disputed, 150.0):
            partner = self._figures()
            self.assertEqual(partner.o2c_overdue_amount, 110)
            self.assertEqual(partner.o2c_overdue_days, 40)
            self.assertEqual(partner.o2c_credit_receivable, 210)

    def test_terms_from_credit_group_by_tag(self):
        tag = self.env["res.partner.category"].create({"name": "Key account"})
        self.env["o2c.credit.group"].create(
            {
                "name": "Key accounts",
                "category_ids": [Command.link(tag.id)],
                "credit_limit": 5000,
                "policy": "warn",
            }
        )
        self.customer.category_id = tag
        partner = self._figures()
        self.assertEqual(partner.o2c_credit_limit_applied, 5000)
        self.assertEqual(partner.o2c_credit_policy_applied, "warn")
        self.assertEqual(partner.o2c_credit_terms_source, "Key accounts")

    def test_own_terms_win_over_group(self):
        tag = self.env["res.partner.category"].create({"name": "Key account"})
        self.env["o2c.credit.group"].create(
            {"name": "Key accounts", "category_ids": [Command.link(tag.id)], "credit_limit": 5000}
        )
        self.customer.category_id = tag
        self._terms(limit=700)
        self.assertEqual(self._figures().o2c_credit_limit_applied, 700)

    def test_held_orders_listed_on_partner(self):
        order = self._held_order()
        partner = self._figures()
        self.assertEqual(partner.o2c_credit_hold_order_ids, order)
        self.assertFalse(partner.o2c_credit_on_hold, "800 < 1000 without the order")
        action = partner.action_o2c_view_credit_holds()
        self.assertEqual(self.env["sale.order"].search(action["domain"]), order)

    def test_finance_sets_terms_in_partner_form(self):
        finance = self.finance
        finance.groups_id |= self.env.ref("base.group_partner_manager") | self.env.ref(
            "o2c_credit_control.group_o2c_credit_manager"
        )
        with Form(self.customer.with_user(finance)) as form:
            form.o2c_credit_limit_type = "limit"
            form.o2c_credit_limit = 2500
            form.o2c_credit_policy = "block"
        partner = self._figures()
        self.assertEqual(partner.o2c_credit_limit_applied, 2500)
        self.assertEqual(partner.o2c_credit_policy_applied, "block")
        self.assertEqual(partner.o2c_credit_terms_source, "Own terms")
