# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import string

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class IrActionsServer(models.Model):
    """Server actions "Raise O2C exception" / "Resolve O2C exceptions".

    Lets automation rules (base_automation) and scheduled actions raise and
    resolve exceptions without code.
    """

    _inherit = "ir.actions.server"

    state = fields.Selection(
        selection_add=[
            ("o2c_raise", "Raise O2C Exception"),
            ("o2c_resolve", "Resolve O2C Exceptions"),
        ],
        ondelete={"o2c_raise": "cascade", "o2c_resolve": "cascade"},
    )
    o2c_exception_type_id = fields.Many2one("o2c.exception.type", ondelete="restrict")
    o2c_message = fields.Char(
        translate=True,
        help="Summary; may name fields of the record between braces: {name}.",
    )
    o2c_blocking = fields.Selection(
        [("type", "As the type says"), ("yes", "Blocking"), ("no", "Not blocking")],
        default="type",
    )

    @api.constrains("state", "o2c_exception_type_id", "model_id")
    def _check_o2c_action(self):
        for action in self.filtered(lambda a: a.state in ("o2c_raise", "o2c_resolve")):
            if not action.o2c_exception_type_id:
                raise ValidationError(
                    self.env._("Server action %s needs an O2C Exception Type.", action.name)
                )
            if action.model_id.model not in self.env["o2c.exception"]._o2c_document_models():
                raise ValidationError(
                    self.env._(
                        "Server action %(action)s: %(model)s does not support O2C "
                        "exceptions (sales orders, transfers and invoices do).",
                        action=action.name,
                        model=action.model_id.name,
                    )
                )

    def _o2c_records(self, eval_context):
        records = eval_context.get("records") or eval_context.get("record")
        if not records:
            raise UserError(self.env._("Server action %s has no record to act on.", self.name))
        return records

    def _run_action_o2c_raise_multi(self, eval_context=None):
        records = self._o2c_records(eval_context)
        names = [f for _t, f, _s, _c in string.Formatter().parse(self.o2c_message or "") if f]
        values = {}
        for rec in records:
            fmt = {
                n: (rec[n].display_name if isinstance(rec[n], models.BaseModel) else rec[n])
                for n in names
                if n in rec._fields
            }
            vals = {
                "name": (self.o2c_message or self.o2c_exception_type_id.name).format_map(
                    _Default(fmt)
                )
            }
            if self.o2c_blocking != "type":
                vals["blocking"] = self.o2c_blocking == "yes"
            values[rec.id] = vals
        records._o2c_raise_exceptions(self.o2c_exception_type_id.code, values)
        return False

    def _run_action_o2c_resolve_multi(self, eval_context=None):
        records = self._o2c_records(eval_context)
        records._o2c_resolve_exceptions(
            [self.o2c_exception_type_id.code],
            self.env._("Resolved by automation %s.", self.name),
        )
        return False


class _Default(dict):
    """format_map helper: unknown names stay as written."""

    def __missing__(self, key):
        return "{" + key + "}"
