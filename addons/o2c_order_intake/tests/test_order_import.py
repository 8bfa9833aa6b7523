# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import O2cIntakeCommon

UBL_ORDER = b"""<?xml version="1.0" encoding="UTF-8"?>
<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"
       xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
       xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:UBLVersionID>2.1</cbc:UBLVersionID>
  <cbc:ID>UBL-778</cbc:ID>
  <cac:BuyerCustomerParty><cac:Party>
    <cac:PartyTaxScheme><cbc:CompanyID>BE0477472701</cbc:CompanyID></cac:PartyTaxScheme>
  </cac:Party></cac:BuyerCustomerParty>
  <cac:Delivery><cac:RequestedDeliveryPeriod>
    <cbc:EndDate>2031-03-02</cbc:EndDate>
  </cac:RequestedDeliveryPeriod></cac:Delivery>
  <cac:OrderLine><cac:LineItem>
    <cbc:ID>1</cbc:ID><cbc:Quantity unitCode="C62">4</cbc:Quantity>
    <cac:Price><cbc:PriceAmount currencyID="EUR">9.5</cbc:PriceAmount></cac:Price>
    <cac:Item><cac:SellersItemIdentification><cbc:ID>P002</cbc:ID></cac:SellersItemIdentification></cac:Item>
  </cac:LineItem></cac:OrderLine>
  <cac:OrderLine><cac:LineItem>
    <cbc:ID>2</cbc:ID><cbc:Quantity unitCode="C62">%s</cbc:Quantity>
    <cac:Item><cac:StandardItemIdentification><cbc:ID>4000000000003</cbc:ID></cac:StandardItemIdentification></cac:Item>
  </cac:LineItem></cac:OrderLine>
</Order>
"""


@tagged("post_install", "-at_install")
class TestOrderImport(O2cIntakeCommon):
    def _orders(self, result):
        return self.env["sale.order"].browse(result["order_ids"])

    def test_clean_file_creates_and_confirms_edi_orders(self):
        rows = [
            *self._rows(orders=2, lines=3),
            ["C002", "G-1", "4000000000007", 2, "8.5", "2031-01-15"],
        ]
        result = self._import_and_confirm(self._csv(rows), "po-batch.csv")
        orders = self._orders(result)
        self.assertEqual(len(orders), 3)
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        self.assertEqual(result["pending_ids"], orders.ids, "confirmed after the import")
        self.assertEqual(orders.o2c_channel_id, self.edi)
        self.assertEqual(orders.o2c_order_class_id, self.cls_edi, "classed without tagging")
        self.assertEqual(orders.mapped("client_order_ref"), ["PO-0", "PO-1", "G-1"])
        globex = orders.filtered(lambda o: o.partner_id == self.globex)
        self.assertEqual(globex.order_line.product_id.default_code, "P007", "found by barcode")
        self.assertEqual(globex.order_line.price_unit, 8.5)
        self.assertEqual(str(globex.commitment_date.date()), "2031-01-15")
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "sale.order"), ("res_id", "in", orders.ids)]
        )
        self.assertEqual(len(attachments), 3)
        self.assertEqual(set(attachments.mapped("name")), {"po-batch.csv"})
        imp = self.env["o2c.order.import"].browse(result["import_id"])
        self.assertEqual(
            (imp.state, imp.line_count, imp.order_count, imp.confirmed_count, imp.held_count),
            ("done", 7, 3, 3, 0),
        )
        self.assertEqual((imp.waiting_count, imp.parked_count), (0, 0))
        self.assertEqual(imp.order_ids, orders)
        self.assertIn(b"PO-0", base64.b64decode(imp.file), "the import keeps the file")

    def test_held_order_waits_in_the_queue_with_the_file(self):
        rows = [
            *self._rows(orders=1, lines=2),
            *self._rows(orders=1, lines=1, qty=2000, prefix="BIG"),
        ]
        result = self._import_and_confirm(self._csv(rows))
        imp = self.env["o2c.order.import"].browse(result["import_id"])
        big = imp.order_ids.filtered(lambda o: o.state == "draft")
        self.assertEqual(big.client_order_ref, "BIG-0")
        self.assertEqual(big.state, "draft", "held: still a quotation")
        self.assertTrue(big.o2c_blocked)
        exc = self.env["o2c.exception"].search([("sale_order_id", "=", big.id)])
        self.assertEqual((exc.state, exc.rule_id), ("open", self.rule))
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "sale.order"), ("res_id", "=", big.id)]
            ),
            1,
        )
        self.assertEqual((imp.confirmed_count, imp.held_count, imp.waiting_count), (1, 1, 0))
        exc.with_user(self.approver).action_approve("Framework contract")
        self.assertEqual(big.state, "sale", "confirmed once approved")

    def test_malformed_file_lists_every_faulty_line_and_creates_nothing(self):
        rows = self._rows(orders=2, lines=6)  # file lines 2 to 13
        rows[5][2] = "NOPE"  # line 7: unknown product
        rows[10][3] = "-3"  # line 12: negative quantity
        rows[8][0] = ""  # line 10: no customer
        rows[3][5] = "31/12/2031"  # line 5: date format
        count = self.env["sale.order"].search_count([])
        with self.assertRaises(UserError) as caught:
            self._import(self._csv(rows))
        message = str(caught.exception)
        self.assertIn("nothing was created", message)
        self.assertIn("Line 7: unknown product 'NOPE'", message)
        self.assertIn("Line 12: the quantity must be a number above 0 (got '-3')", message)
        self.assertIn("Line 10: the customer (customer_ref) is missing", message)
        self.assertIn("Line 5: the date must be YYYY-MM-DD", message)
        self.assertEqual(message.count("Line "), 4, "only the faulty lines")
        self.assertEqual(self.env["sale.order"].search_count([]), count)

    def test_unreadable_files_are_refused(self):
        for data, message in (
            (self._csv([["C001"]], header="customer_ref,quantity"), "line 1: missing column"),
            (base64.b64encode(b"\xff\xfe\x00bad").decode(), "not UTF-8"),
            (base64.b64encode(b"<Order><oops></Order>").decode(), "not well-formed XML"),
            (base64.b64encode(b"   ").decode(), "the file is empty"),
            ("%%%", "not base64"),
        ):
            with self.subTest(message=message), self.assertRaisesRegex(UserError, message):
                self._import(data)

    def test_unknown_and_ambiguous_customers(self):
        self.env["res.partner"].create({"name": "Acme twin", "ref": "C002"})
        rows = [["C404", "X", "P001", 1, "", ""], ["C002", "Y", "P001", "1,5", "", ""]]
        with self.assertRaises(UserError) as caught:
            self._import(self._csv(rows))
        self.assertIn("Line 2: unknown customer 'C404'", str(caught.exception))
        self.assertIn("Line 3: several customers have the reference 'C002'", str(caught.exception))

    def test_file_sent_twice_is_refused(self):
        data = self._csv(self._rows(orders=1, lines=1))
        self._import(data)
        with self.assertRaisesRegex(UserError, "PO-0 of Acme is already imported"):
            self._import(data)

    def test_ubl_order(self):
        result = self._import_and_confirm(
            base64.b64encode(UBL_ORDER % b"6").decode(), "order.xml", user=self.salesman
        )
        order = self._orders(result)
        self.assertEqual(order.partner_id, self.acme, "found by VAT: the company, not a contact")
        self.assertEqual(order.client_order_ref, "UBL-778")
        self.assertEqual(order.o2c_channel_id, self.edi)
        self.assertEqual(str(order.commitment_date.date()), "2031-03-02")
        self.assertEqual(
            [
                (li.product_id.default_code, li.product_uom_qty, li.price_unit)
                for li in order.order_line
            ],
            [("P002", 4.0, 9.5), ("P003", 6.0, 10.0)],
        )
        with self.assertRaisesRegex(UserError, "Line 18: the quantity must be"):
            self._import(base64.b64encode(UBL_ORDER % b"zero").decode(), "order2.xml")

    def test_salesperson_imports_from_the_form(self):
        form = Form(self.env["o2c.order.import"].with_user(self.salesman))
        form.file = self._csv(self._rows(orders=1, lines=2))
        form.name = "phone-in.csv"
        imp = form.save()
        action = imp.action_import()
        self.assertEqual(imp.state, "done")
        self.assertEqual(action["domain"], [("id", "in", imp.order_ids.ids)])
        self.assertEqual(imp.order_ids.o2c_channel_id, self.edi, "an import is EDI")
        with self.assertRaisesRegex(UserError, "already imported"):
            imp.action_import()

    def test_nobody_writes_the_result_of_an_import(self):
        result = self._import_and_confirm(self._csv(self._rows(orders=1, lines=1)))
        imp = self.env["o2c.order.import"].with_user(self.salesman).browse(result["import_id"])
        for vals in (
            {"held_count": 0, "confirmed_count": 9},
            {"waiting_count": 1},
            {"parked_count": 2},
            {"state": "draft"},
            {"order_ids": [(5, 0, 0)]},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "decision or evidence"):
                imp.write(vals)
        with self.assertRaisesRegex(UserError, "cannot be replaced"):
            imp.write({"file": self._csv([])})
        with self.assertRaisesRegex(UserError, "decision or evidence"):
            imp.create({"name": "x.csv", "file": self._csv([]), "state": "done"})
        self.assertEqual((imp.state, imp.confirmed_count, len(imp.order_ids)), ("done", 1, 1))

    def test_employee_without_sales_rights_cannot_import(self):
        with self.assertRaises(AccessError):
            self._import(self._csv(self._rows(orders=1, lines=1)), user=self.employee)
