# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import O2cFreightCommon


@tagged("post_install", "-at_install")
class TestFreightPolicy(O2cFreightCommon):
    def test_thresholds_validated_at_save(self):
        bad = {
            "max_freight_cost": ("Max Freight Cost", (-1.0, 1e13, float("inf"), float("nan"))),
            "max_freight_share": ("Max Freight Share (%)", (-0.5, 100.5, float("nan"))),
            "max_uncharged_freight": ("Max Freight Not Charged", (-10.0, float("inf"))),
        }
        for fname, (label, values) in bad.items():
            for value in values:
                with self.subTest(field=fname, value=value):
                    with self.assertRaises(ValidationError) as cm:
                        self.policy.write({fname: value})
                    self.assertIn(label, str(cm.exception))
                    self.assertIn("freight policy O2C test freight policy", str(cm.exception))
                    with self.assertRaises(ValidationError) as cm:
                        self.env["o2c.freight.policy"].create({"name": "Bad", fname: value})
                    self.assertIn(label, str(cm.exception))
        self.policy.write({"max_freight_share": 100.0, "max_freight_cost": 1e12})
        self.assertEqual(self.policy.max_freight_share, 100.0)

    def test_form_saves_a_policy(self):
        with Form(self.env["o2c.freight.policy"]) as form:
            form.name = "Overnight for key accounts"
            form.max_freight_cost = 250.0
            form.max_freight_share = 10.0
        policy = form.record
        self.assertTrue(policy.approve_expedited, "expedited carriers need approval by default")
        self.assertEqual(policy.company_id, self.company)
        self.assertEqual(policy.currency_id, self.company.currency_id)

    def test_default_policy_in_data(self):
        default = self.env.ref("o2c_freight_control.o2c_freight_policy_default")
        self.assertFalse(default.company_id)
        self.assertTrue(default.approve_expedited)
        self.assertEqual(self.etype.stage, "fulfillment_planning")
        self.assertTrue(self.etype.blocking)

    def test_changes_are_tracked(self):
        self.env.flush_all()
        self.env.cr.precommit.run()  # the policy's creation is logged first
        before = self.policy.message_ids
        self.policy.write({"max_freight_cost": 75.0, "approve_expedited": False})
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking is written when the transaction commits
        self.policy.invalidate_recordset(["message_ids"])
        tracked = (self.policy.message_ids - before).tracking_value_ids.field_id.mapped("name")
        self.assertEqual(set(tracked), {"max_freight_cost", "approve_expedited"})

    def test_carrier_form_flags_expedited(self):
        with Form(self.standard) as form:
            form.o2c_expedited = True
        self.assertTrue(self.standard.o2c_expedited)
        carriers = self.standard | self.express | self.express_2
        expedited = self.env["delivery.carrier"].search(
            [("id", "in", carriers.ids), ("o2c_expedited", "=", True)]
        )
        self.assertEqual(expedited, carriers)
