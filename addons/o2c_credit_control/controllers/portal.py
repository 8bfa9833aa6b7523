# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.http import request, route


class O2cAccountStatusPortal(CustomerPortal):
    """The customer company's account with the distributor: what it owes, since
    when, its credit, a statement to print. For every buyer of the company."""

    def _o2c_customer(self):
        return request.env.user.partner_id.commercial_partner_id.sudo()

    @route(["/my/account_status"], type="http", auth="user", website=True)
    def portal_o2c_account_status(self, **kw):
        customer = self._o2c_customer()
        values = self._prepare_portal_layout_values()
        values.update(
            customer=customer,
            status=customer._o2c_portal_account_status(),
            page_name="o2c_account_status",
        )
        return request.render("o2c_credit_control.portal_o2c_account_status", values)

    @route(["/my/account_status/statement"], type="http", auth="user", website=True)
    def portal_o2c_statement(self, **kw):
        customer = self._o2c_customer()
        Report = request.env["ir.actions.report"].sudo()
        report = "o2c_credit_control.action_report_o2c_statement"
        if Report.get_wkhtmltopdf_state() != "ok":
            # no PDF engine on this server: the same statement as a page to print
            html, __ = Report._render_qweb_html(report, customer.ids)
            return request.make_response(html, headers=[("Content-Type", "text/html")])
        pdf, __ = Report._render_qweb_pdf(report, customer.ids)
        headers = [
            ("Content-Type", "application/pdf"),
            ("Content-Length", len(pdf)),
            ("Content-Disposition", 'inline; filename="statement.pdf"'),
        ]
        return request.make_response(pdf, headers=headers)
