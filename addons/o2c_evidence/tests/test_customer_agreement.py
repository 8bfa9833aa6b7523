# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.addons.o2c_exception_base.tests.common import o2c_test_env
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

O2C = "o2c_exception_base.group_o2c_"


@tagged("post_install", "-at_install")
class TestCustomerAgreement(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = o2c_test_env(cls.env)
        cls.today = fields.Date.context_today(cls.env.user)
        cls.user = new_test_user(cls.env, "ag_user", f"sales_team.group_sale_salesman,{O2C}user")
        cls.manager = new_test_user(cls.env, "ag_manager", f"{O2C}manager")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Agreement Customer", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Agreement Contact", "parent_id": cls.customer.id}
        )
        cls.Agreement = cls.env["o2c.customer.agreement"].with_user(cls.manager)
        cls.agreement = cls.Agreement.create(
            {"name": "Signed terms", "partner_id": cls.customer.id, "kind": "signed_terms"}
        )

    def test_valid_to_before_valid_from_refused(self):
        with self.assertRaisesRegex(ValidationError, "Valid To .* cannot be before its Valid From"):
            self.agreement.write({"date_to": self.today - timedelta(days=1)})

    def test_contact_refused_as_customer(self):
        with self.assertRaisesRegex(ValidationError, "Customer of agreement Terms must be"):
            self.Agreement.create({"name": "Terms", "partner_id": self.contact.id})

    def test_never_deleted_archived(self):
        with self.assertRaises(AccessError):
            self.agreement.unlink()  # managers included
        with self.assertRaisesRegex(UserError, "archive them"):
            self.agreement.sudo().unlink()
        self.agreement.action_archive()
        self.assertFalse(self.agreement.active)

    def test_o2c_user_reads_only(self):
        agreement = self.agreement.with_user(self.user)
        self.assertEqual(agreement.name, "Signed terms")
        with self.assertRaises(AccessError):
            agreement.write({"name": "Changed"})
        with self.assertRaises(AccessError):
            self.env["o2c.customer.agreement"].with_user(self.user).create(
                {"name": "Mine", "partner_id": self.customer.id}
            )
        self.assertEqual(self.agreement.name, "Signed terms")

    def test_other_company_hidden(self):
        company_b = self.env["res.company"].create({"name": "Agreement Company B"})
        other = self.env["o2c.customer.agreement"].create(
            {"name": "B terms", "partner_id": self.customer.id, "company_id": company_b.id}
        )
        found = self.env["o2c.customer.agreement"].with_user(self.user).search([])
        self.assertIn(self.agreement, found)
        self.assertNotIn(other, found)

    def test_files_bound_to_the_agreement(self):
        own = (
            self.env["ir.attachment"]
            .with_user(self.manager)
            .create({"name": "own.pdf", "raw": b"x"})
        )
        foreign = (
            self.env["ir.attachment"].with_user(self.user).create({"name": "x.pdf", "raw": b"y"})
        )
        self.agreement.write({"attachment_ids": [Command.set((own | foreign).ids)]})
        self.assertEqual((own.res_model, own.res_id), (self.agreement._name, self.agreement.id))
        self.assertFalse(foreign.res_id, "someone else's loose file is not made readable")

    def test_valid_today(self):
        expired = self.Agreement.create(
            {
                "name": "Old terms",
                "partner_id": self.customer.id,
                "date_from": self.today - timedelta(days=90),
                "date_to": self.today - timedelta(days=1),
            }
        )
        self.assertEqual((self.agreement.is_current, expired.is_current), (True, False))
        current = self.env["o2c.customer.agreement"].search(
            [("partner_id", "=", self.customer.id), ("is_current", "=", True)]
        )
        self.assertEqual(current, self.agreement)

    def test_customer_form_counts_and_opens(self):
        for partner in (self.customer, self.contact):
            with self.subTest(partner=partner.name):
                partner = partner.with_user(self.user)
                self.assertEqual(partner.o2c_agreement_count, 1)
                action = partner.action_o2c_view_agreements()
                self.assertEqual(action["domain"], [("partner_id", "=", self.customer.id)])
