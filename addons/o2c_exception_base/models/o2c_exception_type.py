# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import default_approver_group

STAGES = [
    ("lead_to_order", "Lead to order"),
    ("order_validation", "Order validation"),
    ("fulfillment_planning", "Fulfillment planning"),
    ("warehouse_execution", "Warehouse execution"),
    ("delivery_to_invoice", "Delivery to invoice"),
    ("post_invoice_service", "Post-invoice service"),
]
SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]
#: the numbers an admin sets on a type: ``{field: (minimum, maximum)}``
TYPE_BOUNDS = {
    "min_approvals": (1, 5),
    "sla_hours": (0.0, 8760.0),  # one year
}
#: bounds shared by the o2c settings: days and amounts (in the company currency)
MAX_DAYS = 3650
MAX_AMOUNT = 1e12


def check_code(records, where):
    """Refuse a technical ``code`` that is blank or starts or ends with spaces.

    :param where: function of a record naming it, e.g. "sales channel Email"
    """
    for rec in records:
        if not rec.code.strip() or rec.code != rec.code.strip():
            raise ValidationError(
                records.env._(
                    "The Code of %s must not be blank or start or end with spaces.", where(rec)
                )
            )


def check_bounds(record, bounds, where, values=None):
    """Refuse a number out of ``bounds`` with a ValidationError naming the field.

    Used by the ``@api.constrains`` of the o2c settings, so that an absurd value
    (``1e9`` hours, ``10**12`` days, ``inf``, ``NaN``) is refused when it is saved
    instead of failing later (timedelta overflow, numeric overflow in SQL).

    :param record: the record checked (or the records or model, with ``values``)
    :param bounds: ``{field name: (minimum, maximum)}``, both included
    :param where: what the record is, for the message (e.g. "exception type X"),
        or a function returning it (called only to raise)
    :param values: check these values (``create``/``write`` values, before the
        ORM converts them: ``inf`` fails to round there, a huge integer to fit
        its column) instead of the record's; fields missing are skipped
    """
    env = record.env
    if values is not None and not bounds.keys() & values.keys():
        return
    for fname, (low, high) in bounds.items():
        if values is not None and fname not in values:
            continue
        value = values[fname] if values is not None else record[fname]
        value = value or 0
        try:
            valid = math.isfinite(value) and low <= value <= high
        except (TypeError, OverflowError):  # not a number, an int too large for a float
            valid = False
        if not valid:
            raise ValidationError(
                env._(
                    "%(field)s must be a number between %(min)s and %(max)s on %(where)s "
                    "(got %(value)s).",
                    field=record._fields[fname].get_description(env)["string"],
                    min=low,
                    max=high,
                    where=where() if callable(where) else where,
                    value=value,
                )
            )


#: who answers for the documents held by an exception type (see ``_o2c_responsibles``)
RESPONSIBLES = [
    ("document", "Document's responsible"),
    ("team_leader", "Sales team leader"),
    ("none", "Nobody (approvers only)"),
]


class O2cExceptionType(models.Model):
    _name = "o2c.exception.type"
    _description = "O2C Exception Type"
    _inherit = ["o2c.policy.governed.mixin", "mail.thread"]
    _order = "stage, sequence, id"
    # who approves, how many, how fast, and whether it holds: changed through a
    # request when the company requires approval for exception types
    _o2c_policy_kind = "exception_type"
    _o2c_policy_fields = (
        "approver_group_id",
        "min_approvals",
        "sla_hours",
        "blocking",
        "code",
        "company_id",
        "active",
    )

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        index=True,
        tracking=True,
        help="Technical key used by the addons and rules that raise this type "
        "(unique per company).",
    )
    sequence = fields.Integer(default=10)
    stage = fields.Selection(STAGES, required=True, default="order_validation")
    description = fields.Text(translate=True)
    portal_label = fields.Char(
        string="Customer Wording",
        translate=True,
        tracking=True,
        help="What customers read on the portal while an exception of this type holds "
        "their order, e.g. 'Awaiting credit approval'. Empty: 'Under review'.",
    )
    blocking = fields.Boolean(
        tracking=True,
        default=True,
        help="An open exception of this type blocks the guarded action of its "
        "document (confirmation, delivery validation, invoice posting).",
    )
    resume_after_decision = fields.Boolean(
        tracking=True,
        string="Go On After Decision",
        default=True,
        help="When the last blocking exception of a held document is decided, the "
        "held action (confirmation, delivery validation, invoice posting) goes on by "
        "itself on behalf of whoever asked for it. Off: they get an activity to do it.",
    )
    approver_group_id = fields.Many2one(
        "res.groups",
        tracking=True,
        required=True,
        ondelete="restrict",
        default=default_approver_group,
    )
    min_approvals = fields.Integer(
        tracking=True,
        string="Approvals Needed",
        default=1,
        help="Distinct approvers needed (2 or more is the two-person rule).",
    )
    sla_hours = fields.Float(
        tracking=True,
        string="SLA (hours)",
        default=24.0,
        help="Time to decide before the exception is escalated. 0 = no SLA.",
    )
    severity = fields.Selection(SEVERITIES, default="medium", required=True, tracking=True)
    responsible = fields.Selection(
        RESPONSIBLES,
        default="document",
        required=True,
        tracking=True,
        help="Who answers for the documents these exceptions hold, besides the "
        "approvers: their 'My queue' lists them. Document's responsible: the "
        "salesperson of an order or invoice, the responsible of a transfer (else the "
        "sales team's leader).",
    )
    escalation_user_id = fields.Many2one(
        "res.users",
        tracking=True,
        string="Escalate To",
        help="Receives the escalation activity. Empty: every O2C manager of the "
        "exception's company.",
    )
    default_root_cause_id = fields.Many2one(
        "o2c.root.cause",
        tracking=True,
        ondelete="restrict",
        help="Prefilled when an exception of this type is approved, and taken by the "
        "decisions the system makes (a document back within policy, a cancellation) "
        "when nobody gives one. Rejecting or resolving asks the decider for it.",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        tracking=True,
        help="Empty: shared by every company. A company-specific type with the "
        "same code wins over the shared one.",
    )
    active = fields.Boolean(default=True, tracking=True)
    color = fields.Integer()

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:  # before the ORM converts them (see check_bounds)
            check_bounds(self, TYPE_BOUNDS, self.env._("exception type %s", vals.get("name")), vals)
            if not vals.get("code") and vals.get("name"):
                # the technical key is shown in debug mode only: made from the name
                vals["code"] = re.sub(r"[^a-z0-9]+", "_", vals["name"].lower()).strip("_")
        return super().create(vals_list)

    def write(self, vals):
        where = lambda: self.env._("exception type %s", ", ".join(self.mapped("name")))  # noqa: E731
        check_bounds(self, TYPE_BOUNDS, where, vals)
        return super().write(vals)

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains(*TYPE_BOUNDS)
    def _check_bounds(self):
        for rec in self:
            check_bounds(rec, TYPE_BOUNDS, self.env._("exception type %s", rec.name))

    @api.constrains("code", "company_id")
    def _check_code_unique(self):
        groups = self.with_context(active_test=False)._read_group(
            [("code", "in", self.mapped("code"))],
            ["code", "company_id"],
            having=[("__count", ">", 1)],
        )
        if groups:
            code, company = groups[0]
            raise ValidationError(
                self.env._(
                    "Code %(code)s is already used by another exception type of " "%(company)s.",
                    code=code,
                    company=company.name or self.env._("all companies"),
                )
            )

    # ---------------------------------------------------------- BUSINESS
    @api.model
    def _get_by_code(self, codes, companies):
        """Return ``{(code, company_id): type}`` for the given codes and companies.

        One search. A type of the company wins over a shared type (no company).
        """
        types = self.sudo().search(
            [("code", "in", list(codes)), ("company_id", "in", [*companies.ids, False])],
            order="company_id nulls first, sequence, id",
        )
        result = {}
        for company in companies:
            for rec in types:
                if rec.company_id in (company, self.env["res.company"]):
                    result[(rec.code, company.id)] = rec
        return result
