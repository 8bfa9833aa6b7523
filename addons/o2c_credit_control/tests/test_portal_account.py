# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestPortalAccount(CreditCommon, HttpCase):
    """A buyer of the customer company reads the company's account on the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = new_test_user(cls.env, "cc_portal_buyer", "base.group_portal")
        cls.buyer.partner_id.parent_id = cls.customer
        cls.other = new_test_user(cls.env, "cc_portal_other", "base.group_portal")

    def test_balance_overdue_ageing_and_statement(self):
        self._terms(limit=5000.0)
        late = self._invoice(300.0, due_days_ago=45)
        self._invoice(200.0)  # not due yet
        self._invoice(999.0, partner=self.env["res.partner"].create({"name": "Someone else"}))
        self.authenticate("cc_portal_buyer", "cc_portal_buyer")
        self.assertIn("/my/account_status", self.url_open("/my").text)
        page = self.url_open("/my/account_status").text
        self.assertRegex(
            page, r'name="o2c_balance"[^>]*>\$\xa0<span class="oe_currency_value">500\.00'
        )
        self.assertRegex(
            page, r'name="o2c_overdue"[^>]*>\$\xa0<span class="oe_currency_value">300\.00'
        )
        self.assertIn(late.name, page)
        self.assertNotIn("999.00", page, "another customer's invoice")
        self.assertNotIn("o2c_available", page, "credit hidden unless the company shows it")
        self.company.o2c_portal_show_credit = True
        page = self.url_open("/my/account_status").text
        # exposure 500 of a 5,000 limit
        self.assertRegex(
            page, r'name="o2c_available"[^>]*>\$\xa0<span class="oe_currency_value">4,500\.00'
        )
        statement = self.url_open("/my/account_status/statement")
        self.assertEqual(statement.status_code, 200)
        self.assertIn(late.name, statement.text)
        self.assertIn("31-60 days", statement.text)
        # someone of another customer sees their own (empty) account
        self.authenticate("cc_portal_other", "cc_portal_other")
        self.assertNotIn(late.name, self.url_open("/my/account_status").text)
        self.assertNotIn(late.name, self.url_open("/my/account_status/statement").text)
