# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo import exceptions
from odoo.addons.o2c_exception_base.controllers.portal import O2cSaleStockPortal
from odoo.http import request, route

#: longest "received by" name kept from the portal form
RECEIVED_BY_SIZE = 100
#: photos a customer may send with a receipt, and their size
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024


class O2cInvoiceReleasePortal(O2cSaleStockPortal):
    @route(
        ["/my/picking/o2c_confirm/<int:picking_id>"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_o2c_confirm_receipt(self, picking_id, access_token=None, **kw):
        """The customer confirms the receipt of a delivery (a validated portal POD)."""
        picking_sudo = self._o2c_receipt_picking(picking_id, access_token)
        if not picking_sudo:
            return NotFound()
        contact = self._o2c_portal_contact(picking_sudo)
        received_by = (kw.get("received_by") or "").strip()[:RECEIVED_BY_SIZE] or contact.name
        try:
            picking_sudo._o2c_portal_confirm_receipt(received_by, contact)
        except exceptions.UserError:
            return NotFound()
        order = picking_sudo.sale_id
        url = order.get_portal_url() if order else "/my"
        return request.redirect(url)

    @route(
        ["/my/picking/o2c_receipt/<int:picking_id>"],
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_o2c_receipt(self, picking_id, access_token=None, **post):
        """Confirm the receipt line by line: received and damaged quantities, photos.
        A shortage or damage is reported to the distributor; the rest is the POD."""
        picking_sudo = self._o2c_receipt_picking(picking_id, access_token)
        if (
            not picking_sudo
            or picking_sudo.o2c_pod_state == "validated"
            or not picking_sudo.company_id.o2c_portal_pod
        ):
            return NotFound()
        user = request.env.user
        contact = self._o2c_portal_contact(picking_sudo)
        moves = picking_sudo._o2c_portal_receipt_lines()
        values = {
            "picking": picking_sudo,
            "moves": moves,
            "access_token": access_token,
            "received_by": post.get("received_by") or ("" if user._is_public() else contact.name),
            "post": post,
            "error": False,
            "page_name": "o2c_receipt",
        }
        if request.httprequest.method == "POST":
            try:
                reported = {
                    move: (
                        float(post.get(f"received_{move.id}", move.quantity)),
                        float(post.get(f"damaged_{move.id}") or 0.0),
                    )
                    for move in moves
                }
            except ValueError:
                values["error"] = request.env._("The quantities must be numbers.")
            else:
                received_by = (post.get("received_by") or "").strip()[:RECEIVED_BY_SIZE]
                try:
                    with request.env.cr.savepoint():
                        photos = self._o2c_receipt_photos()
                        url = picking_sudo._o2c_portal_report_receipt(
                            reported, received_by or contact.name, contact, photos
                        )
                except (exceptions.ValidationError, exceptions.UserError) as error:
                    values["error"] = error.args[0]
                else:
                    order = picking_sudo.sale_id
                    return request.redirect(url or (order.get_portal_url() if order else "/my"))
        return request.render("o2c_invoice_release.portal_o2c_receipt", values)

    def _o2c_receipt_picking(self, picking_id, access_token):
        """The done customer delivery the customer may confirm (sudo), or ``None``."""
        picking_sudo = self._o2c_customer_picking(picking_id, access_token)
        if (
            not picking_sudo
            or picking_sudo.state != "done"
            or not picking_sudo._o2c_is_customer_delivery()
        ):
            return None
        return picking_sudo

    def _o2c_receipt_photos(self):
        """``[(file name, data)]`` of the photos uploaded with the form (images only)."""
        files = request.httprequest.files.getlist("photos")
        vals_list = []
        for upload in files[:MAX_PHOTOS]:
            data = upload.read(MAX_PHOTO_BYTES + 1)
            if not data:
                continue
            if len(data) > MAX_PHOTO_BYTES or not (upload.mimetype or "").startswith("image/"):
                raise exceptions.ValidationError(
                    request.env._("Photos: images of at most 10 MB (field Photos).")
                )
            vals_list.append((upload.filename or "photo", data))
        return vals_list

    def _o2c_deliveries_to_confirm_domain(self):
        """The customer company's deliveries waiting for its receipt confirmation."""
        customer = request.env.user.partner_id.commercial_partner_id
        return [
            ("sale_id.partner_id", "child_of", customer.id),
            ("state", "=", "done"),
            ("picking_type_code", "=", "outgoing"),
            ("o2c_pod_state", "in", ("missing", "rejected")),
            ("company_id.o2c_portal_pod", "=", True),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "o2c_receipt_count" in counters:
            values["o2c_receipt_count"] = (
                request.env["stock.picking"]
                .sudo()
                .search_count(self._o2c_deliveries_to_confirm_domain())
            )
        return values

    @route(["/my/deliveries_to_confirm"], type="http", auth="user", website=True)
    def portal_o2c_deliveries_to_confirm(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(
            pickings=request.env["stock.picking"]
            .sudo()
            .search(self._o2c_deliveries_to_confirm_domain(), order="date_done desc"),
            page_name="o2c_deliveries_to_confirm",
        )
        return request.render("o2c_invoice_release.portal_o2c_deliveries_to_confirm", values)
