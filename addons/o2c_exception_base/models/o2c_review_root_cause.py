# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

#: root causes listed on a review (the most frequent first)
TOP_ROOT_CAUSES = 10


class O2cReviewRootCause(models.Model):
    """One of the top root causes of the exceptions decided in a review's month."""

    _name = "o2c.review.root.cause"
    _description = "O2C Monthly Review Root Cause"
    _order = "review_id, count desc, id"

    review_id = fields.Many2one("o2c.review", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    root_cause_id = fields.Many2one("o2c.root.cause", required=True, ondelete="restrict")
    count = fields.Integer(string="Exceptions", help="Exceptions decided in the month with it.")
    share = fields.Float(
        string="Share (%)",
        digits=(5, 1),
        help="Percentage of all the exceptions decided in the month.",
    )

    @api.model
    def _o2c_top_vals(self, company, start, end):
        """Lines of the most frequent root causes of ``company``'s exceptions
        decided from ``start`` to ``end`` (UTC, end excluded), with their share of
        all the decisions: one grouped query."""
        groups = (
            self.env["o2c.exception"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("decision_date", ">=", start),
                    ("decision_date", "<", end),
                ],
                ["root_cause_id"],
                ["__count"],
            )
        )
        total = sum(count for __, count in groups)
        ranked = sorted(
            ((cause, count) for cause, count in groups if cause),
            key=lambda group: (-group[1], group[0].sequence, group[0].id),
        )
        return [
            {"root_cause_id": cause.id, "count": count, "share": 100.0 * count / total}
            for cause, count in ranked[:TOP_ROOT_CAUSES]
        ]
