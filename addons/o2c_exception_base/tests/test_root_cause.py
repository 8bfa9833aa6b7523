# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.addons.o2c_exception_base.upgrade import set_default_root_causes
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import O2cCommon, O2cFakeCommon, O2cRpcMixin, o2c_exceptions_on_new_orders

EXCEPTION = "o2c.exception"


class RootCauseRpcMixin(O2cRpcMixin):
    """Calls as an RPC client and reads of the decision as stored."""

    def exc_rpc(self, user, method, *args, context=None, **kwargs):
        """Call ``o2c.exception.method`` as an RPC client logged in as ``user``."""
        return self.rpc(user, EXCEPTION, method, *args, context=context, **kwargs)

    def _decision(self, exc):
        self.env.invalidate_all()
        return exc.sudo().read(["state", "root_cause_id", "decided_by_id", "decision_reason"])


@tagged("post_install", "-at_install")
class TestRootCause(RootCauseRpcMixin, O2cFakeCommon):
    """Every decided exception says why it happened: the decider's root cause,
    else (approval, system decision, cancellation) its type's default."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.supplier = ref("o2c_exception_base.o2c_root_cause_supplier")
        cls.training = ref("o2c_exception_base.o2c_root_cause_training")
        cls.master_data = ref("o2c_exception_base.o2c_root_cause_master_data")
        cls.retired = cls.env["o2c.root.cause"].create(
            {"name": "Retired cause", "code": "o2c_test_retired", "active": False}
        )

    def _raise(self, amount=1500.0):
        doc = self._doc(amount)
        doc.action_confirm()
        self.assertEqual(len(doc.o2c_exception_ids), 1)
        return doc, doc.o2c_exception_ids

    # ------------------------------------------------- required or default
    def test_reject_without_root_cause_refused_nothing_changed(self):
        self.exc_type.default_root_cause_id = self.supplier  # a default is no answer
        _doc, exc = self._raise()
        before = self._decision(exc)
        for missing in (None, False, 0):
            with self.assertRaisesRegex(UserError, r"root cause is required to reject.*Root Cause"):
                self.exc_rpc(self.approver, "action_reject", [exc.id], "No", root_cause_id=missing)
        self.assertEqual(self._decision(exc), before)
        self.assertEqual(before[0]["state"], "open")

    def test_resolve_without_root_cause_refused(self):
        _doc, exc = self._raise()
        with self.assertRaisesRegex(UserError, r"root cause is required to resolve.*Root Cause"):
            self.exc_rpc(self.approver, "action_resolve", [exc.id], "Fixed")
        self.assertEqual(exc.state, "open")
        self.assertFalse(exc.root_cause_id)

    def test_reject_with_root_cause_over_rpc(self):
        _doc, exc = self._raise()
        self.exc_rpc(self.approver, "action_reject", [exc.id], "No", root_cause_id=self.training.id)
        self.assertEqual(exc.state, "rejected")
        self.assertEqual(exc.root_cause_id, self.training)
        note = exc.message_ids.filtered(lambda m: "Rejected" in str(m.body))
        self.assertIn("Root cause: Training", str(note.body), "the decision's message says why")

    def test_resolve_with_root_cause_record(self):
        _doc, exc = self._raise()
        exc.with_user(self.approver).action_resolve("Fixed", root_cause_id=self.master_data)
        self.assertEqual((exc.state, exc.root_cause_id), ("resolved", self.master_data))

    def test_approve_takes_the_type_default(self):
        self.exc_type.default_root_cause_id = self.supplier
        _doc, exc = self._raise()
        self.exc_rpc(self.approver, "action_approve", [exc.id])
        self.assertEqual((exc.state, exc.root_cause_id), ("approved", self.supplier))
        self.assertFalse(exc.approval_ids.root_cause_id, "the approver gave none")

    def test_approve_without_any_default_still_approves(self):
        _doc, exc = self._raise()
        self.exc_rpc(self.approver, "action_approve", [exc.id], "ok")
        self.assertEqual(exc.state, "approved")
        self.assertFalse(exc.root_cause_id)

    def test_old_rpc_signature_keeps_working(self):
        """``action_approve(reason)``, positional or by keyword, as before."""
        (_doc, first), (_doc2, second) = self._raise(), self._raise(2000.0)
        self.exc_rpc(self.approver, "action_approve", [first.id], "positional")
        self.exc_rpc(self.approver, "action_approve", [second.id], reason="keyword")
        self.assertEqual((first + second).mapped("decision_reason"), ["positional", "keyword"])

    def test_approve_with_root_cause_recorded_on_approval(self):
        self.exc_type.default_root_cause_id = self.supplier
        _doc, exc = self._raise()
        self.exc_rpc(
            self.approver, "action_approve", [exc.id], "ok", root_cause_id=self.training.id
        )
        self.assertEqual(exc.root_cause_id, self.training, "the decider's wins over the default")
        self.assertEqual(exc.approval_ids.root_cause_id, self.training)

    def test_two_person_rule_root_cause_of_the_final_approval(self):
        self.exc_type.write({"min_approvals": 2, "default_root_cause_id": self.supplier.id})
        _doc, exc = self._raise()
        self.exc_rpc(
            self.approver, "action_approve", [exc.id], "1st", root_cause_id=self.training.id
        )
        self.assertEqual(exc.state, "open")
        self.assertFalse(exc.root_cause_id, "no decision yet")
        self.exc_rpc(
            self.approver_2, "action_approve", [exc.id], "2nd", root_cause_id=self.master_data.id
        )
        self.assertEqual((exc.state, exc.root_cause_id), ("approved", self.master_data))
        by_user = {a.user_id: a.root_cause_id for a in exc.approval_ids}
        self.assertEqual(by_user, {self.approver: self.training, self.approver_2: self.master_data})

    def test_approve_next_passes_the_root_cause(self):
        _doc, exc = self._raise()
        self.exc_rpc(self.approver, "action_approve_next", [exc.id], root_cause_id=self.training.id)
        self.assertEqual((exc.state, exc.root_cause_id), ("approved", self.training))

    def test_bad_root_cause_refused_nothing_changed(self):
        _doc, exc = self._raise()
        missing = self.env["o2c.root.cause"].search([], order="id desc", limit=1).id + 1000
        before = self._decision(exc)
        for bad, message in (
            (self.retired.id, "archived"),
            (missing, "does not exist"),
            (2**40, "id of one root cause"),
            ("training", "id of one root cause"),
            ([self.training.id], "id of one root cause"),
            (True, "id of one root cause"),
        ):
            with self.subTest(root_cause_id=bad), self.assertRaisesRegex(UserError, message):
                self.exc_rpc(self.approver, "action_reject", [exc.id], "No", root_cause_id=bad)
            with self.subTest(root_cause_id=bad), self.assertRaisesRegex(UserError, message):
                self.exc_rpc(self.approver, "action_approve", [exc.id], "ok", root_cause_id=bad)
        self.assertEqual(self._decision(exc), before)
        self.assertFalse(exc.with_context(active_test=False).approval_ids)

    # --------------------------------------------- decided by the system
    def test_document_back_within_policy_takes_the_default(self):
        self.exc_type.default_root_cause_id = self.supplier
        doc, exc = self._raise()
        doc.amount = 900
        doc.action_confirm()
        self.assertEqual((exc.state, exc.root_cause_id), ("resolved", self.supplier))

    def test_system_decision_without_default_never_fails(self):
        doc, exc = self._raise()
        doc.amount = 900
        doc.action_confirm()
        self.assertEqual(exc.state, "resolved")
        self.assertFalse(exc.root_cause_id)
        _doc, other = self._raise()
        other._o2c_decide_as_system("resolved", "Recheck passed")
        self.assertEqual(other.state, "resolved")

    def test_archived_default_is_not_taken(self):
        self.exc_type.default_root_cause_id = self.supplier
        _doc, exc = self._raise()
        self.supplier.active = False
        exc._o2c_decide_as_system("resolved", "Recheck passed")
        self.assertEqual(exc.state, "resolved")
        self.assertFalse(exc.root_cause_id)

    def test_system_resolution_keeps_the_approvers_root_cause(self):
        self.exc_type.default_root_cause_id = self.supplier
        _doc, exc = self._raise()
        self.exc_rpc(
            self.approver, "action_approve", [exc.id], "ok", root_cause_id=self.training.id
        )
        exc._o2c_decide_as_system("resolved", "Delivered")
        self.assertEqual((exc.state, exc.root_cause_id), ("resolved", self.training))

    def test_cancel_takes_the_default_or_the_managers(self):
        self.exc_type.default_root_cause_id = self.supplier
        (_doc, first), (_doc2, second) = self._raise(), self._raise(2000.0)
        self.exc_rpc(self.manager, "action_cancel", [first.id], "Duplicate")
        self.exc_rpc(
            self.manager, "action_cancel", [second.id], "Test", root_cause_id=self.training.id
        )
        self.assertEqual(first.root_cause_id, self.supplier)
        self.assertEqual(second.root_cause_id, self.training)

    def test_deleted_document_cancels_with_the_default(self):
        self.exc_type.default_root_cause_id = self.supplier
        doc, exc = self._raise()
        doc.unlink()
        self.assertEqual((exc.state, exc.root_cause_id), ("cancelled", self.supplier))

    def test_reopen_clears_the_root_cause(self):
        doc, exc = self._raise()
        self.exc_rpc(
            self.approver, "action_approve", [exc.id], "ok", root_cause_id=self.training.id
        )
        doc.with_user(self.requester).amount = 5000
        self.assertEqual(exc.state, "open")
        self.assertFalse(exc.root_cause_id, "the new decision gives its own")
        self.assertEqual(
            exc.with_context(active_test=False).approval_ids.root_cause_id,
            self.training,
            "the archived approval keeps what its approver said",
        )

    # ------------------------------------------- governed: decisions only
    def test_approver_cannot_set_root_cause_over_rpc(self):
        _doc, exc = self._raise()
        self.exc_rpc(self.approver, "action_approve", [exc.id], "ok")
        before = self._decision(exc)
        for context in ({}, {"tracking_disable": True, "install_mode": True, "o2c_owned": True}):
            with self.subTest(context=context), self.assertRaisesRegex(UserError, "Root Cause"):
                self.exc_rpc(
                    self.approver,
                    "write",
                    [exc.id],
                    {"root_cause_id": self.training.id},
                    context=context,
                )
        self.assertEqual(self._decision(exc), before)

    def test_approval_root_cause_is_governed(self):
        _doc, exc = self._raise()
        self.exc_rpc(
            self.approver, "action_approve", [exc.id], "ok", root_cause_id=self.training.id
        )
        approval = exc.approval_ids
        with self.assertRaisesRegex(UserError, "Root Cause"):
            approval.with_user(self.manager).sudo().write({"root_cause_id": self.supplier.id})
        self.assertEqual(approval.root_cause_id, self.training)

    # -------------------------------------------------------------- wizard
    def _wizard(self, exc, decision, user=None):
        action = (
            exc.with_user(user or self.approver)
            .with_context(o2c_decision=decision)
            .action_open_decision_wizard()
        )
        return Form(
            self.env[action["res_model"]]
            .with_user(user or self.approver)
            .with_context(**action["context"])
        )

    def test_wizard_prefills_the_default_when_approving(self):
        self.exc_type.default_root_cause_id = self.supplier
        _doc, exc = self._raise()
        wizard = self._wizard(exc, "approve")
        self.assertEqual(wizard.root_cause_id, self.supplier)
        wizard.root_cause_id = self.training
        wizard.save().action_confirm()
        self.assertEqual((exc.state, exc.root_cause_id), ("approved", self.training))

    def test_wizard_asks_for_the_root_cause_to_reject(self):
        self.exc_type.default_root_cause_id = self.supplier
        _doc, exc = self._raise()
        wizard = self._wizard(exc, "reject")
        self.assertFalse(wizard.root_cause_id, "the decider says why, nothing prefilled")
        wizard.reason = "Too big"
        with self.assertRaises(AssertionError):  # the form refuses to save it empty
            wizard.save()
        wizard.root_cause_id = self.master_data
        wizard.save().action_confirm()
        self.assertEqual((exc.state, exc.root_cause_id), ("rejected", self.master_data))

    def test_wizard_refuses_resolving_without_root_cause(self):
        _doc, exc = self._raise()
        wizard = (
            self.env["o2c.exception.decision.wizard"]
            .with_user(self.approver)
            .create({"exception_ids": [Command.link(exc.id)], "decision": "resolve", "reason": "x"})
        )
        with self.assertRaisesRegex(UserError, "Root Cause"):
            wizard.action_confirm()
        self.assertEqual(exc.state, "open")

    # ------------------------------------------------------ configuration
    def test_type_default_set_by_managers_tracked(self):
        self.env.flush_all()
        self.env.cr.precommit.run()  # the type's creation logged: its changes are tracked
        self.exc_type.with_user(self.manager).default_root_cause_id = self.supplier
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking is written when the transaction commits
        self.exc_type.invalidate_recordset(["message_ids"])
        tracked = self.exc_type.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "default_root_cause_id"
        )
        self.assertEqual(tracked.new_value_char, self.supplier.name)
        with self.assertRaises(AccessError):
            self.exc_type.with_user(self.approver).default_root_cause_id = self.training
        self.assertEqual(self.exc_type.default_root_cause_id, self.supplier)

    def test_root_causes_configured_by_managers_only(self):
        cause = (
            self.env["o2c.root.cause"]
            .with_user(self.manager)
            .create({"name": "Pricing tool", "code": "o2c_test_pricing_tool"})
        )
        self.assertTrue(cause.active)
        with self.assertRaises(AccessError):
            self.env["o2c.root.cause"].with_user(self.approver).create(
                {"name": "Mine", "code": "o2c_test_mine"}
            )
        menu = self.env.ref("o2c_exception_base.menu_o2c_root_cause")
        self.assertEqual(menu.parent_id, self.env.ref("o2c_exception_base.menu_o2c_config"))
        self.assertIn(self.env.ref("o2c_exception_base.group_o2c_manager"), menu.groups_id)


@tagged("post_install", "-at_install")
class TestRootCauseImport(RootCauseRpcMixin, O2cCommon):
    """An import refused midway resets the registry's pending changes: not in a
    class whose fake models that would drop (:class:`O2cFakeCommon`)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.training = cls.env.ref("o2c_exception_base.o2c_root_cause_training")
        cls.master_data = cls.env.ref("o2c_exception_base.o2c_root_cause_master_data")

    def test_manager_cannot_set_root_cause_by_write_create_load(self):
        """Managers may write exceptions (archive them...), never the decision's root cause."""
        exc = o2c_exceptions_on_new_orders(self.env, self.exc_type, 1)
        self.exc_rpc(
            self.approver, "action_reject", [exc.id], "No", root_cause_id=self.master_data.id
        )
        before = self._decision(exc)
        for context in ({}, {"default_root_cause_id": self.training.id, "install_mode": True}):
            with self.subTest(context=context), self.assertRaisesRegex(UserError, "Root Cause"):
                self.exc_rpc(
                    self.manager,
                    "write",
                    [exc.id],
                    {"root_cause_id": self.training.id},
                    context=context,
                )
        result = self.exc_rpc(
            self.manager,
            "load",
            [".id", "root_cause_id/.id"],
            [[str(exc.id), str(self.training.id)]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("Root Cause", str(result["messages"]))
        self.assertEqual(self._decision(exc), before)
        doc = exc.sale_order_id
        vals = {
            "name": "Forged",
            "type_id": self.exc_type.id,
            "res_model": doc._name,
            "res_id": doc.id,
        }
        with self.assertRaisesRegex(UserError, "Root Cause"):
            self.exc_rpc(self.manager, "create", {**vals, "root_cause_id": self.training.id})
        with self.assertRaisesRegex(UserError, "Root Cause"):
            self.exc_rpc(
                self.manager, "create", vals, context={"default_root_cause_id": self.training.id}
            )
        self.assertFalse(self.env[EXCEPTION].search([("name", "=", "Forged")]))

    def test_upgrade_gives_shipped_types_their_default_once(self):
        """The migrations' step: a type without a default gets it, a chosen one stays."""
        types = self.env["o2c.exception.type"].search([], limit=2)
        first, second = types
        first.default_root_cause_id = False
        second.default_root_cause_id = self.training
        data = self.env["ir.model.data"]
        xmlids = {}
        for etype in types:
            name = f"o2c_test_upgrade_type_{etype.id}"
            data.create(
                {
                    "module": "o2c_exception_base",
                    "name": name,
                    "model": etype._name,
                    "res_id": etype.id,
                }
            )
            xmlids[etype] = f"o2c_exception_base.{name}"
        cause = "o2c_exception_base.o2c_root_cause_master_data"
        set_default_root_causes(self.env.cr, {xmlids[first]: cause, xmlids[second]: cause})
        self.env.invalidate_all()
        self.assertEqual(first.default_root_cause_id, self.master_data)
        self.assertEqual(second.default_root_cause_id, self.training, "the chosen one is kept")
