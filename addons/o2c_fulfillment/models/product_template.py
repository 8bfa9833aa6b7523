# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    o2c_substitute_product_ids = fields.Many2many(
        "product.product",
        "o2c_product_substitute_rel",
        "product_tmpl_id",
        "substitute_id",
        string="Approved Substitutes",
        help="Products the warehouse may deliver instead of this one (each delivery "
        "still needs an approval of the substitution).",
    )
    o2c_substitution_sensitive = fields.Boolean(
        string="Substitution-Sensitive Lots",
        help="Delivering another lot than the one reserved for the order needs an "
        "approval (lot-tracked products).",
    )

    @api.constrains("o2c_substitute_product_ids")
    def _check_o2c_substitutes(self):
        for rec in self:
            if rec.product_variant_ids & rec.o2c_substitute_product_ids:
                raise ValidationError(
                    self.env._(
                        "Product %s cannot be its own substitute (field Approved Substitutes).",
                        rec.display_name,
                    )
                )
            wrong = rec.o2c_substitute_product_ids.filtered(
                lambda p, rec=rec: p.uom_id.category_id != rec.uom_id.category_id
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "Substitute %(sub)s of %(product)s must be counted in the same kind "
                        "of unit (field Approved Substitutes).",
                        sub=wrong[0].display_name,
                        product=rec.display_name,
                    )
                )
