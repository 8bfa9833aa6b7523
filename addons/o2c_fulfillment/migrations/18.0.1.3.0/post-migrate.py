# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The customer hears of a backorder by default now: the shipped default policy
    sends the notice, unless an administrator changed the policy since install (its
    data record is not updated)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    policy = env.ref("o2c_fulfillment.o2c_fulfillment_policy_default", raise_if_not_found=False)
    if policy and policy.communication == "activity" and policy.write_date == policy.create_date:
        policy.communication = "auto"
