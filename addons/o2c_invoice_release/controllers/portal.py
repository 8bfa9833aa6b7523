# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo import exceptions
from odoo.addons.sale_stock.controllers.portal import SaleStockPortal
from odoo.http import request, route


class O2cInvoiceReleasePortal(SaleStockPortal):
    @route(
        ["/my/picking/o2c_confirm/<int:picking_id>"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_o2c_confirm_receipt(self, picking_id, access_token=None, **kw):
        """The customer confirms the receipt of a delivery (a validated portal POD)."""
        order = request.env["stock.picking"].sudo().browse(picking_id).exists().sale_id
        if access_token and not order.access_token:
            # an order without a token: Odoo's check would compare a token with False
            return NotFound()
        try:
            picking_sudo = self._stock_picking_check_access(picking_id, access_token=access_token)
        except (exceptions.AccessError, exceptions.MissingError):
            return NotFound()
        if picking_sudo.state != "done" or not picking_sudo._o2c_is_customer_delivery():
            return NotFound()
        user = request.env.user
        received_by = picking_sudo.partner_id.name if user._is_public() else user.partner_id.name
        try:
            picking_sudo._o2c_portal_confirm_receipt(received_by)
        except exceptions.UserError:
            return NotFound()
        order = picking_sudo.sale_id
        url = order.get_portal_url() if order else "/my"
        return request.redirect(url)
