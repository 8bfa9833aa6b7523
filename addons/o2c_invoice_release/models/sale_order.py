# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.addons.o2c_exception_base.tools import BatchJob, among_ids, post_park_note
from odoo.tools import SQL

from ..governance import current_release_mode, is_including_unreleased, release_mode

# The auto-invoicing cron's batches (o2c.batch runs them inline or as queue jobs).
AUTO_INVOICE_JOB = BatchJob(
    "sale.order",
    "_o2c_auto_invoice_lock",
    "_o2c_auto_invoice_queued",
    "_o2c_park_release",
    "root.o2c.invoice",
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ---------------------------------------------------------- INVOICING
    def _create_invoices(self, grouped=False, final=False, date=None):
        """Every path that invoices orders ends here: record how the invoices are
        released (evidence: only this action writes it) and link the deliveries billed.
        """
        moves = super()._create_invoices(grouped=grouped, final=final, date=date)
        if moves:
            moves.sudo()._o2c_owned_write({"o2c_release_mode": current_release_mode()})
            moves._o2c_link_deliveries()
        return moves

    def _get_invoiceable_lines(self, final=False):
        lines = super()._get_invoiceable_lines(final)
        if not is_including_unreleased():
            return lines
        # Override requested for one invoice: add the delivered quantities that
        # wait for release, in the order's sequence (sections before their lines).
        wanted = lines | self.order_line.filtered(lambda line: line.o2c_qty_withheld > 0)
        ordered, section = [], None
        for line in self.order_line:
            if line.display_type == "line_section":
                section = line
            elif line in wanted and not line.is_downpayment:
                if section:
                    ordered.append(section)
                    section = None
                ordered.append(line)
        return self.env["sale.order.line"].union(*ordered) | lines.filtered("is_downpayment")

    def _nothing_to_invoice_error_message(self):
        waiting = self._o2c_deliveries_awaiting_release()
        if not waiting:
            return super()._nothing_to_invoice_error_message()
        return self.env._(
            "Nothing is released for invoicing yet. These deliveries wait for release:\n"
            "%(lines)s\n\nValidate their proof of delivery (or release them by hand for "
            "customers on manual release). To invoice them anyway, create the invoice with "
            "'Include deliveries awaiting release' and a reason: a finance approver must "
            "then approve the override before it can be posted.",
            lines="\n".join(waiting._o2c_awaiting_release_lines()),
        )

    def _o2c_deliveries_awaiting_release(self):
        """Done deliveries of these orders whose quantities are not invoiceable yet."""
        return self.picking_ids.filtered(lambda p: p._o2c_awaits_release())

    # -------------------------------------------------------------- CRON
    @api.model
    def _cron_o2c_auto_invoice(self, batch_size=50):
        """Invoice released deliveries, one committed batch of orders at a time.

        Safe with several workers and after a crash: the orders of a batch are
        locked with FOR UPDATE SKIP LOCKED, their queue flags are cleared in the
        same transaction as the invoices, and only released quantities not
        invoiced yet are ever invoiced.
        """
        return self.env["o2c.batch"]._o2c_run_batches(
            AUTO_INVOICE_JOB,
            batch_size,
            take_batch=lambda limit, _previous: self._o2c_auto_invoice_batch(limit),
        )

    @api.model
    def _o2c_auto_invoice_batch(self, limit):
        """Lock up to ``limit`` orders with queued deliveries and invoice them."""
        return AUTO_INVOICE_JOB.lock_and_run(
            self.env, limit, "orders with released deliveries invoiced"
        )

    @api.model
    def _o2c_auto_invoice_lock(self, limit, after_id=0, ids=None):
        """Lock up to ``limit`` orders with queued deliveries (auto-invoicing companies)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT so.id FROM sale_order so
                 JOIN res_company c ON c.id = so.company_id
                WHERE c.o2c_auto_invoice AND so.id > %s %s
                  AND so.id IN (SELECT p.sale_id FROM stock_picking p
                                 WHERE p.o2c_release_pending IS TRUE)
             ORDER BY so.id
                LIMIT %s
           FOR UPDATE OF so SKIP LOCKED""",
                after_id,
                among_ids("so.id", ids),
                limit,
            )
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    def _o2c_auto_invoice_queued(self):
        """Invoice the queued deliveries of these (locked) orders; return the invoices.

        The queued deliveries are locked too: a concurrent change makes this
        transaction fail (repeatable read) instead of invoicing twice.
        """
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM stock_picking
                WHERE sale_id IN %s AND o2c_release_pending IS TRUE
                  FOR UPDATE""",
                tuple(self.ids),
            )
        )
        pickings = self.env["stock.picking"].sudo().browse([r[0] for r in self.env.cr.fetchall()])
        return self._o2c_auto_invoice(pickings)

    def _o2c_auto_invoice(self, pickings):
        """One ``_create_invoices`` call for these orders; unqueue their ``pickings``.

        Run by :func:`process_isolated`: if it fails, the orders are retried in
        smaller groups and the one that fails alone is parked.
        """
        orders = self.with_context(raise_if_nothing_to_invoice=False)
        with release_mode("auto"):
            moves = orders._create_invoices(final=True)
        pickings.filtered(lambda p: p.sale_id in self and p.o2c_release_pending)._o2c_owned_write(
            {"o2c_release_pending": False}
        )
        moves._o2c_auto_post_and_send()
        return moves

    def _o2c_park_release(self, error):
        """Take the queued deliveries out of the job with the reason (fixed, then retried)."""
        pickings = self.picking_ids.filtered("o2c_release_pending")
        pickings._o2c_owned_write({"o2c_release_pending": False, "o2c_release_error": error})
        title = self.env._("Automatic invoicing failed")
        post_park_note(self, title, error)
        post_park_note(pickings, title, error)
