# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models, tools
from odoo.addons.o2c_evidence.tools import safe_file_name, unique_file_name
from odoo.addons.o2c_exception_base.tools import BatchJob, among_ids, post_park_note
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# The filing cron's batches (o2c.batch runs them inline or as queue jobs).
EVIDENCE_FILING_JOB = BatchJob(
    "sale.order",
    "_o2c_evidence_lock",
    "_o2c_file_evidence",
    "_o2c_park_evidence",
    "root.o2c.evidence",
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    #: where and when the evidence was filed, and why it could not be: written
    #: by the filing action only
    _o2c_governed_fields = (
        "o2c_evidence_directory_id",
        "o2c_evidence_filed_date",
        "o2c_evidence_error",
    )

    # ------------------------------------------------------------ FIELDS
    o2c_evidence_directory_id = fields.Many2one(
        "dms.directory",
        string="Evidence Directory",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="Documents directory holding this order's evidence pack and files.",
    )
    o2c_evidence_filed_date = fields.Datetime(string="Evidence Filed On", readonly=True, copy=False)
    o2c_evidence_error = fields.Text(
        string="Evidence Filing Error",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Why the filing job could not file this order's evidence; it leaves "
        "the order out until someone retries.",
    )

    def init(self):
        res = super().init()
        # the filing job's query: done orders not filed yet, not parked
        tools.create_index(
            self.env.cr,
            "sale_order_o2c_evidence_todo_idx",
            self._table,
            ["id"],
            where="state = 'sale' AND invoice_status = 'invoiced' "
            "AND o2c_evidence_filed_date IS NULL AND o2c_evidence_error IS NULL",
        )
        return res

    # ------------------------------------------------------------ ACTION
    def action_o2c_file_evidence(self):
        """File (or refresh) the evidence of these orders in Documents now."""
        self._o2c_check_evidence_access()
        # filed as the system: the complete pack, read in Documents by the
        # evidence readers' access group only
        self.sudo()._o2c_file_evidence()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Evidence filed in %s.", self._o2c_evidence_paths()),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_o2c_retry_evidence_filing(self):
        """Give orders the filing job parked back to it (its next run)."""
        self._o2c_check_evidence_access()
        todo = self.filtered("o2c_evidence_error").sudo()
        if todo:
            todo._o2c_owned_write({"o2c_evidence_error": False})
            body = self.env._("Evidence filing retry requested by %s", self.env.user.name)
            todo._message_log_batch(bodies=dict.fromkeys(todo.ids, body))
            self.env.ref("o2c_evidence_dms.ir_cron_o2c_file_evidence").sudo()._trigger()
        return True

    # -------------------------------------------------------------- CRON
    @api.model
    def _cron_o2c_file_evidence(self, batch_size=20):
        """File the evidence of delivered and invoiced orders, one committed batch
        at a time (FOR UPDATE SKIP LOCKED: two workers never file the same
        order); an order that fails is parked with the reason."""
        return self.env["o2c.batch"]._o2c_run_batches(EVIDENCE_FILING_JOB, batch_size)

    @api.model
    def _o2c_evidence_lock(self, limit, after_id=0, ids=None):
        """Lock up to ``limit`` done orders (all delivered, all invoiced) not filed yet."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM sale_order
                WHERE id > %(last)s AND state = 'sale' AND invoice_status = 'invoiced'
                  AND COALESCE(delivery_status, 'full') = 'full'
                  AND o2c_evidence_filed_date IS NULL AND o2c_evidence_error IS NULL
                  %(among)s
             ORDER BY id
                LIMIT %(limit)s
           FOR UPDATE SKIP LOCKED""",
                last=after_id,
                among=among_ids("id", ids),
                limit=limit,
            )
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    def _o2c_park_evidence(self, error):
        """Take this order out of the filing job, with the reason."""
        self.sudo()._o2c_owned_write({"o2c_evidence_error": error})
        post_park_note(self, self.env._("Evidence filing failed"), error)

    # ---------------------------------------------------------- BUSINESS
    def _o2c_file_evidence(self):
        """File the pack and the evidence files of these orders (run as the system).

        Once per order: its directory is found again (never a second one) and a
        file of the same name is updated when its content changed.
        """
        Pack = self.env["report.o2c_evidence.report_evidence_pack"]
        directories = self._o2c_evidence_order_directories()
        for order in self:
            entries = [
                (path.split("/", 1)[1].replace("/", " - "), raw)
                for path, raw, __ in Pack._o2c_evidence_entries(order)
            ]
            directories[order]._o2c_evidence_store(entries)
        for order in self:
            vals = {"o2c_evidence_filed_date": fields.Datetime.now(), "o2c_evidence_error": False}
            if order.o2c_evidence_directory_id != directories[order]:
                vals["o2c_evidence_directory_id"] = directories[order].id
            order._o2c_owned_write(vals)

    def _o2c_evidence_order_directories(self):
        """``{order: directory}``: each order's directory under its customer's,
        under the company's evidence root; found again or created once."""
        result = {order: order.o2c_evidence_directory_id for order in self}
        missing = self.filtered(lambda o: not result[o])
        customers = missing._o2c_evidence_customer_directories()
        Directory = self.env["dms.directory"].sudo()
        found = Directory.search(
            [
                ("parent_id", "in", [customers[o].id for o in missing]),
                ("res_model", "=", "sale.order"),
                ("res_id", "in", missing.ids),
            ]
        )
        by_order = {directory.res_id: directory for directory in found}
        for order in missing:
            parent = customers[order]
            directory = by_order.get(order.id) or Directory.create(
                {
                    "name": unique_file_name(
                        safe_file_name(order.name), set(parent.child_directory_ids.mapped("name"))
                    ),
                    "parent_id": parent.id,
                    "res_model": "sale.order",
                    "res_id": order.id,
                }
            )
            result[order] = directory
        return result

    def _o2c_evidence_customer_directories(self):
        """``{order: directory of its customer}`` under the company's evidence root."""
        Directory = self.env["dms.directory"].sudo()
        roots = {order: order.company_id._o2c_evidence_root() for order in self}
        partners = self.partner_id.commercial_partner_id
        found = Directory.search(
            [
                ("parent_id", "in", [root.id for root in roots.values()]),
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
            ]
        )
        by_key = {(d.parent_id, d.res_id): d for d in found}
        result = {}
        for order in self:
            partner = order.partner_id.commercial_partner_id
            key = (roots[order], partner.id)
            if key not in by_key:
                taken = set(roots[order].child_directory_ids.mapped("name"))
                by_key[key] = Directory.create(
                    {
                        "name": unique_file_name(safe_file_name(partner.name), taken),
                        "parent_id": roots[order].id,
                        "res_model": "res.partner",
                        "res_id": partner.id,
                    }
                )
            result[order] = by_key[key]
        return result

    def _o2c_evidence_paths(self):
        return ", ".join(self.sudo().o2c_evidence_directory_id.mapped("complete_name"))
