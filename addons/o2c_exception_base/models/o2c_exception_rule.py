# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import string
from contextlib import contextmanager

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import mute_logger
from odoo.tools.safe_eval import datetime, dateutil, safe_eval, time

from ..tools import error_text

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
#: errors that concern the transaction, not the rule (serialization failure,
#: deadlock, lock timeout, lost connection): raised, for the caller to retry
TRANSACTION_ERRORS = (psycopg2.OperationalError, psycopg2.InterfaceError)
#: what saving a rule means: a write of one of these fields clears its failing marker
DEFINITION_FIELDS = {
    "name",
    "active",
    "company_id",
    "model",
    "type_id",
    "check_on_save",
    "domain",
    "server_action_id",
    "order_class_ids",
    "message",
    "amount_field",
}
#: longest error kept on a failing rule (the log has the traceback)
RULE_ERROR_MAX_CHARS = 1000
#: value of each field type a message is rendered with when the rule is saved
SAMPLE_VALUES = {
    "integer": 0,
    "float": 0.0,
    "monetary": 0.0,
    "boolean": False,
    "date": fields.Date.to_date("2000-01-31"),
    "datetime": fields.Datetime.to_datetime("2000-01-31 12:00:00"),
}


class O2cExceptionRule(models.Model):
    """An admin-defined control: a domain (or a server action) over documents.

    Evaluated on the whole recordset of the guarded action: one search per rule,
    no write to the rule, only exceptions whose result changed are written.
    """

    _name = "o2c.exception.rule"
    _description = "O2C Exception Rule"
    _inherit = ["o2c.policy.governed.mixin", "mail.thread"]
    _order = "sequence, id"
    # what the rule checks and raises: changed through a request when the
    # company requires approval for rules (its failing marker is the engine's)
    _o2c_policy_kind = "rule"
    _o2c_policy_fields = (
        "active",
        "company_id",
        "model",
        "type_id",
        "check_on_save",
        "domain",
        "server_action_id",
        "order_class_ids",
        "message",
        "amount_field",
    )

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        tracking=True,
        help="Empty: the rule applies to every company.",
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
        tracking=True,
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
        tracking=True,
        domain="[('model_id.model', '=', model), ('state', '=', 'code')]",
        help="For logic a domain cannot express. Runs once on the candidate documents "
        "(``records``) and sets ``action = {'o2c_violating_ids': [...]}``. "
        "Combined with the condition (both must match).",
    )
    order_class_ids = fields.Many2many(
        "o2c.order.class",
        string="Order Classes",
        tracking=True,
        help="Only documents of these order classes. Empty: every order.",
    )
    message = fields.Char(
        required=True,
        translate=True,
        tracking=True,
        help="Summary of the exception. May name fields of the document between "
        "braces, e.g. 'Order {name} of {partner_id} is below {amount_untaxed}'.",
    )
    amount_field = fields.Char(
        string="Value Field",
        tracking=True,
        help="Field holding the value at risk (e.g. amount_total). Empty: none.",
    )
    exception_count = fields.Integer(compute="_compute_exception_count")
    failing = fields.Boolean(
        readonly=True,
        copy=False,
        help="The rule could not be checked at run time (see Last Error): documents "
        "went on without it. Fix the rule and save it, or use Check Again.",
    )
    last_error = fields.Text(readonly=True, copy=False)
    last_error_date = fields.Datetime(string="Failing Since", readonly=True, copy=False)

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
        """Compile the condition and run it once: a bad value fails here, not at run time."""
        for rule in self:
            rule._o2c_try_domain(rule._get_domain())

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
            # render it with a value of each field's type: a bad format spec fails here
            sample = {name: SAMPLE_VALUES.get(Model._fields[name].type, "") for name in names}
            try:
                rule._o2c_render(sample)
            except Exception as e:  # pylint: disable=broad-except
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the Message cannot be rendered (%(err)s).",
                        rule=rule.name,
                        err=error_text(e),
                    )
                ) from e
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
        failing = self.filtered("failing") if DEFINITION_FIELDS & set(vals) else self.browse()
        if failing:
            # saving the rule again clears its failing marker, once it checks out
            vals = {**vals, "failing": False, "last_error": False, "last_error_date": False}
        res = super().write(vals)
        if {"active", "check_on_save", "model", "company_id", "sequence"} & set(vals):
            self.env.registry.clear_cache()  # _o2c_rule_index
        # a failing rule saved again, or a rule brought back, is checked as when created
        checked = failing | (self if vals.get("active") else self.browse())
        checked.filtered("active")._o2c_check_definition()
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

    def _o2c_try_domain(self, domain):
        """Run ``domain`` once (``LIMIT 1``, in a savepoint) on the rule's model.

        Compiling is not enough: a value of the wrong type (``[('id', '=', 'abc')]``,
        a date that is not one) only fails when PostgreSQL reads the query.
        """
        self.ensure_one()
        Model = self.env[self.model].sudo().with_context(active_test=False)
        try:
            with self._o2c_reading():
                query = Model._search(expression.AND([MODEL_SCOPE.get(self.model, []), domain]))
                query.limit = 1
                self.env.cr.execute(query.select())
        except TRANSACTION_ERRORS:
            raise
        except Exception as e:  # pylint: disable=broad-except
            raise self._o2c_condition_error(e) from e

    def _o2c_condition_error(self, error):
        """The ValidationError naming the rule's Condition, with ``error``'s text."""
        if isinstance(error, ValidationError):
            return error  # from _get_domain: names the Condition already
        return ValidationError(
            self.env._(
                "Rule %(rule)s: the Condition is not valid for %(model)s: %(err)s",
                rule=self.name,
                model=self.model,
                err=self._o2c_error_text(error),
            )
        )

    def _o2c_check_definition(self):
        """Every save-time check of the rules (the constraints), e.g. before clearing
        a failing marker."""
        self._check_domain()
        self._check_message()
        self._check_server_action()

    @api.model
    def _o2c_error_text(self, error):
        """A short text for ``error``: the message of a user or database error."""
        if isinstance(error, UserError):
            text = str(error.args[0] if error.args else error)
        elif isinstance(error, psycopg2.Error) and error.diag.message_primary:
            text = error.diag.message_primary
        else:
            text = error_text(error)
        return text[:RULE_ERROR_MAX_CHARS]

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
            errors = []
            try:
                # a rule that fails, fails alone: its work is rolled back (each step
                # touching the database runs in a savepoint), the documents go on
                # without it, the rule is marked failing and its managers are told
                rule._o2c_apply(records, errors)
            except TRANSACTION_ERRORS:
                raise
            except Exception as e:  # pylint: disable=broad-except
                _logger.warning(
                    "O2C rule %s (%s) failed on %s, skipped",
                    rule.name,
                    rule.id,
                    records,
                    exc_info=True,
                )
                errors.append(self._o2c_error_text(e))
            if errors:
                try:
                    with self.env.cr.savepoint():
                        rule._o2c_mark_failing(errors[0])
                except TRANSACTION_ERRORS:
                    raise
                except Exception:  # pylint: disable=broad-except
                    _logger.exception(
                        "O2C rule %s (%s) could not be marked failing", rule.name, rule.id
                    )

    def _o2c_mark_failing(self, error):
        """Mark the rule failing with ``error`` and tell its O2C managers (once)."""
        self.ensure_one()
        rule = self.sudo()
        if rule.failing:
            return  # already marked and told: no write per confirmation
        rule.write({"failing": True, "last_error": error, "last_error_date": fields.Datetime.now()})
        managers = (
            self.env.ref("o2c_exception_base.group_o2c_manager")
            .sudo()
            .users.filtered(
                lambda u: u.active
                and not u.share
                and u.id != 1
                and (not rule.company_id or rule.company_id in u.company_ids)
            )
        )
        rule.message_post(
            body=Markup("<b>%s</b><br/>%s<br/>%s")
            % (
                self.env._("This rule failed and was skipped."),
                error,
                self.env._(
                    "The documents it fails on are confirmed, validated or posted without "
                    "it: correct the rule and save it, or archive it."
                ),
            ),
            author_id=self.env.ref("base.partner_root").id,
            partner_ids=managers.partner_id.ids,
            subtype_xmlid="mail.mt_note",
            message_type="comment",
        )

    def action_o2c_check_again(self):
        """Check the rules again (as when saved) and clear their failing marker."""
        self.check_access("write")
        self._o2c_check_definition()
        self.write({"failing": False, "last_error": False, "last_error_date": False})
        return True

    def _o2c_apply(self, records, errors=None):
        """Raise/resolve the rule's exceptions on ``records``.

        :param errors: list receiving the errors the rule survived (a message that
            could not be rendered: the exception is raised with the raw message)
        """
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
            with self._o2c_reading():
                domain = self._get_domain()
                violating = candidates.search(
                    expression.AND([[("id", "in", candidates.ids)], domain])
                )
        except TRANSACTION_ERRORS:
            raise
        except Exception as e:  # pylint: disable=broad-except
            raise self._o2c_condition_error(e) from e
        if self.server_action_id and violating:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():  # the action may write
                violating = violating.browse(self._run_server_action(violating))
        violating = violating.with_env(records.env)
        values = {}
        if violating:
            with self._o2c_reading():
                values = self._o2c_values(violating, errors)
        with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            if violating:
                violating._o2c_raise_exceptions(self.type_id.code, values, rule=self)
            (candidates - violating)._o2c_resolve_exceptions(
                [self.type_id.code], self.env._("Rule %s no longer matches.", self.name), rule=self
            )

    @contextmanager
    def _o2c_reading(self):
        """Around a step that only reads: a database error leaves the transaction usable.

        Everything is flushed first, so rolling back to the savepoint loses no
        pending write, and the caches and pre-commit hooks (tracking) are kept,
        unlike a flushing savepoint's rollback.
        """
        self.env.flush_all()
        with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
            yield

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

    def _o2c_values(self, records, errors=None):
        """Per-record exception values: rendered message and value at risk.

        A message that cannot be rendered for a record (e.g. a date format on an
        empty date) gives the raw message: the document is still held, and the
        error is added to ``errors``.
        """
        self.ensure_one()
        names = [f for _t, f, _s, _c in string.Formatter().parse(self.message or "") if f]
        result = {}
        for rec in records:
            fmt = {}
            for name in names:
                value = rec[name]
                if isinstance(value, models.BaseModel):
                    value = ", ".join(n or "" for n in value.mapped("display_name"))
                fmt[name] = value
            try:
                name = self._o2c_render(fmt)
            except Exception as e:  # pylint: disable=broad-except
                if errors is None:
                    raise
                errors.append(
                    self.env._(
                        "The Message cannot be rendered for %(record)s (%(err)s).",
                        record=rec.display_name,
                        err=error_text(e),
                    )
                )
                name = self.message
            # the policy-gap advisor's statistics per rule (no limit of its own to move)
            vals = {
                "name": name[:250],
                "o2c_policy_ref": f"{self._name},{self.id}",
                "o2c_policy_label": self.name,
            }
            if self.amount_field:
                vals["amount"] = rec[self.amount_field]
            result[rec.id] = vals
        return result

    def _o2c_render(self, values):
        """The rule's message with ``values`` (``{field name: value}``)."""
        self.ensure_one()
        return self.message.format(**values)

    # ------------------------------------------------------------ ACTION
    def action_view_exceptions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "o2c_exception_base.o2c_exception_action"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
