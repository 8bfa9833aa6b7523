"""Print the comma-separated external dependencies of the o2c addons.

Used by ``setup/o2c.sh install-each`` to build a template database holding
everything the o2c addons depend on, so each addon can then be installed alone.
"""

import ast
import sys
from pathlib import Path


def main(addons_dir, *_):
    ours = {p.parent.name: p for p in Path(addons_dir).glob("*/__manifest__.py")}
    deps = set()
    for manifest in ours.values():
        deps.update(ast.literal_eval(manifest.read_text()).get("depends", []))
    print(",".join(sorted(deps - set(ours))))


if __name__ == "__main__":
    main(*sys.argv[1:])
