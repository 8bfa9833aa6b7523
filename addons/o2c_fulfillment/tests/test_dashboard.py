# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import Form, tagged

from .common import O2cFulfillmentCommon


@tagged("post_install", "-at_install")
class TestFulfillmentDashboard(O2cFulfillmentCommon):
    """Backorders, fill rate and substitutions on known data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock(cls.product, 9)
        cls._stock(cls.substitute, 5)

    def _figures(self, **filters):
        data = self.env["o2c.dashboard"].with_user(self.manager).get_dashboard_data(filters)
        return {f["key"]: f for f in data["figures"]}

    def _scenario(self):
        """Two backorders (300 and 100), one complete order, one substitution."""
        first = self._order([(self.product, 10, 50.0)])
        self._deliver(first.picking_ids, {self.product: 4})
        second = self._order([(self.product, 4, 50.0)])
        self._deliver(second.picking_ids, {self.product: 2})
        third = self._order([(self.product, 3, 50.0)])
        self._deliver(third.picking_ids, {self.product: 3})
        old = self._exceptions(second, "backorder")
        # backdated as the engine would have raised it (request_date is governed)
        old.sudo()._o2c_owned_write({"request_date": fields.Datetime.now() - timedelta(days=40)})
        fourth = self._order([(self.product, 2, 50.0)])
        move = fourth.picking_ids.move_ids
        action = move.with_user(self.stock_user).action_o2c_substitute()
        form = Form(
            self.env["o2c.substitute.wizard"]
            .with_user(self.stock_user)
            .with_context(**action["context"])
        )
        form.save().action_confirm()
        self._deliver(fourth.picking_ids, {self.substitute: 2})

    def test_open_backorders_count_and_value(self):
        self._scenario()
        figures = self._figures()
        self.assertEqual(figures["fulfillment_open_backorders"]["value"], 2)
        self.assertEqual(figures["fulfillment_backorder_value"]["value"], 400.0)

    def test_backorder_aging_buckets(self):
        self._scenario()
        figures = self._figures()
        values = [
            figures[f"fulfillment_backorder_age_{k}"]["value"]
            for k in ("0_7", "8_30", "31_60", "over_60")
        ]
        self.assertEqual(values, [1, 0, 1, 0])

    def test_aging_drill_down_matches_the_number(self):
        self._scenario()
        figure = self._figures()["fulfillment_backorder_age_31_60"]
        found = self.env["o2c.exception"].search(figure["action"]["domain"])
        self.assertEqual(len(found), figure["value"])
        self.assertEqual(found.o2c_missing_qty, 2.0)

    def test_fill_rate_counts_complete_first_deliveries(self):
        self._scenario()
        figure = self._figures()["fulfillment_fill_rate"]
        # first, second and third lines shipped once (third complete); the fourth
        # line's first delivery waits for the substitution approval
        self.assertEqual(figure["value"], 33.33)  # the dashboard's one rounding of rates
        lines = self.env["sale.order.line"].search(figure["action"]["domain"])
        self.assertEqual(len(lines), 3)
        self.assertEqual(figure["unit"], "percent")

    def test_fill_rate_previous_period_is_empty(self):
        self._scenario()
        self.assertIsNone(self._figures()["fulfillment_fill_rate"]["previous"])

    def test_substitutions_per_period(self):
        self._scenario()
        figures = self._figures()
        self.assertEqual(figures["fulfillment_substitutions"]["value"], 1)
        self.assertEqual(figures["fulfillment_substitutions"]["previous"], 0)
        self.assertEqual(figures["fulfillment_short_picks"]["value"], 0)

    def test_period_before_the_data_counts_nothing(self):
        self._scenario()
        past = fields.Date.today() - timedelta(days=100)
        figures = self._figures(
            date_from=fields.Date.to_string(past - timedelta(days=10)),
            date_to=fields.Date.to_string(past),
        )
        self.assertEqual(figures["fulfillment_substitutions"]["value"], 0)
        self.assertIsNone(figures["fulfillment_fill_rate"]["value"])
