# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import O2cFulfillmentCommon


@tagged("post_install", "-at_install")
class TestPolicyBounds(O2cFulfillmentCommon):
    def test_days_bounded(self):
        for fname, label, high in (
            ("buffer_days", "Buffer Days", 365),
            ("default_lead_days", "Default Lead Time (days)", 3650),
            ("horizon_days", "Commitment Horizon (days)", 365),
        ):
            for value in (high + 1, 10**9, -1):
                with (
                    self.subTest(fname=fname, value=value),
                    self.assertRaises(ValidationError) as cm,
                ):
                    self.policy.write({fname: value})
                self.assertIn(f"{label} must be a number between 0 and {high}", str(cm.exception))
            self.policy.write({fname: high})
            self.assertEqual(self.policy[fname], high)

    def test_huge_days_refused_before_insert(self):
        # 10**12 does not fit the integer column: the field is named, no database error
        with self.assertRaises(ValidationError) as cm:
            self.env["o2c.fulfillment.policy"].create(
                {"name": "Huge", "communication": "none", "default_lead_days": 10**12}
            )
        self.assertIn("Default Lead Time (days)", str(cm.exception))

    def test_changes_are_tracked(self):
        before = self.policy.message_ids
        self.policy.write({"buffer_days": 3, "substitution_control": False})
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking is written when the transaction commits
        self.policy.invalidate_recordset(["message_ids"])
        tracked = (self.policy.message_ids - before).tracking_value_ids.field_id.mapped("name")
        self.assertEqual(set(tracked), {"buffer_days", "substitution_control"})
