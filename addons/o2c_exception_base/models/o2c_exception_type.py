# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

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


class O2cExceptionType(models.Model):
    _name = "o2c.exception.type"
    _description = "O2C Exception Type"
    _order = "stage, sequence, id"

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        index=True,
        help="Technical key used by the addons and rules that raise this type "
        "(unique per company).",
    )
    sequence = fields.Integer(default=10)
    stage = fields.Selection(STAGES, required=True, default="order_validation")
    description = fields.Text(translate=True)
    blocking = fields.Boolean(
        default=True,
        help="An open exception of this type blocks the guarded action of its "
        "document (confirmation, delivery validation, invoice posting).",
    )
    approver_group_id = fields.Many2one(
        "res.groups",
        required=True,
        ondelete="restrict",
        default=lambda self: self.env.ref(
            "o2c_exception_base.group_o2c_approver", raise_if_not_found=False
        ),
    )
    min_approvals = fields.Integer(
        string="Approvals Needed",
        default=1,
        help="Distinct approvers needed (2 or more is the two-person rule).",
    )
    sla_hours = fields.Float(
        string="SLA (hours)",
        default=24.0,
        help="Time to decide before the exception is escalated. 0 = no SLA.",
    )
    severity = fields.Selection(SEVERITIES, default="medium", required=True)
    escalation_user_id = fields.Many2one(
        "res.users",
        string="Escalate To",
        help="Receives the escalation activity. Empty: every O2C manager of the "
        "exception's company.",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Empty: shared by every company. A company-specific type with the "
        "same code wins over the shared one.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains("min_approvals")
    def _check_min_approvals(self):
        for rec in self:
            if rec.min_approvals < 1:
                raise ValidationError(
                    self.env._(
                        "Approvals Needed must be at least 1 on exception type %s.",
                        rec.name,
                    )
                )

    @api.constrains("sla_hours")
    def _check_sla_hours(self):
        for rec in self:
            if rec.sla_hours < 0:
                raise ValidationError(
                    self.env._(
                        "SLA (hours) cannot be negative on exception type %s.",
                        rec.name,
                    )
                )

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
