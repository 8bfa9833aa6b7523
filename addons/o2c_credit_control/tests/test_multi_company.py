# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditMultiCompany(CreditCommon):
    """Terms and exposure are per company: nothing leaks from one to another."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create(
            {"name": "Credit Company B", "currency_id": cls.currency.id}
        )
        cls.env["account.chart.template"].try_loading(
            "generic_coa", cls.company_b, install_demo=False
        )
        cls.company_b.write(
            {"o2c_credit_check": True, "o2c_credit_default_limit_type": "unlimited"}
        )
        both = [cls.company.id, cls.company_b.id]
        cls.salesman.write({"company_ids": [Command.set(both)]})
        cls.finance_b = new_test_user(
            cls.env,
            "cc_finance_b",
            "account.group_account_invoice,o2c_exception_base.group_o2c_approver",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )

    def _order_b(self, amount):
        return self._order(amount, company=self.company_b)

    def test_limit_of_company_b_does_not_apply_in_a(self):
        self._terms(limit=100, company=self.company_b)
        order_a = self._confirm(self._order(500))
        order_b = self._confirm(self._order_b(500))
        self.assertEqual(order_a.state, "sale")
        self.assertEqual(order_b.state, "draft")
        self.assertEqual(self._hold(order_b).company_id, self.company_b)

    def test_exposure_is_per_company(self):
        self._invoice(300)
        self.assertEqual(self.customer.with_company(self.company).o2c_credit_receivable, 300)
        self.assertEqual(self.customer.with_company(self.company_b).o2c_credit_receivable, 0)

    def test_receivable_of_a_does_not_hold_in_b(self):
        self._terms(limit=1000, company=self.company_b)
        self._invoice(5000)
        self.assertEqual(self._confirm(self._order_b(500)).state, "sale")

    def test_release_of_b_invisible_to_a_only_users(self):
        self._terms(limit=100, company=self.company_b)
        order_b = self._confirm(self._order_b(500))
        release = self._release(self._hold(order_b), user=self.finance_b)
        self.assertEqual(release.company_id, self.company_b)
        a_only = new_test_user(
            self.env,
            "cc_finance_a",
            "account.group_account_invoice," "o2c_exception_base.group_o2c_approver",
        )
        self.assertFalse(
            self.env["o2c.credit.release"].with_user(a_only).search([("id", "=", release.id)])
        )
