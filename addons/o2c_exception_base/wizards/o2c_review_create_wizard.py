# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class O2cReviewCreateWizard(models.TransientModel):
    """Create (or open) the monthly review of a company for a month a manager picks."""

    _name = "o2c.review.create.wizard"
    _description = "O2C Create Monthly Review"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    month = fields.Date(
        required=True,
        default=lambda self: self._default_month(),
        help="Any day of the month to review.",
    )

    @api.model
    def _default_month(self):
        """The first day of last month: the month the cron reviews."""
        today = fields.Date.context_today(self)
        return today.replace(day=1) - relativedelta(months=1)

    def action_create_review(self):
        """Create the review of the month (or find the existing one) and open it."""
        self.ensure_one()
        if not self.env.user.has_group("o2c_exception_base.group_o2c_manager"):
            raise UserError(self.env._("Only O2C managers create monthly reviews."))
        if self.company_id not in self.env.user.company_ids:
            raise UserError(
                self.env._(
                    "You do not work for %s: pick one of your companies.", self.company_id.name
                )
            )
        review = self.env["o2c.review"]._o2c_get_or_create(self.company_id, self.month)
        return review.with_env(self.env).get_formview_action()
