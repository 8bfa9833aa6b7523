# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestSettingsBounds(DisputeCommon):
    def test_dispute_approval_limit_bounded(self):
        for value in (1e13, float("inf"), float("nan"), -1.0):
            with self.subTest(value), self.assertRaises(ValidationError) as cm:
                self.company.write({"o2c_dispute_approval_amount": value})
            self.assertIn("Dispute Approval Limit must be a number between", str(cm.exception))
        self.company.o2c_dispute_approval_amount = 1e12
        self.assertEqual(self.company.o2c_dispute_approval_amount, 1e12)
