# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sale_order import QUOTATION_STATES

PRODUCT_MATCH = [
    ("any", "Any line"),
    ("all", "All lines"),
]


class O2cOrderClass(models.Model):
    """A standard order scenario: customer segment x channel x product family x fulfillment.

    Each quotation gets the first class (by sequence) whose scope matches; empty
    scope fields match everything.
    """

    _name = "o2c.order.class"
    _description = "O2C Order Class"
    _order = "sequence, id"

    # ------------------------------------------------------------ FIELDS
    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10, help="The first matching class wins.")
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: the class applies to every company."
    )
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    color = fields.Integer()
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        string="Customer Segments",
        help="Tags of the customer (commercial entity). Empty: any customer.",
    )
    team_ids = fields.Many2many("crm.team", string="Sales Teams")
    channel_ids = fields.Many2many(
        "o2c.sale.channel",
        string="Channels",
        help="How the order came in (back office, email, portal, EDI / API), recorded "
        "by the server on each order. Empty: any channel.",
    )
    source_ids = fields.Many2many(
        "utm.source",
        string="Sources",
        help="Marketing source of the order (UTM), as set by the salesperson or a campaign.",
    )
    medium_ids = fields.Many2many("utm.medium", string="Mediums")
    product_categ_ids = fields.Many2many(
        "product.category",
        string="Product Families",
        help="Product categories (and their sub-categories) of the order lines.",
    )
    product_match = fields.Selection(
        PRODUCT_MATCH,
        default="any",
        required=True,
        help="Whether any line or all lines must be of these product families.",
    )
    warehouse_ids = fields.Many2many("stock.warehouse", string="Warehouses")
    route_ids = fields.Many2many(
        "stock.route",
        string="Routes",
        help="Fulfillment routes of the lines (dropship, make to order...): any line.",
        domain=[("sale_selectable", "=", True)],
    )
    order_count = fields.Integer(compute="_compute_order_count")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The code must be unique per company."),
    ]

    # ----------------------------------------------------------- COMPUTE
    def _compute_order_count(self):
        counts = dict(
            self.env["sale.order"]._read_group(
                [("o2c_order_class_id", "in", self.ids)], ["o2c_order_class_id"], ["__count"]
            )
        )
        for rec in self:
            rec.order_count = counts.get(rec, 0)

    # -------------------------------------------------------- CONSTRAINT
    @api.constrains("code")
    def _check_code(self):
        for rec in self:
            if not rec.code.strip():
                raise ValidationError(self.env._("The order class needs a Code."))

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._recompute_quotations()
        return records

    def write(self, vals):
        res = super().write(vals)
        self._recompute_quotations()
        return res

    # ---------------------------------------------------------- BUSINESS
    def _recompute_quotations(self):
        """A class change re-classifies the open quotations (never confirmed orders)."""
        quotations = self.env["sale.order"].search([("state", "in", QUOTATION_STATES)])
        if quotations:
            self.env.add_to_compute(
                self.env["sale.order"]._fields["o2c_order_class_id"], quotations
            )

    @api.model
    def _o2c_classify(self, orders):
        """Return ``{order id: class}`` for ``orders`` (first match by sequence).

        Classes are read once; category trees resolved once per class; the
        orders' fields come through prefetching, so the cost does not grow with
        queries per order.
        """
        classes = self.search(
            [("company_id", "in", [*orders.company_id.ids, False])], order="sequence, id"
        )
        if not classes:
            return {}
        categ_sets = {}
        for cls in classes:
            if cls.product_categ_ids:
                categ_sets[cls.id] = set(
                    self.env["product.category"]
                    .search([("id", "child_of", cls.product_categ_ids.ids)])
                    .ids
                )
        result = {}
        for order in orders:
            for cls in classes:
                if cls._o2c_matches(order, categ_sets.get(cls.id)):
                    result[order.id] = cls
                    break
        return result

    def _o2c_matches(self, order, categ_ids):
        """Whether ``order`` is in this class's scope (pure Python, no query)."""
        self.ensure_one()
        if self.company_id and self.company_id != order.company_id:
            return False
        partner = order.partner_id.commercial_partner_id
        if self.partner_category_ids and not (
            self.partner_category_ids & (partner.category_id | order.partner_id.category_id)
        ):
            return False
        if self.team_ids and order.team_id not in self.team_ids:
            return False
        if self.channel_ids and order.o2c_channel_id not in self.channel_ids:
            return False
        if self.source_ids and order.source_id not in self.source_ids:
            return False
        if self.medium_ids and order.medium_id not in self.medium_ids:
            return False
        if self.warehouse_ids and order.warehouse_id not in self.warehouse_ids:
            return False
        lines = order.order_line.filtered(lambda line: not line.display_type)
        if self.route_ids and not (lines.route_id & self.route_ids):
            return False
        if categ_ids is not None:
            hits = [line.product_id.categ_id.id in categ_ids for line in lines]
            if not hits or not (all(hits) if self.product_match == "all" else any(hits)):
                return False
        return True

    # ------------------------------------------------------------ ACTION
    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("o2c_order_class_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
