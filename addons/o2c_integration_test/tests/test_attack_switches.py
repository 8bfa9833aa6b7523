# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import AttackCommon

SWITCHES = ["short_pick_reason", "substitution_control", "recompute_promised_date", "active"]


@tagged("post_install", "-at_install")
class TestAttackControlSwitches(AttackCommon):
    """The fulfillment switches and the history date are O2C managers' / admins' data.

    A warehouse user, a salesperson or an approver who could switch the short pick
    reason or the substitution approval off (or move the date before which orders
    are history) would walk around the control they are subject to.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env.ref("o2c_fulfillment.o2c_fulfillment_policy_default")

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_policy_switches_refused_to_non_managers(self):
        before = self.snapshot(self.policy, SWITCHES)
        for user in (self.warehouse, self.salesman, self.approver):
            for method, args in (
                ("write", ([self.policy.id], dict.fromkeys(SWITCHES, False))),
                (
                    "create",
                    ([{"name": "Off", "sequence": 1, **dict.fromkeys(SWITCHES[:3], False)}],),
                ),
                (
                    "load",
                    (
                        ["id", "short_pick_reason"],
                        [["o2c_fulfillment.o2c_fulfillment_policy_default", "0"]],
                    ),
                ),
            ):
                with self.subTest(user=user.login, method=method):
                    if method == "load":
                        result = self.rpc(user, "o2c.fulfillment.policy", method, *args)
                        self.assertFalse(result["ids"], "the import is refused")
                    else:
                        with self.assertRaises(AccessError):
                            self.rpc(
                                user,
                                "o2c.fulfillment.policy",
                                method,
                                *args,
                                context={"active_test": False, "tracking_disable": True},
                            )
        self.assertUnchanged(self.policy, SWITCHES, before)
        self.assertEqual(self.env["o2c.fulfillment.policy"].search_count([("name", "=", "Off")]), 0)

    def test_manager_switch_off_is_honoured_with_every_addon(self):
        """An O2C manager's switch works with every o2c addon installed together."""
        order = self.quotation(qty=3.0)
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.write({"quantity": 1.0, "picked": True})
        close_short = {"skip_backorder": True, "picking_ids_not_to_backorder": picking.ids}
        with self.assertRaisesRegex(UserError, "Short Pick Reason"):
            self.rpc(
                self.warehouse, "stock.picking", "button_validate", picking.ids, context=close_short
            )
        self.assertNotEqual(picking.state, "done")
        self.rpc(
            self.manager,
            "o2c.fulfillment.policy",
            "write",
            [self.policy.id],
            {"short_pick_reason": False},
        )
        self.rpc(
            self.warehouse, "stock.picking", "button_validate", picking.ids, context=close_short
        )
        self.assertEqual(picking.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 1.0)
        self.assertFalse(picking.o2c_exception_ids.filtered(lambda e: e.code == "short_pick"))

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_history_date_refused_to_non_admins(self):
        key = "o2c_fulfillment.commitment_watch_since"
        before = self.env["ir.config_parameter"].sudo().get_param(key)
        for user in (self.warehouse, self.salesman, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.rpc(user, "ir.config_parameter", "set_param", key, "2999-01-01 00:00:00")
        self.assertEqual(self.env["ir.config_parameter"].sudo().get_param(key), before)
