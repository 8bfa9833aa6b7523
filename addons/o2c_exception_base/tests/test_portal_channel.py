# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import O2cSaleCommon

#: a 1x1 PNG: the signature drawn on the portal
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
    "AAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestPortalChannel(HttpCase, O2cSaleCommon):
    """The customer's acceptance on the portal runs the same checks, with the
    channel portal: a held order waits for our team, it does not fail."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = cls.env.ref("o2c_exception_base.o2c_sale_channel_portal")
        cls.customer = cls.env["res.partner"].create(
            {"name": "O2C Portal Customer", "is_company": True}
        )
        cls.buyer = new_test_user(cls.env, "o2c_portal_channel_buyer", "base.group_portal")
        cls.buyer.partner_id.parent_id = cls.customer
        cls.other_buyer = new_test_user(cls.env, "o2c_portal_other_buyer", "base.group_portal")
        cls.cls_portal = cls.env["o2c.order.class"].create(
            {
                "name": "Portal orders",
                "code": "test_portal",
                "sequence": 0,
                "channel_ids": [Command.link(cls.portal.id)],
            }
        )
        # held only when it comes in through the portal: the checks see the channel
        cls.env["o2c.exception.rule"].create(
            {
                "name": "Big portal orders",
                "model": "sale.order",
                "type_id": cls.env.ref("o2c_exception_base.o2c_exception_type_order_rule").id,
                "domain": "[('amount_untaxed', '>', 500)]",
                "order_class_ids": [Command.link(cls.cls_portal.id)],
                "message": "Portal order {name} above 500",
            }
        )

    def _sent_quotation(self, qty):
        order = self._order(lines=[(self.product_drill, qty, 100.0)], partner=self.customer)
        order.require_signature = True
        order.with_user(self.salesman).action_quotation_sent()
        self.assertFalse(order.o2c_order_class_id, "back office: not a portal order yet")
        return order

    def _accept(self, order, user=None):
        user = user or self.buyer
        self.authenticate(user.login, user.login)
        return self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept", {"name": "Jo Buyer", "signature": SIGNATURE}
        )

    def test_held_acceptance_waits_for_our_team(self):
        order = self._sent_quotation(qty=10)
        result = self._accept(order)
        self.assertNotIn("error", result)
        self.assertIn("message=sign_ok", result["redirect_url"])
        self.assertEqual(order.o2c_channel_id, self.portal)
        self.assertEqual(order.o2c_order_class_id, self.cls_portal)
        self.assertEqual(order.state, "sent", "held, still a signed quotation")
        self.assertTrue(order.signed_on)
        exc = self.env["o2c.exception"].search([("sale_order_id", "=", order.id)])
        self.assertEqual(exc.state, "open", "in the queue like any other")
        self.assertEqual(exc.order_class_id, self.cls_portal)
        page = self.url_open(result["redirect_url"]).text
        self.assertIn("Signed – under review", page)
        self.assertIn("Awaiting confirmation from our team", page)
        self.assertNotIn("Your order has been signed.", page)
        exc.with_user(self.approver).action_approve("Known customer")
        self.assertEqual(order.state, "sale", "confirmed once approved")
        self.assertEqual(order.o2c_order_class_locked_id, self.cls_portal)

    def test_clean_acceptance_confirms_with_channel_portal(self):
        order = self._sent_quotation(qty=1)
        result = self._accept(order)
        self.assertNotIn("error", result)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.o2c_channel_id, self.portal)
        tracked = order.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "o2c_channel_id"
        )
        self.assertEqual(tracked.new_value_char, self.portal.name, "the change is tracked")

    def test_customer_by_link_without_login(self):
        order = self._sent_quotation(qty=1)
        token = order.sudo()._portal_ensure_token()
        self.authenticate(None, None)
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"name": "Jo Buyer", "signature": SIGNATURE, "access_token": token},
        )
        self.assertNotIn("error", result)
        self.assertEqual((order.state, order.o2c_channel_id), ("sale", self.portal))

    def test_employee_signing_on_the_portal_is_no_portal_order(self):
        order = self._sent_quotation(qty=10)
        channel = order.o2c_channel_id
        result = self._accept(order, self.salesman)
        self.assertNotIn("error", result)
        self.assertTrue(order.signed_on)
        self.assertEqual(order.o2c_channel_id, channel, "an employee is not the customer")
        self.assertEqual(order.state, "sale", "not a portal order: the portal rule does not apply")

    def test_another_customer_cannot_accept(self):
        order = self._sent_quotation(qty=1)
        result = self._accept(order, self.other_buyer)
        self.assertIn("error", result)
        self.assertEqual(order.state, "sent")
        self.assertNotEqual(order.o2c_channel_id, self.portal)
