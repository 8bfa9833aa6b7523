# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import O2cReleaseCommon


@tagged("post_install", "-at_install")
class TestSettingsBounds(O2cReleaseCommon):
    def test_pod_aging_days_bounded(self):
        for value in (366, 10**9, 10**12, -1):
            with self.subTest(value), self.assertRaises(ValidationError) as cm:
                self.company.write({"o2c_pod_aging_days": value})
            self.assertIn(
                "Missing POD After (days) must be a number between 0 and 365", str(cm.exception)
            )
        with self.assertRaises(ValidationError):  # the settings form writes the company
            self.env["res.config.settings"].create({"o2c_pod_aging_days": 10**12}).execute()
        self.company.o2c_pod_aging_days = 365
        self.assertEqual(self.company.o2c_pod_aging_days, 365)
