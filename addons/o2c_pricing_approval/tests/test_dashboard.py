# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import O2cPricingCommon


@tagged("post_install", "-at_install")
class TestPricingDashboard(O2cPricingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["res.partner"].create({"name": "O2C Other customer"})
        cls.other.property_product_pricelist = cls.pricelist

    def _held(self, discount, qty=1, partner=None):
        order = self._order([(self.drill, qty, None, discount)], partner=partner)
        return self._confirm(order)

    def _figures(self, **filters):
        data = self.env["o2c.dashboard"].with_user(self.manager).get_dashboard_data(filters)
        return {f["key"]: f for f in data["figures"]}, data["charts"]

    def test_values_and_turnaround(self):
        approved = self._held(20.0, qty=2)  # 40 given away
        approved_2 = self._held(25.0, partner=self.other)  # 25
        rejected = self._held(40.0, qty=3)  # 120
        self._held(16.0)  # 16, still open
        # request 2 h and 6 h ago: turnaround 2 h and 6 h, median 4 h
        now = fields.Datetime.now()
        # the request dates are the engine's: set as it would have set them
        approved._o2c_owned_write({"request_date": now - timedelta(hours=2)})
        approved_2._o2c_owned_write({"request_date": now - timedelta(hours=6)})
        rejected._o2c_owned_write({"request_date": now - timedelta(hours=10)})
        approved.with_user(self.approver).action_approve("ok")
        approved_2.with_user(self.approver).action_approve("ok")
        rejected.with_user(self.finance).action_reject(
            "no", root_cause_id=self.env.ref("o2c_exception_base.o2c_root_cause_training").id
        )

        figures, charts = self._figures()
        self.assertEqual(figures["pricing_value_approved"]["value"], 65.0)
        self.assertEqual(figures["pricing_value_rejected"]["value"], 120.0)
        self.assertEqual(figures["pricing_value_requested"]["value"], 201.0)
        self.assertAlmostEqual(
            figures["pricing_turnaround"]["value"], 6.0, places=1, msg="median of 2, 6 and 10 hours"
        )
        self.assertEqual(figures["pricing_value_approved"]["previous"], 0.0)

        drill = figures["pricing_value_approved"]["action"]
        self.assertEqual(
            self.env["o2c.exception"].search(drill["domain"]),
            approved | approved_2,
            "the drill-down lists what the number sums",
        )

        top = charts["pricing_top_customers"]
        self.assertEqual(top["labels"][0], self.partner.display_name)
        self.assertEqual(top["datasets"][0]["data"], [176.0, 25.0])
        first = top["drill"]["domain"] + top["drill"]["labels"][0]
        self.assertEqual(
            self.env["o2c.exception"].search(first).partner_id,
            self.partner,
            "the customer's bar opens its pricing approvals",
        )

    def test_other_company_not_counted(self):
        self._held(20.0).with_user(self.approver).action_approve("ok")
        figures, _charts = self._figures(company_ids=[self.company_b.id])
        self.assertEqual(figures["pricing_value_approved"]["value"], 0.0)

    def test_figures_filtered_by_role(self):
        figures, _charts = self._figures(role="warehouse")
        self.assertNotIn("pricing_value_approved", figures)
        figures, _charts = self._figures(role="finance")
        self.assertIn("pricing_value_approved", figures)
