# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AttackCommon

#: an id no record has
UNKNOWN_ID = 2**31 - 1
#: field types the sweep gives a value to; another type in a governed list fails the
#: sweep, so that a new kind of decision field is attacked too
PLAIN_VALUES = {
    "char": "sweep",
    "text": "sweep",
    "html": "<p>sweep</p>",
    "integer": 7,
    "float": 7.5,
    "monetary": 7.5,
    "date": "2026-01-02",
    "datetime": "2026-01-02 03:04:05",
    "json": {"sweep": 1},
    "many2one_reference": 1,
}


@tagged("post_install", "-at_install")
class TestGovernedSweep(AttackCommon):
    """Every governed field of every o2c model, given a value at create by RPC.

    The per-control attacks name the fields they know; this sweep reads every
    model's declared list, so a field added to a list later is attacked too, and
    a model that declares one without the guard (not an ``o2c.governed.mixin``)
    is found.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")

    def _declared(self, model, attr="_o2c_governed_fields"):
        return {fname for klass in type(model).__mro__ for fname in klass.__dict__.get(attr, ())}

    def _governed_models(self):
        """{model name: declared governed fields}, concrete models only."""
        result = {}
        for name in self.env.registry:
            model = self.env[name]
            declared = self._declared(model)
            if declared and not model._abstract:
                result[name] = declared
        return result

    def _attack_value(self, model, fname, record=None):
        """A value for ``fname`` that differs from ``record``'s, or from the one a new
        record gets."""
        field = model._fields[fname]
        default = (record or model.with_user(self.admin).new({}))[fname]
        if field.type == "boolean":
            return not default
        if field.type == "selection":
            keys = [key for key, __ in field._description_selection(self.env)]
            return next(key for key in keys if key != default)
        if field.type in ("many2one", "many2many"):
            # a record of the comodel when there is one: the guard refuses before the
            # ORM checks that it exists, so an id nobody has does as well
            other = (
                self.env[field.comodel_name].sudo().search([("id", "not in", default.ids)], limit=1)
            )
            target = other.id or UNKNOWN_ID
            return target if field.type == "many2one" else [Command.set([target])]
        if field.type == "one2many":
            return [Command.create({})]
        self.assertIn(field.type, PLAIN_VALUES, f"{model._name}.{fname}: no attack value")
        return PLAIN_VALUES[field.type]

    def test_every_declared_field_is_guarded(self):
        models = self._governed_models()
        self.assertGreaterEqual(len(models), 20, "every o2c addon's governed models")
        for name, declared in models.items():
            with self.subTest(model=name):
                # by name: Odoo rebuilds model classes when a test reloads the registry
                guarded = any(
                    klass.__dict__.get("_name") == "o2c.governed.mixin"
                    for klass in type(self.env[name]).__mro__
                )
                self.assertTrue(guarded, "not an o2c.governed.mixin")
                self.assertEqual(declared - set(self.env[name]._fields), set(), "unknown fields")

    def test_no_governed_field_is_given_at_create(self):
        """As the administrator (ACLs let them create anything), with the keys an
        attacker would try: each value is refused, and nothing is created."""
        context = {"tracking_disable": True, "o2c_decision": "approve", "install_mode": True}
        attacked = 0
        for name, declared in sorted(self._governed_models().items()):
            model = self.env[name]
            before = model.sudo().with_context(active_test=False).search_count([])
            for fname in sorted(declared):
                field = model._fields[fname]
                if not (field.store or field.inverse):
                    continue  # a figure shown, never written
                value = self._attack_value(model, fname)
                with self.subTest(field=f"{name}.{fname}"):
                    with self.assertRaises(UserError) as refused:
                        self.rpc(
                            self.env.ref("base.user_admin"),
                            name,
                            "create",
                            [{fname: value}],
                            context=context,
                        )
                    # the guard's message, or a control's own, names the field
                    self.assertIn(field.string, str(refused.exception))
                    attacked += 1
            self.assertEqual(model.sudo().with_context(active_test=False).search_count([]), before)
        self.assertGreaterEqual(attacked, 200, "every stored governed field was attacked")

    def _written_records(self):
        """One record of each governed model an ordinary day is made of."""
        quotation = self.quotation()
        picking = self.delivery()
        invoice = self.invoice()
        return [
            quotation,
            quotation.order_line,
            self.held(self.quotation()),
            picking,
            picking.move_ids,
            invoice,
            invoice.invoice_line_ids,
            self.env["purchase.order"].create({"partner_id": self.customer.id}),
        ]

    def _attack_writes(self, attr):
        """Write each field listed in ``attr`` on the day's records, by RPC as the
        administrator, with another value: each refused naming the field, each value
        kept. Return how many fields were attacked."""
        attacked = 0
        for record in self._written_records():
            model = self.env[record._name]
            for fname in sorted(self._declared(model, attr)):
                field = model._fields[fname]
                if not (field.store or field.inverse):
                    continue  # a figure shown, never written
                value = self._attack_value(model, fname, record)
                before = self.snapshot(record, [fname])
                with self.subTest(field=f"{record._name}.{fname}"):
                    with self.assertRaises(UserError) as refused:
                        self.rpc_write(self.admin, record, {fname: value})
                    self.assertIn(field.string, str(refused.exception))
                    self.assertUnchanged(record, [fname], before)
                    attacked += 1
        return attacked

    def test_no_governed_field_is_written(self):
        """Each governed field of a sale order, its line, an exception, a delivery,
        its move, an invoice and a purchase order."""
        attacked = self._attack_writes("_o2c_governed_fields")
        self.assertGreaterEqual(attacked, 100, "every stored governed field was attacked")

    def test_no_computed_field_is_written(self):
        """Each field a model declares Odoo computes (``_o2c_computed_fields``)."""
        attacked = self._attack_writes("_o2c_computed_fields")
        self.assertGreaterEqual(attacked, 35, "every declared computed field was attacked")
