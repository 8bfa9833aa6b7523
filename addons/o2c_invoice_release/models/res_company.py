# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.addons.o2c_exception_base.models.o2c_exception_type import check_bounds

RELEASE_POLICIES = [
    ("on_delivery", "On validated delivery"),
    ("on_pod", "On validated proof of delivery"),
    ("manual", "Manual release"),
]
#: bounds of the company's invoice release numbers (an absurd value overflows the dates)
RELEASE_BOUNDS = {"o2c_pod_aging_days": (0, 365)}


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["o2c.policy.governed.mixin", "res.company"]
    # the company's release policy changes through a request when the company
    # requires approval for invoice release (Settings: Reason for Policy Changes)
    _o2c_policy_kind = "invoice_release"
    _o2c_policy_fields = ("o2c_invoice_release_policy",)
    _o2c_policy_company_field = None
    _o2c_policy_guard_unlink = False

    # ------------------------------------------------------------ FIELDS
    o2c_invoice_release_policy = fields.Selection(
        RELEASE_POLICIES,
        string="Invoice Release Policy",
        required=True,
        default="on_delivery",
        help="When the quantities of a customer delivery may be invoiced, for "
        "customers without a policy of their own.",
    )
    o2c_pod_aging_days = fields.Integer(
        string="Missing POD After (days)",
        default=3,
        help="A delivery done this many days ago without a validated proof of "
        "delivery raises a 'Missing proof of delivery' exception. 0 disables it.",
    )
    o2c_pod_responsible_id = fields.Many2one(
        "res.users",
        string="Missing POD Contact",
        domain=[("share", "=", False)],
        help="Receives the activity to collect a missing proof of delivery. Empty: "
        "the delivery's responsible, else every inventory administrator.",
    )
    o2c_auto_invoice = fields.Boolean(
        string="Invoice Released Deliveries Automatically",
        default=True,
        help="A scheduled action invoices deliveries as soon as they are released.",
    )
    o2c_auto_post = fields.Boolean(
        string="Post Automatic Invoices",
        help="Invoices created by the release job are posted (unless an O2C "
        "exception holds them).",
    )
    o2c_auto_send = fields.Boolean(
        string="Send Automatic Invoices",
        help="Posted automatic invoices are sent to the customer in the background.",
    )
    o2c_portal_pod = fields.Boolean(
        string="Receipt Confirmation in the Portal",
        default=True,
        help="Customers may confirm the receipt of their deliveries in the portal; "
        "that confirmation is a validated proof of delivery.",
    )

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:  # before the ORM converts them (see check_bounds)
            check_bounds(self, RELEASE_BOUNDS, self.env._("company %s", vals.get("name")), vals)
        return super().create(vals_list)

    def write(self, vals):
        where = lambda: self.env._("company %s", ", ".join(self.mapped("name")))  # noqa: E731
        check_bounds(self, RELEASE_BOUNDS, where, vals)
        return super().write(vals)

    # ---------------------------------------------------------- BUSINESS
    def _o2c_policy_company(self):
        self.ensure_one()
        return self

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains(*RELEASE_BOUNDS)
    def _check_o2c_pod_aging_days(self):
        for company in self:
            check_bounds(company, RELEASE_BOUNDS, self.env._("company %s", company.name))
