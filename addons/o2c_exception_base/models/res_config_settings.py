# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .o2c_policy_governed_mixin import settings_change_reason

# the o2c feature addons offered below as Odoo's module_* checkboxes
O2C_MODULE_PREFIX = "module_o2c_"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    o2c_advisor_min_approval_rate = fields.Float(
        related="company_id.o2c_advisor_min_approval_rate", readonly=False
    )
    o2c_advisor_min_decisions = fields.Integer(
        related="company_id.o2c_advisor_min_decisions", readonly=False
    )
    o2c_advisor_min_caught_rate = fields.Float(
        related="company_id.o2c_advisor_min_caught_rate", readonly=False
    )
    o2c_advisor_rejection_rate = fields.Float(
        related="company_id.o2c_advisor_rejection_rate", readonly=False
    )
    o2c_advisor_rejection_decisions = fields.Integer(
        related="company_id.o2c_advisor_rejection_decisions", readonly=False
    )
    o2c_advisor_outlier_factor = fields.Float(
        related="company_id.o2c_advisor_outlier_factor", readonly=False
    )
    o2c_advisor_outlier_min_orders = fields.Integer(
        related="company_id.o2c_advisor_outlier_min_orders", readonly=False
    )
    # feature addons: Odoo's module_* pattern, ticking one installs it on save
    module_o2c_pricing_approval = fields.Boolean(
        string="Pricing approval",
        help="Discounts, price overrides and sales below the margin floor wait for an "
        "approver before the quotation is confirmed.",
    )
    module_o2c_credit_control = fields.Boolean(
        string="Credit control",
        help="Orders of customers over their credit limit or with overdue invoices are "
        "held until a credit manager releases them.",
    )
    module_o2c_invoice_release = fields.Boolean(
        string="Invoice release",
        help="Proof of delivery on each delivery; its quantities are invoiced only once "
        "the delivery is released.",
    )
    module_o2c_fulfillment = fields.Boolean(
        string="Fulfillment",
        help="Backorders replenished by the customer's split policy; substitutions and "
        "short picks need an approver.",
    )
    module_o2c_freight_control = fields.Boolean(
        string="Freight approval",
        help="Expedited or costly freight on orders and deliveries needs an approver "
        "(installs Delivery).",
    )
    module_o2c_dispute_helpdesk = fields.Boolean(
        string="Disputes",
        help="Invoice and delivery disputes as helpdesk tickets linked to the order; "
        "credit notes and write-offs above a limit need an approver (installs OCA Helpdesk).",
    )
    module_o2c_order_intake = fields.Boolean(
        string="Order intake (EDI)",
        help="Order files (CSV, UBL 2.1) imported in one batch: clean orders confirmed, "
        "held ones wait in the exception queue.",
    )
    module_o2c_evidence = fields.Boolean(
        string="Evidence pack",
        help="One evidence pack per order (PDF and ZIP) for auditors and disputes "
        "(installs credit control, fulfillment, invoice release and disputes).",
    )
    # governed policy changes
    o2c_policy_approval_kind_ids = fields.Many2many(
        related="company_id.o2c_policy_approval_kind_ids", readonly=False
    )
    o2c_policy_change_reason = fields.Char(
        string="Reason for the Change",
        help="Settings that are governed policies (when their kind needs approval) "
        "change through a change request with this reason.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # the related settings are written here: a governed one becomes a request
        # with the reason typed in the same form
        reason = next(
            (v["o2c_policy_change_reason"] for v in vals_list if v.get("o2c_policy_change_reason")),
            None,
        )
        with settings_change_reason(reason):
            return super().create(vals_list)

    def set_values(self):
        # execute() uninstalls a module whose box was unticked, after set_values():
        # an o2c addon holds exceptions, approvals and evidence, which an uninstall
        # deletes, so that must be a deliberate uninstall from Apps (where Odoo lists
        # what goes), never the side effect of saving the settings
        self._check_no_o2c_module_unticked()
        return super().set_values()

    def _check_no_o2c_module_unticked(self):
        """Refuse to save settings where an installed o2c addon's box is unticked."""
        fnames = [name for name in self._fields if name.startswith(O2C_MODULE_PREFIX)]
        installed = (
            self.env["ir.module.module"]
            .sudo()
            .search(
                [
                    ("name", "in", [name.removeprefix("module_") for name in fnames]),
                    ("state", "in", ("installed", "to upgrade")),
                ]
            )
        )
        unticked = installed.filtered(lambda module: not self[f"module_{module.name}"])
        if unticked:
            raise UserError(
                _(
                    "Unticking %(modules)s would uninstall it and delete its data "
                    "(exceptions, approvals, evidence). Tick it again; to remove it, "
                    "uninstall it from the Apps menu.",
                    modules=", ".join(unticked.mapped("shortdesc")),
                )
            )

    def onchange_module(self, field_value, module_name):
        # Odoo warns that unticking uninstalls; for an o2c addon saving refuses instead
        if module_name.startswith(O2C_MODULE_PREFIX) and not int(field_value):
            module = self.env["ir.module.module"].sudo()._get(module_name.removeprefix("module_"))
            if module.state in ("installed", "to upgrade"):
                return {
                    "warning": {
                        "title": _("Installed"),
                        "message": _(
                            "%(module)s is installed: unticking does not uninstall it "
                            "(saving will refuse). Uninstall it from the Apps menu, "
                            "which lists the data it deletes.",
                            module=module.shortdesc,
                        ),
                    }
                }
        return super().onchange_module(field_value, module_name)
