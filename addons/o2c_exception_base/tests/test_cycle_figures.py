# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo.tests import new_test_user, tagged

from .test_dashboard import O2cDashboardCommon

CYCLE_KEYS = (
    "cycle_to_delivery_median",
    "cycle_to_delivery_p90",
    "cycle_to_invoice_median",
    "cycle_to_invoice_p90",
    "cycle_to_cash_median",
    "cycle_to_cash_p90",
    "held_share",
)


@tagged("post_install", "-at_install")
class TestCycleFigures(O2cDashboardCommon):
    """Cycle times and held time on a small set whose dates are set by hand.

    Orders of one team, confirmed ten days ago (T0), reach their steps after:
    delivered 10, 20, 30, 40, 100 hours (median 30, p90 76: PostgreSQL's
    percentile_cont interpolates), invoiced 24 and 48 hours (median 36, p90
    45.6), paid 200 hours (asked 10 hours before T0, held 21 hours) and 100
    hours (held share (21 + 0) / (210 + 100) = 6.77 %).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "O2C Cycle team"})
        cls.t0 = (cls.now - timedelta(days=10)).replace(microsecond=0)
        cls.orders = cls._orders(6, team_id=cls.team.id)
        cls.orders.action_confirm()
        a, b, c, d, e, cls.late = cls.orders
        for order, dates in (
            (a, {"delivered": 10, "invoiced": 24, "paid": 200, "asked": -10, "held": 21.0}),
            (b, {"delivered": 20, "invoiced": 48, "paid": 100}),
            (c, {"delivered": 30}),
            (d, {"delivered": 40}),
            (e, {"delivered": 100}),
            # delivered in the previous period: not in this one
            (cls.late, {"confirmed": -30 * 24, "delivered": -30 * 24 + 5}),
        ):
            cls._set_dates(order, **dates)
        cls.class_x = cls.env["o2c.order.class"].create({"name": "Cycle X", "code": "cycle_x"})
        cls.env.cr.execute(
            """UPDATE sale_order SET o2c_order_class_id = CASE WHEN id IN %s THEN %s END
                WHERE id IN %s""",
            [(a.id, b.id), cls.class_x.id, tuple(cls.orders.ids)],
        )
        # holds released in the period: A 2, 4, 9 hours; B 1 hour
        cls.Step = cls.env["o2c.order.step"]
        cls.Step._o2c_create(
            [
                {
                    "order_id": a.id,
                    "company_id": a.company_id.id,
                    "step": "released",
                    "date": cls.t0 + timedelta(hours=i + 1),
                    "type_id": etype.id,
                    "held_hours": held,
                }
                for i, (etype, held) in enumerate(
                    [(cls.type_a, 2.0), (cls.type_a, 4.0), (cls.type_a, 9.0), (cls.type_b, 1.0)]
                )
            ]
        )
        cls.env.invalidate_all()

    @classmethod
    def _set_dates(cls, order, confirmed=0, delivered=None, invoiced=None, paid=None, **more):
        """Dates of ``order`` in hours after T0 (stored with its steps), by SQL."""
        at = {
            "o2c_confirmed_date": confirmed,
            "o2c_delivered_date": delivered,
            "o2c_invoiced_date": invoiced,
            "o2c_paid_date": paid,
            "o2c_asked_date": more.get("asked"),
        }
        values = {
            column: None if hours is None else cls.t0 + timedelta(hours=hours)
            for column, hours in at.items()
        }
        values["o2c_held_hours"] = more.get("held", 0.0)
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE sale_order SET %s WHERE id = %%s"
            % ", ".join(f"{column} = %s" for column in values),
            [*values.values(), order.id],
        )

    def _cycle(self, **filters):
        figures, data = self._figures(team_ids=[self.team.id], **filters)
        return figures, data

    def test_cycle_figures_match_hand_computed_values(self):
        figures, __ = self._cycle()
        values = {key: figures[key]["value"] for key in CYCLE_KEYS}
        self.assertEqual(
            values,
            {
                "cycle_to_delivery_median": 30.0,
                "cycle_to_delivery_p90": 76.0,
                "cycle_to_invoice_median": 36.0,
                "cycle_to_invoice_p90": 45.6,
                "cycle_to_cash_median": 150.0,
                "cycle_to_cash_p90": 190.0,
                "held_share": 6.77,
            },
        )
        self.assertEqual(figures["cycle_to_delivery_median"]["previous"], 5.0)
        self.assertIsNone(figures["cycle_to_cash_median"]["previous"])
        self.assertEqual(figures["held_share"]["unit"], "percent")
        self.assertEqual({figures[key]["section"] for key in CYCLE_KEYS}, {"cycle"})

    def test_drill_down_opens_the_orders_measured(self):
        figures, data = self._cycle()
        self.assertIn("cycle", data["sections"])
        for key, count in (("cycle_to_delivery_p90", 5), ("cycle_to_cash_median", 2)):
            action = figures[key]["action"]
            opened = self.env[action["res_model"]].search(action["domain"])
            self.assertEqual(len(opened), count, key)
            self.assertLessEqual(opened, self.orders)

    def test_other_team_is_filtered_out(self):
        other = self.env["crm.team"].create({"name": "O2C Cycle other"})
        figures, __ = self._figures(team_ids=[other.id])
        self.assertIsNone(figures["cycle_to_delivery_median"]["value"])
        self.assertIsNone(figures["held_share"]["value"])

    def test_held_time_by_type(self):
        __, data = self._cycle()
        chart = data["charts"]["held_time_by_type"]
        rows = {row["label"]: [cell["value"] for cell in row["cells"]] for row in chart["rows"]}
        self.assertEqual(rows, {"Dash A": [3, 15.0, 4.0, 93.75], "Dash B": [1, 1.0, 1.0, 6.25]})
        action = chart["rows"][0]["cells"][0]["action"]
        self.assertEqual(len(self.Step.search(action["domain"])), 3)

    def test_cycle_by_class_and_channel(self):
        __, data = self._cycle()
        rows = {
            row["label"]: [cell["value"] for cell in row["cells"]]
            for row in data["charts"]["cycle_by_class"]["rows"]
        }
        # class X: A and B (delivered 10 and 20 hours, invoiced 24 and 48, paid 200 and 100)
        self.assertEqual(rows["Cycle X"], [2, 15.0, 36.0, 150.0])
        self.assertEqual(rows["None"], [3, 40.0, None, None])
        channels = data["charts"]["cycle_by_channel"]["rows"]
        self.assertEqual([row["cells"][0]["value"] for row in channels], [5])
        action = channels[0]["cells"][1]["action"]
        self.assertEqual(len(self.env["sale.order"].search(action["domain"])), 5)

    def test_cycle_figures_need_sales_rights(self):
        user = new_test_user(self.env, "o2c_cycle_no_sales", "o2c_exception_base.group_o2c_user")
        figures, data = self._figures(user=user)
        self.assertNotIn("cycle_to_cash_median", figures)
        self.assertNotIn("cycle_by_class", data["charts"])
        self.assertNotIn("held_time_by_type", data["charts"], "the timeline of orders")
