"""Keep the ops tests on one xdist worker (they share a seeded database and a load run).

pytest 9 keeps a node's id in ``Node._id``; pytest-xdist 3.8 still appends the ``@group`` suffix
to ``_nodeid``, which pytest no longer reads, so ``--dist loadgroup`` spreads ``xdist_group`` tests
over the workers. This puts the suffix where pytest reads it, for the tests in this folder only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    if not getattr(config.option, "loadgroup", False):  # set on xdist workers under --dist loadgroup
        return
    from _pytest.nodeid import coerce_node_id

    for item in items:
        if HERE not in Path(item.path).resolve().parents or "@" in item.nodeid:
            continue
        names = {
            str(m.args[0] if m.args else m.kwargs.get("name", "default"))
            for m in item.iter_markers("xdist_group")
        }
        if names:
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(sorted(names))}")
