# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import psycopg2
from dateutil.relativedelta import relativedelta
from odoo_test_helper import FakeModelLoader

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..dashboard import UNITS
from ..models.o2c_review_metric import UNIT_LABELS
from .common import O2cRpcMixin
from .test_dashboard import O2cDashboardCommon

REVIEW = "o2c.review"
PROPOSAL = "o2c.review.proposal"
WIZARD = "o2c.review.proposal.decision.wizard"
#: context keys a hostile RPC client may send: none turns a control off
HOSTILE = {
    "tracking_disable": True,
    "install_mode": True,
    "module": "o2c_exception_base",
    "o2c_owning_action": True,
    "default_state": "closed",
    "default_decision": "accept",
    "active_test": False,
}
LOGGER = "odoo.addons.o2c_exception_base.models.o2c_review"


def fakes():
    """The fake models' module, imported once the registry is backed up (its
    classes must not join the module's models for good)."""
    from . import fake_review_models

    return fake_review_models


class O2cReviewCommon(O2cRpcMixin, O2cDashboardCommon):
    """Last month's figures in two companies, with decided exceptions and root causes.

    Company A, last month: four orders confirmed, two with exceptions (exception
    rate 50 %); four exceptions decided: rejected 10 h and 20 h (training),
    approved 30 h (no root cause), resolved (supplier): turnaround median 20 h.
    Company B, last month: one order confirmed with an exception rejected for
    master data. The month before last, in A: one order confirmed without
    exception.
    """

    #: replace the advisor's answer by the fake's (see ``_fake_models``)
    _o2c_fake_advisor = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # loaded as a module of their own: reloading this addon's models would
        # rebuild its models without the other addons' extensions (sale orders...)
        cls.loader = None
        if cls._o2c_fake_advisor:
            cls.loader = FakeModelLoader(cls.env, "odoo.addons.o2c_review_fake.tests")
            cls.loader.backup_registry()
            cls.loader.update_registry(cls._fake_models())
        today = fields.Date.context_today(cls.env["o2c.review"])
        cls.month = today.replace(day=1) - relativedelta(months=1)
        cls.month_end = cls.month + relativedelta(day=31)
        cls.mid = datetime.combine(cls.month + timedelta(days=14), time(12))
        ref = cls.env.ref
        cls.training = ref("o2c_exception_base.o2c_root_cause_training")
        cls.supplier = ref("o2c_exception_base.o2c_root_cause_supplier")
        cls.master_data = ref("o2c_exception_base.o2c_root_cause_master_data")
        cls.o1, cls.o2, cls.o3, cls.o4, cls.o_before = cls._orders(5)
        cls.ob = cls._orders(1, company=cls.company_b)
        (cls.o1 | cls.o2 | cls.o3 | cls.o4 | cls.o_before).action_confirm()
        cls.ob.action_confirm()
        e1, e2 = cls._raise(cls.o1, "o2c_dash_a"), cls._raise(cls.o1, "o2c_dash_b")
        e3, e4 = cls._raise(cls.o2, "o2c_dash_a"), cls._raise(cls.o2, "o2c_dash_b")
        eb = cls._raise(cls.ob, "o2c_dash_a")
        approver = cls.approver
        e1.with_user(approver).action_reject("no", root_cause_id=cls.training.id)
        e2.with_user(approver).action_reject("no", root_cause_id=cls.training.id)
        e3.with_user(approver).action_approve("fine")
        e4.with_user(approver).action_resolve("done", root_cause_id=cls.supplier.id)
        eb.with_user(approver).action_reject("no", root_cause_id=cls.master_data.id)
        for exc, hours in ((e1, 10.0), (e2, 20.0), (e3, 30.0), (e4, 5.0), (eb, 99.0)):
            exc.sudo()._o2c_owned_write(
                {
                    "request_date": cls.mid - timedelta(hours=hours),
                    "decision_date": cls.mid,
                    "turnaround_hours": hours,
                }
            )
        (cls.o1 | cls.o2 | cls.o3 | cls.o4 | cls.ob).write({"date_order": cls.mid})
        cls.o_before.write({"date_order": cls.mid - relativedelta(months=1)})
        cls.Review = cls.env[REVIEW]

    @classmethod
    def _fake_models(cls):
        """The fake models of the class: the advisor proposing what a test sets
        (nothing unless it does), so that the review's tests do not depend on
        what the real advisor finds in their data."""
        return (fakes().O2cAdvisorFake,)

    @classmethod
    def tearDownClass(cls):
        if cls.loader:
            cls.loader.restore_registry()
        super().tearDownClass()

    def _review(self, company=None):
        return self.Review._o2c_get_or_create(company or self.company, self.month)

    def _snapshot(self, review):
        self.env.invalidate_all()
        fnames = ["state", "name", "company_id", "date_from", "date_to", "owner_ids", "notes"]
        return review.sudo().read(fnames), review.metric_ids.sudo().read(["value", "previous"])


@tagged("post_install", "-at_install")
class TestReviewCron(O2cReviewCommon):
    """The cron creates last month's review once per company."""

    def test_cron_creates_last_month_once_per_company(self):
        companies = self.env["res.company"].search([])
        created = self.Review._cron_create_monthly_reviews()
        self.assertEqual(created.company_id, companies)
        self.assertEqual(set(created.mapped("date_from")), {self.month})
        self.assertEqual(set(created.mapped("date_to")), {self.month_end})
        self.assertEqual(set(created.mapped("state")), {"draft"})
        again = self.Review._cron_create_monthly_reviews()
        self.assertFalse(again, "a second run creates nothing")
        reviews = self.Review.search([("date_from", "=", self.month)])
        self.assertEqual(reviews, created)
        self.assertEqual(
            created.filtered(lambda r: r.company_id == self.company).name,
            f"Review {self.month:%Y-%m} – {self.company.name}",
        )

    def test_cron_record_runs_the_monthly_job(self):
        cron = self.env.ref("o2c_exception_base.ir_cron_o2c_review_monthly")
        self.assertEqual(cron.code.strip(), "model._cron_create_monthly_reviews()")
        self.assertEqual(cron.model_id.model, REVIEW)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "months"))

    def test_archived_review_is_not_created_again(self):
        review = self._review()
        review.active = False
        created = self.Review._cron_create_monthly_reviews()
        self.assertNotIn(self.company, created.company_id)

    def test_review_created_meanwhile_is_skipped(self):
        """Another worker committed the review after this run looked: the unique
        constraint refuses the second, the run goes on without it."""
        review = self._review()
        activities = self.env["mail.activity"].search_count([])
        with mute_logger("odoo.sql_db"):
            result = self.Review._o2c_cron_create_one(self.company, self.month)
        self.assertFalse(result)
        self.assertEqual(self.Review.search([("company_id", "=", self.company.id)]), review)
        self.assertEqual(self.env["mail.activity"].search_count([]), activities)

    def test_one_review_per_company_and_month(self):
        self._review()
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.Review._o2c_create_review(self.company, self.month)

    def test_period_must_be_a_calendar_month(self):
        review = self._review()
        with self.assertRaisesRegex(ValidationError, "From and To .* one calendar month"):
            review.sudo()._o2c_owned_write({"date_to": self.month_end - timedelta(days=1)})


@tagged("post_install", "-at_install")
class TestReviewFailingCompany(O2cReviewCommon):
    """A company whose review fails is logged; the others are created."""

    @classmethod
    def _fake_models(cls):
        return (*super()._fake_models(), fakes().O2cDashboardFailing)

    def setUp(self):
        super().setUp()
        fakes().FAILING_COMPANY_IDS.add(self.company_b.id)
        self.addCleanup(fakes().FAILING_COMPANY_IDS.clear)

    def test_failing_company_logged_others_created(self):
        with self.assertLogs(LOGGER, "ERROR") as logs:
            created = self.Review._cron_create_monthly_reviews()
        self.assertIn(self.company, created.company_id)
        self.assertNotIn(self.company_b, created.company_id)
        self.assertIn(self.company_b.name, logs.output[0])
        self.assertFalse(
            self.Review.search([("company_id", "=", self.company_b.id)]),
            "nothing of the failed company is left",
        )
        fakes().FAILING_COMPANY_IDS.clear()
        self.assertEqual(self.Review._cron_create_monthly_reviews().company_id, self.company_b)


@tagged("post_install", "-at_install")
class TestReviewContent(O2cReviewCommon):
    """Figures from the control tower, root causes, owners and their activities."""

    def _dashboard(self, company, date_from, date_to):
        data = (
            self.env["o2c.dashboard"]
            .with_context(tz=company.partner_id.tz or "UTC")
            .get_dashboard_data(
                {
                    "company_ids": company.ids,
                    "date_from": fields.Date.to_string(date_from),
                    "date_to": fields.Date.to_string(date_to),
                    "role": "all",
                }
            )
        )
        return {figure["key"]: figure for figure in data["figures"]}, data["sections"]

    def test_metrics_match_the_dashboard(self):
        review = self._review()
        figures, sections = self._dashboard(self.company, self.month, self.month_end)
        before_from = self.month - relativedelta(months=1)
        before, __ = self._dashboard(self.company, before_from, before_from + relativedelta(day=31))
        keys = self.env["o2c.dashboard"]._o2c_review_figure_keys()
        expected = {key for key in keys if key in figures}
        self.assertEqual(set(review.metric_ids.mapped("key")), expected)
        self.assertEqual(len(review.metric_ids), len(expected))
        self.assertIn("exception_rate", expected)
        self.assertIn("turnaround_median", expected)
        for metric in review.metric_ids:
            figure = figures[metric.key]
            self.assertEqual(metric.has_value, figure["value"] is not None, metric.key)
            self.assertEqual(metric.value, figure["value"] or 0.0, metric.key)
            self.assertEqual(metric.previous, before[metric.key]["value"] or 0.0, metric.key)
            self.assertEqual(metric.title, figure["title"])
            self.assertEqual(metric.unit, figure["unit"])
            self.assertEqual(metric.better or None, figure["better"])
        order = [
            (sections[figures[key]["section"]]["sequence"], figures[key]["sequence"])
            for key in review.metric_ids.mapped("key")
        ]
        self.assertEqual(order, sorted(order), "the dashboard's order, by section")

    def test_metric_values_of_the_month_and_the_month_before(self):
        metrics = {m.key: m for m in self._review().metric_ids}
        rate, turnaround = metrics["exception_rate"], metrics["turnaround_median"]
        self.assertEqual(rate.value, 50.0)
        self.assertEqual(rate.previous, 0.0)
        self.assertEqual(rate.trend, "worse", "more exceptions than the month before")
        self.assertEqual(rate.value_display, "50.0 %")
        self.assertEqual(rate.section, "Order flow")
        self.assertEqual(turnaround.value, 20.0, "median of 10, 20 and 30 hours")
        self.assertFalse(turnaround.has_previous, "nothing decided the month before")
        self.assertFalse(turnaround.trend)
        self.assertEqual(turnaround.previous_display, "—")

    def test_review_of_a_company_reads_only_that_company(self):
        metrics = {m.key: m for m in self._review(self.company_b).metric_ids}
        self.assertEqual(metrics["exception_rate"].value, 100.0)
        self.assertEqual(metrics["turnaround_median"].value, 99.0)

    def test_trend_follows_the_better_way(self):
        review = self._review()
        cases = [
            ("lower", 5.0, 8.0, "better"),
            ("lower", 8.0, 5.0, "worse"),
            ("higher", 8.0, 5.0, "better"),
            ("higher", 5.0, 8.0, "worse"),
            ("higher", 5.0, 5.0, "same"),
            (False, 5.0, 8.0, False),
        ]
        metrics = self.env["o2c.review.metric"].create(
            [
                {
                    "review_id": review.id,
                    "key": f"k{i}",
                    "title": "T",
                    "better": better,
                    "value": value,
                    "previous": previous,
                    "has_value": True,
                    "has_previous": True,
                }
                for i, (better, value, previous, __) in enumerate(cases)
            ]
        )
        self.assertEqual(metrics.mapped("trend"), [case[3] for case in cases])

    def test_every_dashboard_unit_has_a_label(self):
        self.assertEqual(set(dict(UNIT_LABELS)), set(UNITS))

    def test_root_causes_of_the_month_counted(self):
        review = self._review()
        rows = [(r.root_cause_id, r.count, r.share) for r in review.root_cause_ids]
        # four decided in A: two training, one supplier, one approved without cause
        self.assertEqual(rows, [(self.training, 2, 50.0), (self.supplier, 1, 25.0)])
        rows_b = [(r.root_cause_id, r.count) for r in self._review(self.company_b).root_cause_ids]
        self.assertEqual(rows_b, [(self.master_data, 1)])

    def test_root_causes_count_with_one_query(self):
        review = self._review()
        __, queries = self._o2c_queries(review._o2c_root_cause_vals)
        self.assertEqual(
            len([q for q in queries if "o2c_exception" in str(q) and "GROUP BY" in str(q)]), 1
        )

    def test_owners_get_one_activity_each(self):
        # the approvers own order validation in A; managers own every stage (data)
        self.env["o2c.stage.owner"].create(
            {
                "company_id": self.company.id,
                "stage": "order_validation",
                "group_id": self.env.ref("o2c_exception_base.group_o2c_approver").id,
            }
        )
        review = self._review()
        self.assertIn(self.manager, review.owner_ids)
        self.assertIn(self.approver, review.owner_ids, "an approver owns a stage")
        self.assertNotIn(self.approver_b_only, review.owner_ids, "works for company B only")
        self.assertNotIn(self.requester, review.owner_ids)
        activities = review.activity_ids
        self.assertEqual(sorted(activities.user_id.ids), sorted(review.owner_ids.ids))
        self.assertEqual(len(activities), len(review.owner_ids), "one activity per user")
        self.assertEqual(activities.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertEqual(set(activities.mapped("summary")), {"Monthly review"})
        # company B keeps the shared owners: managers only
        review_b = self._review(self.company_b)
        self.assertNotIn(self.approver, review_b.owner_ids)
        self.assertIn(self.manager, review_b.owner_ids)

    def test_one_owner_group_per_company_and_stage(self):
        StageOwner = self.env["o2c.stage.owner"]
        group = self.env.ref("o2c_exception_base.group_o2c_approver")
        for company in (False, self.company.id):
            vals = {"company_id": company, "stage": "lead_to_order", "group_id": group.id}
            if company:
                StageOwner.create(vals)
            with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"):
                with self.env.cr.savepoint():
                    StageOwner.create(vals)
        # over RPC, the error names the rule (not the index)
        self.assertIn("o2c_stage_owner_company_stage_uniq", self.env.registry._sql_constraints)

    def test_report_renders_the_review(self):
        review = self._review()
        review.sudo().notes = "<p>Retrain the order desk on price overrides.</p>"
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "o2c_exception_base.o2c_review_report", review.ids
        )
        text = html.decode()
        self.assertIn(review.name, text)
        for metric in review.metric_ids:
            self.assertIn(metric.title, text)
        self.assertIn("50.0 %", text)
        self.assertIn("20.0 h", text)
        self.assertIn("Training", text)
        self.assertIn("Supplier performance", text)
        self.assertIn("Retrain the order desk", text)
        self.assertIn(self.manager.name, text)
        self.assertIn("Chair of the board", text)

    def test_wizard_creates_or_opens_the_month(self):
        wizard = (
            self.env["o2c.review.create.wizard"]
            .with_user(self.manager)
            .create({"month": self.month + timedelta(days=9)})
        )
        action = wizard.action_create_review()
        review = self.Review.browse(action["res_id"])
        self.assertEqual((review.company_id, review.date_from), (self.company, self.month))
        self.assertEqual(wizard.action_create_review()["res_id"], review.id, "opened again")

    def test_wizard_for_managers_only(self):
        wizard = self.env["o2c.review.create.wizard"].create({"month": self.month})
        with self.assertRaisesRegex(UserError, "Only O2C managers"):
            wizard.with_user(self.approver).action_create_review()
        self.assertFalse(self.Review.search([("date_from", "=", self.month)]))


@tagged("post_install", "-at_install")
class TestReviewGovernance(O2cReviewCommon):
    """The state moves only through its buttons; the figures only through the engine."""

    def test_rpc_write_of_state_refused_manager_any_context(self):
        review = self._review()
        before = self._snapshot(review)
        for vals in (
            {"state": "closed"},
            {"state": "decided", "notes": "<p>done</p>"},
            {"date_from": self.month - relativedelta(months=1)},
            {"owner_ids": [Command.set(self.requester.ids)]},
            {"name": "Another review"},
        ):
            with self.assertRaisesRegex(UserError, "change only through the action"):
                self.rpc(self.manager, REVIEW, "write", [review.id], vals, context=HOSTILE)
        self.assertEqual(self._snapshot(review), before)

    def test_rpc_write_refused_for_o2c_user(self):
        review = self._review()
        before = self._snapshot(review)
        with self.assertRaises(UserError):  # governed field, else no write access
            self.rpc(self.requester, REVIEW, "write", [review.id], {"state": "closed"})
        with self.assertRaises(AccessError):
            self.rpc(self.requester, REVIEW, "write", [review.id], {"notes": "<p>mine</p>"})
        with self.assertRaisesRegex(UserError, "Only O2C managers"):
            self.rpc(self.requester, REVIEW, "action_start_review", [review.id], context=HOSTILE)
        self.assertEqual(self._snapshot(review), before)

    def test_rpc_figures_refused(self):
        review = self._review()
        before = self._snapshot(review)
        metric = review.metric_ids[0]
        with self.assertRaises(AccessError):
            self.rpc(self.manager, "o2c.review.metric", "write", metric.ids, {"value": 1.0})
        with self.assertRaises(AccessError):
            self.rpc(
                self.manager,
                REVIEW,
                "write",
                [review.id],
                {"metric_ids": [Command.update(metric.id, {"value": 1.0})]},
                context=HOSTILE,
            )
        self.assertEqual(self._snapshot(review), before)

    def test_rpc_create_with_a_period_refused(self):
        month = self.month - relativedelta(months=2)
        vals = {
            "company_id": self.company.id,
            "date_from": fields.Date.to_string(month),
            "date_to": fields.Date.to_string(month + relativedelta(day=31)),
        }
        with self.assertRaisesRegex(UserError, "change only through the action"):
            self.rpc(self.manager, REVIEW, "create", vals, context=HOSTILE)
        with self.assertRaisesRegex(UserError, "change only through the action"):
            self.rpc(self.manager, REVIEW, "create", dict(vals, state="closed"), context=HOSTILE)
        self.assertFalse(self.Review.search([("date_from", "=", month)]))

    def test_never_deleted(self):
        review = self._review()
        with self.assertRaises(AccessError):
            self.rpc(self.manager, REVIEW, "unlink", [review.id])
        with self.assertRaisesRegex(UserError, "archive them"):
            review.sudo().unlink()
        self.assertTrue(review.exists())
        self.rpc(self.manager, REVIEW, "action_archive", [review.id])
        self.assertFalse(review.active)

    def test_buttons_move_the_review_forward(self):
        review = self._review()
        self.rpc(self.manager, REVIEW, "action_refresh", [review.id], context=HOSTILE)
        self.rpc(self.manager, REVIEW, "action_start_review", [review.id], context=HOSTILE)
        self.assertEqual(review.state, "in_review")
        with self.assertRaisesRegex(UserError, "Only a draft review"):
            self.rpc(self.manager, REVIEW, "action_refresh", [review.id])
        with self.assertRaisesRegex(UserError, "this step is for reviews Decided"):
            self.rpc(self.manager, REVIEW, "action_close", [review.id], context=HOSTILE)
        self.rpc(self.manager, REVIEW, "action_mark_decided", [review.id])
        self.assertEqual((review.state, review.decided_by_id), ("decided", self.manager))
        self.rpc(self.manager, REVIEW, "write", [review.id], {"notes": "<p>Decided</p>"})
        self.rpc(self.manager, REVIEW, "action_close", [review.id])
        self.assertEqual((review.state, review.closed_by_id), ("closed", self.manager))
        self.assertFalse(review.activity_ids, "the owners' to-dos are done")
        with self.assertRaisesRegex(UserError, "closed review"):
            self.rpc(self.manager, REVIEW, "write", [review.id], {"notes": "<p>Changed</p>"})
        self.assertIn("Decided", review.notes)

    def test_approver_cannot_move_the_review(self):
        review = self._review()
        with self.assertRaisesRegex(UserError, "Only O2C managers"):
            self.rpc(self.approver, REVIEW, "action_start_review", [review.id])
        self.assertEqual(review.state, "draft")

    def test_other_company_review_not_readable(self):
        review_b = self._review(self.company_b)
        user_a = new_test_user(
            self.env,
            "o2c_review_user_a",
            "o2c_exception_base.group_o2c_user",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        with self.assertRaises(AccessError):
            self.rpc(user_a, REVIEW, "read", [review_b.id], ["name"])


@tagged("post_install", "-at_install")
class TestReviewProposals(O2cReviewCommon):
    """The advisor's proposals on the review and the board's decision on each.

    Runs with the advisor (``o2c.advisor``) the review calls; its answer here
    is the fake's (see ``fake_review_models.PROPOSALS``).
    """

    def setUp(self):
        super().setUp()
        fakes().PROPOSALS[self.company.id] = [
            {
                "kind": "relax_limit",
                "type_code": "o2c_dash_a",
                "type_name": "Dash A",
                "policy_ref": "o2c.exception.type,1",
                "policy_label": "Dash A limit",
                "text": "Raise the Dash A limit from 1,000 to 1,500",
                "res_model": "o2c.exception.type",
                "res_id": self.type_a.id,
                "field": "sla_hours",
                "current_value": 1000,
                "proposed_value": 1500.0,
                "decisions": 40,
                "avoided": 12,
                "rejected_total": 3,
                "rejected_caught": 3,
                "value_unreviewed": 4200.5,
            },
            {
                "kind": "training",
                "type_code": "o2c_dash_b",
                "type_name": "Dash B",
                "policy_ref": False,
                "policy_label": "",
                "text": "Train the order desk on Dash B",
            },
        ]
        self.addCleanup(fakes().PROPOSALS.clear)
        self.addCleanup(fakes().CALLS.clear)

    def _in_review(self):
        review = self._review()
        review.with_user(self.manager).action_start_review()
        return review

    def decide(self, user, proposal, decision, note=None, context=None):
        """Decide ``proposal`` as ``user`` as the client does: create the dialog, confirm it."""
        vals = {"proposal_id": proposal.id, "decision": decision, "note": note}
        wizard_id = self.rpc(user, WIZARD, "create", vals, context=context)
        return self.rpc(user, WIZARD, "action_confirm", [wizard_id], context=context)

    def test_proposals_of_the_company_and_month(self):
        review = self._review()
        self.assertIn(([self.company.id], self.month, self.month_end), fakes().CALLS)
        relax, training = review.proposal_ids
        self.assertEqual(relax.kind, "relax_limit")
        self.assertEqual(relax.text, "Raise the Dash A limit from 1,000 to 1,500")
        self.assertEqual((relax.res_model, relax.res_id), ("o2c.exception.type", self.type_a.id))
        self.assertEqual((relax.current_value, relax.proposed_value), (1000.0, 1500.0))
        self.assertEqual((relax.decisions, relax.avoided, relax.rejected_caught), (40, 12, 3))
        self.assertEqual(relax.value_unreviewed, 4200.5)
        self.assertEqual(training.kind, "training")
        self.assertEqual(training.decisions, 0)
        self.assertFalse(self._review(self.company_b).proposal_ids)

    def test_button_opens_the_decision_dialog(self):
        relax = self._in_review().proposal_ids[0]
        action = self.rpc(self.approver, PROPOSAL, "action_reject", relax.ids)
        self.assertEqual(action["res_model"], WIZARD)
        self.assertEqual(
            action["context"], {"default_proposal_id": relax.id, "default_decision": "reject"}
        )
        self.assertFalse(relax.decision, "the dialog decides, not the button")

    def test_decisions_recorded_with_who_and_why(self):
        review = self._in_review()
        relax, training = review.proposal_ids
        self.decide(self.approver, relax, "accept")
        self.decide(self.manager, training, "defer", "Next quarter")
        self.assertEqual((relax.decision, relax.decided_by_id), ("accept", self.approver))
        self.assertFalse(relax.decision_note)
        self.assertTrue(relax.decision_date)
        self.assertEqual((training.decision, training.decided_by_id), ("defer", self.manager))
        self.assertEqual(training.decision_note, "Next quarter")
        bodies = str(review.message_ids.mapped("body"))
        self.assertIn("Proposal accepted by", bodies)
        self.assertIn("Proposal deferred by", bodies)
        self.assertFalse(
            self.env["o2c.policy.change"].search([("res_model", "=", "o2c.exception.type")]),
            "an approver may not change exception types: nothing requested",
        )

    def test_accepted_limit_requested_as_a_change(self):
        """A manager accepting a new limit requests it: applied on someone else's approval."""
        relax = self._in_review().proposal_ids[0]
        sla = self.type_a.sla_hours
        action = self.decide(self.manager, relax, "accept", "Agreed")
        request = self.env["o2c.policy.change"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "o2c.policy.change")
        self.assertEqual(
            (request.res_id, request.new_values), (self.type_a.id, {"sla_hours": 1500.0})
        )
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(self.type_a.sla_hours, sla, "applied only once approved")

    def test_reject_and_defer_need_a_note(self):
        relax = self._in_review().proposal_ids[0]
        for decision in ("reject", "defer"):
            for note in (None, "  "):
                with self.assertRaisesRegex(UserError, "Decision Note: say why"):
                    self.decide(self.approver, relax, decision, note)
        self.assertFalse(relax.decision)

    def test_decision_fields_refused_over_rpc(self):
        relax = self._in_review().proposal_ids[0]
        for vals in (
            {"decision": "accept"},
            {"decision_note": "Agreed"},
            {"decided_by_id": self.approver.id},
            {"proposed_value": 99999.0},
            {"text": "Remove the limit"},
        ):
            with self.assertRaisesRegex(UserError, "change only through the action"):
                self.rpc(self.manager, PROPOSAL, "write", relax.ids, vals, context=HOSTILE)
        with self.assertRaises(AccessError):
            self.decide(self.requester, relax, "accept", context=HOSTILE)
        self.env.invalidate_all()
        self.assertFalse(relax.decision)
        self.assertEqual(relax.proposed_value, 1500.0)

    def test_decided_once(self):
        relax = self._in_review().proposal_ids[0]
        self.decide(self.approver, relax, "accept", "OK")
        with self.assertRaisesRegex(UserError, "already decided"):
            self.decide(self.manager, relax, "reject", "No")
        self.assertEqual((relax.decision, relax.decision_note), ("accept", "OK"))

    def test_decided_only_in_review(self):
        relax = self._review().proposal_ids[0]
        with self.assertRaisesRegex(UserError, "decided while it is in review"):
            self.decide(self.approver, relax, "accept")
        self.assertFalse(relax.decision)

    def test_other_company_proposal_not_decided(self):
        fakes().PROPOSALS[self.company_b.id] = fakes().PROPOSALS[self.company.id]
        review_b = self._review(self.company_b)
        review_b.with_user(self.manager).action_start_review()
        approver_a = new_test_user(
            self.env,
            "o2c_review_approver_a",
            "o2c_exception_base.group_o2c_approver",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        with self.assertRaises(AccessError):
            self.decide(approver_a, review_b.proposal_ids[0], "accept")
        self.assertFalse(review_b.proposal_ids[0].decision)

    def test_mark_decided_needs_every_proposal_decided(self):
        review = self._in_review()
        relax, training = review.proposal_ids
        self.decide(self.approver, relax, "accept")
        with self.assertRaisesRegex(UserError, "Proposals: decide each proposal"):
            self.rpc(self.manager, REVIEW, "action_mark_decided", [review.id])
        self.assertEqual(review.state, "in_review")
        self.decide(self.approver, training, "reject", "Not now")
        self.rpc(self.manager, REVIEW, "action_mark_decided", [review.id])
        self.assertEqual(review.state, "decided")

    def test_report_shows_the_decisions(self):
        review = self._in_review()
        self.decide(self.approver, review.proposal_ids[0], "accept", "Agreed by the board")
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "o2c_exception_base.o2c_review_report", review.ids
        )
        text = html.decode()
        self.assertIn("Raise the Dash A limit from 1,000 to 1,500", text)
        self.assertIn("Agreed by the board", text)
        self.assertIn("Accept", text)
        self.assertIn(self.approver.name, text)


@tagged("post_install", "-at_install")
class TestReviewRealAdvisor(O2cReviewCommon):
    """The review with the real advisor: its proposals become the review's lines."""

    _o2c_fake_advisor = False

    def test_review_lines_are_the_advisor_proposals(self):
        # a rejection in two decisions is "often rejected" for this company
        self.company.write(
            {"o2c_advisor_rejection_decisions": 1, "o2c_advisor_rejection_rate": 10.0}
        )
        review = self._review()
        self.assertIn("often_rejected", review.proposal_ids.mapped("kind"))
        proposals = (
            self.env["o2c.advisor"]
            .sudo()
            .o2c_proposals(self.company.ids, self.month, self.month_end)
        )
        self.assertEqual(review.proposal_ids.mapped("text"), [p["text"] for p in proposals])
        self.assertEqual(review.proposal_ids.mapped("kind"), [p["kind"] for p in proposals])
