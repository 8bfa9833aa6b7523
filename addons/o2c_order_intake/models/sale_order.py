# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.addons.o2c_exception_base.models.sale_order import QUOTATION_STATES
from odoo.addons.o2c_exception_base.tools import BatchJob, among_ids, post_park_note
from odoo.exceptions import UserError
from odoo.tools import SQL

#: where an imported quotation stands in the confirmation job; empty once the job
#: took it (confirmed, or held by an exception: the queue has it then)
INTAKE_STATES = [("waiting", "Waiting for Confirmation"), ("parked", "Confirmation Failed")]
#: sale.order states of a quotation the confirmation job may confirm

# The confirmation of imported orders (o2c.batch runs its batches inline in the
# cron or as queue jobs): each order confirmed in a transaction of its own.
INTAKE_CONFIRM_JOB = BatchJob(
    "sale.order",
    "_o2c_intake_lock",
    "_o2c_intake_confirm",
    "_o2c_park_intake",
    "root.o2c.intake",
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # written only by the import (waiting), its confirmation job (done, parked)
    # and the import's retry button: a client moving an order out of the job would
    # skip its confirmation, moving one in would confirm it as someone else
    _o2c_governed_fields = ("o2c_intake_state", "o2c_intake_error")

    # ------------------------------------------------------------ FIELDS
    o2c_intake_state = fields.Selection(
        INTAKE_STATES,
        string="Import Confirmation",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="An imported quotation waits here until the confirmation job confirms it "
        "(as the user who imported the file); a quotation the job could not confirm "
        "is parked with the reason.",
    )
    o2c_intake_error = fields.Text(
        string="Import Confirmation Error",
        readonly=True,
        copy=False,
        help="Why the confirmation job could not confirm this imported quotation.",
    )

    # -------------------------------------------------------------- CRON
    @api.model
    def _cron_o2c_confirm_imported(self, batch_size=1):
        """Confirm the imported quotations waiting for it, ``batch_size`` per transaction.

        One order per transaction by default: a serialization failure (two
        transactions reserving the same stock) or a crash then costs one order,
        and the batch that failed is taken again, never parked.
        """
        return self.env["o2c.batch"]._o2c_run_batches(INTAKE_CONFIRM_JOB, batch_size)

    @api.model
    def _o2c_intake_lock(self, limit, after_id=0, ids=None):
        """Lock up to ``limit`` imported quotations waiting for confirmation, in id order."""
        self.env["sale.order"].flush_model(["o2c_intake_state"])
        self.env.cr.execute(
            SQL(
                """SELECT id FROM sale_order
                WHERE o2c_intake_state = 'waiting' AND id > %s %s
             ORDER BY id
                LIMIT %s
           FOR UPDATE SKIP LOCKED""",
                after_id,
                among_ids("id", ids),
                limit,
            )
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    def _o2c_intake_confirm(self):
        """Confirm these (locked) quotations through the enforcement point, each as
        the user who imported its file: their record rules apply, the confirmation,
        holds and audit trail name them. A held quotation stays one, in the queue.
        """
        imports = self._o2c_imports()
        if self - imports.order_ids:
            # nobody to confirm them as: parked (the marker is the import's only)
            raise UserError(self.env._("No order import created these quotations."))
        for imp in imports:
            orders = (self & imp.order_ids).with_user(imp.create_uid).with_company(imp.company_id)
            quotations = orders.filtered(lambda o: o.state in QUOTATION_STATES)
            if quotations:
                quotations.action_confirm()
            # out of the job, confirmed or not (held, cancelled or confirmed meanwhile),
            # in the importer's name too (the server's marker: not their write to make)
            orders.sudo()._o2c_owned_write({"o2c_intake_state": False, "o2c_intake_error": False})
            # written now, in their name: flushed at commit by the cron, the fields the
            # confirmation recomputes would name OdooBot as the orders' last writer
            orders.sudo().env.flush_all()

    def _o2c_park_intake(self, error):
        """Take this quotation out of the job with the reason, noted on it and its import."""
        self.sudo()._o2c_owned_write({"o2c_intake_state": "parked", "o2c_intake_error": error})
        title = self.env._("Confirmation of the imported order failed")
        post_park_note(self, title, error)
        post_park_note(self._o2c_imports(), title, f"{self.display_name}: {error}")

    def _o2c_imports(self):
        """The order imports that created these quotations (read as the server: the
        job and its parking note need them whoever runs them)."""
        return self.env["o2c.order.import"].sudo().search([("order_ids", "in", self.ids)])
