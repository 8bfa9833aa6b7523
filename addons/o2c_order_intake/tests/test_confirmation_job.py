# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.api import call_kw
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import O2cIntakeCommon

INTEGRATION = "o2c_exception_base.group_o2c_integration"


@tagged("post_install", "-at_install")
class TestConfirmationJob(O2cIntakeCommon):
    """The import creates quotations; the job confirms each, as the importing user."""

    def _held_and_clean(self, user=None, prefix="PO"):
        """Import one clean order and one big one (held): ``(import, clean, big)``."""
        rows = [
            *self._rows(orders=1, lines=2, prefix=prefix),
            *self._rows(orders=1, lines=1, qty=2000, prefix=f"BIG-{prefix}"),
        ]
        result = self._import(self._csv(rows), f"{prefix}.csv", user=user)
        imp = self.env["o2c.order.import"].browse(result["import_id"])
        big = imp.order_ids.filtered(lambda o: o.client_order_ref.startswith("BIG"))
        return imp, imp.order_ids - big, big

    def test_import_leaves_quotations_waiting_and_triggers_the_job(self):
        cron = self.env.ref("o2c_order_intake.ir_cron_o2c_confirm_imported")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        result = self._import(self._csv(self._rows(orders=3, lines=2)))
        orders = self.env["sale.order"].browse(result["order_ids"])
        self.assertEqual(len(orders), 3)
        self.assertEqual(set(orders.mapped("state")), {"draft"})
        self.assertEqual(set(orders.mapped("o2c_intake_state")), {"waiting"})
        self.assertEqual(
            (result["pending_ids"], result["confirmed_ids"], result["held_ids"]),
            (orders.ids, [], []),
        )
        imp = self.env["o2c.order.import"].browse(result["import_id"])
        self.assertEqual(
            (imp.state, imp.waiting_count, imp.confirmed_count, imp.held_count),
            ("done", 3, 0, 0),
        )
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers + 1,
            "the job runs as soon as the import commits",
        )

    def test_job_confirms_as_the_importing_user_and_leaves_held_ones_held(self):
        imp, clean, big = self._held_and_clean()
        self.assertEqual(self._confirm_imported(), 2, "both taken, one per transaction")
        self.assertEqual(clean.state, "sale")
        self.assertEqual(clean.write_uid, self.integration, "confirmed in the importer's name")
        self.assertEqual(big.state, "draft", "held: still a quotation")
        self.assertTrue(big.o2c_blocked)
        exception = big.o2c_linked_exception_ids
        self.assertEqual((exception.state, exception.rule_id), ("open", self.rule))
        self.assertEqual(exception.create_uid, self.integration, "the hold names the importer")
        self.assertEqual(set((clean | big).mapped("o2c_intake_state")), {False}, "out of the job")
        self.assertEqual(
            (imp.confirmed_count, imp.held_count, imp.waiting_count, imp.parked_count),
            (1, 1, 0, 0),
        )
        # the held quotation waits in the exception queue, not in the job
        self.assertEqual(self._confirm_imported(), 0)
        self.assertEqual(big.state, "draft")
        exception.with_user(self.approver).action_approve("Framework contract")
        self.assertEqual(big.state, "sale", "confirmed once approved")
        self.assertEqual((imp.confirmed_count, imp.held_count), (2, 0))

    def test_failing_orders_are_parked_with_the_reason_the_others_confirmed(self):
        imp, clean, big = self._held_and_clean()
        other, other_clean, other_big = self._held_and_clean(user=self.salesman, prefix="SP")
        # the integration account lost its sales rights before the job ran
        self.integration.groups_id = [Command.set([self.env.ref("base.group_user").id])]
        self.assertEqual(self._confirm_imported(batch_size=10), 4)
        for order in clean | big:
            self.assertEqual(order.state, "draft")
            self.assertEqual(order.o2c_intake_state, "parked")
            self.assertIn("not allowed", order.o2c_intake_error)
            self.assertIn("Confirmation of the imported order failed", order.message_ids[0].body)
        self.assertEqual(
            (imp.parked_count, imp.waiting_count, imp.confirmed_count, imp.held_count),
            (2, 0, 0, 0),
        )
        notes = imp.message_ids.filtered(lambda m: "order failed" in (m.body or ""))
        self.assertEqual(len(notes), 2, "one note per parked order on the import")
        self.assertIn(clean.name, "".join(notes.mapped("body")))
        # the salesperson's orders, in the same batch, went through
        self.assertEqual(other_clean.state, "sale")
        self.assertTrue(other_big.o2c_blocked)
        self.assertEqual((other.confirmed_count, other.held_count, other.parked_count), (1, 1, 0))
        # parked: the job leaves them out until someone retries them
        self.assertEqual(self._confirm_imported(), 0)
        self.integration.groups_id = [Command.link(self.env.ref(INTEGRATION).id)]
        imp.with_user(self.salesman).action_retry_confirmation()
        self.assertEqual(set((clean | big).mapped("o2c_intake_state")), {"waiting"})
        self.assertFalse(clean.o2c_intake_error)
        self.assertEqual(self._confirm_imported(), 2)
        self.assertEqual(clean.state, "sale")
        self.assertTrue(big.o2c_blocked)
        self.assertEqual((imp.confirmed_count, imp.held_count, imp.parked_count), (1, 1, 0))

    def test_cancelled_or_confirmed_meanwhile_leaves_the_job(self):
        imp, clean, big = self._held_and_clean()
        big.with_user(self.salesman).action_cancel()
        clean.with_user(self.salesman).action_confirm()
        self.assertEqual(self._confirm_imported(), 2)
        self.assertEqual((clean.state, big.state), ("sale", "cancel"))
        self.assertEqual(set((clean | big).mapped("o2c_intake_state")), {False})
        self.assertEqual((imp.confirmed_count, imp.held_count, imp.waiting_count), (1, 0, 0))

    def test_the_importing_user_cannot_move_an_order_in_or_out_of_the_job(self):
        imp, clean, _big = self._held_and_clean()
        user_env = self.env(user=self.integration)
        for vals in (
            {"o2c_intake_state": False},
            {"o2c_intake_state": "parked"},
            {"o2c_intake_error": "done by hand"},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "decision or evidence"):
                call_kw(user_env["sale.order"], "write", [clean.ids, vals], {})
        with self.assertRaisesRegex(UserError, "decision or evidence"):
            call_kw(
                user_env["sale.order"],
                "create",
                [{"partner_id": self.acme.id, "o2c_intake_state": "waiting"}],
                {},
            )
        with self.assertRaisesRegex(UserError, "decision or evidence"):
            call_kw(user_env["o2c.order.import"], "write", [imp.ids, {"waiting_count": 0}], {})
        self.env.invalidate_all()
        self.assertEqual((clean.o2c_intake_state, clean.o2c_intake_error), ("waiting", False))
        self.assertEqual(imp.waiting_count, 2)
        # still in the job: the job confirms it
        self.assertEqual(self._confirm_imported(), 2)
        self.assertEqual(clean.state, "sale")

    def test_retry_needs_a_parked_order(self):
        imp, _clean, _big = self._held_and_clean()
        with self.assertRaisesRegex(UserError, "No order of PO.csv waits for a retry"):
            imp.with_user(self.salesman).action_retry_confirmation()
