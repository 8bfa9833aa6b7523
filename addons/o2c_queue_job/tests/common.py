# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from ..models.o2c_batch import MODE_PARAM


def enter_runner_mode(case):
    """Let jobs open their own cursor (allow_commit) on the test's transaction."""
    case.registry.enter_test_mode(case.cr)
    case.addCleanup(case.registry.leave_test_mode)


def enter_jobs_mode(case):
    """The o2c batches run as queue jobs (the mode parameter), and the jobs can run
    in the test (:func:`enter_runner_mode`)."""
    case.env["ir.config_parameter"].sudo().set_param(MODE_PARAM, "jobs")
    enter_runner_mode(case)


def run_as_runner(env, queue_job):
    """What the job runner does with a stored job (``RunJobController._runjob``, whose
    rollback a test cannot do): start it, perform it, then mark it done, pending
    again (retryable error) or failed."""
    job = Job.load(env, queue_job.uuid)
    job.set_started()
    job.store()
    try:
        job.perform()
    except RetryableJobError as error:
        job.postpone(result=str(error), seconds=error.seconds)
        job.set_pending(reset_retry=False)
        job.store()
    except Exception as error:
        job.set_failed(exc_name=type(error).__name__, exc_message=str(error))
        job.store()
        raise
    else:
        job.set_done()
        job.store()
    finally:
        # the job ran in its own (test) cursor, as in another process
        env.invalidate_all()
