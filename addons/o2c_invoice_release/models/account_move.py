# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from ..governance import is_including_unreleased

_logger = logging.getLogger(__name__)

#: the exception code of this addon
MISSING_POD = "missing_pod"
RELEASE_MODES = [
    ("auto", "Auto-released"),
    ("manual", "Released deliveries"),
    ("override", "Override"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    #: how the invoice was released and which deliveries it bills (evidence):
    #: written by the invoicing of orders and by the posting only
    _o2c_governed_fields = ("o2c_release_mode", "o2c_picking_ids")

    # ------------------------------------------------------------ FIELDS
    o2c_picking_ids = fields.Many2many(
        "stock.picking",
        "o2c_account_move_stock_picking_rel",
        "move_id",
        "picking_id",
        string="Deliveries Billed",
        readonly=True,
        copy=False,
    )
    o2c_picking_count = fields.Integer(string="Deliveries", compute="_compute_o2c_picking_count")
    o2c_release_mode = fields.Selection(
        RELEASE_MODES,
        string="Invoice Release",
        readonly=True,
        copy=False,
        index=True,
        help="Auto-released: invoiced by the release job. Released deliveries: "
        "invoiced by a user from released deliveries. Override: bills quantities "
        "not released, approved by a finance approver.",
    )
    o2c_release_held = fields.Boolean(
        string="Awaiting Release Override", compute="_compute_o2c_release_held"
    )

    # ----------------------------------------------------------- COMPUTE
    @api.depends("o2c_picking_ids")
    def _compute_o2c_picking_count(self):
        for move in self:
            move.o2c_picking_count = len(move.o2c_picking_ids)

    @api.depends("o2c_exception_ids.state")
    def _compute_o2c_release_held(self):
        open_ids = set(
            self.env["o2c.exception"]
            .sudo()
            .search(self._o2c_exception_domain(("open",), [MISSING_POD]))
            .mapped("res_id")
        )
        for move in self:
            move.o2c_release_held = move.id in open_ids

    # -------------------------------------------------------------- CRUD
    def _post(self, soft=True):
        # The release gate itself runs in _o2c_run_checks("post"): action_post runs
        # it first, and the core's state write runs it for every path that skips
        # action_post (auto-post cron, RPC write, create in state posted, import).
        posted = super()._post(soft=soft)
        posted._o2c_after_post()
        return posted

    # ------------------------------------------------------------ ACTION
    def action_o2c_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", self.o2c_picking_ids.ids)]
        action["context"] = {"create": False}
        return action

    def action_o2c_open_override(self):
        """Finance approver: decide on the release override of this invoice."""
        excs = self.env["o2c.exception"].search(
            self._o2c_exception_domain(("open",), [MISSING_POD])
        )
        if not excs:
            raise UserError(self.env._("No release override waits for a decision."))
        return excs.with_context(o2c_decision="approve").action_open_decision_wizard()

    # ------------------------------------------------------------ CHECKS
    def _o2c_run_checks(self, action):
        res = super()._o2c_run_checks(action)
        if action == "post":
            self._o2c_check_invoice_release()
        return res

    def _o2c_check_invoice_release(self):
        """Hold customer invoices billing quantities not released for invoicing.

        A sales order line may be billed (posted invoices plus these drafts) up
        to its released quantity. The quantities beyond it that wait for their
        release raise a blocking ``missing_pod`` exception that holds the invoice
        until a finance approver overrides it.

        :return: the held invoices
        """
        invoices = self.filtered(lambda m: m.move_type == "out_invoice" and m.state == "draft")
        if not invoices:
            return invoices
        billed, rows = defaultdict(float), []
        for aml in invoices.invoice_line_ids:
            for sale_line in aml.sale_line_ids:
                if sale_line._o2c_is_release_gated():
                    qty = aml.product_uom_id._compute_quantity(aml.quantity, sale_line.product_uom)
                    billed[sale_line] += qty
                    rows.append((aml, sale_line, qty))
        excess = defaultdict(list)
        for aml, sale_line, qty in rows:
            over = sale_line.qty_invoiced_posted + billed[sale_line] - sale_line.o2c_qty_released
            # only what waits for its release is held: billing beyond the delivered
            # quantity is Odoo's matter (a line may be invoiced by hand as in Odoo)
            over = min(over, sale_line.qty_delivered - sale_line.o2c_qty_released)
            if float_compare(over, 0.0, precision_rounding=sale_line.product_uom.rounding) > 0:
                excess[aml.move_id.id].append((aml, sale_line, min(over, qty)))
        held = invoices.filtered(lambda m: m.id in excess)
        held._o2c_raise_exceptions(
            MISSING_POD, {move.id: move._o2c_missing_pod_values(excess[move.id]) for move in held}
        )
        (invoices - held)._o2c_resolve_exceptions(
            [MISSING_POD], self.env._("Every quantity billed is released for invoicing.")
        )
        return held

    def _o2c_missing_pod_values(self, rows):
        """Exception values for an invoice billing unreleased quantities."""
        self.ensure_one()
        sale_lines = self.env["sale.order.line"].union(*[row[1] for row in rows])
        waiting = sale_lines.order_id._o2c_deliveries_awaiting_release()
        items = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(product)s: %(qty)s %(uom)s not released",
                product=sale_line.product_id.display_name,
                qty=qty,
                uom=sale_line.product_uom.name,
            )
            for _aml, sale_line, qty in rows
        )
        deliveries = Markup("").join(
            Markup("<li>%s</li>") % line for line in waiting._o2c_awaiting_release_lines()
        )
        return {
            "name": self.env._("Invoice bills quantities not released for invoicing"),
            "details": Markup("<ul>%s</ul><p>%s</p><ul>%s</ul>")
            % (items, self.env._("Deliveries awaiting release:"), deliveries),
            "amount": sum(
                qty * aml.price_unit * (1 - (aml.discount or 0.0) / 100.0)
                for aml, _sale_line, qty in rows
            ),
            "blocking": True,
        }

    def _o2c_request_override(self, reason):
        """Ask finance approvers to override the release gate for these invoices."""
        held = self._o2c_check_invoice_release()
        excs = (
            self.env["o2c.exception"]
            .sudo()
            .search(held._o2c_exception_domain(("open",), [MISSING_POD]))
        )
        if excs:
            body = Markup("<b>%s</b> %s") % (
                self.env._("Override requested by %s:", self.env.user.name),
                reason,
            )
            excs._message_log_batch(bodies=dict.fromkeys(excs.ids, body))
            held._message_log_batch(bodies=dict.fromkeys(held.ids, body))
            excs.action_notify_approvers()
        return excs

    # ---------------------------------------------------------- BUSINESS
    def _o2c_link_deliveries(self):
        """Link new invoices to the deliveries they bill and record how they were released."""
        include = is_including_unreleased()
        orders = self.invoice_line_ids.sale_line_ids.order_id
        domain = [
            ("sale_id", "in", orders.ids),
            ("state", "=", "done"),
            ("picking_type_code", "!=", "incoming"),
            ("location_dest_id.usage", "=", "customer"),
            ("o2c_invoice_ids", "not any", [("state", "!=", "cancel")]),
        ]
        if not include:
            domain.append(("o2c_released", "=", True))
        pickings = self.env["stock.picking"].sudo().search(domain)
        if not pickings:
            return pickings
        move_by_order = {}
        for move in self:
            for order in move.invoice_line_ids.sale_line_ids.order_id:
                move_by_order.setdefault(order.id, move.id)
        rows = [
            (move_by_order[p.sale_id.id], p.id) for p in pickings if p.sale_id.id in move_by_order
        ]
        if not rows:
            return pickings.browse()
        # One INSERT for the whole batch instead of one write per invoice.
        self.env.cr.execute(
            SQL(
                "INSERT INTO o2c_account_move_stock_picking_rel (move_id, picking_id) "
                "VALUES %s ON CONFLICT DO NOTHING",
                SQL(", ").join(
                    SQL("(%s, %s)", move_id, picking_id) for move_id, picking_id in rows
                ),
            )
        )
        self.invalidate_recordset(["o2c_picking_ids"])
        pickings.invalidate_recordset(["o2c_invoice_ids"])
        linked = pickings.browse([picking_id for _move_id, picking_id in rows])
        linked.filtered("o2c_release_pending")._o2c_owned_write({"o2c_release_pending": False})
        return linked

    def _o2c_after_post(self):
        """Date the first posting of the deliveries billed; flag overridden invoices."""
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        if not invoices:
            return
        pickings = invoices.o2c_picking_ids.filtered(lambda p: not p.o2c_invoice_posted_date)
        if pickings:
            pickings.sudo()._o2c_owned_write({"o2c_invoice_posted_date": fields.Datetime.now()})
        approved = (
            self.env["o2c.exception"]
            .sudo()
            .search(invoices._o2c_exception_domain(("approved",), [MISSING_POD]))
        )
        if approved:
            self.browse(approved.mapped("res_id"))._o2c_owned_write(
                {"o2c_release_mode": "override"}
            )

    def _o2c_auto_post_and_send(self):
        """Post (and send) the release job's invoices as their company asks."""
        to_post = self.filtered(lambda m: m.state == "draft" and m.company_id.o2c_auto_post)
        if to_post:
            try:
                with self.env.cr.savepoint():
                    to_post.action_post()
            except psycopg2.OperationalError:
                raise
            except Exception:  # retried invoice by invoice below
                for move in to_post:
                    try:
                        with self.env.cr.savepoint():
                            move.action_post()
                    except psycopg2.OperationalError:
                        raise
                    except Exception as error:  # left in draft with the reason
                        move._message_log(
                            body=Markup("<b>%s</b><br/>%s")
                            % (self.env._("Automatic posting failed"), error)
                        )
        to_send = to_post.filtered(lambda m: m.state == "posted" and m.company_id.o2c_auto_send)
        if to_send:
            to_send.sending_data = {
                "author_user_id": self.env.user.id,
                "author_partner_id": self.env.user.partner_id.id,
            }
            self.env.ref("account.ir_cron_account_move_send")._trigger()
