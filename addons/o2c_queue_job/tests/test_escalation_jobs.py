# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.addons.o2c_exception_base.governance import owning_action
from odoo.addons.o2c_exception_base.tests.common import O2cCommon
from odoo.tests import tagged

from .common import enter_jobs_mode, run_as_runner


@tagged("post_install", "-at_install")
class TestEscalationJobs(O2cCommon):
    """The core's escalation as queue jobs: the bridge knows no feature by name."""

    def setUp(self):
        super().setUp()
        enter_jobs_mode(self)

    def _late(self, count):
        partner = self.env["res.partner"].create({"name": "Escalation customer"})
        ctype = self.env.ref("o2c_exception_base.o2c_exception_type_order_rule")
        past = fields.Datetime.now() - timedelta(hours=5)
        with owning_action("o2c.exception"):
            return self.env["o2c.exception"].create(
                [
                    {
                        "name": f"late {i}",
                        "type_id": ctype.id,
                        "res_model": "res.partner",
                        "res_id": partner.id,
                        "deadline": past,
                    }
                    for i in range(count)
                ]
            )

    def test_escalation_runs_as_jobs_on_its_channel(self):
        late = self._late(3)
        self.assertEqual(self.env["o2c.exception"]._cron_escalate(batch_size=2), 3)
        jobs = self.env["queue.job"].search(
            [("model_name", "=", "o2c.exception"), ("method_name", "=", "_o2c_batch_job")]
        )
        self.assertEqual(len(jobs), 2)
        self.assertEqual(set(jobs.mapped("channel")), {"root.o2c.escalation"})
        self.assertFalse(any(late.mapped("escalated")), "queued, not run")
        for job in jobs:
            run_as_runner(self.env, job)
        self.assertTrue(all(late.mapped("escalated")))
        escalation = self.env.ref("o2c_exception_base.mail_activity_type_o2c_escalation")
        activities = late.activity_ids.filtered(lambda a: a.activity_type_id == escalation)
        self.assertEqual(set(activities.mapped("res_id")), set(late.ids))
        # done: neither the cron nor a job performed again escalates twice
        self.assertEqual(self.env["o2c.exception"]._cron_escalate(), 0)
        run_as_runner(self.env, jobs[0])
        self.assertEqual(
            len(late.activity_ids.filtered(lambda a: a.activity_type_id == escalation)),
            len(activities),
        )
