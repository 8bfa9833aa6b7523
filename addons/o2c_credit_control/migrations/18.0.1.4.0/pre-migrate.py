# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo.addons.o2c_credit_control.upgrade import move_own_limits_to_odoo

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    """One credit limit: the customers' own O2C limits move to Odoo's own field."""
    moved = move_own_limits_to_odoo(cr)
    _logger.info("o2c_credit_control: own credit limits of %s customers moved to Odoo's", moved)
