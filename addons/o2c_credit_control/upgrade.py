# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Upgrade steps of o2c_credit_control that tests can run too (no model here)."""

from odoo.tools import SQL


def move_own_limits_to_odoo(cr):
    """The customers' own O2C limits become Odoo's credit limit, per company.

    Before 18.0.1.4.0 a customer with *Own terms* had its limit in
    ``res_partner.o2c_credit_limit`` (company-dependent, JSONB): that value is
    what O2C enforced, so it wins over an Odoo limit of the same company. The
    values of companies where the customer did not have own terms did nothing
    and are not moved. Returns the number of customers changed; the old column
    is dropped.
    """
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = 'res_partner' AND column_name = 'o2c_credit_limit'"
    )
    if not cr.fetchone():
        return 0
    cr.execute(
        SQL(
            """
            UPDATE res_partner p
               SET credit_limit = COALESCE(p.credit_limit, '{}'::jsonb) || own.limits
              FROM (
                SELECT p2.id, jsonb_object_agg(lim.company, lim.amount) AS limits
                  FROM res_partner p2,
                       jsonb_each(p2.o2c_credit_limit) AS lim(company, amount)
                 WHERE p2.o2c_credit_limit_type ->> lim.company = 'limit'
              GROUP BY p2.id
              ) own
             WHERE own.id = p.id
            """
        )
    )
    moved = cr.rowcount
    cr.execute("ALTER TABLE res_partner DROP COLUMN o2c_credit_limit")
    return moved
