# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

#: lines generated but not sent yet: a dispute that opens makes them stale
PENDING_STATES = ("draft", "to_be_sent")
#: lines that claim their balance from the customer, or record it was claimed
CLAIMING_STATES = ("to_be_sent", "queued", "sent")
#: fields whose change may make a line claim more than the undisputed rest
CLAIM_FIELDS = {"state", "balance_due", "move_line_id"}


class CreditControlLine(models.Model):
    _name = "credit.control.line"
    _inherit = ["credit.control.line", "o2c.governed.mixin"]

    #: what a dispute left out of the line, written by the run and by the dispute only
    _o2c_governed_fields = ("o2c_disputed_amount", "o2c_dispute_note")

    # ------------------------------------------------------------ FIELDS
    o2c_disputed_amount = fields.Monetary(
        string="Disputed Part Left Out",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="Part of the open amount under an open dispute when the line was "
        "generated: the Due Balance claims only the rest.",
    )
    o2c_dispute_note = fields.Char(
        string="Dispute Note",
        readonly=True,
        copy=False,
        help="The open disputes of the invoice that lowered or stopped this line.",
    )

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered(lambda line: line.state in CLAIMING_STATES)._o2c_check_undisputed()
        return lines

    def write(self, vals):
        # the mail queue reports the outcome of letters queued before a dispute opened
        outcome = self.browse()
        if vals.get("state") in ("sent", "email_error"):
            outcome = self.filtered(lambda line: line.state == "queued")
        res = super().write(vals)
        if CLAIM_FIELDS.intersection(vals):
            (self - outcome).filtered(
                lambda line: line.state in CLAIMING_STATES
            )._o2c_check_undisputed()
        return res

    @api.model
    def create_or_update_from_mv_lines(
        self,
        lines,
        level,
        controlling_date,
        company,
        check_tolerance=True,
        default_lines_vals=None,
    ):
        """Leave out the move lines of invoices under an open dispute, and dun
        only the undisputed rest of partly disputed ones (every caller: runs,
        the policy changer)."""
        parts = lines._o2c_disputed_parts()
        left_out = lines.filtered(
            lambda aml: aml.id in parts
            and self._o2c_nothing_undisputed(aml, parts[aml.id], company, check_tolerance)
        )
        new_lines = super().create_or_update_from_mv_lines(
            lines - left_out,
            level,
            controlling_date,
            company,
            check_tolerance=check_tolerance,
            default_lines_vals=default_lines_vals,
        )
        new_lines._o2c_claim_undisputed_rest(parts)
        if left_out:
            self._o2c_ignore_pending_disputed(left_out.move_id.ids)
            run_id = (default_lines_vals or {}).get("run_id")
            self.env["credit.control.run"].browse(run_id)._o2c_record_left_out(left_out.move_id)
        return new_lines

    # ---------------------------------------------------------- BUSINESS
    @api.model
    def _o2c_nothing_undisputed(self, move_line, part, company, check_tolerance):
        """Whether the open disputes leave nothing worth dunning on ``move_line``."""
        residual, currency = move_line._o2c_dunning_residual()
        rest = residual - part
        if currency.compare_amounts(rest, 0.0) <= 0:
            return True
        return check_tolerance and rest < company.credit_control_tolerance

    def _o2c_claim_undisputed_rest(self, parts):
        """Lower the new lines of partly disputed invoices to their undisputed rest."""
        disputed = self.filtered(lambda line: parts.get(line.move_line_id.id))
        notes = disputed.invoice_id._o2c_credit_control_dispute_notes()
        for line in disputed:
            part = parts[line.move_line_id.id]
            line._o2c_owned_write(
                {
                    "balance_due": line.balance_due - part,
                    "o2c_disputed_amount": part,
                    "o2c_dispute_note": notes.get(line.invoice_id.id, False),
                }
            )

    def _o2c_undisputed_rests(self):
        """Return ``{line id: undisputed rest}`` of the lines of disputed invoices
        (dunning currency of their move line)."""
        parts = self.move_line_id._o2c_disputed_parts()
        rests = {}
        for line in self.filtered(lambda line: line.move_line_id.id in parts):
            residual, _currency = line.move_line_id._o2c_dunning_residual()
            rests[line.id] = residual - parts[line.move_line_id.id]
        return rests

    def _o2c_over_disputed(self):
        """Return ``{line: undisputed rest}`` of the lines claiming more than it."""
        rests = self._o2c_undisputed_rests()
        return {
            line: rests[line.id]
            for line in self
            if line.id in rests
            and line.move_line_id._o2c_dunning_residual()[1].compare_amounts(
                line.balance_due, rests[line.id]
            )
            > 0
        }

    def _o2c_check_undisputed(self):
        """Refuse a line that claims more than the undisputed rest of its invoice,
        whoever sends or marks it."""
        if not self:
            return
        over = self._o2c_over_disputed()
        if not over:
            return
        line, rest = next(iter(over.items()))
        currency = line.move_line_id._o2c_dunning_residual()[1]
        raise UserError(
            self.env._(
                "Invoice %(invoice)s is under an open dispute (%(note)s): its credit "
                "control line claims %(balance)s, more than the undisputed rest "
                "%(rest)s. The next credit control run dunns the undisputed rest.",
                invoice=line.invoice_id.display_name,
                note=line.invoice_id._o2c_credit_control_dispute_notes().get(
                    line.invoice_id.id, ""
                ),
                balance=format_amount(self.env, line.balance_due, currency),
                rest=format_amount(self.env, max(rest, 0.0), currency),
            )
        )

    @api.model
    def _o2c_ignore_pending_disputed(self, move_ids):
        """Ignore the pending lines of these invoices that claim more than their
        undisputed rest, with the reason; the next run dunns the rest.

        As superuser: opening a dispute (a helpdesk user) stops the letters.
        """
        lines = self.sudo().search(
            [
                ("invoice_id", "in", list(move_ids)),
                ("invoice_id.o2c_is_disputed", "=", True),
                ("state", "in", PENDING_STATES),
            ]
        )
        over = lines.browse([line.id for line in lines._o2c_over_disputed()])
        if not over:
            return over
        notes = over.invoice_id._o2c_credit_control_dispute_notes()
        by_note = defaultdict(lambda: over.browse())
        for line in over:
            by_note[notes.get(line.invoice_id.id, "")] |= line
        for note, group in by_note.items():
            group._o2c_owned_write({"state": "ignored", "o2c_dispute_note": note})
        # OCA's level query reads the states in SQL without flushing: a run in the
        # same transaction must see these lines ignored
        over.flush_recordset(["state"])
        over._message_log_batch(
            bodies={
                line.id: Markup("<p>%s</p>")
                % self.env._(
                    "Ignored: %(note)s. The next credit control run dunns the " "undisputed rest.",
                    note=notes.get(line.invoice_id.id, ""),
                )
                for line in over
            }
        )
        return over
