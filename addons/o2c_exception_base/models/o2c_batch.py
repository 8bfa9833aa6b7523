# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from ..tools import run_cron_batches


class O2cBatch(models.AbstractModel):
    _name = "o2c.batch"
    _description = "O2C Background Batches"

    @api.model
    def _o2c_run_batches(self, job, batch_size, take_batch=None):
        """Run the batched background ``job``: the one point every o2c cron runs its
        batches through (``o2c_queue_job`` turns each batch into a queue job).

        Here: inline, with :func:`~odoo.addons.o2c_exception_base.tools.run_cron_batches`,
        one committed batch at a time in a cron job.

        :param job: a :class:`~odoo.addons.o2c_exception_base.tools.BatchJob`
        :param take_batch: the cron's own ``take_batch(limit, previous)`` when it
            has one (default: the job's lock, then process)
        :return: the number of records taken (inline) or queued (as jobs)
        """
        if take_batch:
            return run_cron_batches(self.env, take_batch, batch_size)
        return run_cron_batches(
            self.env,
            lambda limit, previous: job.lock_records(
                self.env, limit, previous.ids[-1] if previous else 0
            ),
            batch_size,
            process=job.process_records,
            park=job.park_record,
        )
