# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from .common import o2c_test_env

O2C = "o2c_exception_base.group_o2c_"
#: a context an RPC client may send: none of its keys turns the control off
HOSTILE_CONTEXT = {
    "o2c_skip": True,
    "tracking_disable": True,
    "mail_notrack": True,
    "install_mode": True,
    "module": "o2c_exception_base",
}


class O2cPolicyChangeTestMixin:
    """Helpers for the governed-policy tests of the core and the feature addons."""

    @classmethod
    def _o2c_policy_users(cls, extra_groups=""):
        def user(login, groups):
            return new_test_user(cls.env, login, groups + extra_groups)

        cls.requester = user("o2c_pc_requester", f"{O2C}manager")
        cls.approver = user("o2c_pc_approver", f"{O2C}manager")
        cls.o2c_user = user("o2c_pc_user", f"{O2C}user")

    @classmethod
    def _require_approval(cls, code, on=True, company=None):
        """Turn the company setting of kind ``code`` on or off, as the admin (Settings)."""
        company = company or cls.env.company
        kind = cls.env["o2c.policy.kind"]._o2c_get(code)
        command = Command.link if on else Command.unlink
        company.o2c_policy_approval_kind_ids = [command(kind.id)]
        return kind

    def _requests(self, record):
        return self.env["o2c.policy.change"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )

    def _tracked(self, record, fname):
        """``[(old, new)]`` display values tracked in ``record``'s chatter for ``fname``."""
        self.env.cr.precommit.run()  # tracking values are written before the commit
        record.invalidate_recordset(["message_ids"])
        values = record.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == fname
        ).sorted("id")
        return [
            (
                t._format_display_value(t.field_id.ttype, new=False)[0],
                t._format_display_value(t.field_id.ttype, new=True)[0],
            )
            for t in values
        ]


@tagged("post_install", "-at_install")
class TestPolicyChange(O2cPolicyChangeTestMixin, TransactionCase):
    """Exception types are governed policies (kind ``exception_type``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = o2c_test_env(cls.env)
        cls._o2c_policy_users()
        cls.etype = cls.env["o2c.exception.type"].create(
            {"name": "O2C PC type", "code": "o2c_pc_type", "sla_hours": 24.0}
        )
        cls.kind = cls._require_approval("exception_type")
        cls.env.cr.precommit.run()  # its creation logged: later changes are tracked

    def _request_sla(self, hours=48.0, user=None, **context):
        etype = self.etype.with_user(user or self.requester).with_context(**context)
        etype.write({"sla_hours": hours, "o2c_change_reason": "Customers wait too long"})
        return self._requests(self.etype)

    # ------------------------------------------------------------ requests
    def test_change_applied_only_when_another_approves(self):
        request = self._request_sla()
        self.assertEqual(self.etype.sla_hours, 24.0, "not applied before approval")
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.requested_by_id, self.requester)
        self.assertEqual(request.old_values, {"sla_hours": 24.0})
        self.assertEqual(request.new_values, {"sla_hours": 48.0})
        self.assertEqual(request.reason, "Customers wait too long")
        self.assertIn("SLA (hours)", request.change_html)
        self.assertEqual(self.etype.o2c_pending_change_count, 1)
        request.with_user(self.approver).action_approve()
        self.assertEqual(self.etype.sla_hours, 48.0)
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approved_by_id, self.approver)
        self.assertTrue(request.decision_date)
        self.assertEqual(request.old_values, {"sla_hours": 24.0}, "old value kept")
        self.assertIn((24.0, 48.0), self._tracked(self.etype, "sla_hours"))

    def test_requester_cannot_approve_own_request(self):
        request = self._request_sla()
        with self.assertRaisesRegex(UserError, "You requested this change"):
            request.with_user(self.requester).action_approve()
        self.assertEqual(self.etype.sla_hours, 24.0)
        self.assertEqual(request.state, "to_approve")

    def test_o2c_user_cannot_approve_nor_request(self):
        request = self._request_sla()
        with self.assertRaisesRegex(UserError, "Only members of"):
            request.with_user(self.o2c_user).action_approve()
        with self.assertRaises(AccessError):
            self.etype.with_user(self.o2c_user).write(
                {"sla_hours": 1.0, "o2c_change_reason": "mine"}
            )
        self.assertEqual(self.etype.sla_hours, 24.0)
        self.assertEqual(len(self._requests(self.etype)), 1)

    def test_reject_keeps_old_values_and_the_request(self):
        request = self._request_sla()
        with self.assertRaisesRegex(UserError, "say why"):
            request.with_user(self.approver).action_reject()
        request.with_user(self.approver).decision_reason = "24 hours is the contract"
        request.with_user(self.approver).action_reject()
        self.assertEqual(request.state, "rejected")
        self.assertEqual(self.etype.sla_hours, 24.0)
        with self.assertRaises(UserError):
            request.with_user(self.approver).unlink()
        with self.assertRaises(UserError):
            request.sudo().unlink()
        request.with_user(self.approver).action_archive()
        self.assertTrue(request.exists())
        with self.assertRaisesRegex(UserError, "already decided"):
            request.with_user(self.approver).action_approve()

    def test_requester_cancels(self):
        request = self._request_sla()
        request.with_user(self.requester).action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(self.etype.sla_hours, 24.0)

    def test_request_fields_change_only_through_actions(self):
        request = self._request_sla()
        for vals in (
            {"state": "approved"},
            {"new_values": {"sla_hours": 1.0}},
            {"approved_by_id": self.approver.id},
            {"reason": "other"},
        ):
            with self.assertRaises(UserError):
                request.with_user(self.approver).with_context(**HOSTILE_CONTEXT).write(vals)
        with self.assertRaises(UserError):  # AccessError or the governed fields
            self.env["o2c.policy.change"].with_user(self.approver).create(
                {"res_model": self.etype._name, "res_id": self.etype.id, "reason": "x"}
            )
        self.assertEqual(request.state, "to_approve")

    def test_approvers_get_an_activity(self):
        request = self._request_sla()
        users = request.activity_ids.user_id
        self.assertIn(self.approver, users)
        self.assertNotIn(self.requester, users)
        request.with_user(self.approver).action_approve()
        self.assertFalse(request.activity_ids)

    # ------------------------------------------------------------- bypasses
    def test_rpc_context_does_not_bypass(self):
        request = self._request_sla(**HOSTILE_CONTEXT)
        self.assertEqual(self.etype.sla_hours, 24.0)
        self.assertEqual(request.new_values, {"sla_hours": 48.0})

    def test_admin_sudo_does_not_bypass(self):
        self.etype.sudo().write({"blocking": False, "o2c_change_reason": "admin"})
        self.assertTrue(self.etype.blocking)
        self.assertEqual(self._requests(self.etype).new_values, {"blocking": False})

    def test_change_without_reason_refused(self):
        with self.assertRaisesRegex(UserError, "Reason for the Change"):
            self.etype.with_user(self.requester).write({"sla_hours": 1.0})
        self.assertEqual(self.etype.sla_hours, 24.0)
        self.assertFalse(self._requests(self.etype))

    def test_other_fields_apply_directly(self):
        self.etype.with_user(self.requester).write({"portal_label": "Checking", "sla_hours": 24.0})
        self.assertEqual(self.etype.portal_label, "Checking")
        self.assertFalse(self._requests(self.etype), "an unchanged policy value is no change")

    def test_import_creates_a_request(self):
        Type = self.env["o2c.exception.type"].with_user(self.requester)
        result = Type.load([".id", "sla_hours"], [[str(self.etype.id), "2"]])
        self.assertTrue(result["messages"], "refused without a reason")
        result = Type.load(
            [".id", "sla_hours", "o2c_change_reason"], [[str(self.etype.id), "2", "imported"]]
        )
        self.assertFalse(result["messages"])
        self.assertEqual(self.etype.sla_hours, 24.0)
        self.assertEqual(self._requests(self.etype).new_values, {"sla_hours": 2.0})

    def test_data_file_is_trusted(self):
        self.env["ir.model.data"].create(
            {
                "name": "o2c_pc_type_xmlid",
                "module": "o2c_exception_base",
                "model": self.etype._name,
                "res_id": self.etype.id,
            }
        )
        self.env["o2c.exception.type"]._load_records(
            [{"xml_id": "o2c_exception_base.o2c_pc_type_xmlid", "values": {"sla_hours": 12.0}}],
            update=True,
        )
        self.assertEqual(self.etype.sla_hours, 12.0)
        self.assertFalse(self._requests(self.etype))

    def test_delete_refused_archive_by_request(self):
        with self.assertRaisesRegex(UserError, "Archive them"):
            self.etype.sudo().unlink()
        self.etype.with_user(self.requester).write({"active": False, "o2c_change_reason": "unused"})
        self.assertTrue(self.etype.active)
        self._requests(self.etype).with_user(self.approver).action_approve()
        self.assertFalse(self.etype.active)

    def test_new_policy_created_archived_until_approved(self):
        etype = (
            self.env["o2c.exception.type"]
            .with_user(self.requester)
            .create({"name": "O2C PC new", "sla_hours": 5.0, "o2c_change_reason": "new flow"})
        )
        self.assertFalse(etype.active)
        request = self._requests(etype)
        self.assertEqual(request.new_values, {"active": True})
        self.assertEqual(request.old_values["sla_hours"], 5.0, "its content is in the request")
        request.with_user(self.approver).action_approve()
        self.assertTrue(etype.active)

    def test_new_policy_without_reason_stays_archived(self):
        etype = self.etype.with_user(self.requester).copy({"code": "o2c_pc_copy"})
        self.assertFalse(etype.active)
        self.assertFalse(self._requests(etype))
        self.assertIn("Created archived", etype.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "Reason for the Change"):
            etype.with_user(self.requester).action_unarchive()
        etype.with_user(self.requester).write({"active": True, "o2c_change_reason": "Go"})
        self.assertFalse(etype.active)
        self.assertEqual(self._requests(etype).new_values, {"active": True})

    def test_only_a_decider_writes_the_decision_reason(self):
        request = self._request_sla()
        with self.assertRaisesRegex(UserError, "Decision Reason"):
            request.with_user(self.requester).decision_reason = "I approve myself"
        with self.assertRaisesRegex(UserError, "not archived"):
            request.with_user(self.approver).action_archive()
        request.with_user(self.approver).decision_reason = "Fine"
        self.assertEqual(request.decision_reason, "Fine")

    # ---------------------------------------------------------------- stale
    def test_stale_request_refused(self):
        first = self._request_sla(48.0)
        second = self._request_sla(72.0) - first
        second.with_user(self.approver).action_approve()
        self.assertEqual(self.etype.sla_hours, 72.0)
        with self.assertRaisesRegex(UserError, "stale"):
            first.with_user(self.approver).action_approve()
        self.assertEqual(self.etype.sla_hours, 72.0)
        self.assertEqual(first.state, "to_approve")

    # ------------------------------------------------------------- setting off
    def test_setting_off_change_applies_and_is_tracked(self):
        self._require_approval("exception_type", on=False)
        self.etype.with_user(self.requester).with_context(**HOSTILE_CONTEXT).write(
            {"sla_hours": 36.0, "min_approvals": 2}
        )
        self.assertEqual(self.etype.sla_hours, 36.0)
        self.assertFalse(self._requests(self.etype))
        self.assertIn((24.0, 36.0), self._tracked(self.etype, "sla_hours"))
        self.assertIn((1, 2), self._tracked(self.etype, "min_approvals"))

    # ------------------------------------------------------------------ API
    def test_request_change_api(self):
        Change = self.env["o2c.policy.change"].with_user(self.requester)
        request = Change._o2c_request_change(self.etype, {"min_approvals": 2}, "advisor: two")
        self.assertEqual(request.new_values, {"min_approvals": 2})
        self.assertEqual(self.etype.min_approvals, 1)
        with self.assertRaisesRegex(UserError, "not a governed policy"):
            Change._o2c_request_change(self.requester.partner_id, {"name": "x"}, "no")
        with self.assertRaisesRegex(UserError, "not policy fields"):
            Change._o2c_request_change(self.etype, {"name": "x"}, "no")
        with self.assertRaisesRegex(UserError, "changes nothing"):
            Change._o2c_request_change(self.etype, {"min_approvals": 1}, "no")

    # -------------------------------------------------------------- defaults
    def test_kind_required_by_default_in_every_company(self):
        kind = self.env["o2c.policy.kind"].create(
            {"name": "O2C PC kind", "code": "o2c_pc_kind", "default_required": True}
        )
        self.assertEqual(kind.company_ids, self.env["res.company"].search([]))
        company = self.env["res.company"].create({"name": "O2C PC new company"})
        self.assertIn(kind, company.o2c_policy_approval_kind_ids)
        self.assertNotIn(self.kind, company.o2c_policy_approval_kind_ids, "off by default")
