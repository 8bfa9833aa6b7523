# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def signup_prepare(self, signup_type="signup"):
        """Write the sign-up type only where it changes.

        With b2c sign-up, Odoo calls this for every mail about a document that
        links to the customer's portal (e.g. "invoice assigned to you"), and its
        write of an unchanged value still updates the customer's row (write
        date): concurrent invoicing or confirmations of one customer then wait
        for each other, or fail with a serialization error. The token does not
        depend on the write date, so nothing else changes.
        """
        changing = self.filtered(lambda partner: partner.sudo().signup_type != signup_type)
        return super(ResPartner, changing).signup_prepare(signup_type)
