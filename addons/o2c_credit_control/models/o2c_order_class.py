# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .credit_rights import changed_fields, check_terms_right, non_default_fields
from .res_company import POLICIES


class O2cOrderClass(models.Model):
    _inherit = "o2c.order.class"

    o2c_credit_policy = fields.Selection(
        POLICIES,
        string="Credit Policy",
        help="What happens when an order of this class is over the customer's credit "
        "terms (e.g. EDI orders of key accounts: warn only). Empty: the customer's policy. "
        "Limits stay per customer. A held order keeps the class it was held with. "
        "Credit Managers only.",
    )

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        check_terms_right(
            self,
            non_default_fields(self, vals_list, ("o2c_credit_policy",)),
            self.env._("the credit policy of an order class"),
        )
        return super().create(vals_list)

    def write(self, vals):
        fnames = changed_fields(self, vals, ("o2c_credit_policy",))
        if not fnames:
            return super().write(vals)
        check_terms_right(self, fnames, self.env._("the credit policy of an order class"))
        Exception_ = self.env["o2c.exception"]
        # held orders keep the class they were held with (``o2c.exception.order_class_id``)
        holds, before = Exception_._o2c_credit_terms_snapshot([("order_class_id", "in", self.ids)])
        res = super().write(vals)
        holds._o2c_credit_register_terms_change(before)._o2c_credit_recheck()
        return res

    def unlink(self):
        with_policy = self.filtered("o2c_credit_policy")
        if not with_policy:
            return super().unlink()
        check_terms_right(
            self, ["o2c_credit_policy"], self.env._("the credit policy of an order class")
        )
        Exception_ = self.env["o2c.exception"]
        holds, before = Exception_._o2c_credit_terms_snapshot(
            [("order_class_id", "in", with_policy.ids)]
        )
        res = super().unlink()
        holds._o2c_credit_register_terms_change(before)._o2c_credit_recheck()
        return res
