# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import Command, fields, models
from odoo.tools import format_amount


class CreditControlRun(models.Model):
    _name = "credit.control.run"
    _inherit = ["credit.control.run", "o2c.governed.mixin"]

    #: what the run left out, written by the run only
    _o2c_governed_fields = ("o2c_disputed_move_ids",)

    # ------------------------------------------------------------ FIELDS
    o2c_disputed_move_ids = fields.Many2many(
        "account.move",
        relation="o2c_credit_control_run_disputed_move_rel",
        column1="run_id",
        column2="move_id",
        string="Disputed Invoices Left Out",
        readonly=True,
        copy=False,
        help="Overdue invoices this run did not dun because an open dispute covers "
        "what is still due on them.",
    )

    # ---------------------------------------------------------- BUSINESS
    def _generate_credit_lines(self):
        generated = super()._generate_credit_lines()
        note = self._o2c_dispute_report()
        if note:
            self.report = Markup(self.report or "") + note
        return generated

    def _o2c_record_left_out(self, moves):
        """Remember the disputed invoices this run leaves out."""
        self._o2c_owned_write({"o2c_disputed_move_ids": [Command.link(m.id) for m in moves]})

    def _o2c_dispute_report(self):
        """The report's paragraph on the invoices left out or lowered by disputes."""
        self.ensure_one()
        left_out = self.o2c_disputed_move_ids
        lowered = self.line_ids.filtered("o2c_dispute_note")
        notes = left_out._o2c_credit_control_dispute_notes()
        sections = []
        if left_out:
            sections.append(
                Markup("<p><b>%s</b></p><ul>%s</ul>")
                % (
                    self.env._("Disputed invoices left out (not dunned while disputed):"),
                    Markup().join(
                        Markup("<li>%s: %s</li>") % (move.name, notes.get(move.id, ""))
                        for move in left_out
                    ),
                )
            )
        if lowered:
            sections.append(
                Markup("<p><b>%s</b></p><ul>%s</ul>")
                % (
                    self.env._("Partly disputed invoices dunned for their undisputed rest:"),
                    Markup().join(
                        Markup("<li>%s: %s</li>")
                        % (
                            line.invoice_id.name,
                            self.env._(
                                "%(rest)s dunned. %(note)s",
                                rest=format_amount(self.env, line.balance_due, line.currency_id),
                                note=line.o2c_dispute_note,
                            ),
                        )
                        for line in lowered
                    ),
                )
            )
        return Markup().join(sections)
