# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest import SkipTest

from odoo.tests import tagged

from .common import O2cIntakeCommon

try:
    from odoo.addons.o2c_queue_job.tests.common import enter_jobs_mode, run_as_runner
except ImportError:  # pragma: no cover - o2c_queue_job (queue_job) not in the addons path
    enter_jobs_mode = None


@tagged("post_install", "-at_install")
class TestConfirmationQueueJob(O2cIntakeCommon):
    """With o2c_queue_job: the job's batches become queue jobs on ``root.o2c.intake``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if enter_jobs_mode is None or "queue.job" not in cls.env:
            raise SkipTest("o2c_queue_job is not installed")

    def setUp(self):
        super().setUp()
        enter_jobs_mode(self)

    def _jobs(self, orders):
        return (
            self.env["queue.job"]
            .sudo()
            .search([("model_name", "=", "sale.order"), ("method_name", "=", "_o2c_batch_job")])
            .filtered(lambda j: set(j.records.ids) & set(orders.ids))
            .sorted("id")
        )

    def test_one_job_per_order_confirmed_as_the_importing_user(self):
        rows = [
            *self._rows(orders=2, lines=2),
            *self._rows(orders=1, lines=1, qty=2000, prefix="BIG"),
        ]
        result = self._import(self._csv(rows))
        orders = self.env["sale.order"].browse(result["order_ids"])
        self.assertEqual(self._confirm_imported(), 3)
        jobs = self._jobs(orders)
        self.assertEqual([job.records.ids for job in jobs], [[o.id] for o in orders])
        self.assertEqual(set(jobs.mapped("channel")), {"root.o2c.intake"})
        self.assertEqual(set(orders.mapped("state")), {"draft"}, "queued, not run")
        self.assertEqual(self._confirm_imported(), 3, "taken again: still waiting")
        self.assertEqual(self._jobs(orders), jobs, "but not queued twice")
        self.env.flush_all()  # committed, as after the request: the jobs run in their own cursor
        for job in jobs:
            run_as_runner(self.env, job)
        self.assertEqual(set(jobs.mapped("state")), {"done"}, jobs.mapped("result"))
        big = orders.filtered(lambda o: o.client_order_ref == "BIG-0")
        self.assertEqual(set((orders - big).mapped("state")), {"sale"})
        self.assertEqual((orders - big).write_uid, self.integration)
        self.assertEqual(big.state, "draft")
        self.assertTrue(big.o2c_blocked)
        self.assertEqual(set(orders.mapped("o2c_intake_state")), {False})
        imp = self.env["o2c.order.import"].browse(result["import_id"])
        self.assertEqual((imp.confirmed_count, imp.held_count, imp.waiting_count), (2, 1, 0))
        # a job performed again does nothing: its orders left the job
        run_as_runner(self.env, jobs[0])
        self.assertEqual(self._confirm_imported(), 0)
