# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user, tagged

from .common import O2cPricingCommon


@tagged("post_install", "-at_install")
class TestPolicyChannel(O2cPricingCommon):
    """A policy limited to channels governs the orders that came in that way,
    recorded by the server (no tagging by the salesperson)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.sequence = 100
        cls.strict = cls._policy(
            name="Strict EDI", sequence=1, max_discount=5.0, max_price_override=5.0
        )
        cls.edi = cls.env.ref("o2c_exception_base.o2c_sale_channel_edi")
        cls.strict.channel_ids = cls.edi
        cls.integration = new_test_user(
            cls.env,
            "o2c_pr_integration",
            "o2c_exception_base.group_o2c_integration",
            company_ids=[cls.company.id, cls.company_b.id],
        )

    def _held(self, user):
        order = self._order([(self.drill, 1, None, 10.0)], user=user)
        return order, bool(self._confirm(order, user=user))

    def test_back_office_order_under_the_default_policy(self):
        order, held = self._held(self.salesman)
        self.assertEqual(order.o2c_channel_id.code, "back_office")
        self.assertFalse(held, "10 % is within the default policy")

    def test_integration_order_under_the_edi_policy(self):
        order, held = self._held(self.integration)
        self.assertEqual(order.o2c_channel_id, self.edi)
        self.assertTrue(held, "10 % is above the EDI policy's 5 %")

    def test_channel_scope_follows_the_policy_change(self):
        self.strict.channel_ids = self.env.ref("o2c_exception_base.o2c_sale_channel_back_office")
        self.assertTrue(self._held(self.salesman)[1], "the cached index follows the change")
