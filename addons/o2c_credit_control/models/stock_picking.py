# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from .credit_status import CreditRequest


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _o2c_run_checks(self, action):
        res = super()._o2c_run_checks(action)
        if action == "validate":
            self._o2c_credit_pending()._o2c_credit_check()
        return res

    def _o2c_credit_pending(self):
        return self.filtered(lambda p: p.state not in ("done", "cancel"))

    def _o2c_credit_label(self):
        return self.env._("Delivery on credit hold")

    def _o2c_credit_requests(self):
        """Pending customer deliveries of sales orders, when the company blocks them.

        The order is already in the exposure: a delivery adds nothing.
        """
        requests = []
        for picking in self.sorted("id"):
            company = picking.company_id
            if (
                picking.state in ("done", "cancel")
                or picking.picking_type_code != "outgoing"
                or not picking.sale_id
                or not (company.o2c_credit_check and company.o2c_credit_block_delivery)
            ):
                continue
            partner = picking.sale_id.partner_id or picking.partner_id
            requests.append(CreditRequest(picking.id, partner.commercial_partner_id, company))
        return requests
