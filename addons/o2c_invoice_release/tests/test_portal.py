# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from .common import O2cReleaseCommon


@tagged("post_install", "-at_install")
class TestPortalReceipt(O2cReleaseCommon, HttpCase):
    """The customer confirms a delivery's receipt on the portal: a validated proof."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(cls.env, "o2c_portal_cust", "base.group_portal")
        cls.portal.partner_id.o2c_invoice_release_policy = "on_pod"
        cls.stranger = new_test_user(cls.env, "o2c_portal_other", "base.group_portal")

    def setUp(self):
        super().setUp()
        self.order = self._order(self.portal.partner_id)
        self.picking = self._deliver(self.order)
        self.assertFalse(self.picking.o2c_released, "waits for the proof of delivery")

    def _confirm(self, query=""):
        return self.url_open(
            f"/my/picking/o2c_confirm/{self.picking.id}{query}",
            data={"csrf_token": http.Request.csrf_token(self)},
        )

    def test_customer_sees_the_button_and_confirms(self):
        self.authenticate("o2c_portal_cust", "o2c_portal_cust")
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/my/picking/o2c_confirm/{self.picking.id}", page.text)
        res = self._confirm()
        self.assertEqual(res.status_code, 200)
        self.assertIn(f"/my/orders/{self.order.id}", res.url, "back to the order")
        proof = self.picking.o2c_proof_ids
        self.assertEqual(proof.kind, "portal")
        self.assertEqual(proof.state, "validated")
        self.assertEqual(proof.received_by, self.portal.partner_id.name)
        self.assertTrue(self.picking.o2c_released)
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertIn("Receipt confirmed", page.text)

    def test_other_customer_gets_not_found(self):
        self.authenticate("o2c_portal_other", "o2c_portal_other")
        res = self._confirm()
        self.assertEqual(res.status_code, 404)
        self.assertFalse(self.picking.o2c_proof_ids)
        self.assertFalse(self.picking.o2c_released)

    def test_link_with_the_order_token_works_without_login(self):
        self.authenticate(None, None)
        res = self._confirm(f"?access_token={self.order._portal_ensure_token()}")
        self.assertEqual(res.status_code, 200)
        self.assertEqual(self.picking.o2c_proof_ids.received_by, self.portal.partner_id.name)
        self.assertTrue(self.picking.o2c_released)

    def test_wrong_token_gets_not_found(self):
        self.authenticate(None, None)
        res = self._confirm("?access_token=not-the-token")
        self.assertEqual(res.status_code, 404)
        self.assertFalse(self.picking.o2c_proof_ids)
