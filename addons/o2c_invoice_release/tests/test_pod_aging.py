# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import O2cReleaseCommon

ACTIVITY = "o2c_invoice_release.mail_activity_type_o2c_missing_pod"


@tagged("post_install", "-at_install")
class TestMissingPodAging(O2cReleaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_manager = new_test_user(
            cls.env, "o2c_rel_stock_manager", "base.group_user,stock.group_stock_manager"
        )
        cls.company.o2c_pod_responsible_id = cls.warehouse

    def _aged(self, days=5, partner=None):
        picking = self._deliver(self._order(partner or self.customer_pod))
        picking.date_done = fields.Datetime.now() - timedelta(days=days)
        return picking

    def _run(self):
        return self.env["stock.picking"]._cron_o2c_pod_aging(batch_size=2)

    def _missing_pod(self, picking):
        return picking.o2c_exception_ids.filtered(lambda e: e.code == "missing_pod")

    def _activities(self, picking):
        activity_type = self.env.ref(ACTIVITY)
        return picking.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)

    def test_aged_delivery_raises_missing_pod_with_activity(self):
        aged = self._aged(5)
        fresh = self._aged(1)
        on_delivery = self._aged(5, self.customer_delivery)
        self.assertGreaterEqual(self._run(), 1)
        exc = self._missing_pod(aged)
        self.assertEqual(exc.state, "open")
        self.assertEqual(exc.stage, "delivery_to_invoice")
        self.assertEqual(exc.sale_order_id, aged.sale_id)
        self.assertEqual(exc.amount, 100)
        self.assertIn("5 days", exc.name)
        self.assertEqual(self._activities(aged).user_id, self.warehouse)
        self.assertFalse(self._missing_pod(fresh), "not old enough")
        self.assertFalse(self._missing_pod(on_delivery), "no POD required")

    def test_second_run_raises_nothing_new(self):
        aged = self._aged(5)
        self._run()
        self.assertEqual(self._run(), 0)
        self.assertEqual(len(self._missing_pod(aged)), 1)
        self.assertEqual(len(self._activities(aged)), 1)

    def test_resolves_itself_when_pod_validated(self):
        aged = self._aged(5)
        self._run()
        self._proof(aged)
        exc = self._missing_pod(aged)
        self.assertEqual(exc.state, "resolved")
        self.assertIn("proof of delivery validated", exc.decision_reason)
        self.assertFalse(self._activities(aged), "the activity is marked done")

    def test_rejected_pod_still_missing(self):
        aged = self._aged(5)
        self._proof(aged, validate=False).action_reject("blurred")
        self._run()
        self.assertEqual(self._missing_pod(aged).state, "open")

    def test_team_gets_activity_without_responsible(self):
        self.company.o2c_pod_responsible_id = False
        aged = self._aged(5)
        aged.user_id = False
        self._run()
        users = self._activities(aged).user_id
        self.assertIn(self.stock_manager, users)
        self.assertNotIn(self.warehouse, users, "inventory administrators only")

    def test_aging_disabled_with_zero_days(self):
        self.company.o2c_pod_aging_days = 0
        aged = self._aged(30)
        self._run()
        self.assertFalse(self._missing_pod(aged))

    def test_cancelled_missing_pod_not_raised_again(self):
        aged = self._aged(5)
        self._run()
        manager = new_test_user(
            self.env, "o2c_rel_o2c_manager", "base.group_user,o2c_exception_base.group_o2c_manager"
        )
        self._missing_pod(aged).with_user(manager).action_cancel("customer never signs")
        self._run()
        self.assertEqual(self._missing_pod(aged).state, "cancelled")
        self.assertEqual(len(self._missing_pod(aged)), 1)

    def test_negative_aging_days_refused(self):
        with self.assertRaisesRegex(Exception, "Missing POD After"):
            self.company.o2c_pod_aging_days = -1
