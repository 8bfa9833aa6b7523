# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest import SkipTest
from unittest.mock import patch

from odoo.addons.queue_job.exception import FailedJobError
from odoo.addons.queue_job.job import Job
from odoo.exceptions import UserError
from odoo.modules.module import get_module_path
from odoo.tests import tagged

from ..models.o2c_batch import MAX_RETRIES
from .common import enter_jobs_mode, run_as_runner

try:
    from odoo.addons.o2c_invoice_release.tests.common import O2cReleaseCommon
except ImportError:  # pragma: no cover - o2c_invoice_release not in the addons path
    O2cReleaseCommon = None


@tagged("post_install", "-at_install")
class TestAutoInvoiceJobs(O2cReleaseCommon or object):
    """Auto-invoicing as queue jobs: one job per batch, each order invoiced once."""

    @classmethod
    def setUpClass(cls):
        if O2cReleaseCommon is None or not get_module_path("o2c_invoice_release"):
            raise SkipTest("o2c_invoice_release is not available")
        super().setUpClass()
        if "o2c_auto_invoice" not in cls.env["res.company"]._fields:
            raise SkipTest("o2c_invoice_release is not installed")

    def setUp(self):
        super().setUp()
        enter_jobs_mode(self)

    def _released(self, count):
        orders = self.env["sale.order"]
        for _i in range(count):
            order = self._order(self.customer_delivery)
            self._deliver(order)
            orders |= order
        self.assertTrue(all(orders.picking_ids.mapped("o2c_release_pending")))
        return orders

    def _cron(self, batch_size=2):
        return self.env["sale.order"]._cron_o2c_auto_invoice(batch_size=batch_size)

    def _jobs(self, orders):
        return (
            self.env["queue.job"]
            .sudo()
            .search([("model_name", "=", "sale.order"), ("method_name", "=", "_o2c_batch_job")])
            .filtered(lambda j: set(j.records.ids) & set(orders.ids))
        )

    def _run_as_runner(self, queue_job):
        run_as_runner(self.env, queue_job)

    def _assert_invoiced_once(self, orders):
        for order in orders:
            self.assertEqual(len(order.invoice_ids), 1, order.name)
            self.assertEqual(self._invoiced_qty(order), 10.0, order.name)
            self.assertFalse(order.picking_ids.o2c_release_pending, order.name)

    def test_cron_queues_one_job_per_batch_with_identity_keys(self):
        orders = self._released(5)
        self.assertEqual(self._cron(), 5)
        jobs = self._jobs(orders).sorted("id")
        self.assertEqual(
            [job.records.ids for job in jobs],
            [orders.ids[0:2], orders.ids[2:4], orders.ids[4:5]],
            "one job per batch of 2",
        )
        self.assertEqual(set(jobs.mapped("state")), {"pending"})
        self.assertEqual(set(jobs.mapped("channel")), {"root.o2c.invoice"})
        self.assertEqual(len(set(jobs.mapped("identity_key"))), 3, "one key per batch")
        self.assertTrue(all(jobs.mapped("identity_key")))
        self.assertFalse(orders.invoice_ids, "queued, not run")
        for job in jobs:
            self._run_as_runner(job)
        self.assertEqual(set(jobs.mapped("state")), {"done"})
        self._assert_invoiced_once(orders)

    def test_cron_twice_and_job_twice_never_invoice_twice(self):
        orders = self._released(3)
        self._cron()
        jobs = self._jobs(orders)
        self.assertEqual(len(jobs), 2)
        self.assertEqual(set(jobs.mapped("state")), {"pending"})
        self.assertEqual(set(jobs.mapped("channel")), {"root.o2c.invoice"})
        # the orders are in live jobs: running the cron again queues none of them
        self._cron()
        self.assertEqual(self._jobs(orders), jobs)
        for queue_job in jobs:
            self._run_as_runner(queue_job)
        self.assertEqual(set(jobs.mapped("state")), {"done"})
        self._assert_invoiced_once(orders)
        # a job performed again (a retry after a lost connection, say) does nothing
        Job.load(self.env, jobs[0].uuid).perform()
        self._assert_invoiced_once(orders)
        # nothing is due any more: the cron queues nothing
        self.assertEqual(self._cron(), 0)
        self.assertEqual(self._jobs(orders), jobs)

    def test_failing_order_is_retried_then_parked_with_its_reason(self):
        orders = self._released(3)
        bad = orders[1]
        reason = "No receivable account for this customer"
        SaleOrder = self.env.registry["sale.order"]
        original = SaleOrder._create_invoices

        def create_invoices(records, *args, **kwargs):
            if bad in records:
                raise UserError(reason)
            return original(records, *args, **kwargs)

        self._cron(batch_size=10)
        failure = None
        job = self._jobs(orders)
        self.assertEqual(len(job), 1)
        with patch.object(SaleOrder, "_create_invoices", create_invoices):
            for attempt in range(1, MAX_RETRIES):
                self._run_as_runner(job)
                self.assertEqual(job.state, "pending", f"try {attempt}: retried later")
                self.assertEqual(job.retry, attempt)
                self.assertGreater(job.eta, job.date_created, "with a delay")
                self.assertIn(reason, job.result)
                self.assertTrue(bad.picking_ids.o2c_release_pending, "not parked yet")
                self._assert_invoiced_once(orders - bad)
            # not assertRaises: it would roll back what the failed job committed
            try:
                self._run_as_runner(job)
            except FailedJobError as error:
                failure = error
        self.assertIn(reason, str(failure))
        # last try: the job failed with the reason, the order is parked with it
        self.assertEqual(job.state, "failed")
        self.assertIn(reason, job.exc_message)
        self.assertIn(bad.display_name, job.exc_message)
        picking = bad.picking_ids
        self.assertEqual(picking.o2c_release_error, reason)
        self.assertFalse(picking.o2c_release_pending)
        self.assertIn("Automatic invoicing failed", bad.message_ids[0].body)
        self.assertFalse(bad.invoice_ids)
        self._assert_invoiced_once(orders - bad)
        # parked: the cron leaves it out
        self.assertEqual(self._cron(), 0)

    def test_no_delay_runs_inline(self):
        """``queue_job__no_delay``: no job, the cron runs inline (failures parked at once)."""
        orders = self._released(2)
        bad = orders[0]
        SaleOrder = self.env.registry["sale.order"]
        original = SaleOrder._create_invoices

        def create_invoices(records, *args, **kwargs):
            if bad in records:
                message = "Fiscal position missing"
                raise UserError(message)
            return original(records, *args, **kwargs)

        with patch.object(SaleOrder, "_create_invoices", create_invoices):
            self.env["sale.order"].with_context(queue_job__no_delay=True)._cron_o2c_auto_invoice(
                batch_size=10
            )
        self.assertFalse(self._jobs(orders))
        self._assert_invoiced_once(orders - bad)
        self.assertEqual(bad.picking_ids.o2c_release_error, "Fiscal position missing")
