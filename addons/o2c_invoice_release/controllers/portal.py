# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo import exceptions
from odoo.addons.sale_stock.controllers.portal import SaleStockPortal
from odoo.http import request, route

#: longest "received by" name kept from the portal form
RECEIVED_BY_SIZE = 100


class O2cInvoiceReleasePortal(SaleStockPortal):
    def _stock_picking_check_access(self, picking_id, access_token=None):
        """Odoo's check, and the buyers of the customer company: the portal rule on
        deliveries knows only the user's own contact (also for the delivery slip)."""
        try:
            return super()._stock_picking_check_access(picking_id, access_token=access_token)
        except exceptions.AccessError:
            picking_sudo = request.env["stock.picking"].sudo().browse(picking_id)
            if not picking_sudo._o2c_is_buyer_of(request.env.user):
                raise
            return picking_sudo

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
        # who confirmed: the logged-in buyer, or the contact the order's link was sent to
        contact = picking_sudo.sale_id.partner_id if user._is_public() else user.partner_id
        received_by = (kw.get("received_by") or "").strip()[:RECEIVED_BY_SIZE] or contact.name
        try:
            picking_sudo._o2c_portal_confirm_receipt(received_by, contact)
        except exceptions.UserError:
            return NotFound()
        order = picking_sudo.sale_id
        url = order.get_portal_url() if order else "/my"
        return request.redirect(url)
