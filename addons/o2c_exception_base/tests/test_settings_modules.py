# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Settings offer each o2c feature addon as a box (Odoo's module_* fields)."""

import os

from odoo.exceptions import UserError
from odoo.modules.module import get_manifest, get_module_path, get_modules
from odoo.tests import tagged

from ..models.res_config_settings import O2C_MODULE_PREFIX
from .common import O2cCommon


def o2c_feature_addons():
    """The addons next to the core that a user chooses: not the core, not a bridge
    (auto_install, comes by itself), not a test addon."""
    addons_dir = os.path.dirname(get_module_path("o2c_exception_base"))
    features = set()
    for name in get_modules():
        if name == "o2c_exception_base" or os.path.dirname(get_module_path(name)) != addons_dir:
            continue
        manifest = get_manifest(name)
        if manifest["installable"] and not manifest["auto_install"]:
            if not manifest.get("category", "").startswith("Hidden"):
                features.add(name)
    return features


@tagged("post_install", "-at_install")
class TestSettingsModules(O2cCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Settings = cls.env["res.config.settings"]
        cls.module_fields = sorted(
            n for n in cls.Settings._fields if n.startswith(O2C_MODULE_PREFIX)
        )

    def test_every_feature_addon_has_a_box_and_every_box_a_feature_addon(self):
        self.assertEqual(
            {name.removeprefix("module_") for name in self.module_fields},
            o2c_feature_addons(),
            "a module_o2c_* field per feature addon of addons/, none for a bridge or a test addon",
        )

    def test_boxes_are_booleans_with_a_label_and_a_help(self):
        for name in self.module_fields:
            field = self.Settings._fields[name]
            self.assertEqual(field.type, "boolean", name)
            self.assertTrue(field.string and field.help, name)

    def test_box_reads_the_install_state(self):
        values = self.Settings.default_get(self.module_fields)
        modules = self.env["ir.module.module"].search(
            [("name", "in", [name.removeprefix("module_") for name in self.module_fields])]
        )
        self.assertEqual(len(modules), len(self.module_fields), "every addon is known to Odoo")
        for module in modules:
            self.assertEqual(
                values[f"module_{module.name}"], module.state == "installed", module.name
            )

    def _an_installed_feature(self):
        installed = self.env["ir.module.module"].search(
            [
                ("name", "in", [name.removeprefix("module_") for name in self.module_fields]),
                ("state", "=", "installed"),
            ],
            limit=1,
        )
        if not installed:
            self.skipTest("no o2c feature addon installed next to the core")
        return installed

    def test_unticking_an_installed_feature_refuses_to_save(self):
        """Odoo would uninstall it on save, deleting its exceptions and evidence."""
        module = self._an_installed_feature()
        settings = self.Settings.create({f"module_{module.name}": False})
        with self.assertRaisesRegex(UserError, "uninstall it from the Apps menu"):
            settings.execute()
        self.assertEqual(module.state, "installed")

    def test_unticking_warns_before_saving(self):
        module = self._an_installed_feature()
        warning = self.Settings.onchange_module(False, f"module_{module.name}")["warning"]
        self.assertIn("unticking does not uninstall it", warning["message"])

    def test_installed_features_read_ticked_and_save(self):
        module = self._an_installed_feature()
        settings = self.Settings.create({})
        self.assertTrue(settings[f"module_{module.name}"])
        settings.set_values()  # nothing unticked: no refusal
