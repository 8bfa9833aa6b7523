# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .o2c_batch import MODE_PARAM, check_mode


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.constrains("key", "value")
    def _check_o2c_queue_job_mode(self):
        # a wrong mode refused when saved, not found by the next cron run
        for param in self.filtered(lambda p: p.key == MODE_PARAM):
            check_mode(self.env, param.value)
