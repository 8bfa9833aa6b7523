# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The example control of ``o2c_exception_base/readme/USAGE.md``: rush handling.

An order asking for rush handling below the order value that pays for it waits
for a logistics approval. Everything else (the queue, who may approve, holding the
confirmation on every path, reopening after a change, going on after the decision,
the dashboard) is the core's.
"""

from odoo import fields, models

RUSH_HANDLING = "rush_handling"
#: the order value (untaxed) from which rush handling pays for itself
FREE_RUSH_FROM = 1000.0


class SaleOrder(models.Model):
    _inherit = "sale.order"

    o2c_rush = fields.Boolean(string="Rush Handling", tracking=True, copy=False)

    def _o2c_key_fields_by_code(self):
        # an approval holds for this order value; a bigger or smaller order asks again
        return {**super()._o2c_key_fields_by_code(), RUSH_HANDLING: ("amount_untaxed",)}

    def _o2c_run_checks(self, action):
        res = super()._o2c_run_checks(action)
        if action != "confirm":
            return res
        costly = self.filtered(lambda o: o.o2c_rush and o.amount_untaxed < FREE_RUSH_FROM)
        costly._o2c_raise_exceptions(
            RUSH_HANDLING,
            {o.id: {"name": self.env._("Rush handling on %s", o.name)} for o in costly},
        )
        (self - costly)._o2c_resolve_exceptions(
            [RUSH_HANDLING], self.env._("No rush handling to approve.")
        )
        return res
