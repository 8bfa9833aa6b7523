# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo import exceptions
from odoo.addons.sale_stock.controllers.portal import SaleStockPortal
from odoo.http import request, route


class O2cFulfillmentPortal(SaleStockPortal):
    @route(
        ["/my/picking/o2c_consent/<int:picking_id>"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_o2c_consent(self, picking_id, access_token=None, decision=None, **kw):
        """The customer accepts or declines the substitution proposed on a delivery."""
        order = request.env["stock.picking"].sudo().browse(picking_id).exists().sale_id
        if decision not in ("accept", "decline") or (access_token and not order.access_token):
            return NotFound()
        try:
            picking_sudo = self._stock_picking_check_access(picking_id, access_token=access_token)
        except (exceptions.AccessError, exceptions.MissingError):
            return NotFound()
        user = request.env.user
        contact = picking_sudo.sale_id.partner_id if user._is_public() else user.partner_id
        try:
            picking_sudo._o2c_portal_consent(contact, decision == "accept")
        except exceptions.UserError:
            return NotFound()
        return request.redirect(picking_sudo.sale_id.get_portal_url())
