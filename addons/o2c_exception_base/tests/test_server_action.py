# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import O2cSaleCommon


@tagged("post_install", "-at_install")
class TestServerAction(O2cSaleCommon):
    def _action(self, state="o2c_raise", **vals):
        return self.env["ir.actions.server"].create(
            {
                "name": "Raise credit review",
                "model_id": self.env["ir.model"]._get_id("sale.order"),
                "state": state,
                "o2c_exception_type_id": self.env.ref(
                    "o2c_exception_base.o2c_exception_type_order_rule"
                ).id,
                "o2c_message": "Review {name} for {partner_id}",
                **vals,
            }
        )

    def test_server_action_raises_and_resolves(self):
        order = self._order()
        self._action().with_context(active_model="sale.order", active_ids=order.ids).run()
        exc = order.o2c_exception_ids
        self.assertEqual(exc.name, f"Review {order.name} for O2C Customer")
        self.assertTrue(order.o2c_blocked)
        self._action(state="o2c_resolve").with_context(
            active_model="sale.order", active_ids=order.ids
        ).run()
        self.assertEqual(exc.state, "resolved")

    def test_server_action_not_blocking_override(self):
        order = self._order()
        self._action(o2c_blocking="no").with_context(
            active_model="sale.order", active_ids=order.ids
        ).run()
        self.assertFalse(order.o2c_exception_ids.blocking)
        self.assertFalse(order.o2c_blocked)

    def test_automation_rule_raises(self):
        action = self._action()
        automation = self.env["base.automation"].create(
            {
                "name": "Big orders need a credit review",
                "model_id": self.env["ir.model"]._get_id("sale.order"),
                "trigger": "on_create_or_write",
                "filter_domain": "[('amount_untaxed', '>', 1000)]",
            }
        )
        action.base_automation_id = automation
        order = self._order(lines=[(self.product_drill, 20, 100)])
        self.assertEqual(order.o2c_exception_ids.code, "order_rule")

    def test_model_without_mixin_refused(self):
        with self.assertRaises(ValidationError):
            self.env["ir.actions.server"].create(
                {
                    "name": "x",
                    "model_id": self.env["ir.model"]._get_id("res.partner"),
                    "state": "o2c_raise",
                    "o2c_exception_type_id": self.env.ref(
                        "o2c_exception_base.o2c_exception_type_order_rule"
                    ).id,
                }
            )
