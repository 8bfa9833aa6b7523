# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The example control of ``o2c_exception_base/readme/USAGE.md``: expedited freight.

An order asking for expedited freight below the order value that pays for it waits
for a logistics approval. Everything else (the queue, who may approve, holding the
confirmation on every path, reopening after a change, going on after the decision,
the dashboard) is the core's.
"""

from odoo import fields, models

EXPEDITED_FREIGHT = "expedited_freight"
#: the order value (untaxed) from which expedited freight pays for itself
FREE_EXPEDITE_FROM = 1000.0


class SaleOrder(models.Model):
    _inherit = "sale.order"

    o2c_expedited = fields.Boolean(string="Expedited Freight", tracking=True, copy=False)

    def _o2c_key_fields_by_code(self):
        # an approval holds for this order value; a bigger or smaller order asks again
        return {**super()._o2c_key_fields_by_code(), EXPEDITED_FREIGHT: ("amount_untaxed",)}

    def _o2c_run_checks(self, action):
        res = super()._o2c_run_checks(action)
        if action != "confirm":
            return res
        costly = self.filtered(lambda o: o.o2c_expedited and o.amount_untaxed < FREE_EXPEDITE_FROM)
        costly._o2c_raise_exceptions(
            EXPEDITED_FREIGHT,
            {o.id: {"name": self.env._("Expedited freight on %s", o.name)} for o in costly},
        )
        (self - costly)._o2c_resolve_exceptions(
            [EXPEDITED_FREIGHT], self.env._("No expedited freight to approve.")
        )
        return res
