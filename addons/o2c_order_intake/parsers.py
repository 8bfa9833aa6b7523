# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Read an order file (CSV, UBL 2.1 Order) into rows, one per order line.

A row is a dict: ``line`` (line number in the file, for the error messages),
``customer`` (partner reference or VAT), ``order_ref`` (the customer's order
number), ``product`` (internal reference or barcode), ``quantity``, ``price``
and ``date`` (texts, ``price``/``date`` may be empty). The parsers only read:
checking the values against the database is the importer's job, for the whole
file at once.
"""

import csv
import io

from lxml import etree

#: CSV columns: ``{column: row key}``; the first four are required
CSV_COLUMNS = {
    "customer_ref": "customer",
    "order_ref": "order_ref",
    "product_code": "product",
    "quantity": "quantity",
    "unit_price": "price",
    "commitment_date": "date",
}
CSV_REQUIRED = ("customer_ref", "order_ref", "product_code", "quantity")

UBL_NS = {
    "ubl": "urn:oasis:names:specification:ubl:schema:xsd:Order-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
#: where a UBL order names the buyer, first found wins
UBL_CUSTOMER_PATHS = (
    "cac:BuyerCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID",
    "cac:BuyerCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID",
    "cac:BuyerCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID",
)
UBL_PRODUCT_PATHS = (
    "cac:Item/cac:SellersItemIdentification/cbc:ID",
    "cac:Item/cac:StandardItemIdentification/cbc:ID",
)
UBL_DATE_PATHS = (
    "cac:Delivery/cac:RequestedDeliveryPeriod/cbc:EndDate",
    "cac:Delivery/cac:RequestedDeliveryPeriod/cbc:StartDate",
)


class FileError(ValueError):
    """The file cannot be read at all (encoding, header, XML syntax)."""


def parse_order_file(filename, raw):
    """Rows of the order file ``raw`` (bytes), by its content: XML or CSV."""
    if raw.lstrip()[:1] == b"<" or (filename or "").lower().endswith(".xml"):
        return parse_ubl(raw)
    return parse_csv(raw)


def _decode(raw):
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileError(
            f"the file is not UTF-8 text ({error.reason} at byte {error.start})"
        ) from None


def parse_csv(raw):
    """Rows of a CSV file with a header line (comma, semicolon or tab separated)."""
    text = _decode(raw)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in CSV_REQUIRED if name not in header]
    if missing:
        raise FileError(f"line 1: missing column(s) {', '.join(missing)}")
    index = {CSV_COLUMNS[name]: pos for pos, name in enumerate(header) if name in CSV_COLUMNS}
    rows = []
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        row = {key: _cell(values, pos) for key, pos in index.items()}
        row.setdefault("price", "")
        row.setdefault("date", "")
        row["line"] = reader.line_num
        rows.append(row)
    return rows


def _cell(values, pos):
    return values[pos].strip() if pos < len(values) else ""


def parse_ubl(raw):
    """Rows of a UBL 2.1 Order: one per ``cac:OrderLine``."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        raise FileError(f"line {error.lineno}: not well-formed XML ({error.msg})") from None
    if root.tag != f"{{{UBL_NS['ubl']}}}Order":
        raise FileError(f"line {root.sourceline}: not a UBL 2.1 Order (root {root.tag})")
    header = {
        "customer": _first(root, UBL_CUSTOMER_PATHS),
        "order_ref": _first(root, ("cbc:ID",)),
        "date": _first(root, UBL_DATE_PATHS),
    }
    rows = []
    for item in root.iterfind("cac:OrderLine/cac:LineItem", UBL_NS):
        rows.append(
            {
                **header,
                "line": item.sourceline,
                "product": _first(item, UBL_PRODUCT_PATHS),
                "quantity": _first(item, ("cbc:Quantity",)),
                "price": _first(item, ("cac:Price/cbc:PriceAmount",)),
            }
        )
    if not rows:
        raise FileError(f"line {root.sourceline}: the order has no OrderLine")
    return rows


def _first(node, paths):
    for path in paths:
        text = node.findtext(path, namespaces=UBL_NS)
        if text and text.strip():
            return text.strip()
    return ""
