# Copyright 2026 o2c contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Apps description pages are generated from the readme fragments, never stale."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("gen_readme", ROOT / "setup" / "gen_readme.py")
gen_readme = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen_readme)


def test_every_addon_page_is_up_to_date():
    assert gen_readme.main(["--check", str(ROOT / "addons")]) == 0


def test_page_from_fragments_and_screenshots(tmp_path):
    addon = tmp_path / "o2c_demo_addon"
    (addon / "readme").mkdir(parents=True)
    (addon / "static" / "description").mkdir(parents=True)
    (addon / "__manifest__.py").write_text(
        '{"name": "O2C Demo", "summary": "Held <orders>", "version": "18.0.1.0.0",'
        ' "license": "AGPL-3", "author": "o2c contributors"}'
    )
    (addon / "readme" / "DESCRIPTION.md").write_text("Holds **orders**.\n")
    (addon / "readme" / "USAGE.md").write_text(
        "- approve\n- reject\n\n![The form](../static/description/form.png)\n"
    )
    (addon / "readme" / "SCREENSHOTS.txt").write_text("queue.png | The queue\n")
    (addon / "static" / "description" / "queue.png").write_bytes(b"png")
    assert gen_readme.main([str(tmp_path)]) == 0
    page = (addon / "static" / "description" / "index.html").read_text()
    assert "<strong>orders</strong>" in page
    assert "Held &lt;orders&gt;" in page, "the summary is escaped"
    assert '<h2 id="usage">Usage</h2>' in page
    assert "<li>reject</li>" in page
    assert '<img src="queue.png" alt="The queue"/>' in page
    assert '<img alt="The form" src="form.png" />' in page, "Apps resolves a bare name"
    assert "Configuration" not in page, "no fragment, no section"
    assert gen_readme.main(["--check", str(tmp_path)]) == 0
    (addon / "readme" / "USAGE.md").write_text("- approve only\n")
    assert gen_readme.main(["--check", str(tmp_path)]) == 1, "a changed fragment is stale"
