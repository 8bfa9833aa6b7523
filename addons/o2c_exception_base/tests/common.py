# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import difflib
import re
from contextlib import contextmanager

from odoo_test_helper import FakeModelLoader

from odoo import Command
from odoo.api import call_kw
from odoo.service.model import get_public_method
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase
from odoo.tools import lazy_property


def o2c_test_env(env):
    """``env`` as the o2c tests use it: chatter tracking on (the tests read what it
    logged), no password reset mail for the users they create."""
    return env(
        context=dict(
            env.context, tracking_disable=False, mail_notrack=False, no_reset_password=True
        )
    )


def o2c_policy_approval_off(env, *codes):
    """Changes of the policies of ``codes`` apply directly, in every company (new ones too).

    For the tests that are not about governance; done as the admin through the
    ORM, as Settings does.
    """
    kinds = env["o2c.policy.kind"].search([("code", "in", codes)])
    kinds.write({"company_ids": [Command.clear()], "default_required": False})


def o2c_exceptions_on_new_orders(env, etype, count):
    """``count`` quotations of a service, each with an exception of ``etype``
    named "<type name> 1", "<type name> 2"... (data of the browser tours)."""
    partner = env["res.partner"].create({"name": f"O2C {etype.name} Customer"})
    product = env["product.product"].create({"name": f"O2C {etype.name}", "type": "service"})
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": product.id, "price_unit": 10})],
            }
            for __ in range(count)
        ]
    )
    return orders._o2c_raise_exceptions(
        etype.code,
        {order.id: {"name": f"{etype.name} {i}"} for i, order in enumerate(orders, 1)},
    )


class O2cQueryCountMixin:
    """Query counting for any test case (``TransactionCase``, ``HttpCase``...).

    Mix it in before the test case class: it relies on ``self.env`` and on
    ``BaseCase._patchExecute``.
    """

    def _o2c_queries(self, func, *args, **kwargs):
        """Run ``func`` on a cold cache; return ``(result, [query text])``.

        Before: the environment is flushed, the pending precommit hooks run (the
        mail tracking of what the test set up, which would otherwise fill the
        cache again), the record cache is invalidated and the lazy properties of
        the environments (``env.company``...) are reset: an environment left over
        from a previous call, alive or not depending on the garbage collector,
        would otherwise save a query. The ORM is flushed after ``func`` inside
        the count, so the queries are those ``func`` costs, pending writes
        included; the precommit hooks ``func`` queued (mail tracking messages,
        which Odoo posts one per record) run after, outside the count.
        """
        self.env.flush_all()
        self.env.cr.flush()  # precommit hooks
        self.env.invalidate_all()
        for env in list(self.env.transaction.envs):
            lazy_property.reset_all(env)
        queries = []
        with contextmanager(self._patchExecute)(queries, flush=False):
            result = func(*args, **kwargs)
            self.env.flush_all()
        self.env.cr.flush()
        return result, queries

    def assertFlatQueries(self, small, big, label="queries"):
        """Fail, with the differing queries, when ``big`` ran more than ``small``."""
        if len(small) == len(big):
            return

        def shape(query):  # literals (ids, counts) differ with the data size
            return re.sub(r"\b\d+\b|'[^']*'", "?", " ".join(str(query).split()))[:300]

        diff = difflib.unified_diff(list(map(shape, small)), list(map(shape, big)), lineterm="")
        self.fail(f"{label}: {len(small)} then {len(big)} queries\n" + "\n".join(diff))

    def _o2c_query_count(self, func, *args, **kwargs):
        """Number of queries ``func`` costs on a cold cache (see ``_o2c_queries``)."""
        return len(self._o2c_queries(func, *args, **kwargs)[1])


class O2cRpcMixin:
    """Calls made the way an RPC client makes them, for any test case."""

    def rpc(self, user, model, method, *args, context=None, **kwargs):
        """Call ``model.method(*args, **kwargs)`` as an RPC client logged in as ``user``.

        Private methods are refused as the RPC layer refuses them; an error rolls
        the call back, as the server does with the request.
        """
        env = self.env(user=user, context={}, su=False)
        records = env[model]
        get_public_method(records, method)
        try:
            with self.env.cr.savepoint():
                result = call_kw(records, method, list(args), dict(kwargs, context=context or {}))
                env.flush_all()
        except Exception:
            self.env.invalidate_all(flush=False)
            raise
        self.env.invalidate_all()
        return result


class O2cCommon(O2cQueryCountMixin, TransactionCase):
    """Users per O2C role in two companies, an exception type, no demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = o2c_test_env(cls.env)
        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "O2C Company B"})
        both = [cls.company.id, cls.company_b.id]
        groups = "base.group_user,o2c_exception_base.group_o2c_%s"
        cls.requester = new_test_user(cls.env, "o2c_requester", groups % "user", company_ids=both)
        cls.approver = new_test_user(cls.env, "o2c_approver", groups % "approver", company_ids=both)
        cls.approver_2 = new_test_user(
            cls.env, "o2c_approver2", groups % "approver", company_ids=both
        )
        cls.approver_b_only = new_test_user(
            cls.env,
            "o2c_approver_b",
            groups % "approver",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )
        cls.manager = new_test_user(cls.env, "o2c_manager", groups % "manager", company_ids=both)
        cls.employee = new_test_user(cls.env, "o2c_employee", "base.group_user")
        cls.partner = cls.env["res.partner"].create({"name": "O2C Customer"})
        cls.exc_type = cls.env["o2c.exception.type"].create(
            {
                "name": "Test big amount",
                "code": "o2c_test_big",
                "stage": "order_validation",
                "blocking": True,
                "sla_hours": 2,
            }
        )


class O2cSaleCommon(O2cCommon):
    """O2cCommon plus products in two categories and a salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            "o2c_salesman",
            "sales_team.group_sale_salesman_all_leads,o2c_exception_base.group_o2c_user",
            company_ids=[cls.company.id, cls.company_b.id],
        )
        cls.categ_tools = cls.env["product.category"].create({"name": "O2C Tools"})
        cls.categ_drills = cls.env["product.category"].create(
            {"name": "O2C Drills", "parent_id": cls.categ_tools.id}
        )
        cls.categ_food = cls.env["product.category"].create({"name": "O2C Food"})
        cls.product_drill = cls.env["product.product"].create(
            {
                "name": "O2C Drill",
                "type": "consu",
                "categ_id": cls.categ_drills.id,
                "list_price": 100.0,
                "standard_price": 60.0,
            }
        )
        cls.product_apple = cls.env["product.product"].create(
            {
                "name": "O2C Apple",
                "type": "consu",
                "categ_id": cls.categ_food.id,
                "list_price": 2.0,
                "standard_price": 1.0,
            }
        )
        cls.segment_key = cls.env["res.partner.category"].create({"name": "O2C Key account"})

    def _order(self, lines=None, user=None, partner=None, **vals):
        lines = lines or [(self.product_drill, 1, 100.0)]
        env = self.env(user=user or self.salesman)
        return env["sale.order"].create(
            {
                "partner_id": (partner or self.partner).id,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": qty, "price_unit": price}
                    )
                    for product, qty, price in lines
                ],
                **vals,
            }
        )


class O2cFakeCommon(O2cCommon):
    """O2cCommon plus the test-only document model ``o2c.test.document``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .fake_models import O2cTestDocument, O2cTestDocumentLine

        cls.loader.update_registry((O2cTestDocument, O2cTestDocumentLine))
        cls.Doc = cls.env["o2c.test.document"]
        cls.env["ir.model.access"].create(
            [
                {
                    "name": f"o2c test {model}",
                    "model_id": cls.env["ir.model"]._get_id(model),
                    "group_id": cls.env.ref("base.group_user").id,
                    "perm_read": True,
                    "perm_write": True,
                    "perm_create": True,
                    "perm_unlink": True,
                }
                for model in ("o2c.test.document", "o2c.test.document.line")
            ]
        )

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def _doc(self, amount=1500.0, user=None, **vals):
        env = self.env(user=user or self.requester)
        return env["o2c.test.document"].create(
            {"name": "DOC", "amount": amount, "partner_id": self.partner.id, **vals}
        )
