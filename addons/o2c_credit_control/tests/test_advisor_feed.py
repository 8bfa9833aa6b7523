# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditAdvisorFeed(CreditCommon):
    """A credit hold records, for the policy-gap advisor, the figure against the
    limit it broke and the policy field the limit comes from."""

    def _feed(self, hold):
        return (hold.o2c_measure, hold.o2c_threshold, hold.o2c_policy_ref, hold.o2c_policy_label)

    def test_own_limit(self):
        hold = self._hold(self._held_order(receivable=800, amount=300))
        self.assertEqual(
            self._feed(hold),
            (
                1100.0,
                1000.0,
                f"res.partner,{self.customer.id},credit_limit",
                "Credit Customer: credit limit",
            ),
        )

    def test_credit_group_limit(self):
        tag = self.env["res.partner.category"].create({"name": "Small shops"})
        group = self.env["o2c.credit.group"].create(
            {"name": "Small shops", "category_ids": [Command.link(tag.id)], "credit_limit": 500}
        )
        self.customer.category_id = tag
        hold = self._hold(self._confirm(self._order(600)))
        self.assertEqual(
            self._feed(hold),
            (
                600.0,
                500.0,
                f"o2c.credit.group,{group.id},credit_limit",
                "Small shops: credit limit",
            ),
        )
        limits = self.env["o2c.advisor"]._o2c_advisor_limits()
        self.assertEqual(limits[("o2c.credit.group", "credit_limit")]["unit"], "currency")

    def test_company_overdue_tolerance(self):
        """Within every limit but overdue: the amount overdue against the tolerance."""
        self._invoice(100, due_days_ago=40)
        hold = self._hold(self._confirm(self._order(10)))
        self.assertEqual(
            self._feed(hold)[:3],
            (100.0, 0.0, f"res.company,{self.company.id},o2c_credit_overdue_amount"),
        )

    def test_refreshed_with_the_exposure(self):
        """The held order grows: the measure follows."""
        order = self._held_order(receivable=800, amount=300)
        hold = self._hold(order)
        order.order_line.price_unit = 400.0
        self._confirm(order)
        self.assertEqual((hold.state, hold.o2c_measure), ("open", 1200.0))
