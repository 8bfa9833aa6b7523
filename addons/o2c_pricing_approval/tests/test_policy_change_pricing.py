# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.addons.o2c_exception_base.tests.test_policy_change import (
    HOSTILE_CONTEXT,
    O2cPolicyChangeTestMixin,
)
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import convert_file

from .common import O2cPricingCommon


@tagged("post_install", "-at_install")
class TestPolicyChangePricing(O2cPolicyChangeTestMixin, O2cPricingCommon):
    """Pricing policies and their tiers change through approved requests (default on)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._o2c_policy_users(",sales_team.group_sale_salesman")
        cls._require_approval("pricing")
        cls.env.cr.precommit.run()  # the test policy's creation logged

    def _tiers(self, policy=None):
        return [(t.threshold, t.approver_group_id) for t in (policy or self.policy).tier_ids]

    def _request_tiers(self, user=None, **context):
        low = self.policy.tier_ids.sorted("threshold")[0]
        self.policy.with_user(user or self.requester).with_context(**context).write(
            {
                "tier_ids": [
                    Command.update(low.id, {"threshold": 20.0}),
                    Command.create({"threshold": 50.0, "approver_group_id": self.group_finance.id}),
                ],
                "o2c_change_reason": "Fewer approvals for small discounts",
            }
        )
        return self._requests(self.policy)

    def test_tier_change_requested_on_the_policy(self):
        before = self._tiers()
        request = self._request_tiers(**HOSTILE_CONTEXT)
        self.assertEqual(self._tiers(), before, "not applied before approval")
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(len(request.old_values["tier_ids"]), 2)
        self.assertIn("Above 20.0 %", request.change_html)
        self.assertIn("Above 50.0 %", request.change_html)
        request.with_user(self.approver).action_approve()
        self.assertEqual(
            self._tiers(),
            [(20.0, self.group_approver), (30.0, self.group_finance), (50.0, self.group_finance)],
        )
        self.assertEqual(request.approved_by_id, self.approver)
        note = self.policy.message_ids.filtered(lambda m: "Lines changed" in (m.body or ""))
        self.assertTrue(note, "the tier change is in the policy's chatter")
        self.assertIn("Above 15.0 %", note[0].body, "old tiers")
        self.assertIn("Above 20.0 %", note[0].body, "new tiers")

    def test_requester_cannot_approve(self):
        request = self._request_tiers()
        with self.assertRaisesRegex(UserError, "You requested this change"):
            request.with_user(self.requester).action_approve()
        with self.assertRaisesRegex(UserError, "Only members of"):
            request.with_user(self.salesman).action_approve()
        self.assertEqual(self._tiers()[0][0], 15.0)

    def test_tiers_changed_directly_refused(self):
        tier = self.policy.tier_ids[0]
        Tier = self.env["o2c.pricing.policy.tier"].with_user(self.requester)
        with self.assertRaisesRegex(UserError, "change with the policy"):
            tier.with_user(self.requester).with_context(**HOSTILE_CONTEXT).write({"threshold": 1})
        with self.assertRaisesRegex(UserError, "change with the policy"):
            Tier.create(
                {
                    "policy_id": self.policy.id,
                    "threshold": 5.0,
                    "approver_group_id": self.group_approver.id,
                }
            )
        with self.assertRaisesRegex(UserError, "change with the policy"):
            tier.with_user(self.requester).unlink()
        self.assertEqual(self._tiers()[0][0], 15.0)

    def test_threshold_applies_once_approved(self):
        self.policy.with_user(self.requester).write(
            {"max_discount": 30.0, "o2c_change_reason": "Season"}
        )
        self.assertEqual(self.policy.max_discount, 15.0)
        exc = self._confirm(self._order([(self.drill, 1, None, 20.0)]))
        self.assertTrue(exc, "the old limit still holds the order")
        self._requests(self.policy).with_user(self.approver).action_approve()
        self.assertEqual(self.policy.max_discount, 30.0)
        self.assertIn((15.0, 30.0), self._tracked(self.policy, "max_discount"))
        # the check reads the limits from its cached policy index: cleared by the change
        exc = self._confirm(self._order([(self.drill, 1, None, 20.0)]))
        self.assertFalse(exc, "the new limit applies at once")

    def test_rejected_keeps_old_values(self):
        request = self._request_tiers()
        request.with_user(self.approver).write({"decision_reason": "Not this quarter"})
        request.with_user(self.approver).action_reject()
        self.assertEqual(request.state, "rejected")
        self.assertEqual(self._tiers()[0][0], 15.0)

    def test_stale_request_refused(self):
        first = self._request_tiers()
        self.policy.with_user(self.approver).write(
            {"tier_ids": [Command.delete(self.policy.tier_ids[-1].id)], "o2c_change_reason": "x"}
        )
        (self._requests(self.policy) - first).with_user(self.requester).action_approve()
        with self.assertRaisesRegex(UserError, "stale"):
            first.with_user(self.approver).action_approve()
        self.assertEqual(self._tiers(), [(15.0, self.group_approver)])

    def test_delete_refused(self):
        with self.assertRaisesRegex(UserError, "Archive them"):
            self.policy.with_user(self.requester).unlink()

    def test_setting_off_changes_apply_and_are_tracked(self):
        self._require_approval("pricing", on=False)
        low = self.policy.tier_ids.sorted("threshold")[0]
        self.policy.with_user(self.requester).with_context(**HOSTILE_CONTEXT).write(
            {"max_discount": 12.0, "tier_ids": [Command.update(low.id, {"threshold": 10.0})]}
        )
        self.assertEqual(self.policy.max_discount, 12.0)
        self.assertEqual(self._tiers()[0][0], 10.0)
        self.assertFalse(self._requests(self.policy))
        self.assertIn((15.0, 12.0), self._tracked(self.policy, "max_discount"))
        note = self.policy.message_ids.filtered(lambda m: "Lines changed" in (m.body or ""))
        self.assertIn("Above 15.0 %", note.body)
        self.assertIn("Above 10.0 %", note.body)

    def test_module_data_loads_without_request(self):
        """Installing or updating the module (its data file) is not a change request."""
        default = self.env.ref("o2c_pricing_approval.o2c_pricing_policy_default")
        self._require_approval("pricing", on=False)
        default.with_context(active_test=False).write({"max_discount": 40.0, "active": True})
        self._require_approval("pricing")
        self.assertTrue(default._o2c_policy_required(), "a shared policy: governed")
        convert_file(
            self.env,
            "o2c_pricing_approval",
            "data/o2c_pricing_policy_data.xml",
            {},
            mode="init",
            noupdate=True,
        )
        self.assertEqual(default.max_discount, 15.0)
        self.assertFalse(self._requests(default))

    def test_module_data_with_tiers_loads_without_request(self):
        """A data file's policy brings its tiers (the demo's do): trusted like the policy."""
        self._require_approval("pricing")
        approvers = self.env.ref("o2c_exception_base.group_o2c_approver")
        policy = self.env["o2c.pricing.policy"]._load_records(
            [
                {
                    "xml_id": "o2c_pricing_approval.test_data_policy_with_tiers",
                    "values": {
                        "name": "Data policy with tiers",
                        "company_id": self.env.company.id,
                        "max_discount": 20.0,
                        "tier_ids": [
                            Command.create({"threshold": t, "approver_group_id": approvers.id})
                            for t in (20.0, 35.0)
                        ],
                    },
                    "noupdate": True,
                }
            ]
        )
        self.assertTrue(policy._o2c_policy_required())
        self.assertEqual(sorted(policy.tier_ids.mapped("threshold")), [20.0, 35.0])
        self.assertTrue(policy.active)
        self.assertFalse(self._requests(policy))

    def test_new_policy_with_tiers_goes_live_on_approval(self):
        policy = (
            self.env["o2c.pricing.policy"]
            .with_user(self.requester)
            .create(
                {
                    "name": "O2C PC new policy",
                    "company_id": self.company.id,
                    "max_discount": 5.0,
                    "tier_ids": [
                        Command.create(
                            {"threshold": 5.0, "approver_group_id": self.group_approver.id}
                        )
                    ],
                    "o2c_change_reason": "Tools campaign",
                }
            )
        )
        self.assertFalse(policy.active)
        self.assertEqual(self._tiers(policy), [(5.0, self.group_approver)])
        request = self._requests(policy)
        self.assertEqual(request.new_values, {"active": True})
        self.assertIn("Max Discount (%)", request.change_html)
        request.with_user(self.approver).action_approve()
        self.assertTrue(policy.active)

    def test_duplicate_is_archived_until_requested(self):
        copy = self.policy.with_user(self.requester).copy()
        self.assertFalse(copy.active)
        self.assertEqual(len(copy.tier_ids), 2)
        self.assertFalse(self._requests(copy))
