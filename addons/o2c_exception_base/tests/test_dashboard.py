# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.addons.o2c_exception_base.dashboard import Figure
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import O2cCommon


class O2cDashboardCommon(O2cCommon):
    """Exception types, a service product invoiced on order, helpers for orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Type = cls.env["o2c.exception.type"]
        cls.type_a = Type.create(
            {
                "name": "Dash A",
                "code": "o2c_dash_a",
                "stage": "order_validation",
                "blocking": True,
                "sla_hours": 2,
            }
        )
        cls.type_b = Type.create(
            {
                "name": "Dash B",
                "code": "o2c_dash_b",
                "stage": "warehouse_execution",
                "blocking": False,
                "sla_hours": 0,
            }
        )
        cls.type_c = Type.create(
            {
                "name": "Dash C",
                "code": "o2c_dash_c",
                "stage": "delivery_to_invoice",
                "blocking": True,
                "sla_hours": 0,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "O2C Dash Service", "type": "service", "invoice_policy": "order"}
        )
        cls.Dashboard = cls.env["o2c.dashboard"]
        cls.now = fields.Datetime.now()

    @classmethod
    def _orders(cls, count=1, company=None, **vals):
        company = company or cls.company
        return (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                [
                    {
                        "partner_id": cls.partner.id,
                        "company_id": company.id,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": cls.product.id,
                                    "product_uom_qty": 1,
                                    "price_unit": 100,
                                }
                            )
                        ],
                        **vals,
                    }
                    for __ in range(count)
                ]
            )
        )

    @classmethod
    def _invoice(cls, orders, post=True):
        invoices = orders._create_invoices()
        if post:
            invoices.action_post()
        return invoices

    @classmethod
    def _raise(cls, orders, code, amount=0.0):
        return orders._o2c_raise_exceptions(code, {"name": f"{code} test", "amount": amount})

    def _figures(self, user=None, **filters):
        dashboard = self.Dashboard.with_user(user) if user else self.Dashboard
        data = dashboard.get_dashboard_data(filters)
        return {figure["key"]: figure for figure in data["figures"]}, data


@tagged("post_install", "-at_install")
class TestDashboardFigures(O2cDashboardCommon):
    """Every base figure on known data, with exact numbers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        approver = cls.approver
        # draft q1: two blocking (A 100, C 60) and one informative (B 70) exception
        cls.q1, cls.q2, cls.q3, cls.q7, cls.q8 = cls._orders(5)
        cls._raise(cls.q1, "o2c_dash_a", 100)
        cls._raise(cls.q1, "o2c_dash_c", 60)
        cls._raise(cls.q1, "o2c_dash_b", 70)
        # draft q2: blocking A 250, rejected (still holds the order)
        cls.exc_q2 = cls._raise(cls.q2, "o2c_dash_a", 250)
        cls.exc_q2.with_user(approver).action_reject(
            "too cheap", root_cause_id=cls.env.ref("o2c_exception_base.o2c_root_cause_training").id
        )
        # draft q3: blocking A 40, past its SLA
        exc_q3 = cls._raise(cls.q3, "o2c_dash_a", 40)
        exc_q3.sudo()._o2c_owned_write({"deadline": cls.now - timedelta(hours=1)})
        # draft q7: informative B raised 40 days ago, still open
        exc_q7 = cls._raise(cls.q7, "o2c_dash_b", 5)
        exc_q7.sudo()._o2c_owned_write({"request_date": cls.now - timedelta(days=40)})
        # draft q8: A approved in the previous period after 24 hours
        exc_q8 = cls._raise(cls.q8, "o2c_dash_a", 10)
        exc_q8.with_user(approver).action_approve("fine")
        exc_q8.sudo()._o2c_owned_write(
            {
                "request_date": cls.now - timedelta(days=36),
                "decision_date": cls.now - timedelta(days=35),
                "turnaround_hours": 24.0,
            }
        )
        # orders confirmed in the period
        cls.o1, cls.o2, cls.o3, cls.o4, cls.o5 = cls._orders(5)
        exc_o2 = cls._raise(cls.o2, "o2c_dash_b", 1)
        exc_o2.with_user(approver).action_resolve(
            "done", root_cause_id=cls.env.ref("o2c_exception_base.o2c_root_cause_training").id
        )
        cls.exc_o4 = cls._raise(cls.o4, "o2c_dash_a", 999)
        cls.exc_o4.with_user(approver).action_approve("ok")
        (cls.o1 | cls.o2 | cls.o3 | cls.o4 | cls.o5).action_confirm()
        for order in cls.o1 | cls.o2 | cls.o4 | cls.o5:
            cls._invoice(order)
        cls._invoice(cls.o3, post=False)
        cls.o5.write({"date_order": cls.now - timedelta(days=40)})
        cls.exc_q2.sudo()._o2c_owned_write({"turnaround_hours": 2.0})
        cls.exc_o4.sudo()._o2c_owned_write({"turnaround_hours": 10.0})

    def test_open_exceptions_total_stage_and_type(self):
        figures, __ = self._figures()
        self.assertEqual(figures["open_exceptions"]["value"], 5)
        self.assertEqual(figures["open_exceptions"]["previous"], 1)
        self.assertEqual(figures["open_stage_order_validation"]["value"], 2)
        self.assertEqual(figures["open_stage_warehouse_execution"]["value"], 2)
        self.assertEqual(figures["open_stage_warehouse_execution"]["previous"], 1)
        self.assertEqual(figures["open_stage_delivery_to_invoice"]["value"], 1)
        self.assertEqual(figures["open_stage_lead_to_order"]["value"], 0)
        self.assertEqual(figures["open_type_o2c_dash_a"]["value"], 2)
        self.assertEqual(figures["open_type_o2c_dash_b"]["value"], 2)
        self.assertEqual(figures["open_type_o2c_dash_b"]["previous"], 1)
        self.assertEqual(figures["open_type_o2c_dash_c"]["value"], 1)
        self.assertEqual(figures["open_type_o2c_dash_a"]["section"], "types")

    def test_blocking_value_counts_each_held_document_once(self):
        figures, __ = self._figures()
        # q1: max(100, 60) + q2 (rejected) 250 + q3 40; approved/resolved ones excluded
        self.assertEqual(figures["blocking_value"]["value"], 390.0)
        self.assertEqual(figures["blocking_value"]["previous"], 0.0)
        self.assertEqual(figures["blocking_value"]["unit"], "currency")

    def test_past_sla(self):
        figures, __ = self._figures()
        self.assertEqual(figures["past_sla"]["value"], 1)
        self.assertEqual(figures["past_sla"]["previous"], 0)

    def test_approval_turnaround_median_and_p90(self):
        figures, __ = self._figures()
        # decided in the period: rejected q2 (2 h) and approved o4 (10 h)
        self.assertEqual(figures["turnaround_median"]["value"], 6.0)
        self.assertEqual(figures["turnaround_p90"]["value"], 9.2)
        self.assertEqual(figures["turnaround_median"]["previous"], 24.0)
        self.assertEqual(figures["turnaround_p90"]["unit"], "hours")

    def test_touchless_and_exception_rate(self):
        figures, __ = self._figures()
        # o1..o4 confirmed in the period: o1 touchless (o3 not posted, o2/o4 exceptions)
        self.assertEqual(figures["orders_confirmed"]["value"], 4)
        self.assertEqual(figures["touchless_rate"]["value"], 25.0)
        self.assertEqual(figures["exception_rate"]["value"], 50.0)
        # o5 confirmed in the previous period, invoiced, no exception
        self.assertEqual(figures["touchless_rate"]["previous"], 100.0)
        self.assertEqual(figures["exception_rate"]["previous"], 0.0)
        self.assertEqual(figures["touchless_rate"]["better"], "higher")

    def test_record_rules_apply_to_every_figure(self):
        """A salesman who sees his own orders only counts only those: the
        record rules are tested once per query, not in each figure's filter."""
        own = new_test_user(
            self.env,
            "o2c_dash_own",
            "sales_team.group_sale_salesman,o2c_exception_base.group_o2c_user",
        )
        (self.o1 | self.o2).user_id = own
        figures, data = self._figures(user=own, role="all")
        self.assertEqual(figures["orders_confirmed"]["value"], 2)
        self.assertEqual(figures["touchless_rate"]["value"], 50.0)  # o1
        self.assertEqual(figures["exception_rate"]["value"], 50.0)  # o2
        [row] = data["charts"]["order_class_split"]["rows"]
        self.assertEqual(row["cells"][0]["value"], 2)
        self.assertEqual(figures["open_exceptions"]["value"], 5, "exceptions: no such rule")

    def test_drill_down_domain_gives_the_number(self):
        figures, __ = self._figures()
        Exc, SaleOrder = self.env["o2c.exception"], self.env["sale.order"]
        for key in ("open_exceptions", "past_sla", "open_stage_order_validation"):
            action = figures[key]["action"]
            self.assertEqual(Exc.search_count(action["domain"]), figures[key]["value"], key)
        touchless = SaleOrder.search(figures["touchless_rate"]["action"]["domain"])
        self.assertEqual(touchless, self.o1)
        with_exc = SaleOrder.search(figures["exception_rate"]["action"]["domain"])
        self.assertEqual(with_exc, self.o2 | self.o4)
        held = Exc.search(figures["blocking_value"]["action"]["domain"])
        self.assertEqual(set(held.mapped("res_id")), {self.q1.id, self.q2.id, self.q3.id})
        self.assertEqual(figures["blocking_value"]["action"]["res_model"], "o2c.exception")

    def test_role_presets_filter_figures(self):
        figures, __ = self._figures(role="warehouse")
        self.assertNotIn("touchless_rate", figures)
        self.assertNotIn("open_stage_order_validation", figures)
        self.assertIn("open_stage_warehouse_execution", figures)
        self.assertIn("open_exceptions", figures)
        self.assertIn("open_type_o2c_dash_b", figures)
        self.assertNotIn("open_type_o2c_dash_a", figures)

    def test_weekly_trend_by_type(self):
        """The weekly chart follows the chosen period."""
        __, data = self._figures()
        chart = data["charts"]["exception_trend"]
        totals = {ds["label"]: sum(ds["data"]) for ds in chart["datasets"]}
        # the last 30 days: A: q1, q2, q3, o4; B: q1, o2; C: q1 (q8 and q7 are older)
        self.assertEqual(totals, {"Dash A": 4, "Dash B": 2, "Dash C": 1})
        weeks = len(chart["labels"])
        self.assertIn(weeks, (5, 6), "30 days span 5 or 6 weeks")
        self.assertTrue(all(len(ds["data"]) == weeks for ds in chart["datasets"]))
        # a bar opens the exceptions it counts: the chart's, its week's and its type's terms
        drill = chart["drill"]
        Exception_ = self.env["o2c.exception"]
        for j, dataset in enumerate(chart["datasets"]):
            for i, count in enumerate(dataset["data"]):
                terms = drill["domain"] + drill["labels"][i] + drill["datasets"][j]
                self.assertEqual(Exception_.search_count(terms), count, (dataset["label"], i))
        # a quarter: q8 (36 days ago) and q7 (40 days ago) too, in 13 or 14 weeks
        __, data = self._figures(date_from=str(self.now.date() - timedelta(days=89)))
        chart = data["charts"]["exception_trend"]
        totals = {ds["label"]: sum(ds["data"]) for ds in chart["datasets"]}
        self.assertEqual(totals, {"Dash A": 5, "Dash B": 3, "Dash C": 1})
        self.assertIn(len(chart["labels"]), (13, 14))

    def test_split_by_order_class(self):
        order_class = self.env["o2c.order.class"].create({"name": "Dash class", "code": "o2c_dash"})
        (self.o1 | self.o2 | self.o4).write({"o2c_order_class_id": order_class.id})
        (self.o3 | self.o5).write({"o2c_order_class_id": False})
        __, data = self._figures()
        rows = {row["label"]: row["cells"] for row in data["charts"]["order_class_split"]["rows"]}
        self.assertEqual([c["value"] for c in rows["Dash class"]], [3, 33.33, 66.67])
        self.assertEqual([c["value"] for c in rows["No class"]], [1, 0.0, 0.0])
        cell = rows["Dash class"][1]
        self.assertEqual(self.env["sale.order"].search(cell["action"]["domain"]), self.o1)

    def test_previous_period_has_same_length(self):
        __, data = self._figures(date_from="2026-03-01", date_to="2026-03-31")
        self.assertEqual(data["context"]["prev_from"], "2026-01-29")
        self.assertEqual(data["context"]["prev_to"], "2026-02-28")

    def test_bad_period_refused(self):
        with self.assertRaises(UserError) as cm:
            self._figures(date_from="2026-03-31", date_to="2026-03-01")
        self.assertIn("Period", str(cm.exception))
        with self.assertRaises(UserError) as cm:
            self._figures(date_from="yesterday")
        self.assertIn("date_from", str(cm.exception))

    def test_team_filter_scopes_orders_and_exceptions(self):
        team = self.env["crm.team"].create({"name": "O2C Dash team"})
        self.o1.team_id = team
        figures, __ = self._figures(team_ids=[team.id])
        self.assertEqual(figures["orders_confirmed"]["value"], 1)
        self.assertEqual(figures["touchless_rate"]["value"], 100.0)
        self.assertEqual(figures["open_exceptions"]["value"], 0)


@tagged("post_install", "-at_install")
class TestDashboardAccess(O2cDashboardCommon):
    """The dashboard respects the user's companies, record rules and access rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_a = new_test_user(
            cls.env,
            "o2c_dash_user_a",
            "sales_team.group_sale_salesman_all_leads,o2c_exception_base.group_o2c_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls._raise(cls._orders(2), "o2c_dash_a", 100)
        cls._raise(cls._orders(3, company=cls.company_b), "o2c_dash_a", 1000)

    def test_user_sees_only_own_company(self):
        figures, data = self._figures(user=self.user_a)
        self.assertEqual(figures["open_exceptions"]["value"], 2)
        self.assertEqual(figures["blocking_value"]["value"], 200.0)
        self.assertEqual(data["context"]["company_ids"], [self.company.id])
        self.assertEqual([c[0] for c in data["options"]["companies"]], [self.company.id])

    def test_other_company_filter_is_ignored(self):
        figures, data = self._figures(user=self.user_a, company_ids=[self.company_b.id])
        self.assertEqual(data["context"]["company_ids"], [self.company.id])
        self.assertEqual(figures["open_exceptions"]["value"], 2)

    def test_multi_company_manager_filters_company(self):
        dashboard = self.Dashboard.with_user(self.manager).with_context(
            allowed_company_ids=[self.company.id, self.company_b.id]
        )
        data = dashboard.get_dashboard_data({})
        figures = {f["key"]: f for f in data["figures"]}
        self.assertEqual(figures["open_exceptions"]["value"], 5)
        data = dashboard.get_dashboard_data({"company_ids": [self.company_b.id]})
        figures = {f["key"]: f for f in data["figures"]}
        self.assertEqual(figures["open_exceptions"]["value"], 3)

    def test_user_without_sales_rights_gets_exception_figures_only(self):
        figures, data = self._figures(user=self.requester)  # both companies, no sales rights
        self.assertEqual(figures["open_exceptions"]["value"], 5)
        self.assertNotIn("touchless_rate", figures)
        self.assertNotIn("order_class_split", data["charts"])

    def test_portal_user_refused(self):
        portal = new_test_user(self.env, "o2c_dash_portal", "base.group_portal")
        with self.assertRaises(AccessError):
            self.Dashboard.with_user(portal).get_dashboard_data({})


@tagged("post_install", "-at_install")
class TestDashboardQueries(O2cDashboardCommon):
    """The number of queries of the dashboard does not grow with the data."""

    def _add_data(self, count):
        orders = self._orders(count)
        half = orders[: count // 2]
        self._raise(half, "o2c_dash_a", 50)
        self._raise(orders[count // 2 :], "o2c_dash_b", 5)
        self._raise(orders[count // 2 :], "o2c_dash_c", 7)
        half.o2c_exception_ids.with_user(self.approver).action_approve("ok")
        half.action_confirm()
        invoices = self._invoice(half)
        # the orders' cycle too: paid orders, and holds released (time held)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({"group_payment": False})._create_payments()
        held = orders[count // 2 :][:1]
        held.action_confirm()
        held.o2c_exception_ids.filtered("blocking").with_user(self.approver).action_approve("ok")
        return orders

    def test_query_count_flat(self):
        dashboard_data = self.Dashboard.with_user(self.manager).get_dashboard_data
        self._add_data(5)
        # warm-up (caches of rules, languages, currencies)
        self._o2c_query_count(dashboard_data, {})
        q5 = self._o2c_query_count(dashboard_data, {})
        self._add_data(195)
        q200 = self._o2c_query_count(dashboard_data, {})
        self.assertEqual(q5, q200, f"5 orders: {q5} queries, 200 orders: {q200}")
        # a fixed budget for the whole dashboard, figures of every o2c addon included
        self.assertLess(q5, 120)

    def test_query_count_flat_with_order_figures(self):
        """A manager who reads orders: the order flow and cycle time figures too."""
        user = new_test_user(
            self.env,
            "o2c_dash_sales_manager",
            "sales_team.group_sale_manager,o2c_exception_base.group_o2c_manager",
        )
        dashboard_data = self.Dashboard.with_user(user).get_dashboard_data
        self._add_data(5)
        self._o2c_query_count(dashboard_data, {})
        small, q5 = self._o2c_queries(dashboard_data, {})
        self._add_data(195)
        big, q200 = self._o2c_queries(dashboard_data, {})
        self.assertFlatQueries(q5, q200, "dashboard, 5 then 200 orders")
        figures = {f["key"]: f["value"] for f in big["figures"]}
        self.assertIsNotNone(figures["cycle_to_cash_median"], "paid orders measured")
        self.assertEqual(figures["held_share"], 0.0, "the paid orders were never held")
        self.assertTrue(big["charts"]["held_time_by_type"]["rows"], "holds released")
        self.assertLess(len(q5), 140)


@tagged("post_install", "-at_install")
class TestDashboardOrderFlags(O2cDashboardCommon):
    """The stored order flags behind the touchless and exception rates stay right."""

    def test_posted_invoice_flag_follows_the_invoice(self):
        order = self._orders()
        order.action_confirm()
        invoice = self._invoice(order, post=False)
        self.assertFalse(order.o2c_has_posted_invoice, "a draft invoice does not count")
        invoice.action_post()
        self.assertTrue(order.o2c_has_posted_invoice)
        invoice.button_draft()
        self.assertFalse(order.o2c_has_posted_invoice, "reset to draft")
        invoice.button_cancel()
        self.assertFalse(order.o2c_has_posted_invoice, "cancelled")
        self._invoice(order)
        self.assertTrue(order.o2c_has_posted_invoice, "a new invoice posted")
        self.env.flush_all()
        touchless = self.Dashboard._o2c_invoiced_domain()
        self.assertEqual(self.env["sale.order"].search([("id", "=", order.id), *touchless]), order)

    def test_credit_note_is_not_an_invoice(self):
        order = self._orders()
        order.action_confirm()
        invoice = self._invoice(order)
        refund = invoice._reverse_moves()
        invoice.button_draft()
        invoice.button_cancel()
        refund.action_post()
        self.assertEqual(refund.move_type, "out_refund")
        self.assertFalse(order.o2c_has_posted_invoice)

    def test_exception_flag_follows_the_linked_exceptions(self):
        order, other = self._orders(2)
        self.assertFalse(order.o2c_has_exception)
        exc = self._raise(order, "o2c_dash_b", 5)
        self.assertTrue(order.o2c_has_exception)
        exc.with_user(self.approver).action_resolve(
            "done", root_cause_id=self.env.ref("o2c_exception_base.o2c_root_cause_training").id
        )
        self.assertTrue(order.o2c_has_exception, "any exception, whatever its state")
        exc.sudo().active = False
        self.assertFalse(order.o2c_has_exception, "archived exceptions do not count")
        # an exception raised on the order's invoice is linked to the order too
        other.action_confirm()
        invoice = self._invoice(other, post=False)
        self._raise(invoice, "o2c_dash_b", 5)
        self.assertTrue(other.o2c_has_exception)
        self.env.flush_all()
        with_exc = self.Dashboard._o2c_order_exception_domain(True)
        self.assertEqual(
            self.env["sale.order"].search([("id", "in", (order | other).ids), *with_exc]), other
        )

    def test_every_count_figure_matches_its_drill_down(self):
        orders = self._orders(4)
        self._raise(orders[:2], "o2c_dash_a", 50)
        self._raise(orders[2:], "o2c_dash_b", 5)
        orders[:1].o2c_exception_ids.with_user(self.approver).action_approve("ok")
        orders[2:].action_confirm()
        self._invoice(orders[2:])
        figures, data = self._figures()
        checked = 0
        for key, figure in figures.items():
            action = figure["action"]
            if figure["unit"] != "count" or not action:
                continue
            count = self.env[action["res_model"]].search_count(action["domain"])
            self.assertEqual(count, figure["value"], key)
            checked += 1
        self.assertGreater(checked, 10)
        for row in data["charts"]["order_class_split"]["rows"]:
            cell = row["cells"][0]
            self.assertEqual(
                self.env["sale.order"].search_count(cell["action"]["domain"]), cell["value"]
            )


@tagged("post_install", "-at_install")
class TestDashboardEngine(O2cDashboardCommon):
    """The engine on declarations of the test's own: measures, queries, joins."""

    def setUp(self):
        super().setUp()
        self.ctx = self.Dashboard._o2c_dashboard_context({})

    def _evaluate(self, *declarations):
        figures = self.Dashboard._o2c_evaluate(self.ctx, list(declarations))
        return {figure["key"]: figure for figure in figures}

    def _exceptions(self, *amounts):
        for order, amount in zip(self._orders(len(amounts)), amounts, strict=True):
            self._raise(order, "o2c_dash_b", amount)

    def test_every_measure(self):
        self._exceptions(10, 20, 60)
        common = {
            "model": "o2c.exception",
            "domain": [("code", "=", "o2c_dash_b")],
            "scope": [("company_id", "=", self.company.id)],
            "previous": False,
        }
        amount = dict(common, field="amount")
        figures = self._evaluate(
            Figure("count", "Count", **common),
            Figure("sum", "Sum", measure="sum", currency_field="currency_id", **amount),
            Figure("avg", "Average", measure="avg", **amount),
            Figure("median", "Median", measure="median", **amount),
            Figure("p90", "p90", measure="p90", **amount),
            Figure(
                "rate",
                "Rate",
                **dict(common, domain=[("code", "=", "o2c_dash_b"), ("amount", ">", 15)]),
                measure="rate",
                of=common["domain"],
            ),
            Figure("no_rate", "Rate of nothing", **common, measure="rate", of=[("id", "=", 0)]),
        )
        values = {key: figure["value"] for key, figure in figures.items()}
        self.assertEqual(
            values,
            {
                "count": 3,
                "sum": 90.0,
                "avg": 30.0,
                "median": 20.0,
                "p90": 52.0,  # 20 + 0.8 * (60 - 20), PostgreSQL's continuous percentile
                "rate": 66.67,
                "no_rate": None,
            },
        )
        self.assertEqual({figure["previous"] for figure in figures.values()}, {None})

    def test_figures_of_one_model_and_scope_are_read_by_one_query(self):
        orders = self._orders(3)
        scope = [("company_id", "=", self.company.id)]
        one = [Figure("order_0", "One", "sale.order", [("id", "=", orders[0].id)], scope=scope)]
        three = [
            Figure(f"order_{index}", "One", "sale.order", [("id", "=", order.id)], scope=scope)
            for index, order in enumerate(orders)
        ]
        self._evaluate(*three)  # warm-up (record rules, access rights)
        self.assertEqual(self._o2c_query_count(self._evaluate, *one), 1)
        self.assertEqual(self._o2c_query_count(self._evaluate, *three), 1)
        values = self._evaluate(*three)
        self.assertEqual([values[f.key]["value"] for f in three], [1, 1, 1])
        # a figure on another scope is another query
        other = Figure("other", "Other", "sale.order", [], scope=[("id", "=", orders[0].id)])
        self.assertEqual(self._o2c_query_count(self._evaluate, *three, other), 2)

    def test_domain_through_a_joined_field_counts_its_drill_down(self):
        """``move_id`` of a journal item is ``auto_join``: its condition needs a join,
        the engine tests it with a subquery instead of the bare WHERE clause."""
        orders = self._orders(2)
        orders.action_confirm()
        self._invoice(orders)
        figure = self._evaluate(
            Figure(
                "invoice_lines",
                "Invoice lines",
                "account.move.line",
                [("move_id.move_type", "=", "out_invoice"), ("display_type", "=", "product")],
                scope=[("company_id", "=", self.company.id)],
            )
        )["invoice_lines"]
        drill_down = self.env["account.move.line"].search_count(figure["action"]["domain"])
        self.assertEqual(figure["value"], drill_down)
        self.assertGreaterEqual(figure["value"], 2)

    def test_figure_on_a_model_the_user_cannot_read_is_left_out(self):
        user = new_test_user(
            self.env, login="o2c_dash_engine_user", groups="o2c_exception_base.group_o2c_user"
        )
        declarations = [
            Figure("exceptions", "Exceptions", "o2c.exception", []),
            Figure("journal_items", "Journal items", "account.move.line", []),
        ]
        figures = self.Dashboard.with_user(user)._o2c_evaluate(self.ctx, declarations)
        self.assertEqual([figure["key"] for figure in figures], ["exceptions"])

    def test_a_key_declared_twice_is_refused(self):
        twice = Figure("twice", "Twice", "o2c.exception", [])
        with self.assertRaisesRegex(ValueError, "declared twice: twice"):
            self._evaluate(twice, Figure("once", "Once", "o2c.exception", []), twice)


@tagged("post_install", "-at_install")
class TestDashboardRoles(O2cDashboardCommon):
    """The dashboard opens on the user's role; a role counts the stages it acts on."""

    def test_opens_on_the_role_of_the_user(self):
        o2c_user = "o2c_exception_base.group_o2c_user"
        cases = {
            "sales": f"sales_team.group_sale_salesman,{o2c_user}",
            "warehouse": f"stock.group_stock_user,{o2c_user}",
            "finance": f"account.group_account_invoice,sales_team.group_sale_salesman,{o2c_user}",
            "all": "o2c_exception_base.group_o2c_manager",
        }
        for role, groups in cases.items():
            with self.subTest(role=role):
                user = new_test_user(self.env, f"o2c_role_{role}", groups)
                __, data = self._figures(user)
                self.assertEqual(data["context"]["role"], role)

    def test_a_role_counts_the_exceptions_of_its_stages(self):
        orders = self._orders(3)
        self._raise(orders[0], "o2c_dash_a", 10)  # order validation: sales, finance
        self._raise(orders[1], "o2c_dash_b", 10)  # warehouse execution: warehouse
        self._raise(orders[2], "o2c_dash_c", 10)  # delivery to invoice: warehouse, finance
        for role, codes in (
            ("warehouse", {"o2c_dash_b", "o2c_dash_c"}),
            ("sales", {"o2c_dash_a"}),
            ("all", {"o2c_dash_a", "o2c_dash_b", "o2c_dash_c"}),
        ):
            with self.subTest(role=role):
                figures, data = self._figures(role=role)
                figure = figures["open_exceptions"]
                opened = self.env["o2c.exception"].search(figure["action"]["domain"])
                dash_codes = set(opened.mapped("code")) & {"o2c_dash_a", "o2c_dash_b", "o2c_dash_c"}
                self.assertEqual(dash_codes, codes)
                self.assertEqual(figure["value"], len(opened))
                trend = {ds["label"] for ds in data["charts"]["exception_trend"]["datasets"]}
                labels = {f"Dash {code[-1].upper()}" for code in codes}
                self.assertEqual(trend & {"Dash A", "Dash B", "Dash C"}, labels)
        warehouse = self._figures(role="warehouse")[1]["charts"]
        self.assertNotIn("order_class_split", warehouse, "a sales and finance chart")

    def test_each_role_has_a_handful_of_headlines(self):
        for role in ("all", "sales", "warehouse", "finance", "service"):
            with self.subTest(role=role):
                figures, __ = self._figures(role=role)
                headlines = [key for key, f in figures.items() if role in f["headline"]]
                self.assertTrue(2 <= len(headlines) <= 8, headlines)
                self.assertLess(len(headlines), len(figures))
