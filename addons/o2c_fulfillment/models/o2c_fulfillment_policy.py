# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.addons.o2c_exception_base.models.o2c_exception_type import MAX_DAYS, check_bounds
from odoo.exceptions import ValidationError

COMMUNICATIONS = [
    ("none", "None"),
    ("activity", "Activity for the salesperson (send on demand)"),
    ("auto", "Send the email automatically"),
]
SUBSTITUTE_PRICINGS = [
    ("ordered", "Price of the ordered product"),
    ("substitute", "Price of the substitute (pricelist)"),
]
#: bounds of a policy's days (an absurd value would overflow the date arithmetic)
POLICY_BOUNDS = {
    "buffer_days": (0, 365),
    "default_lead_days": (0, MAX_DAYS),
    "horizon_days": (0, 365),
}


class O2cFulfillmentPolicy(models.Model):
    """What happens automatically when an order line is backordered or substituted.

    The most specific active policy wins: one of the product's category (or a
    parent category) before one without category, one of the company before a
    shared one, then by sequence.
    """

    _name = "o2c.fulfillment.policy"
    _description = "O2C Fulfillment Policy"
    _inherit = ["o2c.policy.governed.mixin", "mail.thread"]
    _order = "sequence, id"
    # changed through a request when the company requires approval for fulfillment
    _o2c_policy_kind = "fulfillment"
    _o2c_policy_fields = (
        "active",
        "sequence",
        "company_id",
        "categ_ids",
        "order_class_ids",
        "replenish",
        "communication",
        "mail_template_id",
        "recompute_promised_date",
        "buffer_days",
        "default_lead_days",
        "check_commitment",
        "horizon_days",
        "short_pick_reason",
        "substitution_control",
        "substitute_pricing",
    )

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: every company.", tracking=True
    )
    categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        tracking=True,
        help="Empty: every category. A category also covers its sub-categories.",
    )
    order_class_ids = fields.Many2many(
        "o2c.order.class",
        string="Order Classes",
        tracking=True,
        help="Only orders of these classes (e.g. EDI orders of key accounts). Empty: any "
        "order. A policy of the order's class wins over one without class.",
    )
    replenish = fields.Boolean(
        string="Trigger Replenishment",
        default=True,
        help="Run the procurement for the backordered quantity the forecast and the "
        "incoming supply do not cover yet, with the product's routes (buy, manufacture, "
        "resupply from another warehouse).",
        tracking=True,
    )
    communication = fields.Selection(
        COMMUNICATIONS,
        string="Customer Communication",
        required=True,
        default="auto",
        help="The backorder notice (lines, quantities, promised date) when a backorder "
        "is created and when its promised date moves.",
        tracking=True,
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "sale.order")],
        default=lambda self: self.env.ref(
            "o2c_fulfillment.mail_template_o2c_backorder_notice", raise_if_not_found=False
        ),
        tracking=True,
    )
    recompute_promised_date = fields.Boolean(
        default=True,
        help="Set the order's promised date (and the backorder's scheduled date) from "
        "the replenishment date.",
        tracking=True,
    )
    buffer_days = fields.Integer(
        default=1,
        help="Days added to the replenishment date to pick, pack and ship.",
        tracking=True,
    )
    default_lead_days = fields.Integer(
        string="Default Lead Time (days)",
        default=14,
        help="Replenishment lead time used when no incoming supply or vendor lead time "
        "is known.",
        tracking=True,
    )
    check_commitment = fields.Boolean(
        string="Watch Commitment Dates",
        default=True,
        help="Raise a backorder exception when a delivery cannot be reserved "
        "in full this many days before its commitment date.",
        tracking=True,
    )
    horizon_days = fields.Integer(string="Commitment Horizon (days)", default=2, tracking=True)
    short_pick_reason = fields.Boolean(
        string="Reason to Close Short",
        default=True,
        help="Closing a delivery without a backorder while it ships less than ordered "
        "needs a short pick reason and raises a Short pick exception. Off: the "
        "delivery closes short as in standard Odoo.",
        tracking=True,
    )
    substitution_control = fields.Boolean(
        string="Govern Substitutions",
        default=True,
        help="Shipping another product than ordered, a product not ordered or other "
        "lots than reserved raises a Substitution exception (blocking unless the "
        "substitute is approved). Off: such deliveries go through as in standard Odoo.",
        tracking=True,
    )
    substitute_pricing = fields.Selection(
        SUBSTITUTE_PRICINGS,
        required=True,
        default="ordered",
        help="Unit price of the order line created for a delivered substitute.",
        tracking=True,
    )

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:  # before the ORM converts them (see check_bounds)
            check_bounds(
                self, POLICY_BOUNDS, self.env._("fulfillment policy %s", vals.get("name")), vals
            )
        return super().create(vals_list)

    def write(self, vals):
        where = lambda: self.env._("fulfillment policy %s", ", ".join(self.mapped("name")))  # noqa: E731
        check_bounds(self, POLICY_BOUNDS, where, vals)
        return super().write(vals)

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains(*POLICY_BOUNDS)
    def _check_days(self):
        for rec in self:
            check_bounds(rec, POLICY_BOUNDS, self.env._("fulfillment policy %s", rec.name))

    @api.constrains("communication", "mail_template_id")
    def _check_mail_template(self):
        for rec in self:
            if rec.communication != "none" and not rec.mail_template_id:
                raise ValidationError(
                    self.env._(
                        "Fulfillment policy %s communicates with the customer: set its "
                        "Email Template.",
                        rec.name,
                    )
                )

    # ---------------------------------------------------------- BUSINESS
    @api.model
    def _o2c_get_matcher(self):
        """Return ``match(company, category, order_class=None) -> policy``.

        One search over the active policies; matches are cached per
        (company, category, order class).
        """
        policies = self.sudo().search([("active", "=", True)])
        policies.categ_ids.mapped("parent_path")
        cache = {}

        def match(company, categ, order_class=None):
            order_class = order_class or self.env["o2c.order.class"]
            key = (company.id, categ.id, order_class.id)
            if key not in cache:
                ancestors = {int(i) for i in (categ.parent_path or "").split("/") if i}
                candidates = policies.filtered(
                    lambda p: p.company_id in (company, self.env["res.company"])
                    and (not p.categ_ids or ancestors & set(p.categ_ids.ids))
                    and (not p.order_class_ids or order_class in p.order_class_ids)
                )
                cache[key] = min(
                    candidates,
                    key=lambda p: (
                        not p.order_class_ids,
                        not p.categ_ids,
                        not p.company_id,
                        p.sequence,
                        p.id,
                    ),
                    default=self.browse(),
                )
            return cache[key]

        return match
