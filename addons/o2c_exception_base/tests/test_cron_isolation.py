# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from unittest.mock import patch

import psycopg2
from psycopg2.extensions import TransactionRollbackError

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .. import tools as cron_tools
from ..governance import owning_action
from ..tools import process_isolated, run_cron_batches
from .common import O2cCommon


@tagged("post_install", "-at_install")
class TestCronIsolation(O2cCommon):
    """A failing record is parked with its reason; the rest of the batch is done."""

    def _partners(self, count):
        return self.env["res.partner"].create([{"name": f"Batch {i}"} for i in range(count)])

    # ------------------------------------------------------------ DRIVER
    def test_one_call_per_batch_when_nothing_fails(self):
        partners = self._partners(8)
        calls, parked = [], []

        def process(records):
            calls.append(records)
            records.write({"ref": "done"})

        result = process_isolated(partners, process, lambda rec, err: parked.append(rec))
        self.assertEqual(calls, [partners], "the normal path processes the batch at once")
        self.assertFalse(result)
        self.assertFalse(parked)
        self.assertEqual(set(partners.mapped("ref")), {"done"})

    def test_failing_record_rolled_back_alone_and_parked(self):
        partners = self._partners(16)
        bad = partners[11]
        calls, parked = [], []

        def process(records):
            calls.append(records)
            records.write({"ref": "done"})
            if bad in records:
                # a database error: the savepoint must roll the write back
                self.env.cr.execute("SELECT 1 / 0")

        result = process_isolated(partners, process, lambda rec, err: parked.append((rec, err)))
        self.assertEqual(result, bad)
        self.assertEqual(len(parked), 1)
        self.assertEqual(parked[0][0], bad)
        self.assertIn("DivisionByZero", parked[0][1])
        self.assertEqual(set((partners - bad).mapped("ref")), {"done"})
        self.assertFalse(bad.ref, "the failing record's work is rolled back")
        self.assertLessEqual(len(calls), 1 + 2 * 4, "halves, not one call per record")

    def test_user_error_reason_is_its_message(self):
        partners = self._partners(3)
        parked = {}

        def process(records):
            if partners[0] in records:
                message = "The customer has no email"
                raise UserError(message)
            if partners[2] in records:
                raise KeyError("missing")

        process_isolated(partners, process, lambda rec, err: parked.update({rec: err}))
        self.assertEqual(parked[partners[0]], "The customer has no email")
        self.assertEqual(parked[partners[2]], "KeyError: 'missing'")
        self.assertNotIn(partners[1], parked)

    def test_failing_park_does_not_stop_the_batch(self):
        partners = self._partners(4)

        def process(records):
            records.write({"ref": "done"})
            if partners[0] in records:
                raise ValueError("bad record")

        def park(record, error):
            record.write({"ref": "parked"})
            raise RuntimeError("cannot park")

        with self.assertLogs("odoo.addons.o2c_exception_base.tools", "WARNING") as logs:
            process_isolated(partners, process, park)
        self.assertEqual(set(partners[1:].mapped("ref")), {"done"})
        self.assertFalse(partners[0].ref, "the failed park is rolled back too")
        self.assertTrue(any("could not be parked" in line for line in logs.output))

    def test_transaction_errors_are_not_parked(self):
        """Serialization failures are the batch's, not a record's: the driver retries."""
        partners = self._partners(2)
        parked = []

        def process(records):
            raise psycopg2.errors.SerializationFailure("concurrent update")

        with self.assertRaises(TransactionRollbackError):
            process_isolated(partners, process, lambda rec, err: parked.append(rec))
        self.assertFalse(parked)

    def test_contended_batch_ends_the_cron_run_and_runs_it_again_soon(self):
        """A batch still refused after every retry is not a failed job: the run
        ends quietly (nothing parked, nothing lost) and the cron runs again soon."""
        calls = []

        def process(records):
            calls.append(records.ids)
            raise psycopg2.errors.SerializationFailure("concurrent update")

        # a cron run commits: a cursor of its own, as a cron worker has
        with self.env.registry.cursor() as cr:
            cron = self.env.ref("o2c_exception_base.ir_cron_o2c_exception_escalate")
            env = self.env(cr=cr, context={"ir_cron_progress_id": 1, "cron_id": cron.id})
            self.addCleanup(self._delete_triggers, cron, env["ir.cron.trigger"].search([]).ids)
            partner = env.user.partner_id
            start = fields.Datetime.now()
            with (
                patch.object(cron_tools.time, "sleep"),
                self.assertLogs("odoo.addons.o2c_exception_base.tools", "WARNING") as logs,
            ):
                done = run_cron_batches(env, lambda limit, prev: partner, 1, process, None)
            later = env["ir.cron.trigger"].search_count(
                [("cron_id", "=", cron.id), ("call_at", ">=", start + timedelta(seconds=60))]
            )
        self.assertEqual(done, 0)
        self.assertEqual(len(calls), cron_tools.CRON_BATCH_RETRIES + 1)
        self.assertIn("left to the run in 60 s", logs.output[-1])
        self.assertEqual(later, 1, "the job runs again a minute later")

    def _delete_triggers(self, cron, before_ids):
        with self.env.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM ir_cron_trigger WHERE cron_id = %s AND id != ALL(%s)",
                [cron.id, before_ids],
            )

    def test_driver_processes_and_parks_each_batch(self):
        partners = self._partners(5)
        bad = partners[3]
        parked = self.env["res.partner"]

        def take_batch(limit, previous):
            after = previous.ids[-1] if previous else 0
            return partners.filtered(lambda p: p.id > after and p.ref != "parked")[:limit]

        def process(records):
            if bad in records:
                raise ValueError("broken")
            records.write({"ref": "done"})

        def park(record, error):
            nonlocal parked
            parked |= record
            record.write({"ref": "parked"})

        done = run_cron_batches(self.env, take_batch, 2, process=process, park=park)
        self.assertEqual(done, 5, "taken: processed or parked")
        self.assertEqual(parked, bad)
        self.assertEqual(set((partners - bad).mapped("ref")), {"done"})

    def test_record_whose_park_fails_does_not_loop_the_run(self):
        """A query that still matches a record its park could not mark ends the run."""
        partners = self._partners(3)
        taken = []

        def take_batch(limit, previous):
            batch = partners.filtered(lambda p: p.ref != "done")[:limit]
            taken.append(batch.ids)
            return batch

        def process(records):
            records.write({"ref": "done"})
            if partners[0] in records:
                raise ValueError("broken")

        def park(record, error):
            raise RuntimeError("cannot park")

        with self.assertLogs("odoo.addons.o2c_exception_base.tools", "ERROR") as logs:
            done = run_cron_batches(self.env, take_batch, 2, process=process, park=park)
        self.assertEqual(done, 3)
        self.assertEqual(set(partners[1:].mapped("ref")), {"done"})
        self.assertEqual(len(taken), 3, "the unparked record comes back twice, then the run stops")
        self.assertTrue(any("taken again in the same run" in line for line in logs.output))

    # -------------------------------------------------------- ESCALATION
    def _late(self, count):
        """Overdue exceptions, raised as the engine raises them."""
        past = fields.Datetime.now() - timedelta(hours=5)
        with owning_action("o2c.exception"):
            return self.env["o2c.exception"].create(
                [
                    {
                        "name": f"late {i}",
                        "type_id": self.exc_type.id,
                        "res_model": "res.partner",
                        "res_id": self.partner.id,
                        "deadline": past,
                    }
                    for i in range(count)
                ]
            )

    def _failing_for(self, bad, calls):
        """Patch the escalation activities to fail for ``bad`` (our code, not the ORM)."""
        Exception_ = self.env.registry["o2c.exception"]
        original = Exception_._create_escalation_activities

        def create_activities(records):
            calls.append(records.ids)
            if bad.id in records.ids:
                message = f"No escalation user for {bad.name}"
                raise UserError(message)
            return original(records)

        return patch.object(Exception_, "_create_escalation_activities", create_activities)

    def test_escalation_parks_the_failing_exception(self):
        late = self._late(5)
        bad = late[2]
        calls = []
        with self._failing_for(bad, calls):
            done = self.env["o2c.exception"]._cron_escalate(batch_size=10)
            self.assertEqual(done, 5)
            # the others are escalated, with their activity
            self.assertTrue(all((late - bad).mapped("escalated")))
            escalation = self.env.ref("o2c_exception_base.mail_activity_type_o2c_escalation")
            acts = (late - bad).activity_ids.filtered(lambda a: a.activity_type_id == escalation)
            self.assertEqual(set(acts.mapped("res_id")), set((late - bad).ids))
            # the failing one is parked, its reason visible
            self.assertFalse(bad.escalated)
            self.assertFalse(bad.activity_ids)
            self.assertEqual(bad.escalation_error, f"No escalation user for {bad.name}")
            note = bad.message_ids[0]
            self.assertIn("Escalation failed", note.body)
            self.assertIn(f"No escalation user for {bad.name}", note.body)
            self.assertIn(
                bad, self.env["o2c.exception"].search([("escalation_error", "!=", False)])
            )
            # the next run does not take it again
            calls.clear()
            self.assertEqual(self.env["o2c.exception"]._cron_escalate(batch_size=10), 0)
            self.assertFalse(calls, "the parked exception is not retried")

    def test_retry_gives_the_exception_back_to_the_job(self):
        bad = self._late(1)
        with self._failing_for(bad, []):
            self.env["o2c.exception"]._cron_escalate()
        self.assertTrue(bad.escalation_error)
        with self.assertRaises(UserError):
            bad.with_user(self.approver).action_retry_escalation()
        bad.with_user(self.manager).action_retry_escalation()
        self.assertFalse(bad.escalation_error)
        self.assertIn("retry requested by", bad.message_ids[0].body)
        self.assertEqual(self.env["o2c.exception"]._cron_escalate(), 1)
        self.assertTrue(bad.escalated)
        self.assertFalse(bad.escalation_error)
