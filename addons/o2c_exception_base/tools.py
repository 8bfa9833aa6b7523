# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Small helpers shared by the o2c addons (import, don't copy)."""


def run_cron_batches(env, take_batch, batch_size):
    """Drive a batched, multi-worker-safe cron job.

    ``take_batch(limit, previous)`` must lock (``FOR UPDATE SKIP LOCKED``),
    process and return up to ``limit`` records (``previous`` is the batch it
    returned last time, ``None`` at first, for keyset pagination); an empty
    result ends the run. Each batch is committed when running as a real cron
    job (``ir.cron`` puts ``ir_cron_progress_id`` in the context), so a crash
    loses one batch at most; called from code or tests, nothing is committed.

    :return: the number of records processed
    """
    in_cron = bool(env.context.get("ir_cron_progress_id"))
    done, batch = 0, None
    while True:
        batch = take_batch(batch_size, batch)
        if not batch:
            return done
        done += len(batch)
        if in_cron:
            env["ir.cron"]._notify_progress(done=done, remaining=0)
            env.cr.commit()  # pylint: disable=invalid-commit
