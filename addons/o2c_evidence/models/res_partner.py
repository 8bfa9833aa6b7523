# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

O2C_USER = "o2c_exception_base.group_o2c_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    o2c_agreement_ids = fields.One2many(
        "o2c.customer.agreement",
        "partner_id",
        string="Customer Agreements",
        groups=O2C_USER,
    )
    o2c_agreement_count = fields.Integer(
        string="Agreements", compute="_compute_o2c_agreement_count", groups=O2C_USER
    )

    def _compute_o2c_agreement_count(self):
        # a contact shows its company's agreements (they cover its orders)
        commercial = self.commercial_partner_id
        counts = dict(
            self.env["o2c.customer.agreement"]._read_group(
                [("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.o2c_agreement_count = counts.get(partner.commercial_partner_id, 0)

    def action_o2c_view_agreements(self):
        self.ensure_one()
        commercial = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "o2c_evidence.o2c_customer_agreement_action"
        )
        action["domain"] = [("partner_id", "=", commercial.id)]
        action["context"] = {"default_partner_id": commercial.id}
        return action
