# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Small helpers shared by the o2c addons (import, don't copy)."""

import logging
import random
import time

from psycopg2.extensions import TransactionRollbackError

_logger = logging.getLogger(__name__)


#: how many times in a row a cron batch is retried after a serialization failure
CRON_BATCH_RETRIES = 5


def run_cron_batches(env, take_batch, batch_size):
    """Drive a batched, multi-worker-safe cron job.

    ``take_batch(limit, previous)`` must lock (``FOR UPDATE SKIP LOCKED``),
    process and return up to ``limit`` records (``previous`` is the batch it
    returned last time, ``None`` at first, for keyset pagination); an empty
    result ends the run. Each batch is committed when running as a real cron
    job (``ir.cron`` puts ``ir_cron_progress_id`` in the context), so a crash
    loses one batch at most; called from code or tests, nothing is committed.

    In a cron job, a batch that fails with a serialization failure or a
    deadlock (another worker committed a row of it after this transaction's
    snapshot) is rolled back and taken again, up to ``CRON_BATCH_RETRIES``
    times in a row: the rows the other worker processed no longer match, so
    the retry takes other rows. Odoo's cron runner would otherwise fail the
    whole job on the first such error.

    :return: the number of records processed
    """
    in_cron = bool(env.context.get("ir_cron_progress_id"))
    done, batch, failures = 0, None, 0
    while True:
        try:
            current = take_batch(batch_size, batch)
            if in_cron and current:
                env["ir.cron"]._notify_progress(done=done + len(current), remaining=0)
                env.cr.commit()  # pylint: disable=invalid-commit
        except TransactionRollbackError as error:
            failures += 1
            if not in_cron or failures > CRON_BATCH_RETRIES:
                raise
            _logger.info("o2c cron: batch taken again after %s (%s)", error.pgcode, failures)
            env.cr.rollback()  # pylint: disable=invalid-commit
            time.sleep(random.uniform(0, 0.05 * failures))  # let the other worker commit
            continue
        if not current:
            return done
        failures = 0
        batch = current
        done += len(batch)
