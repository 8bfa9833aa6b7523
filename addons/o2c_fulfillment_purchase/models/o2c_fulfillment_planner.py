# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class O2cFulfillmentPlanner(models.AbstractModel):
    _inherit = "o2c.fulfillment.planner"

    @api.model
    def _o2c_incoming_supply(self, products, warehouses):
        """Add the purchases: ``{(product id, warehouse id): (qty in RFQs, first planned date)}``.

        One query over the purchase lines not received yet, by the warehouse of
        their operation type: the quantity counts RFQs only (confirmed orders
        are already in the forecast), the date counts RFQs and confirmed orders.
        """
        supply = super()._o2c_incoming_supply(products, warehouses)
        if not products or not warehouses:
            return supply
        self.env["purchase.order.line"].flush_model()
        self.env["purchase.order"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT pol.product_id, spt.warehouse_id,
                      COALESCE(SUM(pol.product_uom_qty)
                               FILTER (WHERE po.state IN ('draft', 'sent', 'to approve')), 0),
                      MIN(pol.date_planned)
                 FROM purchase_order_line pol
                 JOIN purchase_order po ON po.id = pol.order_id
                 JOIN stock_picking_type spt ON spt.id = po.picking_type_id
                WHERE pol.product_id IN %s AND spt.warehouse_id IN %s
                  AND po.state IN ('draft', 'sent', 'to approve', 'purchase')
                  AND pol.qty_received < pol.product_qty
             GROUP BY pol.product_id, spt.warehouse_id""",
                tuple(products.ids),
                tuple(warehouses.ids),
            )
        )
        for pid, wid, qty, date in self.env.cr.fetchall():
            # add to the supply another addon may report for the same pair
            other_qty, other_date = supply.get((pid, wid), (0.0, None))
            dates = [d for d in (date, other_date) if d]
            supply[(pid, wid)] = (qty + other_qty, min(dates) if dates else None)
        return supply
