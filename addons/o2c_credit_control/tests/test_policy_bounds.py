# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Credit terms out of range are refused when saved, with the field named."""

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CreditCommon

ABSURD_DAYS = (10**12, 10**9, 3651, -1)
ABSURD_AMOUNTS = (1e13, float("inf"), float("nan"), -1.0)


@tagged("post_install", "-at_install")
class TestCreditPolicyBounds(CreditCommon):
    def assertRefused(self, write, field, where):
        with self.assertRaises(ValidationError) as cm:
            write()
        text = str(cm.exception)
        self.assertIn(f"{field} must be a number between", text)
        self.assertIn(where, text)

    def test_customer_terms_bounded(self):
        for days in ABSURD_DAYS:
            with self.subTest(days=days):
                self.assertRefused(
                    lambda days=days: self._terms(days=days),
                    "Overdue Tolerance (days)",
                    "customer Credit Customer",
                )
        for amount in ABSURD_AMOUNTS:
            with self.subTest(amount=amount):
                self.assertRefused(
                    lambda amount=amount: self._terms(amount=amount),
                    "Overdue Tolerance (amount)",
                    "customer Credit Customer",
                )
                self.assertRefused(
                    lambda amount=amount: self._terms(limit=amount),
                    "Own Credit Limit",
                    "customer Credit Customer",
                )

    def test_company_defaults_bounded(self):
        for days in ABSURD_DAYS:
            with self.subTest(days=days):
                self.assertRefused(
                    lambda days=days: self.company.write({"o2c_credit_overdue_days": days}),
                    "Overdue Tolerance (days)",
                    self.company.name,
                )
        for fname in ("o2c_credit_overdue_amount", "o2c_credit_default_limit"):
            for amount in ABSURD_AMOUNTS:
                with self.subTest(fname=fname, amount=amount):
                    with self.assertRaises(ValidationError) as cm:
                        self.company.write({fname: amount})
                    self.assertIn("must be a number between", str(cm.exception))
        self.assertEqual(self.company.o2c_credit_overdue_days, 30)

    def test_group_terms_bounded_also_on_create(self):
        tag = self.env["res.partner.category"].create({"name": "Huge"})
        vals = {"name": "Huge", "category_ids": [Command.link(tag.id)]}
        # 10**12 does not fit the integer column: refused before the INSERT
        self.assertRefused(
            lambda: self.env["o2c.credit.group"].create({**vals, "overdue_days": 10**12}),
            "Overdue Tolerance (days)",
            "credit group Huge",
        )
        group = self.env["o2c.credit.group"].create(vals)
        for amount in ABSURD_AMOUNTS:
            with self.subTest(amount=amount):
                self.assertRefused(
                    lambda amount=amount: group.write({"overdue_amount": amount}),
                    "Overdue Tolerance (amount)",
                    "credit group Huge",
                )

    def test_longest_tolerance_still_checks_orders(self):
        """The bounds are safe: the largest values allowed confirm and hold as usual."""
        self._terms(limit=1e12, days=3650, amount=1e12)
        self._invoice(500, due_days_ago=4000)
        order = self._confirm(self._order(100))
        self.assertEqual(order.state, "sale")
        self._terms(limit=1000, days=3650, amount=0.0)
        order = self._confirm(self._order(100))
        self.assertEqual(order.state, "draft", "overdue beyond 3650 days: held")
