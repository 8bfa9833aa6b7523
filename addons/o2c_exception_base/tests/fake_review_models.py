# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Test-only models of the monthly review tests (loaded with FakeModelLoader)."""

from odoo import api, models

#: ``{company id: [proposal dict]}`` the fake advisor returns, set by the tests
PROPOSALS = {}
#: ``[(company ids, date from, date to)]`` the fake advisor was asked for
CALLS = []
#: ids of the companies whose review figures fail (a company failing in the cron)
FAILING_COMPANY_IDS = set()


# another test's fake (fake_advisor_models) extends the advisor for its own
# history: each is loaded by its own tests only
class O2cAdvisorFake(models.AbstractModel):
    """The advisor proposing what the test sets in :data:`PROPOSALS`."""

    _inherit = "o2c.advisor"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def o2c_proposals(self, company_ids, date_from, date_to):
        CALLS.append((list(company_ids), date_from, date_to))
        return [dict(p) for company_id in company_ids for p in PROPOSALS.get(company_id, [])]


class O2cDashboardFailing(models.AbstractModel):
    """The control tower failing for the companies of :data:`FAILING_COMPANY_IDS`."""

    _inherit = "o2c.dashboard"

    @api.model
    def _o2c_review_figure_keys(self):
        if self.env.company.id in FAILING_COMPANY_IDS:
            raise ValueError(f"figures of {self.env.company.name} unavailable")
        return super()._o2c_review_figure_keys()
