# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import format_amount, formatLang

UNIT_LABELS = [
    ("count", "Count"),
    ("currency", "Amount"),
    ("hours", "Hours"),
    ("days", "Days"),
    ("percent", "Percent"),
    ("per_100", "Per 100"),
]
TRENDS = [("better", "Better"), ("worse", "Worse"), ("same", "Same")]
BETTER_WAYS = [("lower", "Lower"), ("higher", "Higher")]
#: how a value of each unit reads (currency: the review's currency)
UNIT_FORMATS = {
    "count": ("%s", 0),
    "hours": ("%s h", 1),
    "days": ("%s d", 1),
    "percent": ("%s %%", 1),
    "per_100": ("%s / 100", 2),
}


class O2cReviewMetric(models.Model):
    """One figure of a monthly review: its value this month and the month before.

    Written by the review's engine from the control tower, never by hand: the
    board decides on the figures the dashboard showed.
    """

    _name = "o2c.review.metric"
    _description = "O2C Monthly Review Figure"
    _order = "review_id, sequence, id"

    review_id = fields.Many2one("o2c.review", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="review_id.currency_id")
    sequence = fields.Integer(default=10)
    key = fields.Char(required=True, help="Key of the dashboard figure.")
    title = fields.Char(required=True)
    section = fields.Char(help="Section of the dashboard showing the figure.")
    unit = fields.Selection(UNIT_LABELS, required=True, default="count")
    value = fields.Float(digits=(16, 2))
    has_value = fields.Boolean(help="Unset when there was nothing to measure in the month.")
    previous = fields.Float(string="Previous Month", digits=(16, 2))
    has_previous = fields.Boolean()
    better = fields.Selection(BETTER_WAYS, help="Which way a change is good (none: neutral).")
    trend = fields.Selection(TRENDS, compute="_compute_trend", store=True)
    value_display = fields.Char(string="Value (text)", compute="_compute_display")
    previous_display = fields.Char(string="Previous Month (text)", compute="_compute_display")

    # ----------------------------------------------------------- COMPUTE
    @api.depends("value", "previous", "has_value", "has_previous", "better")
    def _compute_trend(self):
        for rec in self:
            rec.trend = rec._o2c_trend()

    def _o2c_trend(self):
        """Better, worse or same against the previous month, by the figure's better way."""
        if not (self.has_value and self.has_previous and self.better):
            return False
        if self.currency_id.compare_amounts(self.value, self.previous) == 0:
            return "same"
        higher = self.value > self.previous
        return "better" if higher == (self.better == "higher") else "worse"

    @api.depends("value", "previous", "has_value", "has_previous", "unit", "currency_id")
    def _compute_display(self):
        for rec in self:
            rec.value_display = rec._o2c_format(rec.value, rec.has_value)
            rec.previous_display = rec._o2c_format(rec.previous, rec.has_previous)

    def _o2c_format(self, value, present):
        """``value`` as the board reads it: its unit, ``—`` when nothing was measured."""
        if not present:
            return "—"
        if self.unit == "currency":
            return format_amount(self.env, value, self.currency_id)
        pattern, digits = UNIT_FORMATS[self.unit]
        return pattern % formatLang(self.env, value, digits=digits)
