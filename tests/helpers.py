"""Helpers shared by the tests: reading figures out of rendered tables, and proving a refused request
wrote nothing."""

from __future__ import annotations

import contextlib
import re
from html import unescape

from django.db import connection

# Tables a refused request may legitimately touch: the session, and login throttling (django-axes).
_IGNORED_TABLES = ("django_session", "axes_")

_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t([dh])\b[^>]*>(.*?)</t\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def table_rows(html: str) -> list[list[str]]:
    """Every table row of ``html`` as the text of its cells (tags dropped, whitespace collapsed)."""
    rows = []
    for row in _ROW.findall(html):
        cells = [" ".join(unescape(_TAG.sub(" ", cell)).split()) for _kind, cell in _CELL.findall(row)]
        if cells:
            rows.append(cells)
    return rows


def row_starting(html: str, first_cell: str) -> list[str]:
    """The one table row whose first cell reads ``first_cell``."""
    matches = [row for row in table_rows(html) if row[0] == first_cell]
    assert len(matches) == 1, f"expected one row starting {first_cell!r}, found {matches}"
    return matches[0]


def section(html: str, heading: str) -> str:
    """The ``<section>`` of a page whose text includes ``heading`` (a panel of the home page or dashboard)."""
    at = html.find(heading)
    assert at >= 0, f"no {heading!r} on the page"
    start = html.rfind("<section", 0, at)
    end = html.find("</section>", at)
    assert start >= 0 and end >= 0, f"{heading!r} is not inside a <section>"
    return html[start : end + len("</section>")]


def database_snapshot() -> dict[str, str]:
    """A fingerprint of every table's whole content (an md5 over its rows), so any insert, update or
    delete shows, including updates that bypass the model's history."""
    tables = [
        name
        for name in connection.introspection.table_names()
        if not name.startswith(_IGNORED_TABLES) and name != "django_migrations"
    ]
    snapshot = {}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            quoted = connection.ops.quote_name(table)
            rows = "md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
            cursor.execute(f"SELECT count(*), {rows} FROM {quoted} t")
            count, digest = cursor.fetchone()
            snapshot[table] = f"{count} rows, md5 {digest}"
    return snapshot


@contextlib.contextmanager
def database_unchanged():
    """Assert that the block (a refused write: 403, 404, 405, or a form error) changed no table.

    with database_unchanged():
        assert official_client.post(url, valid_data).status_code == 403
    """
    before = database_snapshot()
    yield
    after = database_snapshot()
    changed = {table: (before.get(table), after.get(table)) for table in before.keys() | after.keys()}
    changed = {table: states for table, states in changed.items() if states[0] != states[1]}
    assert not changed, f"a refused request wrote to the database: {sorted(changed)}"


def migrate_test_database(targets=None):
    """Migrate the test database to ``targets`` (``None``: the latest migrations), as ``manage.py
    migrate`` does around its plan: the figures triggers off while migrations run, then on again on
    every table (governance/figures.py). Returns the executor (its loader has the project states)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from governance.figures import install_triggers, remove_triggers

    remove_triggers()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    if targets is None:
        install_triggers()
    return executor
