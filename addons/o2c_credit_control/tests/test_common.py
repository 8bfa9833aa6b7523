# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditCommon(CreditCommon):
    def test_fixture(self):
        self.assertTrue(self.finance.has_group("o2c_exception_base.group_o2c_approver"))
        self.assertFalse(self.salesman.has_group("o2c_exception_base.group_o2c_approver"))
        self.assertEqual(self.contact.commercial_partner_id, self.customer)
        self.assertFalse(self.product.taxes_id)

    def test_shipped_defaults_do_not_hold(self):
        """Out of the box every customer is unlimited: installing holds nothing."""
        order = self._confirm(self._order(10**6))
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.o2c_credit_hold)

    def test_credit_hold_type_is_shipped(self):
        etype = self.env.ref("o2c_credit_control.o2c_exception_type_credit_hold")
        self.assertEqual(etype.code, "credit_hold")
        self.assertTrue(etype.blocking)
