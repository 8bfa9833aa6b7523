# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Test-only models of the policy-gap advisor tests (loaded with FakeModelLoader)."""

from odoo import api, fields, models

POLICY = "o2c.advisor.test.policy"


class O2cAdvisorTestPolicy(models.Model):
    """A policy with a maximum (exceptions above it) and a floor (below it)."""

    _name = POLICY
    _description = "O2C Advisor Test Policy"

    name = fields.Char()
    max_value = fields.Float()
    min_value = fields.Float()


class O2cAdvisorTestLimits(models.AbstractModel):
    """The test policy's limits, declared as a feature addon declares its own."""

    _inherit = "o2c.advisor"

    @api.model
    def _o2c_advisor_limits(self):
        return {
            **super()._o2c_advisor_limits(),
            (POLICY, "max_value"): {"direction": "above", "label": "test limit", "unit": "%"},
            (POLICY, "min_value"): {"direction": "below", "label": "test floor", "unit": "%"},
        }
