# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import odoo
from odoo.addons.o2c_exception_base.tools import BatchJob
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from ..models.o2c_batch import MODE_PARAM

CHANNELS = (
    "root.o2c",
    "root.o2c.invoice",
    "root.o2c.recheck",
    "root.o2c.escalation",
    "root.o2c.fulfillment",
    "root.o2c.evidence",
    "root.o2c.intake",
)


@tagged("post_install", "-at_install")
class TestQueueSetup(TransactionCase):
    """Channels, job functions and when the batches go to queue jobs."""

    def test_channels_exist_with_a_configurable_capacity(self):
        Channel = self.env["queue.job.channel"]
        found = Channel.search([("complete_name", "in", CHANNELS)])
        self.assertEqual(sorted(found.mapped("complete_name")), sorted(CHANNELS))
        invoice = found.filtered(lambda c: c.complete_name == "root.o2c.invoice")
        self.assertEqual(invoice.capacity, 2)
        # per database: read by the job runner (capped by its max_capacity)
        invoice.capacity = 4
        invoice.flush_recordset()
        self.env.cr.execute(
            "SELECT capacity FROM queue_job_channel WHERE complete_name = 'root.o2c.invoice'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 4)

    def test_job_functions_commit_their_work_and_back_off(self):
        for model in ("sale.order", "stock.picking", "o2c.exception"):
            config = self.env["queue.job.function"].job_config(f"<{model}>._o2c_batch_job")
            self.assertTrue(config.allow_commit, model)
            self.assertEqual(config.channel, "root.o2c", model)
            delays = [config.retry_pattern[k] for k in sorted(config.retry_pattern)]
            self.assertEqual(delays, sorted(delays), f"{model}: growing delays")
            self.assertGreater(delays[0], 0)

    def test_mode(self):
        Batch = self.env["o2c.batch"]
        params = self.env["ir.config_parameter"].sudo()
        runner_here = "queue_job" in odoo.conf.server_wide_modules
        self.assertEqual(Batch._o2c_runs_as_jobs(), runner_here, "auto: where the runner runs")
        params.set_param(MODE_PARAM, "jobs")
        self.assertTrue(Batch._o2c_runs_as_jobs())
        params.set_param(MODE_PARAM, "inline")
        self.assertFalse(Batch._o2c_runs_as_jobs())
        with self.assertRaisesRegex(ValidationError, MODE_PARAM):
            params.set_param(MODE_PARAM, "sometimes")
        # a value written by SQL (no constraint) is still refused when read
        self.env.cr.execute(
            "UPDATE ir_config_parameter SET value = 'sometimes' WHERE key = %s", [MODE_PARAM]
        )
        self.env.registry.clear_cache()
        with self.assertRaisesRegex(ValidationError, MODE_PARAM):
            Batch._o2c_runs_as_jobs()

    def test_a_job_runs_only_the_methods_of_a_declared_batch_job(self):
        """A queue job names its methods by string: only those of a job an addon
        declares run (a stored job edited to name another method is refused)."""
        invoice = BatchJob.declared(
            self.env,
            "sale.order",
            "_o2c_auto_invoice_lock",
            "_o2c_auto_invoice_queued",
            "_o2c_park_release",
        )
        self.assertEqual(invoice.channel, "root.o2c.invoice")
        order = self.env["sale.order"].create({"partner_id": self.env.user.partner_id.id})
        with self.assertRaisesRegex(UserError, "No o2c background job runs"):
            order._o2c_batch_job("_o2c_auto_invoice_lock", "action_confirm", "_o2c_park_release")
        self.assertEqual(order.state, "draft")
