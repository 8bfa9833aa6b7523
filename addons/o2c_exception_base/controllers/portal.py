# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.sale.controllers.portal import CustomerPortal as SalePortal
from odoo.http import request


class O2cSalePortal(SalePortal):
    """The customer finds an order by its own purchase order number."""

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
