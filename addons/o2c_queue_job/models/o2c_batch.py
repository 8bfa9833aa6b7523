# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import odoo
from odoo import api, models
from odoo.addons.o2c_exception_base.tools import run_cron_batches
from odoo.addons.queue_job.job import ENQUEUED, PENDING, STARTED, WAIT_DEPENDENCIES, identity_exact
from odoo.addons.queue_job.utils import must_run_without_delay
from odoo.exceptions import ValidationError
from odoo.tools import SQL

#: ``auto`` (default): queue jobs when this server runs queue_job's job runner
#: (``queue_job`` in ``server_wide_modules``), else inline; ``jobs``: always (the
#: runner runs elsewhere, e.g. ``python -m odoo.addons.queue_job.jobrunner``);
#: ``inline``: never
MODE_PARAM = "o2c_queue_job.mode"
MODES = ("auto", "jobs", "inline")
#: the job method every batch runs (on the records of the batch)
JOB_METHOD = "_o2c_batch_job"
#: tries of a batch job before its failing records are parked (the retry pattern
#: of its job function spaces them)
MAX_RETRIES = 4
LIVE_JOB_STATES = (WAIT_DEPENDENCIES, PENDING, ENQUEUED, STARTED)


def check_mode(env, mode):
    """:raise ValidationError: ``mode`` is not a value of ``MODE_PARAM``"""
    if mode not in MODES:
        raise ValidationError(
            env._(
                "System parameter %(param)s: %(mode)s is not one of %(modes)s.",
                param=MODE_PARAM,
                mode=mode,
                modes=", ".join(MODES),
            )
        )


class O2cBatch(models.AbstractModel):
    _inherit = "o2c.batch"

    @api.model
    def _o2c_run_batches(self, job, batch_size, take_batch=None):
        """Queue one job per batch instead of running them, when jobs run here."""
        if not self._o2c_runs_as_jobs():
            return super()._o2c_run_batches(job, batch_size, take_batch=take_batch)
        return self._o2c_enqueue_batches(job, batch_size)

    @api.model
    def _o2c_runs_as_jobs(self):
        """Whether the background batches go to queue jobs (see ``MODE_PARAM``); never
        when queue_job runs jobs at once (``QUEUE_JOB__NO_DELAY``, ``queue_job__no_delay``):
        then inline, in the cron's transaction."""
        if must_run_without_delay(self.env):
            return False
        mode = self.env["ir.config_parameter"].sudo().get_param(MODE_PARAM) or "auto"
        check_mode(self.env, mode)
        if mode == "auto":
            return "queue_job" in odoo.conf.server_wide_modules
        return mode == "jobs"

    @api.model
    def _o2c_enqueue_batches(self, job, batch_size):
        """Queue one job per batch of the records due, on the job's channel.

        The batches are taken as inline (locked, in id order, committed one by
        one in a cron job), but only queued: a record already in a live job of
        the same work is left to it, and a job's identity is its work and
        records (``identity_exact``), so running the cron again never queues a
        record twice. Each job takes its records again when it runs and does
        only those still due: a record is never processed twice.

        :return: the number of records taken (queued or already queued)
        """
        queued = self._o2c_queued_ids(job)
        Model = self.env[job.model]

        def take(limit, previous):
            records = job.lock_records(self.env, limit, previous.ids[-1] if previous else 0)
            todo = records.filtered(lambda r: r.id not in queued)
            if todo:
                todo.with_delay(
                    channel=job.channel,
                    identity_key=identity_exact,
                    max_retries=MAX_RETRIES,
                    description=self.env._(
                        "O2C batch (%(channel)s): %(count)s %(model)s",
                        channel=job.channel,
                        count=len(todo),
                        model=Model._description,
                    ),
                )._o2c_batch_job(job.lock, job.process, job.park)
            return records

        return run_cron_batches(self.env, take, batch_size)

    @api.model
    def _o2c_queued_ids(self, job):
        """Ids of the records of ``job`` in a job not done yet (queued, running)."""
        self.env["queue.job"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT jsonb_array_elements_text(records -> 'ids')::int
                     FROM queue_job
                    WHERE model_name = %s AND method_name = %s AND args ->> 0 = %s
                      AND state IN %s""",
                job.model,
                JOB_METHOD,
                job.lock,
                LIVE_JOB_STATES,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}
