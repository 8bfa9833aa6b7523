# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AttackCommon
from .test_attack_pricing import HOSTILE_CONTEXTS

#: what the policy-gap advisor reads on an exception and why it happened: written
#: out here, not read from the model, so the attack checks what must not change
EVIDENCE_FIELDS = [
    "root_cause_id",
    "o2c_measure",
    "o2c_threshold",
    "o2c_policy_ref",
    "o2c_policy_label",
    "product_id",
]


@tagged("post_install", "-at_install")
class TestAttackAdvisorFields(AttackCommon):
    """The advisor's evidence on an exception changes only with its raising or
    decision: a manager cannot make a control look approved-always or rarely."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._only_pricing_policy("Attack advisor policy")

    def test_manager_cannot_rewrite_the_advisors_evidence(self):
        order = self.quotation(discount=40.0)
        self.rpc(self.salesman, "sale.order", "action_confirm", [order.id])
        exc = order.o2c_exception_ids.filtered(lambda e: e.code == "discount_approval")
        self.assertEqual(exc.state, "open")
        self.assertTrue(exc.o2c_policy_ref, "the pricing check recorded its limit")
        before = self.snapshot(exc, EVIDENCE_FIELDS)
        cause = self.env.ref("o2c_exception_base.o2c_root_cause_policy_design")
        attempts = {
            "root_cause_id": cause.id,
            "o2c_measure": 0.0,
            "o2c_threshold": 99.0,
            "o2c_policy_ref": "o2c.pricing.policy,1,max_discount",
            "o2c_policy_label": "forged",
            "product_id": False,
        }
        for context in HOSTILE_CONTEXTS:
            for fname, value in attempts.items():
                with self.subTest(field=fname, context=context), self.assertRaises(UserError):
                    self.rpc(
                        self.manager,
                        "o2c.exception",
                        "write",
                        [exc.id],
                        {fname: value},
                        context=context,
                    )
        result = self.rpc(
            self.manager,
            "o2c.exception",
            "load",
            [".id", "o2c_measure", "o2c_threshold"],
            [[str(exc.id), "0", "99"]],
        )
        self.assertFalse(result["ids"])
        self.assertUnchanged(exc, EVIDENCE_FIELDS, before)
