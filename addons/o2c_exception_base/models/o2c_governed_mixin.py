# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools.misc import clean_context

from ..governance import governed_write_allowed, importing, is_importing, owning_action


class O2cGovernedMixin(models.AbstractModel):
    """Fields that record a decision or evidence change only through their action.

    A model lists them in ``_o2c_governed_fields``. ``create`` and ``write``
    refuse a value for them from any caller (RPC, import, server action,
    another module, a manager, ``sudo()``) unless the action that owns them
    opened :func:`~odoo.addons.o2c_exception_base.governance.owning_action`
    for this model around its own write. Unchanged values pass, so a form that
    sends a read-only field back does not fail.
    """

    _name = "o2c.governed.mixin"
    _description = "O2C Governed Fields"

    #: fields only the action that owns them writes (states, deciders, evidence);
    #: each ``_inherit`` extension lists its own, they add up
    _o2c_governed_fields = ()
    #: stored fields Odoo computes from other records (quantities invoiced, amounts,
    #: payment and delivery states): read-only in its forms, but stored as written
    #: by an RPC write or an import; a written value must be the computed one.
    #: Each extension lists its own, they add up.
    _o2c_computed_fields = ()

    # -------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        self._o2c_check_governed_create(vals_list)
        records = super().create(vals_list)
        records._o2c_check_computed_kept(vals_list)
        return records

    def write(self, vals):
        self._o2c_check_governed_write(vals)
        res = super().write(vals)
        if not self._o2c_declared_field_names("_o2c_computed_fields").isdisjoint(vals):
            self._o2c_check_computed_kept([vals] * len(self))
        return res

    @api.model
    def load(self, fields, data):
        with importing():
            return super().load(fields, data)

    @api.model
    def _load_records(self, data_list, update=False, ignore_duplicates=False):
        # Data files of an installed module (demo decisions, defaults) are code
        # the administrator installed, trusted like it; an import is user input.
        if is_importing():
            return super()._load_records(data_list, update, ignore_duplicates)
        with owning_action(self._name):
            return super()._load_records(data_list, update, ignore_duplicates)

    # ---------------------------------------------------------- BUSINESS
    def _o2c_owned_write(self, vals):
        """Write ``vals`` as the action that owns the governed fields (engine only).

        The caller has checked who may take the action; never pass values
        chosen by a user without that check.
        """
        with owning_action(self._name):
            return self.write(vals)

    @api.model
    def _o2c_governed_field_names(self):
        """Governed fields declared by this model and all its extensions."""
        return self._o2c_declared_field_names("_o2c_governed_fields")

    @api.model
    def _o2c_declared_field_names(self, attr):
        """Field names listed in ``attr`` by this model and all its extensions."""
        cls = type(self)
        # Odoo keeps a model's class when it loads more modules and changes its
        # bases: the cache is valid for one MRO only (the tuple is replaced then)
        cache = f"_o2c_cache{attr}"
        mro, names = cls.__dict__.get(cache, (None, None))
        if mro is not cls.__mro__:
            names = frozenset(
                fname for klass in cls.__mro__ for fname in klass.__dict__.get(attr, ())
            )
            setattr(cls, cache, (cls.__mro__, names))
        return names

    @api.model
    def _o2c_value_differs(self, record, fname, value):
        """Whether writing ``value`` (write format) would change ``record[fname]``.

        Compares in record format, so ids vs records and sanitized HTML compare
        right and an unchanged value is not rewritten.
        """
        field = record._fields[fname]
        new = field.convert_to_record(field.convert_to_cache(value, record), record)
        return new != record[fname]

    @api.model
    def _o2c_own_default(self, fname):
        """The default the field's code gives (not the caller's context nor ``ir.default``)."""
        field = self._fields[fname]
        if not field.default:
            return False
        # the default_* keys removed: the context is replaced, not extended
        plain = self.with_context(clean_context(self.env.context))  # pylint: disable=context-overridden
        return field.default(plain)

    @api.model
    def _o2c_chosen_defaults(self, vals_list, fnames):
        """Defaults of ``fnames`` chosen by the caller rather than by the fields' code.

        ``create`` fills a field the values leave out from the context
        (``default_<field>``) or from ``ir.default`` (every user may set personal
        defaults): for a governed field or a guarded state, such a default is a
        value the caller chose and is checked like one. Return ``{field: value}``.
        """
        missing = [f for f in fnames if any(f not in vals for vals in vals_list)]
        if not missing:
            return {}
        context = self.env.context
        stored = self.env["ir.default"]._get_model_defaults(self._name)
        chosen = [f for f in missing if f"default_{f}" in context or f in stored]
        if not chosen:
            return {}
        given = self.default_get(chosen)
        result = {}
        for fname in chosen:
            if fname not in given:
                continue
            field = self._fields[fname]
            value = field.convert_to_cache(given[fname], self, validate=False)
            own = field.convert_to_cache(self._o2c_own_default(fname), self, validate=False)
            if value != own:
                result[fname] = given[fname]
        return result

    @api.model
    def _o2c_check_governed_create(self, vals_list):
        """Refuse new records that arrive with a decision already in a governed field.

        A value given through a default (context ``default_<field>``, personal
        ``ir.default``) is refused the same way.
        """
        names = self._o2c_governed_field_names()
        if not names or governed_write_allowed(self._name):
            return
        chosen = self._o2c_chosen_defaults(vals_list, names)
        if chosen:
            self._o2c_raise_governed(list(chosen))
        governed = [f for f in names if any(f in v for v in vals_list)]
        if not governed:
            return
        new = self.new({})  # defaults, without a query
        wrong = [
            fname
            for fname in governed
            for vals in vals_list
            if fname in vals and self._o2c_value_differs(new, fname, vals[fname])
        ]
        if wrong:
            self._o2c_raise_governed(wrong)

    def _o2c_check_governed_write(self, vals):
        """Refuse a change of a governed field outside the action that owns it."""
        governed = [f for f in self._o2c_governed_field_names() if f in vals]
        if not governed or governed_write_allowed(self._name):
            return
        wrong = [
            fname
            for fname in governed
            if any(self._o2c_value_differs(rec, fname, vals[fname]) for rec in self)
        ]
        if wrong:
            self._o2c_raise_governed(wrong)

    def _o2c_check_computed_kept(self, vals_list):
        """Refuse values written over the fields Odoo computes (see
        ``_o2c_computed_fields``) that differ from what it computes.

        The fields are computed again from their records and compared with the
        values given (``vals_list``, one per record): Odoo's own writes of the
        value it computes pass, a quantity invoiced zeroed to invoice it again or
        a residual zeroed to lower a customer's exposure does not.
        """
        names = self._o2c_declared_field_names("_o2c_computed_fields")
        pairs = [
            (rec, vals)
            for rec, vals in zip(self, vals_list, strict=True)
            if not names.isdisjoint(vals)
        ]
        if not pairs:
            return
        written = {fname for __, vals in pairs for fname in names.intersection(vals)}
        records = self.browse([rec.id for rec, __ in pairs])
        for fname in written:
            self.env.add_to_compute(self._fields[fname], records)
        wrong = {
            fname
            for rec, vals in pairs
            for fname in names.intersection(vals)
            if self._o2c_value_differs(rec, fname, vals[fname])
        }
        if wrong:
            labels = ", ".join(sorted(self._fields[f]._description_string(self.env) for f in wrong))
            raise UserError(
                self.env._(
                    "%(fields)s of %(model)s are computed by Odoo from the documents "
                    "they count (deliveries, invoices, payments): they cannot be written.",
                    fields=labels,
                    model=self._description,
                )
            )

    def _o2c_raise_governed(self, fnames):
        labels = ", ".join(sorted({self._fields[f]._description_string(self.env) for f in fnames}))
        raise UserError(
            self.env._(
                "%(fields)s of %(model)s record a decision or evidence: they change "
                "only through the action that owns them (its button), which checks "
                "who may take it and keeps the audit trail.",
                fields=labels,
                model=self._description,
            )
        )
