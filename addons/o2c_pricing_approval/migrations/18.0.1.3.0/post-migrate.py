# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The type's wording for customers (its data record is not updated)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    etype = env.ref(
        "o2c_pricing_approval.o2c_exception_type_discount_approval", raise_if_not_found=False
    )
    if etype and not etype.portal_label:
        etype.portal_label = "Pricing under review"
