# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.addons.o2c_exception_base.tests.common import o2c_policy_approval_off
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

#: the company's credit settings of the tests: credit checked, unlimited unless a
#: customer has a limit, held for approval, overdue after 30 days
CREDIT_TEST_SETTINGS = {
    "o2c_credit_check": True,
    "o2c_credit_default_limit_type": "unlimited",
    "o2c_credit_default_policy": "approve",
    "o2c_credit_overdue_days": 30,
    "o2c_credit_overdue_amount": 0.0,
    "o2c_credit_block_delivery": False,
}


class CreditCommon(TransactionCase):
    """A customer with a contact, users per role, a tax-free product; no demo data.

    The company checks credit with the shipped defaults (unlimited by default,
    hold for approval, 30 days overdue tolerance); tests give the customer its
    own terms with :meth:`_terms`.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True))
        # the tests change their credit groups directly (approval: test_policy_change_credit)
        o2c_policy_approval_off(cls.env, "credit")
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        cls.today = fields.Date.context_today(cls.env.user)
        cls.company.write(CREDIT_TEST_SETTINGS)
        # These tests confirm a released order themselves, to see what a release
        # is bound to; going on by itself after the decision is in test_resume.py.
        cls.credit_type = cls.env["o2c.exception.type"].search([("code", "=", "credit_hold")])
        cls.credit_type.resume_after_decision = False
        o2c = "o2c_exception_base.group_o2c_%s"
        cls.salesman = new_test_user(
            cls.env, "cc_salesman", "sales_team.group_sale_salesman_all_leads," + o2c % "user"
        )
        cls.finance = new_test_user(
            cls.env, "cc_finance", "account.group_account_invoice," + o2c % "approver"
        )
        cls.finance_2 = new_test_user(
            cls.env, "cc_finance2", "account.group_account_invoice," + o2c % "approver"
        )
        cls.manager = new_test_user(
            cls.env, "cc_manager", "account.group_account_manager," + o2c % "manager"
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Credit test product",
                "type": "consu",
                "invoice_policy": "order",
                # no list price: prices typed in the tests are never "overrides"
                # for o2c_pricing_approval when both addons are installed
                "list_price": 0.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Credit Customer", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Credit Contact", "parent_id": cls.customer.id}
        )

    def setUp(self):
        super().setUp()
        # each test's own day: a class set up before midnight runs tests after it
        self.today = fields.Date.context_today(self.env.user)

    # ----------------------------------------------------------- helpers
    def _terms(self, partner=None, limit=1000.0, policy=None, days=30, amount=0.0, company=None):
        (partner or self.customer).with_company(company or self.company).write(
            {
                "o2c_credit_limit_type": "limit",
                "o2c_credit_limit": limit,
                "o2c_credit_policy": policy,
                "o2c_overdue_tolerance_days": days,
                "o2c_overdue_tolerance_amount": amount,
            }
        )

    def _order(self, amount, partner=None, user=None, qty=1.0, company=None, **vals):
        env = self.env(user=user or self.salesman)
        return (
            env["sale.order"]
            .with_company(company or self.company)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": qty,
                                "price_unit": amount / qty,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                    **vals,
                }
            )
        )

    def _invoice(
        self, amount, partner=None, due_days_ago=None, post=True, move_type="out_invoice", **vals
    ):
        """A customer invoice (or credit note) of ``amount``, due ``due_days_ago`` ago."""
        date = self.today - timedelta(days=max(due_days_ago or 0, 0) + 10)
        due = (
            self.today - timedelta(days=due_days_ago)
            if due_days_ago is not None
            else (self.today + timedelta(days=30))
        )
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or self.customer).id,
                "invoice_date": date,
                "invoice_date_due": due,
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
                **vals,
            }
        )
        if post:
            move.action_post()
        return move

    def _pay(self, invoice, amount, **ctx):
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids, **ctx)
            .create({"amount": amount, "payment_date": self.today})
        )
        return wizard._create_payments()

    def _confirm(self, orders, user=None):
        orders.with_user(user or self.salesman).action_confirm()
        return orders

    def _release(self, exception, user=None, reason="Good payer", **vals):
        wizard = (
            self.env["o2c.credit.release.wizard"]
            .with_user(user or self.finance)
            .create({"exception_ids": [Command.set(exception.ids)], "reason": reason, **vals})
        )
        wizard.action_release()
        return exception.o2c_credit_release_id

    def _hold(self, order):
        return order.o2c_exception_ids.filtered(lambda e: e.code == "credit_hold")

    def _held_order(self, receivable=800.0, amount=300.0, **terms):
        """An order of ``amount`` held: ``receivable`` open, limit 1000."""
        self._terms(**terms)
        if receivable:
            self._invoice(receivable)
        order = self._confirm(self._order(amount))
        self.assertEqual(order.state, "draft")
        return order
