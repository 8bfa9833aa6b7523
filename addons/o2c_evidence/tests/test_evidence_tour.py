# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import EvidenceCommon


@tagged("post_install", "-at_install")
class TestEvidenceTour(EvidenceCommon, HttpCase):
    """In the browser: the salesperson clicks Evidence pack on the seeded order."""

    def test_evidence_pack_in_the_browser(self):
        self.assertFalse(self.salesman.has_group("base.group_system"))
        self.start_tour(
            f"/odoo/action-sale.action_orders/{self.order.id}",
            "o2c_evidence_pack",
            login=self.salesman.login,
        )
