# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import Command
from odoo.addons.o2c_exception_base.tests.common import O2cSaleCommon
from odoo.tests import new_test_user

HEADER = "customer_ref,order_ref,product_code,quantity,unit_price,commitment_date"


class O2cIntakeCommon(O2cSaleCommon):
    """Customers with a reference, 50 products with a code, an integration user and
    a rule that holds EDI orders above 10,000."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.edi = cls.env.ref("o2c_exception_base.o2c_sale_channel_edi")
        cls.integration = new_test_user(
            cls.env, "o2c_intake_integration", "o2c_exception_base.group_o2c_integration"
        )
        cls.acme = cls.env["res.partner"].create(
            {"name": "Acme", "is_company": True, "ref": "C001", "vat": "BE0477472701"}
        )
        cls.acme_buyer = cls.env["res.partner"].create(
            {"name": "Acme Buyer", "parent_id": cls.acme.id}
        )
        cls.globex = cls.env["res.partner"].create(
            {"name": "Globex", "is_company": True, "ref": "C002"}
        )
        cls.products = cls.env["product.product"].create(
            [
                {
                    "name": f"Intake product {i}",
                    "default_code": f"P{i:03d}",
                    "barcode": f"400000000{i:04d}",
                    "type": "consu",
                    "list_price": 10.0,
                }
                for i in range(1, 51)
            ]
        )
        cls.cls_edi = cls.env["o2c.order.class"].create(
            {
                "name": "EDI orders",
                "code": "test_intake_edi",
                "sequence": 0,
                "channel_ids": [Command.link(cls.edi.id)],
            }
        )
        cls.rule = cls.env["o2c.exception.rule"].create(
            {
                "name": "Big EDI orders",
                "model": "sale.order",
                "type_id": cls.env.ref("o2c_exception_base.o2c_exception_type_order_rule").id,
                "domain": "[('amount_untaxed', '>', 10000)]",
                "order_class_ids": [Command.link(cls.cls_edi.id)],
                "message": "EDI order {name} above 10,000",
            }
        )

    @staticmethod
    def _csv(rows, header=HEADER):
        """The CSV file (base64) of ``rows`` (lists of cells)."""
        text = "\n".join([header, *(",".join(map(str, row)) for row in rows)]) + "\n"
        return base64.b64encode(text.encode()).decode()

    @classmethod
    def _rows(cls, orders, lines, customer="C001", qty=1, prefix="PO"):
        """``orders`` orders of ``lines`` lines each (products in turn)."""
        return [
            [customer, f"{prefix}-{o}", f"P{(n % 50) + 1:03d}", qty, "", ""]
            for o in range(orders)
            for n in range(lines)
        ]

    def _import(self, data, filename="orders.csv", user=None):
        Import = self.env["o2c.order.import"].with_user(user or self.integration)
        return Import.import_file(filename, data)

    def _confirm_imported(self, batch_size=1):
        """Run the confirmation job as its cron does (as OdooBot), inline."""
        return self.env["sale.order"]._cron_o2c_confirm_imported(batch_size=batch_size)

    def _import_and_confirm(self, data, filename="orders.csv", user=None):
        """Import the file, then let the confirmation job run: the import's result."""
        result = self._import(data, filename, user)
        self._confirm_imported()
        return result
