# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two sessions deciding one exception at the same moment, each in its own transaction.

``TransactionCase`` cannot commit, and the row lock only matters between
committed transactions: this class opens its own cursors on the registry,
commits the data it needs, and removes it at the end.
"""

import threading
import time
import uuid

from psycopg2 import IntegrityError, OperationalError
from psycopg2.errors import SerializationFailure, UniqueViolation

from odoo import SUPERUSER_ID, api
from odoo.api import call_kw
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import new_test_user, tagged
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools import SQL, mute_logger

APPROVER_GROUPS = "sales_team.group_sale_salesman_all_leads,o2c_exception_base.group_o2c_approver"
SALESMAN_GROUPS = "sales_team.group_sale_salesman,o2c_exception_base.group_o2c_user"
#: how long session B may take to reach the row lock / to finish once A committed
LOCK_WAIT = 10.0
JOIN_WAIT = 30.0


@tagged("post_install", "-at_install")
class TestAttackConcurrency(BaseCase):
    """The two-person rule holds when the deciders click at the same moment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.tag = uuid.uuid4().hex[:8]
        cls.order_ids, cls.exception_ids = [], []
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"no_reset_password": True})
            cls.approver_id = new_test_user(env, f"atk_conc_a_{cls.tag}", APPROVER_GROUPS).id
            cls.approver_2_id = new_test_user(env, f"atk_conc_b_{cls.tag}", APPROVER_GROUPS).id
            cls.salesman_id = new_test_user(env, f"atk_conc_s_{cls.tag}", SALESMAN_GROUPS).id
            cls.user_ids = [cls.approver_id, cls.approver_2_id, cls.salesman_id]
            cls.customer_id = (
                env["res.partner"].create({"name": f"Concurrency customer {cls.tag}"}).id
            )
            cls.code = f"o2c_atk_conc_{cls.tag}"
            cls.type_id = (
                env["o2c.exception.type"]
                .create(
                    {
                        "name": "Concurrency test hold",
                        "code": cls.code,
                        "stage": "order_validation",
                        "blocking": True,
                        "approver_group_id": env.ref("o2c_exception_base.group_o2c_approver").id,
                    }
                )
                .id
            )
        cls.addClassCleanup(cls._remove_committed_data)

    @classmethod
    def _remove_committed_data(cls):
        """Remove what the tests committed (the audit trail's guards are for users)."""
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            exc_ids = tuple(cls.exception_ids) or (0,)
            for query in (
                SQL("DELETE FROM o2c_exception_approval WHERE exception_id IN %s", exc_ids),
                SQL(
                    "DELETE FROM mail_activity WHERE res_model = 'o2c.exception' AND res_id IN %s",
                    exc_ids,
                ),
                SQL(
                    "DELETE FROM mail_message WHERE model = 'o2c.exception' AND res_id IN %s",
                    exc_ids,
                ),
                SQL(
                    "DELETE FROM mail_followers WHERE res_model = 'o2c.exception' "
                    "AND res_id IN %s",
                    exc_ids,
                ),
                SQL("DELETE FROM o2c_exception WHERE id IN %s", exc_ids),
                SQL("DELETE FROM o2c_exception_type WHERE id = %s", cls.type_id),
            ):
                cr.execute(query)
            env.invalidate_all()
            env["sale.order"].browse(cls.order_ids).exists().unlink()
            users = env["res.users"].browse(cls.user_ids)
            partners = users.partner_id | env["res.partner"].browse(cls.customer_id)
            users.write({"active": False})
            partners.write({"active": False})

    # ---------------------------------------------------------- HELPERS
    def held_exception(self, min_approvals):
        """A committed quotation of the salesman held by a committed open exception."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["o2c.exception.type"].browse(self.type_id).min_approvals = min_approvals
            order = (
                env["sale.order"]
                .with_user(self.salesman_id)
                .create({"partner_id": self.customer_id})
                .sudo()
            )
            exc = order._o2c_api_raise(order.ids, self.code, "Held for the concurrency test")
            self.order_ids.append(order.id)
            self.exception_ids.append(exc.id)
            self.assertEqual(exc.min_approvals, min_approvals)
            return exc.id

    def decide(self, cr, user_id, method, exc_id, reason):
        """``method`` on the exception as ``user_id`` in ``cr``, like an RPC call."""
        env = api.Environment(cr, user_id, {})
        result = call_kw(env["o2c.exception"], method, [[exc_id]], {"reason": reason})
        env.flush_all()
        return result

    def decide_committed(self, user_id, method, exc_id, reason):
        """A fresh request: decide and commit (rolled back when it raises)."""
        with self.registry.cursor() as cr:
            return self.decide(cr, user_id, method, exc_id, reason)

    def race(self, exc_id, first, second):
        """Session A decides ``first`` and keeps its transaction open; session B
        (another thread) opens the same exception, then decides ``second`` and
        waits on A's row lock; A commits. Return B's outcome: ``None`` when B
        went through, else the exception it raised (its transaction rolled back).

        :param first: ``(user id, method)``; ``second`` the same
        """
        outcome = {}
        started = threading.Event()

        def session_b():
            with self.registry.cursor() as cr_b:
                outcome["pid"] = cr_b._cnx.get_backend_pid()
                env_b = api.Environment(cr_b, second[0], {})
                # the form is open: session B's snapshot starts before A commits
                env_b["o2c.exception"].browse(exc_id).read(["state", "approval_ids"])
                started.set()
                try:
                    with mute_logger("odoo.sql_db"):
                        self.decide(cr_b, second[0], second[1], exc_id, "second session")
                except Exception as error:  # the outcome is asserted by the test
                    outcome["error"] = error
                    cr_b.rollback()

        cr_a = self.registry.cursor()
        try:
            self.decide(cr_a, first[0], first[1], exc_id, "first session")
            thread = threading.Thread(target=session_b, name="o2c_session_b")
            thread.dbname = cr_a.dbname
            thread.start()
            self.assertTrue(started.wait(LOCK_WAIT), "session B did not start")
            self.assertTrue(self._waits_on_lock(outcome["pid"]), "B never waited on A")
            cr_a.commit()
        finally:
            cr_a.close()
        thread.join(JOIN_WAIT)
        self.assertFalse(thread.is_alive(), "session B still blocked after A committed")
        return outcome.get("error")

    def _waits_on_lock(self, pid):
        """Whether backend ``pid`` is (or ends within LOCK_WAIT) waiting on a lock."""
        with self.registry.cursor() as cr_watch:
            deadline = time.monotonic() + LOCK_WAIT
            while time.monotonic() < deadline:
                cr_watch.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid]
                )
                row = cr_watch.fetchone()
                if row and row[0] == "Lock":
                    return True
                cr_watch.rollback()  # a fresh snapshot of the activity view
                time.sleep(0.05)
        return False

    def state_of(self, exc_id):
        """State and live approvers of the exception, as committed."""
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT e.state, array_agg(a.user_id ORDER BY a.user_id) "
                    "FILTER (WHERE a.active) "
                    "FROM o2c_exception e LEFT JOIN o2c_exception_approval a "
                    "ON a.exception_id = e.id WHERE e.id = %s GROUP BY e.state",
                    exc_id,
                )
            )
            state, users = cr.fetchone()
            return state, users or []

    # ------------------------------------------------------------ TESTS
    def test_same_approver_in_two_sessions_approves_once(self):
        exc_id = self.held_exception(min_approvals=1)
        error = self.race(
            exc_id, (self.approver_id, "action_approve"), (self.approver_id, "action_approve")
        )
        self.assertIsInstance(error, SerializationFailure | IntegrityError, error)
        self.assertEqual(self.state_of(exc_id), ("approved", [self.approver_id]))
        # the retry of the RPC layer (or the user's second click) sees the decision
        with self.assertRaisesRegex(UserError, "(?i)approved"):
            self.decide_committed(self.approver_id, "action_approve", exc_id, "retry")
        self.assertEqual(self.state_of(exc_id), ("approved", [self.approver_id]))

    def test_same_approver_in_two_sessions_is_one_of_two(self):
        exc_id = self.held_exception(min_approvals=2)
        error = self.race(
            exc_id, (self.approver_id, "action_approve"), (self.approver_id, "action_approve")
        )
        self.assertIsInstance(error, SerializationFailure | UniqueViolation, error)
        self.assertEqual(self.state_of(exc_id), ("open", [self.approver_id]))
        with self.assertRaisesRegex(UserError, "already approved"):
            self.decide_committed(self.approver_id, "action_approve", exc_id, "retry")
        self.assertEqual(self.state_of(exc_id), ("open", [self.approver_id]))

    def test_two_approvers_at_once_meet_the_two_person_rule(self):
        exc_id = self.held_exception(min_approvals=2)
        error = self.race(
            exc_id, (self.approver_id, "action_approve"), (self.approver_2_id, "action_approve")
        )
        if error is not None:
            # refused as a concurrent update: the RPC layer retries it
            self.assertIsInstance(error, OperationalError, error)
            self.decide_committed(self.approver_2_id, "action_approve", exc_id, "retry")
        self.assertEqual(
            self.state_of(exc_id),
            ("approved", sorted([self.approver_id, self.approver_2_id])),
            "two distinct approvals complete the two-person rule",
        )

    def test_approve_and_reject_at_once(self):
        exc_id = self.held_exception(min_approvals=1)
        error = self.race(
            exc_id, (self.approver_id, "action_approve"), (self.approver_2_id, "action_reject")
        )
        self.assertIsInstance(error, SerializationFailure, error)
        with self.assertRaisesRegex(UserError, "(?i)approved"):
            self.decide_committed(self.approver_2_id, "action_reject", exc_id, "retry")
        self.assertEqual(self.state_of(exc_id), ("approved", [self.approver_id]))
