# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import string

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools.safe_eval import datetime, dateutil, safe_eval, time

_logger = logging.getLogger(__name__)

RULE_MODELS = [
    ("sale.order", "Sales Order"),
    ("stock.picking", "Delivery"),
    ("account.move", "Customer Invoice"),
]
#: the guarded action of each model a rule can apply to
MODEL_ACTIONS = {"sale.order": "confirm", "stock.picking": "validate", "account.move": "post"}
#: the model's own scope that a rule always adds (deliveries, customer invoices)
MODEL_SCOPE = {
    "stock.picking": [("picking_type_code", "=", "outgoing")],
    "account.move": [("move_type", "in", ("out_invoice", "out_refund"))],
}
#: how each model reaches its sales order's class
CLASS_PATH = {
    "sale.order": "o2c_order_class_id",
    "stock.picking": "sale_id.o2c_order_class_id",
    "account.move": "invoice_line_ids.sale_line_ids.order_id.o2c_order_class_id",
}


class O2cExceptionRule(models.Model):
    """An admin-defined control: a domain (or a server action) over documents.

    Evaluated on the whole recordset of the guarded action: one search per rule,
    no write to the rule, only exceptions whose result changed are written.
    """

    _name = "o2c.exception.rule"
    _description = "O2C Exception Rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: the rule applies to every company."
    )
    model = fields.Selection(
        RULE_MODELS, string="Document", required=True, default="sale.order", tracking=True
    )
    type_id = fields.Many2one(
        "o2c.exception.type",
        string="Exception Type",
        required=True,
        ondelete="restrict",
        tracking=True,
        help="Stage, blocking, approver group and SLA come from the type.",
    )
    check_on_save = fields.Boolean(
        help="Also check when the document is saved (in addition to its guarded action), "
        "so users see the exception early.",
    )
    domain = fields.Char(
        string="Condition",
        default="[]",
        tracking=True,
        help="Documents matching this domain raise the exception.",
    )
    server_action_id = fields.Many2one(
        "ir.actions.server",
        domain="[('model_id.model', '=', model), ('state', '=', 'code')]",
        help="For logic a domain cannot express. Runs once on the candidate documents "
        "(``records``) and sets ``action = {'o2c_violating_ids': [...]}``. "
        "Combined with the condition (both must match).",
    )
    order_class_ids = fields.Many2many(
        "o2c.order.class",
        string="Order Classes",
        help="Only documents of these order classes. Empty: every order.",
    )
    message = fields.Char(
        required=True,
        translate=True,
        help="Summary of the exception. May name fields of the document between "
        "braces, e.g. 'Order {name} of {partner_id} is below {amount_untaxed}'.",
    )
    amount_field = fields.Char(
        string="Value Field",
        help="Field holding the value at risk (e.g. amount_total). Empty: none.",
    )
    exception_count = fields.Integer(compute="_compute_exception_count")

    # ----------------------------------------------------------- COMPUTE
    def _compute_exception_count(self):
        counts = dict(
            self.env["o2c.exception"]._read_group(
                [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.exception_count = counts.get(rule, 0)

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains("model", "domain")
    def _check_domain(self):
        for rule in self:
            rule._get_domain()

    @api.constrains("model", "message", "amount_field")
    def _check_message(self):
        for rule in self:
            Model = self.env[rule.model]
            try:
                names = {f for _t, f, _s, _c in string.Formatter().parse(rule.message or "") if f}
            except ValueError as e:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the Message is not a valid template (%(err)s).",
                        rule=rule.name,
                        err=e,
                    )
                ) from e
            unknown = sorted(n for n in names if n not in Model._fields)
            if unknown:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the Message names fields that %(model)s does "
                        "not have: %(fields)s.",
                        rule=rule.name,
                        model=rule.model,
                        fields=", ".join(unknown),
                    )
                )
            if rule.amount_field and (
                rule.amount_field not in Model._fields
                or Model._fields[rule.amount_field].type not in ("monetary", "float", "integer")
            ):
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: Value Field %(field)s is not a numeric field of "
                        "%(model)s.",
                        rule=rule.name,
                        field=rule.amount_field,
                        model=rule.model,
                    )
                )

    @api.constrains("server_action_id", "model")
    def _check_server_action(self):
        for rule in self:
            action = rule.server_action_id
            if action and action.model_id.model != rule.model:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the Server Action must run on %(model)s.",
                        rule=rule.name,
                        model=rule.model,
                    )
                )

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()  # _o2c_rule_index
        return records

    def write(self, vals):
        res = super().write(vals)
        if {"active", "check_on_save", "model", "company_id", "sequence"} & set(vals):
            self.env.registry.clear_cache()  # _o2c_rule_index
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()  # _o2c_rule_index
        return res

    # ---------------------------------------------------------- BUSINESS
    @api.model
    @tools.ormcache("model", "action")
    def _o2c_rule_index(self, model, action):
        """``((rule id, company id), ...)``: the active rules of ``model`` for ``action``.

        Cached per worker and cleared when a rule changes, so that a guarded
        action without rules costs no query.
        """
        domain = [("model", "=", model)]
        if action == "save":
            domain.append(("check_on_save", "=", True))
        elif MODEL_ACTIONS.get(model) != action:
            return ()
        return tuple((rule.id, rule.company_id.id) for rule in self.sudo().search(domain))

    @api.model
    def _o2c_has_save_rules(self, model):
        """Whether any active rule checks ``model`` on save (no query once cached)."""
        return bool(self._o2c_rule_index(model, "save"))

    def _get_domain(self):
        """The rule's condition as a domain; a clear error when it is not valid."""
        self.ensure_one()
        eval_ctx = {
            "uid": self.env.uid,
            "user": self.env.user,
            "time": time,
            "datetime": datetime,
            "dateutil": dateutil,
            "context_today": lambda: fields.Date.context_today(self),
        }
        try:
            domain = safe_eval(self.domain or "[]", eval_ctx)
            domain = expression.normalize_domain(domain)
            # compile it (no execution): unknown fields and bad operators fail here
            self.env[self.model].sudo()._search(domain)
        except Exception as e:
            raise ValidationError(
                self.env._(
                    "Rule %(rule)s: the Condition is not valid for %(model)s: %(err)s",
                    rule=self.name,
                    model=self.model,
                    err=e,
                )
            ) from e
        return domain

    @api.model
    def _o2c_rules_for(self, records, action):
        """The active rules of ``records``' model for ``action`` (from the rule index)."""
        index = self._o2c_rule_index(records._name, action)
        if not index:
            return self.browse()
        companies = {False, *records.company_id.ids}
        return self.sudo().browse(
            [rule_id for rule_id, company_id in index if company_id in companies]
        )

    @api.model
    def _o2c_evaluate(self, records, action):
        """Evaluate every rule of ``action`` on ``records`` and raise/resolve exceptions."""
        if not records or records._name not in MODEL_ACTIONS:
            return
        rules = self._o2c_rules_for(records, action)
        for rule in rules:
            rule._o2c_apply(records)

    def _o2c_apply(self, records):
        self.ensure_one()
        candidates = records.filtered_domain(MODEL_SCOPE.get(records._name, []))
        if self.company_id:
            candidates = candidates.filtered(lambda r: r.company_id == self.company_id)
        if self.order_class_ids:
            path = CLASS_PATH[records._name]
            candidates = candidates.filtered(lambda r: r.mapped(path) & self.order_class_ids)
        if not candidates:
            return
        try:
            domain = self._get_domain()
        except ValidationError as e:
            raise UserError(
                self.env._(
                    "O2C rule %(rule)s cannot be checked: %(err)s. Ask an O2C manager "
                    "to fix or archive it.",
                    rule=self.name,
                    err=e.args[0],
                )
            ) from e
        violating = candidates.search(expression.AND([[("id", "in", candidates.ids)], domain]))
        if self.server_action_id and violating:
            violating = violating.browse(self._run_server_action(violating))
        violating = violating.with_env(records.env)
        if violating:
            violating._o2c_raise_exceptions(
                self.type_id.code, self._o2c_values(violating), rule=self
            )
        (candidates - violating)._o2c_resolve_exceptions(
            [self.type_id.code], self.env._("Rule %s no longer matches.", self.name), rule=self
        )

    def _run_server_action(self, records):
        result = self.server_action_id.with_context(
            active_model=records._name, active_ids=records.ids, active_id=records[:1].id
        ).run()
        if isinstance(result, dict) and "o2c_violating_ids" in result:
            ids = set(result["o2c_violating_ids"] or [])
            return [rid for rid in records.ids if rid in ids]
        raise UserError(
            self.env._(
                "Server action %(action)s of O2C rule %(rule)s must set "
                "action = {'o2c_violating_ids': [...]}.",
                action=self.server_action_id.name,
                rule=self.name,
            )
        )

    def _o2c_values(self, records):
        """Per-record exception values: rendered message and value at risk."""
        self.ensure_one()
        names = [f for _t, f, _s, _c in string.Formatter().parse(self.message or "") if f]
        result = {}
        for rec in records:
            fmt = {}
            for name in names:
                value = rec[name]
                fmt[name] = value.display_name if isinstance(value, models.BaseModel) else value
            vals = {"name": self.message.format(**fmt)[:250]}
            if self.amount_field:
                vals["amount"] = rec[self.amount_field]
            result[rec.id] = vals
        return result

    # ------------------------------------------------------------ ACTION
    def action_view_exceptions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "o2c_exception_base.o2c_exception_action"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
