# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import AttackCommon


@tagged("post_install", "-at_install")
class TestRoleScreens(AttackCommon):
    """Each role opens the screens of its day without an access error, every o2c
    addon installed: the form loads as the web client loads it (``Form`` reads
    every field of the user's view, names of linked records included)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        o2c_user = "o2c_exception_base.group_o2c_user"
        cls.stock_clerk = new_test_user(
            cls.env, "role_stock_clerk", f"stock.group_stock_user,{o2c_user}"
        )
        cls.accountant = new_test_user(
            cls.env, "role_accountant", f"account.group_account_invoice,{o2c_user}"
        )
        cls.customer.o2c_invoice_release_policy = "on_delivery"
        cls.company.o2c_auto_invoice = False

    def _invoiced_delivery(self):
        order = self.quotation()
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 1.0, "picked": True})
        picking.button_validate()
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(picking.o2c_invoice_ids, invoice)
        return picking

    def test_accountant_opens_the_proof_uploaded_by_the_warehouse(self):
        picking = self._invoiced_delivery()
        # the web client uploads the file first, without the record it is for
        photo = (
            self.env["ir.attachment"]
            .with_user(self.stock_clerk)
            .create({"name": "pod.txt", "raw": b"Received in good order"})
        )
        proof = (
            self.env["o2c.delivery.proof"]
            .with_user(self.stock_clerk)
            .create({"picking_id": picking.id, "attachment_ids": [Command.link(photo.id)]})
        )
        self.assertEqual((photo.res_model, photo.res_id), ("o2c.delivery.proof", proof.id))
        seen = proof.with_user(self.accountant).attachment_ids
        self.assertEqual(base64.b64decode(seen.datas), b"Received in good order")
        Form(proof.with_user(self.accountant))

    def test_one_settings_app_holds_every_o2c_setting(self):
        Settings = self.env["res.config.settings"]
        arch = etree.fromstring(Settings.get_views([(False, "form")])["views"]["form"]["arch"])
        [app] = arch.xpath("//app[@name='o2c_exception_base']")
        self.assertEqual(app.get("string"), "Order to Cash")
        blocks = set(app.xpath(".//block/@name"))
        self.assertLessEqual(
            {
                "o2c_queue_setting_container",
                "o2c_credit_setting_container",
                "o2c_dispute_settings",
                "o2c_invoice_release_setting_container",
            },
            blocks,
        )
        outside = arch.xpath("//app[@name!='o2c_exception_base']//block[starts-with(@name, 'o2c')]")
        self.assertFalse(outside, "no o2c setting left in another app")
        self.company.o2c_credit_check = False
        form = Form(Settings)
        form.o2c_credit_check = True
        form.save().execute()
        self.assertTrue(self.company.o2c_credit_check)

    def test_queue_shows_the_posted_invoice_name(self):
        order = self.quotation()
        order.action_confirm()
        order.picking_ids.move_ids.write({"quantity": 1.0, "picked": True})
        order.picking_ids.button_validate()
        invoice = order._create_invoices()
        self.env["o2c.exception.type"].create(
            {"name": "Role note", "code": "o2c_role_note", "blocking": False}
        )
        exc = invoice._o2c_raise_exceptions("o2c_role_note", {"name": "Check the terms"})
        self.assertEqual(exc.res_name, invoice.display_name)
        draft_name = exc.res_name
        invoice.action_post()
        self.assertNotEqual(exc.res_name, draft_name)
        self.assertEqual(exc.res_name, invoice.display_name)
        self.assertIn(invoice.name, exc.res_name)

    def test_a_file_of_someone_else_is_not_attached_to_a_proof(self):
        """Linking another user's unattached file to one's proof does not make it
        readable through the proof."""
        picking = self._invoiced_delivery()
        private = (
            self.env["ir.attachment"]
            .with_user(self.accountant)
            .create({"name": "salary.txt", "raw": b"private"})
        )
        proof = (
            self.env["o2c.delivery.proof"]
            .with_user(self.stock_clerk)
            .create({"picking_id": picking.id, "attachment_ids": [Command.link(private.id)]})
        )
        self.assertEqual((private.res_model, private.res_id), (False, 0))
        with self.assertRaises(AccessError):
            private.with_user(self.stock_clerk).read(["datas"])
        self.assertTrue(proof.exists())
