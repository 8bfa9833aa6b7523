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
        # a buyer of a customer company: a contact, orders in the company's name
        cls.company_customer = cls.env["res.partner"].create(
            {
                "name": "O2C Buyer Company",
                "is_company": True,
                "o2c_invoice_release_policy": "on_pod",
            }
        )
        cls.buyer = new_test_user(cls.env, "o2c_portal_buyer", "base.group_portal")
        cls.buyer.partner_id.parent_id = cls.company_customer
        cls.other_buyer = new_test_user(cls.env, "o2c_portal_buyer2", "base.group_portal")
        cls.other_buyer.partner_id.parent_id = cls.env["res.partner"].create(
            {"name": "O2C Other Company", "is_company": True}
        )

    def setUp(self):
        super().setUp()
        self.order = self._order(self.portal.partner_id)
        self.picking = self._deliver(self.order)
        self.assertFalse(self.picking.o2c_released, "waits for the proof of delivery")

    def _confirm(self, query="", picking=None, **data):
        return self.url_open(
            f"/my/picking/o2c_confirm/{(picking or self.picking).id}{query}",
            data={"csrf_token": http.Request.csrf_token(self), **data},
        )

    def test_buyer_of_the_customer_company_confirms(self):
        order = self._order(self.company_customer)
        picking = self._deliver(order)
        self.authenticate("o2c_portal_other", "o2c_portal_other")
        self.assertEqual(self._confirm(picking=picking).status_code, 404)
        self.authenticate("o2c_portal_buyer2", "o2c_portal_buyer2")
        self.assertEqual(self._confirm(picking=picking).status_code, 404, "another company's")
        self.assertEqual(self.url_open(f"/my/picking/pdf/{picking.id}").status_code, 404)
        self.assertFalse(picking.o2c_proof_ids)
        self.authenticate("o2c_portal_buyer", "o2c_portal_buyer")
        slip = self.url_open(f"/my/picking/pdf/{picking.id}")
        self.assertEqual(slip.status_code, 200, "the delivery slip of the company's delivery")
        res = self._confirm(picking=picking, received_by="Dock 3, Jo")
        self.assertEqual(res.status_code, 200)
        proof = picking.o2c_proof_ids
        self.assertEqual((proof.state, proof.received_by), ("validated", "Dock 3, Jo"))
        self.assertEqual(proof.confirmed_by_partner_id, self.buyer.partner_id, "the person")
        self.assertTrue(picking.o2c_released)

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
        proof = self.picking.o2c_proof_ids
        self.assertEqual(proof.received_by, self.portal.partner_id.name)
        self.assertEqual(proof.confirmed_by_partner_id, self.order.partner_id, "the link's contact")
        self.assertTrue(self.picking.o2c_released)

    def test_wrong_token_gets_not_found(self):
        self.authenticate(None, None)
        res = self._confirm("?access_token=not-the-token")
        self.assertEqual(res.status_code, 404)
        self.assertFalse(self.picking.o2c_proof_ids)
