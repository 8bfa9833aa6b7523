# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo import exceptions
from odoo.addons.o2c_exception_base.controllers.portal import O2cSaleStockPortal
from odoo.http import request, route


class O2cFulfillmentPortal(O2cSaleStockPortal):
    @route(
        ["/my/picking/o2c_consent/<int:picking_id>"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_o2c_consent(self, picking_id, access_token=None, decision=None, **kw):
        """The customer accepts or declines the substitution proposed on a delivery."""
        picking_sudo = self._o2c_customer_picking(picking_id, access_token)
        if decision not in ("accept", "decline") or not picking_sudo:
            return NotFound()
        try:
            picking_sudo._o2c_portal_consent(
                self._o2c_portal_contact(picking_sudo),
                decision == "accept",
                origin=request.httprequest.remote_addr,
            )
        except exceptions.UserError:
            return NotFound()
        return request.redirect(picking_sudo.sale_id.get_portal_url())
