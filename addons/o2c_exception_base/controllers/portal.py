# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import exceptions, http
from odoo.addons.sale.controllers.portal import CustomerPortal as SalePortal
from odoo.addons.sale_stock.controllers.portal import SaleStockPortal
from odoo.http import request

from ..models.o2c_sale_channel import PORTAL, intake_channel


class O2cSalePortal(SalePortal):
    """The customer finds an order by its own purchase order number; an order the
    customer accepts online came in through the portal."""

    @http.route()
    def portal_quote_accept(self, order_id, access_token=None, name=None, signature=None):
        # Odoo's route checks the access and the signature, writes it, then
        # confirms through the enforcement point (a held order stays a signed
        # quotation, the customer sees why it waits): the signature's write
        # records the channel portal first, so the checks see it. Only a
        # customer (portal or public user, by link): an employee signing there
        # stays the back office.
        if not request.env.user.share:
            return super().portal_quote_accept(
                order_id, access_token=access_token, name=name, signature=signature
            )
        with intake_channel(PORTAL):
            return super().portal_quote_accept(
                order_id, access_token=access_token, name=name, signature=signature
            )

    def _o2c_search_terms(self):
        search = (request.params.get("search") or "").strip()
        if not search:
            return []
        return ["|", ("client_order_ref", "ilike", search), ("name", "ilike", search)]

    def _prepare_quotations_domain(self, partner):
        return super()._prepare_quotations_domain(partner) + self._o2c_search_terms()

    def _prepare_orders_domain(self, partner):
        return super()._prepare_orders_domain(partner) + self._o2c_search_terms()

    def _prepare_sale_portal_rendering_values(self, *args, **kwargs):
        kwargs.pop("search", None)
        kwargs.pop("search_in", None)
        values = super()._prepare_sale_portal_rendering_values(*args, **kwargs)
        values.update(
            searchbar_inputs={
                "ref": {"input": "ref", "label": request.env._("Search your reference or ours")}
            },
            search_in="ref",
            search=request.params.get("search", ""),
        )
        return values


class O2cSaleStockPortal(SaleStockPortal):
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

    def _o2c_customer_picking(self, picking_id, access_token=None):
        """The delivery (sudo) the customer may act on from the portal, or ``None``:
        by login (the customer company's buyers) or by the order's link."""
        order = request.env["stock.picking"].sudo().browse(picking_id).exists().sale_id
        if access_token and not order.access_token:
            # an order without a token: Odoo's check would compare a token with False
            return None
        try:
            return self._stock_picking_check_access(picking_id, access_token=access_token)
        except (exceptions.AccessError, exceptions.MissingError):
            return None

    def _o2c_portal_contact(self, picking_sudo):
        """Who acts: the logged-in buyer, or the contact the order's link was sent to."""
        user = request.env.user
        return picking_sudo.sale_id.partner_id if user._is_public() else user.partner_id
