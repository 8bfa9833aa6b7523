# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api, fields, models, tools

from .o2c_exception_type import STAGES


class O2cStageOwner(models.Model):
    """The process owners of an O2C stage: the group whose users answer for it.

    One row per stage and company; a row without company is shared by the
    companies that have none of their own for that stage. The monthly review is
    assigned to the owners of every stage.
    """

    _name = "o2c.stage.owner"
    _description = "O2C Stage Owner"
    _inherit = ["mail.thread"]
    _order = "company_id, stage, id"

    # ------------------------------------------------------------ FIELDS
    company_id = fields.Many2one(
        "res.company",
        index=True,
        tracking=True,
        help="Leave empty to share the owner with every company that has none of its own.",
    )
    stage = fields.Selection(STAGES, required=True, tracking=True)
    group_id = fields.Many2one(
        "res.groups",
        string="Owner Group",
        required=True,
        ondelete="restrict",
        tracking=True,
        help="Its users own the stage: they receive the monthly review.",
    )

    # one owner per stage and company, the shared rows (no company) included: a
    # unique index on COALESCE (a plain unique constraint lets NULL companies
    # repeat); declared here so that the error names the rule, not the index
    _sql_constraints = [
        (
            "company_stage_uniq",
            "",
            "Stage: each stage has one owner group per company (and one shared by "
            "every company). Change that row's Owner Group instead of adding another.",
        ),
    ]

    def init(self):
        tools.create_unique_index(
            self.env.cr,
            "o2c_stage_owner_company_stage_uniq",
            self._table,
            ["COALESCE(company_id, 0)", "stage"],
        )

    # ---------------------------------------------------------- BUSINESS
    @api.model
    def _o2c_owner_groups(self, company):
        """``{stage: group}`` owning each stage of ``company``: its own row, else the shared one."""
        rows = (
            self.sudo()
            .search([("company_id", "in", [company.id, False])])
            .sorted(lambda r: bool(r.company_id))  # the company's own rows win
        )
        return {row.stage: row.group_id for row in rows}

    @api.model
    def _o2c_owners(self, company):
        """``(groups, users)``: the owner groups of every stage of ``company`` and
        their active internal users who work in it."""
        groups = self.env["res.groups"].union(*self._o2c_owner_groups(company).values())
        users = groups.sudo().users.filtered(
            lambda u: u.active and not u.share and u.id != SUPERUSER_ID and company in u.company_ids
        )
        return groups, users
