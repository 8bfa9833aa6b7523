# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Small helpers shared by the o2c addons (import, don't copy)."""

import logging
import random
import time
from dataclasses import dataclass
from datetime import timedelta

import psycopg2
from markupsafe import Markup
from psycopg2.extensions import TransactionRollbackError

from odoo import fields
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


#: how many times in a row a cron batch is retried after a serialization failure
CRON_BATCH_RETRIES = 5
#: when a run that gave up a contended batch runs again (a cron trigger's precision)
CRON_CONTENTION_DELAY_S = 60
#: longest reason kept when a record is parked (the log has the traceback); the
#: markers are indexed, and a btree entry must stay under 2704 bytes (4-byte UTF-8)
CRON_ERROR_MAX_CHARS = 500
#: errors that concern the transaction, not one record: the batch is taken again
#: (serialization failure, deadlock, lock timeout) or the job stops (connection)
_TRANSACTION_ERRORS = (psycopg2.OperationalError, psycopg2.InterfaceError)


def default_approver_group(record):
    """Default approver group of exception types and approval tiers."""
    return record.env.ref("o2c_exception_base.group_o2c_approver", raise_if_not_found=False)


def error_text(error):
    """``Type: message`` of an unexpected error, for a message shown to a user."""
    return f"{type(error).__name__}: {error}"


def cron_error_text(error):
    """The reason a record is parked with: the message of a user error, else type and text."""
    if isinstance(error, UserError):
        text = str(error.args[0] if error.args else error)
    else:
        text = error_text(error)
    return text[:CRON_ERROR_MAX_CHARS]


def post_park_note(records, title, error_text):
    """Post the internal note "<b>title</b><br/>reason" on parked ``records``."""
    body = Markup("<b>%s</b><br/>%s") % (title, error_text)
    records.sudo()._message_log_batch(bodies=dict.fromkeys(records.ids, body))


def process_isolated(records, process, park):
    """Run ``process(records)``; park the records that fail alone, do the others.

    The normal path is one call of ``process`` on the whole recordset in one
    savepoint. If it raises, the savepoint is rolled back and the records are
    split in halves, each processed in its own savepoint, down to the single
    record that fails: ``park(record, error_text)`` is then called (in its own
    savepoint, after the failed work was rolled back) and must take the record
    out of its job for good (a stored marker the job's query excludes, a
    chatter note); a warning with the traceback is logged. One bad record in a
    batch of ``n`` costs about ``2 log2(n)`` extra calls, not ``n``.

    Transaction errors (serialization failure, deadlock, lock timeout, lost
    connection) are not a record's fault: they are raised, for the caller (the
    batched driver) to take the batch again.

    :return: the parked records
    """
    parked = records.browse()
    pending = [records] if records else []
    while pending:
        chunk = pending.pop(0)
        try:
            with records.env.cr.savepoint():
                process(chunk)
        except _TRANSACTION_ERRORS:
            raise
        except Exception as error:  # pylint: disable=broad-except
            if len(chunk) > 1:
                _logger.info("o2c cron: %s failed (%s), isolating the failing record", chunk, error)
                half = len(chunk) // 2
                pending[0:0] = [chunk[:half], chunk[half:]]
            else:
                _park(chunk, park, cron_error_text(error))
                parked |= chunk
    return parked


def _park(record, park, text):
    """Hand a failed record to ``park``; a failing ``park`` is logged, the batch goes on."""
    _logger.warning("o2c cron: %s parked: %s", record, text, exc_info=True)
    try:
        with record.env.cr.savepoint():
            park(record, text)
    except _TRANSACTION_ERRORS:
        raise
    except Exception:  # pylint: disable=broad-except
        _logger.exception("o2c cron: %s could not be parked", record)


def run_cron_batches(env, take_batch, batch_size, process=None, park=None):
    """Drive a batched, multi-worker-safe cron job.

    ``take_batch(limit, previous)`` must lock (``FOR UPDATE SKIP LOCKED``),
    process and return up to ``limit`` records (``previous`` is the batch it
    returned last time, ``None`` at first, for keyset pagination); an empty
    result ends the run. With ``process`` and ``park``, ``take_batch`` only
    locks and the driver processes each batch with
    :func:`process_isolated` (a failing record is parked, the rest is done);
    a ``take_batch`` that must stay callable alone calls
    :func:`process_isolated` itself. Either way, its query must leave out the
    parked records, so that the next run does not take them again.

    Each batch is committed when running as a real cron job (``ir.cron`` puts
    ``ir_cron_progress_id`` in the context), so a crash loses one batch at
    most; called from code or tests, nothing is committed.

    A record taken a second time in one run (its park failed, so the query
    still matches it) is not processed again by the driver, and a batch of
    only such records ends the run with an error in the log: the run never
    loops on a record.

    In a cron job, a batch that fails with a serialization failure or a
    deadlock (another worker committed a row of it after this transaction's
    snapshot) is rolled back and taken again, up to ``CRON_BATCH_RETRIES``
    times in a row: the rows the other worker processed no longer match, so
    the retry takes other rows. Odoo's cron runner would otherwise fail the
    whole job on the first such error. A batch still refused after that ends
    the run (what was committed stays) and the job runs again in
    ``CRON_CONTENTION_DELAY_S`` seconds.

    :return: the number of records taken (processed or parked)
    """
    in_cron = bool(env.context.get("ir_cron_progress_id"))
    done, batch, failures, seen = 0, None, 0, set()
    while True:
        try:
            current = take_batch(batch_size, batch)
            new = current.browse([rid for rid in current.ids if rid not in seen])
            if current and not new:
                _logger.error(
                    "o2c cron: %s taken again in the same run (not parked?), run stopped",
                    current,
                )
                return done
            if process is not None and new:
                process_isolated(new, process, park)
            if in_cron and current:
                env["ir.cron"]._notify_progress(done=done + len(new), remaining=0)
                env.cr.commit()  # pylint: disable=invalid-commit
        except TransactionRollbackError as error:
            failures += 1
            if not in_cron:
                raise
            env.cr.rollback()  # pylint: disable=invalid-commit
            if failures > CRON_BATCH_RETRIES:
                _leave_to_next_run(env, error)
                return done
            _logger.info("o2c cron: batch taken again after %s (%s)", error.pgcode, failures)
            # let the other worker commit: a growing, jittered wait (several workers
            # reserving the same stock collide again after a fixed short one)
            time.sleep(random.uniform(0, min(2.0, 0.05 * 2**failures)))
            continue
        if not current:
            return done
        failures = 0
        batch = current
        done += len(new)
        seen.update(new.ids)


def _leave_to_next_run(env, error):
    """End a cron run whose batch other transactions keep refusing, without failing it.

    Contention is not an error (the records are neither broken nor lost: they
    still match the job's query), so the run is not logged as failed, does not
    count towards Odoo deactivating the cron, and the job runs again soon.
    """
    _logger.warning(
        "o2c cron: batch refused %s times in a row (%s), left to the run in %s s",
        CRON_BATCH_RETRIES + 1,
        error.pgcode,
        CRON_CONTENTION_DELAY_S,
    )
    cron = env["ir.cron"].browse(env.context.get("cron_id")).exists()
    if cron:
        cron._trigger(fields.Datetime.now() + timedelta(seconds=CRON_CONTENTION_DELAY_S))
        env.cr.commit()  # pylint: disable=invalid-commit


def among_ids(column, ids):
    """The ``AND <column> IN ids`` of a lock method called for some records only
    (``ids``, see :class:`BatchJob`); nothing when it locks every record due.

    :param column: the locked table's id column as the query names it, e.g. ``so.id``
    """
    return SQL("AND %s IN %s", SQL(column), tuple(ids)) if ids else SQL()


#: every BatchJob, by (model, lock, process, park): filled when addons declare them
_DECLARED_JOBS = {}


@dataclass(frozen=True)
class BatchJob:
    """A batched background job, named by its methods so that a batch of it can run
    anywhere: inline in its cron, or as a queue job (``o2c_queue_job``).

    :param model: the model whose records the job processes
    :param lock: ``@api.model`` method ``lock(limit, after_id, ids=None)``: lock
        (``FOR UPDATE SKIP LOCKED``) and return up to ``limit`` records still due,
        in id order, after ``after_id``, only among ``ids`` if given; parked
        records are never due
    :param process: method doing the work on a recordset (see :func:`process_isolated`)
    :param park: method ``park(error_text)`` taking a record that fails alone out of
        the job, with the reason (a stored marker and a chatter note)
    :param channel: the queue channel of its jobs, e.g. ``root.o2c.invoice``
    """

    model: str
    lock: str
    process: str
    park: str
    channel: str = "root.o2c"

    def __post_init__(self):
        _DECLARED_JOBS[self.model, self.lock, self.process, self.park] = self

    @classmethod
    def declared(cls, env, model, lock, process, park):
        """The job declared with these methods; a queue job names its methods by
        string, and only a declared job's may run.

        :raise UserError: no addon declares such a job
        """
        job = _DECLARED_JOBS.get((model, lock, process, park))
        if job is None:
            raise UserError(
                env._(
                    "No o2c background job runs %(methods)s on %(model)s.",
                    methods=", ".join((lock, process, park)),
                    model=model,
                )
            )
        return job

    def lock_records(self, env, limit, after_id=0, ids=None):
        """The records still due, locked (each lock method says as whom it reads)."""
        if ids is not None and not ids:
            return env[self.model].browse()
        return getattr(env[self.model], self.lock)(limit, after_id, ids=ids)

    def process_records(self, records):
        """Do the work on ``records`` (one call: :func:`process_isolated` splits on failure)."""
        return getattr(records, self.process)()

    def park_record(self, record, error):
        """Take ``record`` out of the job with the reason."""
        return getattr(record, self.park)(error)

    def run(self, records, park=None):
        """Process ``records`` isolated; ``park(record, error)`` defaults to the job's."""
        return process_isolated(records, self.process_records, park or self.park_record)

    def lock_and_run(self, env, limit, what, **lock_kwargs):
        """One batch of a cron: lock up to ``limit`` records due (``lock_kwargs``,
        e.g. ``order``, go to the lock method), process them isolated and log how
        many ``what`` were done and parked.

        :return: the records taken (done or parked); empty when none is due
        """
        records = getattr(env[self.model], self.lock)(limit, **lock_kwargs)
        if records:
            parked = self.run(records)
            _logger.info("o2c: %s: %s done, %s parked", what, len(records - parked), len(parked))
        return records
