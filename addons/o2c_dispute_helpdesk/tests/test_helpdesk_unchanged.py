# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""OCA helpdesk_mgmt behaves as before for tickets that are not disputes.

Its own ticket and team test suites run again here with this addon installed,
plus the points this addon touches (closing, exceptions, portal close).
"""

from odoo.addons.helpdesk_mgmt.tests import test_helpdesk_ticket, test_helpdesk_ticket_team
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestOcaHelpdeskTicketUnchanged(test_helpdesk_ticket.TestHelpdeskTicket):
    """OCA's own ticket tests, with this addon installed."""


@tagged("post_install", "-at_install")
class TestOcaHelpdeskTeamUnchanged(test_helpdesk_ticket_team.TestHelpdeskTicketTeam):
    """OCA's own team tests, with this addon installed."""


@tagged("post_install", "-at_install")
class TestPlainTicketUnchanged(DisputeCommon):
    def _ticket(self):
        return self.Ticket.with_user(self.agent).create(
            {"name": "Printer broken", "description": "<p>It jams</p>"}
        )

    def test_plain_ticket_has_no_dispute_data(self):
        ticket = self._ticket()
        self.assertFalse(ticket.o2c_is_dispute)
        self.assertFalse(ticket.o2c_dispute_state)
        self.assertFalse(ticket.o2c_exception_ids)
        self.assertFalse(self.env["o2c.exception"].search([("ticket_id", "=", ticket.id)]))
        self.assertTrue(ticket.number.startswith("HT"))

    def test_plain_ticket_closes_without_root_cause(self):
        ticket = self._ticket()
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        ticket.stage_id = done
        self.assertTrue(ticket.closed)
        self.assertTrue(ticket.closed_date)

    def test_plain_ticket_can_be_deleted(self):
        ticket = self._ticket()
        ticket.sudo().unlink()
        self.assertFalse(ticket.exists())

    def test_open_dispute_cannot_be_deleted(self):
        invoice = self._invoice()
        ticket = self._dispute(o2c_invoice_id=invoice.id)
        with self.assertRaises(UserError) as cm:
            ticket.sudo().unlink()
        self.assertIn("open dispute cannot be deleted", str(cm.exception))
