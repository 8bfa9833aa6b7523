# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class O2cTestDocument(models.Model):
    """Test-only document using the mixin (loaded with FakeModelLoader)."""

    _name = "o2c.test.document"
    _description = "O2C test document"
    _inherit = ["mail.thread", "o2c.exception.mixin"]

    _o2c_guarded_action = "confirm"
    _o2c_guarded_states = ("done",)
    _o2c_key_fields = ("amount", "line_ids.qty")

    name = fields.Char()
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    partner_id = fields.Many2one("res.partner")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary()
    user_id = fields.Many2one("res.users")
    line_ids = fields.One2many("o2c.test.document.line", "document_id")

    def action_confirm(self):
        return self._o2c_hold_or_proceed(lambda docs: docs.write({"state": "done"}))

    def _o2c_run_checks(self, action):
        res = super()._o2c_run_checks(action)
        over = self.filtered(lambda d: d.amount > 1000)
        over._o2c_raise_exceptions(
            "o2c_test_big",
            {
                d.id: {"name": f"Amount {d.amount} over 1000", "amount": d.amount - 1000}
                for d in over
            },
        )
        (self - over)._o2c_resolve_exceptions(["o2c_test_big"], "Amount back under 1000")
        return res


class O2cTestDocumentLine(models.Model):
    _name = "o2c.test.document.line"
    _description = "O2C test document line"

    document_id = fields.Many2one("o2c.test.document")
    qty = fields.Float()
