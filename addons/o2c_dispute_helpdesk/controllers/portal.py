# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.addons.account.controllers.portal import PortalAccount
from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request

from ..models.o2c_dispute_constants import OPEN_STATES

#: files a customer may send with a dispute, and their size
MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024


class O2cDisputeCustomerPortal(CustomerPortalHelpdesk):
    """Customers open disputes from their invoices and follow them as tickets."""

    @http.route(
        ["/my/invoices/<int:invoice_id>/dispute"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_o2c_invoice_dispute(self, invoice_id, **post):
        try:
            # no access token: only the logged-in customer's own invoices
            invoice = self._document_check_access("account.move", invoice_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if invoice.move_type != "out_invoice" or invoice.state != "posted":
            return request.redirect(invoice.get_portal_url())
        Ticket = request.env["helpdesk.ticket"]
        values = {
            "invoice": invoice,
            "page_name": "o2c_invoice_dispute",
            "dispute_types": Ticket._fields["o2c_dispute_type"]._description_selection(request.env),
            "dispute_type": post.get("dispute_type", ""),
            "amount": post.get("amount", invoice.amount_residual),
            "description": post.get("description", ""),
            "error": False,
        }
        lines = invoice._o2c_portal_dispute_lines()
        values.update(lines=lines, post=post)
        if request.httprequest.method == "POST":
            try:
                amount = float(post.get("amount") or 0.0)
                quantities = {aml: float(post.get(f"qty_{aml.id}") or 0.0) for aml in lines}
                with request.env.cr.savepoint():
                    ticket = invoice._o2c_create_portal_dispute(
                        request.env.user.partner_id,
                        values["dispute_type"],
                        amount,
                        values["description"],
                        quantities=quantities,
                        files=self._o2c_dispute_files(),
                    )
            except ValueError:
                values["error"] = request.env._(
                    "The Disputed Amount and the quantities must be numbers."
                )
            except ValidationError as error:
                values["error"] = error.args[0]
            else:
                return request.redirect(f"/my/ticket/{ticket.id}")
        return request.render("o2c_dispute_helpdesk.portal_invoice_dispute", values)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "o2c_dispute_count" in counters:
            Ticket = request.env["helpdesk.ticket"]
            values["o2c_dispute_count"] = (
                Ticket.search_count(
                    [("o2c_is_dispute", "=", True), ("o2c_dispute_state", "in", OPEN_STATES)]
                )
                if Ticket.has_access("read")
                else 0
            )
        return values

    def _o2c_dispute_files(self):
        """``[(name, data)]`` of the files sent with the dispute (images, PDF)."""
        files = []
        for upload in request.httprequest.files.getlist("attachments")[:MAX_FILES]:
            data = upload.read(MAX_FILE_BYTES + 1)
            if not data:
                continue
            mimetype = upload.mimetype or ""
            if len(data) > MAX_FILE_BYTES or not (
                mimetype.startswith("image/") or mimetype == "application/pdf"
            ):
                raise ValidationError(
                    request.env._("Attachments: images or PDF of at most 10 MB each.")
                )
            files.append((upload.filename or "attachment", data))
        return files

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        if ticket.o2c_is_dispute and ticket.o2c_dispute_state in OPEN_STATES:
            # an open dispute is closed by its resolution, not by the customer
            values["closed_stages"] = ticket.env["helpdesk.ticket.stage"]
        return values


class O2cDisputeTicketController(HelpdeskTicketController):
    @http.route()
    def support_ticket_close(self, **kw):
        ticket = (
            request.env["helpdesk.ticket"].sudo().browse(int(kw.get("ticket_id") or 0)).exists()
        )
        if ticket.o2c_is_dispute and ticket.o2c_dispute_state in OPEN_STATES:
            return request.redirect(f"/my/ticket/{ticket.id}")
        return super().support_ticket_close(**kw)


class O2cDisputeInvoicePortal(PortalAccount):
    def _get_account_searchbar_filters(self):
        filters = super()._get_account_searchbar_filters()
        filters["o2c_disputed"] = {
            "label": request.env._("Disputed"),
            "domain": [("o2c_is_disputed", "=", True)],
        }
        return filters
