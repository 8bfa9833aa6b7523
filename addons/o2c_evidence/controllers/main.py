# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request


class O2cEvidenceController(http.Controller):
    @http.route("/o2c/evidence/<string:order_ids>.zip", type="http", auth="user", methods=["GET"])
    def o2c_evidence_zip(self, order_ids):
        """The ZIP of the evidence packs of the orders ``order_ids`` ("12" or
        "12,13"), read with the user's own rights, like the report."""
        try:
            ids = [int(order_id) for order_id in order_ids.split(",")]
        except ValueError as error:
            raise NotFound() from error
        orders = request.env["sale.order"].browse(ids).exists()
        if not orders:
            raise NotFound()
        try:
            content = request.env["report.o2c_evidence.report_evidence_pack"]._o2c_evidence_zip(
                orders
            )
        except (AccessError, UserError) as error:
            raise Forbidden(str(error)) from error
        name = "evidence-" + "-".join(orders.mapped("name")) + ".zip"
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/zip"),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(name)),
            ],
        )
