# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.addons.o2c_exception_base.tools import BatchJob
from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError
from odoo.tools import SQL

from .o2c_batch import JOB_METHOD


class Base(models.AbstractModel):
    _inherit = "base"

    def _o2c_batch_job(self, lock, process, park):
        """Queue job: one batch of an o2c background job (``o2c.batch``) on these records.

        Only the records still due are done: they are locked again by the job's
        ``lock`` method, which leaves out what was done or parked meanwhile, so a
        retry, a second job or the cron never processes a record twice. The
        records that fail alone (the others are done and committed) make the job
        retried later (the retry pattern of its job function); on its last try
        they are parked with their reason, on the document, and the job fails
        with it. Run outside the job runner (``queue_job__no_delay``), a failing
        record is parked at once, as inline.

        :return: what was done, for the job's result
        """
        job = BatchJob.declared(self.env, self._name, lock, process, park)
        running = self._o2c_running_job()
        last_try = not running or (
            running["max_retries"] and running["retry"] + 1 >= running["max_retries"]
        )
        failed = {}

        def park_or_retry(record, error):
            failed[record] = error
            if last_try:
                job.park_record(record, error)

        todo = job.lock_records(self.env, len(self), 0, ids=self.ids)
        job.run(todo, park=park_or_retry)
        done = self.env._("%(count)s done", count=len(todo) - len(failed))
        if not failed or not running:
            return done
        if running["allow_commit"]:
            # keep the work done (and the parking): a retry takes only the failed records again
            self.env.cr.commit()  # pylint: disable=invalid-commit
        elif last_try:
            # failing the job would roll the parking back: say it in the result instead
            return self._o2c_batch_job_parked(done, failed)
        if last_try:
            raise FailedJobError(self._o2c_batch_job_parked(done, failed))
        raise RetryableJobError(
            self.env._(
                "%(done)s, to retry:\n%(why)s", done=done, why=self._o2c_batch_job_reasons(failed)
            )
        )

    def _o2c_batch_job_parked(self, done, failed):
        """The outcome of a batch job whose failing records were parked."""
        return self.env._(
            "%(done)s, parked:\n%(why)s", done=done, why=self._o2c_batch_job_reasons(failed)
        )

    @api.model
    def _o2c_batch_job_reasons(self, failed):
        """One line per failed record: its name and why it failed."""
        return "\n".join(f"{record.display_name}: {error}" for record, error in failed.items())

    def _o2c_running_job(self):
        """The queue job running this method (its tries so far, whether it may
        commit), or ``None`` when run directly."""
        job_uuid = self.env.context.get("job_uuid")
        if not job_uuid:
            return None
        self.env.cr.execute(
            SQL(
                """SELECT j.retry, j.max_retries, COALESCE(f.allow_commit, FALSE)
                     FROM queue_job j
                LEFT JOIN queue_job_function f ON f.id = j.job_function_id
                    WHERE j.uuid = %s AND j.method_name = %s""",
                job_uuid,
                JOB_METHOD,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return None
        return {"retry": row[0], "max_retries": row[1], "allow_commit": row[2]}
