# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.addons.o2c_exception_base.tests.common import o2c_policy_approval_off, o2c_test_env
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

SALES = "sales_team.group_sale_salesman"
O2C = "o2c_exception_base.group_o2c_"


class O2cPricingCommon(TransactionCase):
    """Sales and approval users in two companies, products, one test policy.

    Every existing policy is archived: each test sees only the policies it makes.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = o2c_test_env(cls.env)
        # the tests change their policies directly (approval: test_policy_change_pricing)
        o2c_policy_approval_off(cls.env, "pricing")
        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "O2C Pricing Company B"})
        both = [cls.company.id, cls.company_b.id]

        def user(login, groups, **kw):
            kw.setdefault("company_ids", both)
            return new_test_user(cls.env, login, groups, **kw)

        cls.salesman = user("o2c_pr_salesman", f"{SALES},{O2C}user")
        cls.salesman_approver = user("o2c_pr_sales_approver", f"{SALES},{O2C}approver")
        cls.approver = user("o2c_pr_approver", f"{SALES},{O2C}approver")
        cls.approver_2 = user("o2c_pr_approver2", f"{SALES},{O2C}approver")
        cls.finance = user(
            "o2c_pr_finance", f"{SALES},o2c_pricing_approval.group_o2c_finance_approver"
        )
        cls.manager = user("o2c_pr_manager", f"sales_team.group_sale_manager,{O2C}manager")
        cls.approver_b = user(
            "o2c_pr_approver_b",
            f"{SALES},{O2C}approver",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )
        cls.group_approver = cls.env.ref(f"{O2C}approver")
        cls.group_finance = cls.env.ref("o2c_pricing_approval.group_o2c_finance_approver")

        cls.partner = cls.env["res.partner"].create({"name": "O2C Pricing Customer"})
        cls.categ_tools = cls.env["product.category"].create({"name": "O2C Tools"})
        cls.categ_drills = cls.env["product.category"].create(
            {"name": "O2C Drills", "parent_id": cls.categ_tools.id}
        )
        cls.categ_food = cls.env["product.category"].create({"name": "O2C Food"})
        cls.drill = cls.env["product.product"].create(
            {
                "name": "O2C Drill",
                "type": "consu",
                "categ_id": cls.categ_drills.id,
                "list_price": 100.0,
                "standard_price": 60.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.saw = cls.env["product.product"].create(
            {
                "name": "O2C Saw",
                "type": "consu",
                "categ_id": cls.categ_tools.id,
                "list_price": 50.0,
                "standard_price": 0.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.apple = cls.env["product.product"].create(
            {
                "name": "O2C Apple",
                "type": "consu",
                "categ_id": cls.categ_food.id,
                "list_price": 2.0,
                "standard_price": 1.0,
                "taxes_id": [Command.clear()],
            }
        )
        # A pricelist of our own, in the company currency, so that the
        # database's default pricelist and its rules play no part.
        cls.pricelist = cls.env["product.pricelist"].create({"name": "O2C Public"})
        cls.partner.property_product_pricelist = cls.pricelist

        cls.env["o2c.pricing.policy"].search([]).active = False
        cls.policy = cls._policy(name="O2C test policy")

    @classmethod
    def _policy(cls, tiers=((15.0, "approver"), (30.0, "finance")), **vals):
        groups = {"approver": cls.group_approver, "finance": cls.group_finance}
        return cls.env["o2c.pricing.policy"].create(
            {
                "name": "O2C policy",
                "company_id": cls.company.id,
                "max_discount": 15.0,
                "max_price_override": 15.0,
                "tier_ids": [
                    Command.create({"threshold": t, "approver_group_id": groups[g].id})
                    for t, g in tiers
                ],
                **vals,
            }
        )

    def _order(self, lines=None, user=None, partner=None, **vals):
        """Quotation made by ``user`` (salesman); lines are (product, qty, price, discount).

        ``price`` (``discount``) None keeps the price (discount) the pricelist gives.
        """
        lines = lines if lines is not None else [(self.drill, 1, None, 0.0)]
        env = self.env(user=user or self.salesman)
        line_vals = []
        for product, qty, price, discount in lines:
            vals_line = {"product_id": product.id, "product_uom_qty": qty}
            if discount is not None:
                vals_line["discount"] = discount
            if price is not None:
                vals_line["price_unit"] = price
            line_vals.append(Command.create(vals_line))
        return env["sale.order"].create(
            {
                "partner_id": (partner or self.partner).id,
                "user_id": (user or self.salesman).id,
                "order_line": line_vals,
                **vals,
            }
        )

    def _confirm(self, order, user=None):
        """Try to confirm as ``user``; return the live pricing exception (or empty)."""
        order.with_user(user or self.salesman).action_confirm()
        return self._exception(order)

    def _exception(self, order):
        return self.env["o2c.exception"].search(
            [
                ("res_model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("code", "=", "discount_approval"),
                ("state", "in", ("open", "approved", "rejected")),
            ]
        )
