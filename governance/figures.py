"""Dashboard figures computed once per change, not once per request ([10/10] item 2).

The county dashboard sums thousands of rows; between two writes its figures do not change. A
PostgreSQL trigger on every table of the portal's apps raises that table's number
(``FigureNumber``) when a transaction that wrote to the table commits. A cached figure is
keyed by the numbers of the tables it reads, so:

- a figure is recomputed by the first request after a committed write to what it reads, and only
  then: a clerk saving a draft report's text recomputes no dashboard section (the completeness
  figures read the per-township tallies, which only a submission moves), a submission recomputes
  the supervision section, not the seven others;
- the tables a figure reads are not declared anywhere: they are the tables named in the SQL its
  computation sent (``_reading``), learned the first time and widened whenever a computation reads
  one more. A figure is a function of the rows it read, so while none of them changed, it takes the
  same branches, reads the same tables and gives the same result;
- it is never stale: the numbers are read before the figures, and a write and the raise of its
  number become visible together, at the writer's commit;
- the cache may be per process (Django's local-memory cache): a server that missed a write still
  reads the new number from the shared database, so several servers stay correct without sharing a
  cache (README "Several servers");
- writes made with raw SQL, ``QuerySet.update`` or ``bulk_create`` count too: the trigger sits on the
  tables, not in Django's signals.

The trigger is a *deferred constraint trigger*: it runs at commit, once per table and transaction (a
transaction-local flag), on a single row, so the row is locked only from the commit's start to its
end. It is dropped before every ``migrate`` (``remove_triggers``: a migration may update rows and
then alter their table) and installed again after it on each table of the portal's own apps
(``install_triggers``, which also raises every number), so a new app's tables are covered without a
line of code; history tables and the portal's bookkeeping (users, submission tokens) are
not figures. A number is the commit's time in milliseconds (or one more), so after a restore from a
backup it still moves past every number served before.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import secrets
import threading
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils.safestring import mark_safe

TRIGGER = "governance_figures_changed"
FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    flag text := 'governance.figures_' || TG_TABLE_NAME;
    stamp bigint := (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
BEGIN
    IF current_setting(flag, true) IS DISTINCT FROM 'on' THEN
        PERFORM set_config(flag, 'on', true);
        INSERT INTO governance_figurenumber AS g (table_name, number) VALUES (TG_TABLE_NAME, stamp)
        ON CONFLICT (table_name) DO UPDATE SET number = greatest(g.number + 1, EXCLUDED.number);
    END IF;
    RETURN NULL;
END $$;
"""
# How long an unused entry may stay: only to free memory; correctness comes from the numbers.
TIMEOUT = 3600


def _project_configs():
    base = str(settings.BASE_DIR)
    return [
        config
        for config in apps.get_app_configs()
        if str(config.path).startswith(base) and ".venv" not in str(config.path)
    ]


def figure_tables() -> dict[str, str]:
    """``{table: app label}`` of the tables whose rows feed a figure: every concrete model of the
    project's apps, except history tables and the portal's own bookkeeping."""
    from governance.models import FigureNumber, SharedFigure, Submission

    skip = {FigureNumber, SharedFigure, Submission, apps.get_model(settings.AUTH_USER_MODEL)}
    tables = {}
    for config in _project_configs():
        # With the tables Django creates for many-to-many fields, which a figure may read too.
        for model in config.get_models(include_auto_created=True):
            meta = model._meta
            if model in skip or meta.auto_created in skip or meta.proxy or not meta.managed:
                continue
            if model.__name__.startswith("Historical") and hasattr(model, "history_id"):
                continue
            tables[meta.db_table] = config.label
    return tables


def remove_triggers(*, using: str = DEFAULT_DB_ALIAS, **_kwargs) -> None:
    """Drop the figures triggers before a migration runs (pre_migrate). A migration that updates rows
    and then alters the same table in one transaction would otherwise be refused by PostgreSQL (the
    deferred trigger's events are pending); ``install_triggers`` puts them back afterwards."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal", [TRIGGER]
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")


def install_triggers(*, using: str = DEFAULT_DB_ALIAS, **_kwargs) -> None:
    """Create the function and one trigger per figure table where missing (post_migrate), and raise
    every table's number: what the migration changed is not served from a cache."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT to_regclass('governance_figurenumber') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return  # migrated back to before the numbers (governance 0005): nothing to keep up
        cursor.execute(FUNCTION_SQL)
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [TRIGGER])
        present = {row[0] for row in cursor.fetchall()}
        tables = sorted(figure_tables())
        cursor.execute(
            "INSERT INTO governance_figurenumber AS g (table_name, number) "
            "SELECT t, (extract(epoch FROM clock_timestamp()) * 1000)::bigint FROM unnest(%s::text[]) t "
            "ON CONFLICT (table_name) DO UPDATE SET number = greatest(g.number + 1, EXCLUDED.number)",
            [tables],
        )
        # A table that is no longer a figure table (a dropped model) has no number to keep.
        cursor.execute("DELETE FROM governance_figurenumber WHERE NOT table_name = ANY(%s)", [tables])
        for table in tables:
            if table in present:
                continue
            cursor.execute(
                f'CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()"
            )


def numbers() -> dict[str, int]:
    """Every table's number, one query (read once per page, before any figure)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, number FROM governance_figurenumber")
        return dict(cursor.fetchall())


def caching() -> bool:
    """False with Django's dummy cache (the test settings): figures are then computed every time,
    without reading the numbers either."""
    from django.core.cache import caches
    from django.core.cache.backends.dummy import DummyCache

    return not isinstance(caches["default"], DummyCache)


def numbers_for(request) -> dict[str, int]:
    """``numbers()`` read once per request (the dashboard's sections and the navigation share it)."""
    if getattr(request, "figure_numbers", None) is None:
        request.figure_numbers = numbers() if caching() else {}
    return request.figure_numbers


_TABLE_WORDS = re.compile(r"[a-z][a-z0-9_]*")


@functools.cache
def _table_names() -> frozenset[str]:
    return frozenset(figure_tables())


_capturing = threading.local()  # per thread: the table sets of the computations under way


def _note(tables) -> None:
    """Count ``tables`` as read by every computation under way in this thread (a figure computed
    inside another, or taken from the cache there, is part of what the outer one read)."""
    for seen in getattr(_capturing, "stack", ()):
        seen.update(tables)


def _reading(compute: Callable[[], Any]) -> tuple[Any, frozenset[str]]:
    """``compute()`` and the figure tables named in the SQL it sent (any word of a statement that is a
    table's name: an extra word only widens what the figure is keyed by)."""
    seen: set[str] = set()

    def spy(execute, sql, params, many, context):
        seen.update(_TABLE_WORDS.findall(sql))
        return execute(sql, params, many, context)

    stack = _capturing.__dict__.setdefault("stack", [])
    stack.append(seen)
    try:
        with connection.execute_wrapper(spy):
            value = compute()
    finally:
        stack.pop()
    return value, frozenset(seen & _table_names())


# Per figure name: the tables its computations have read in this process (they only grow: a
# process's cache key for the figure covers every table any scope of it read).
_reads: dict[str, frozenset[str]] = {}
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()
# Shared figures not made again for this long, or beyond this many, are deleted (one in
# ``_SWEEP_ONE_IN`` computations looks): a page per user and address must not fill the disk.
SHARED_KEPT = "2 days"
SHARED_ROWS = 5000
_SWEEP_ONE_IN = 200


def _key(name: str, parts: tuple, reads: frozenset[str], current: dict) -> str:
    tables = sorted(reads)
    stamp = tuple(current.get(table, 0) for table in tables)
    return "figures:" + hashlib.sha256(repr((name, parts, tables, stamp)).encode()).hexdigest()[:40]


def _stamps(tables, current: dict) -> list[int]:
    return [current.get(table, 0) for table in tables]


def _shared_get(cursor, slot: str, current: dict):
    """``(value, reads)`` of the shared figure in ``slot`` if the tables it read have not changed
    since it was made (their numbers in ``current`` are the ones it was made with), else None."""
    cursor.execute(
        "SELECT reads::text, stamps::text, value::text FROM governance_sharedfigure WHERE slot = %s", [slot]
    )
    row = cursor.fetchone()
    if row is None:
        return None
    reads, stamps, value = (json.loads(text) for text in row)
    if _stamps(reads, current) != stamps:
        return None
    return value, frozenset(reads)


def _shared(slot: str, current: dict, compute: Callable[[], Any]) -> tuple[Any, frozenset[str]]:
    """The figure from the shared table, or computed by this process while the others wait for it
    and put there: ``(value, tables read)``. The wait is a transaction-level advisory lock per slot,
    so one process of all the servers computes the figure, and the lock goes with the transaction
    whatever happens (an error rolls it back and frees it)."""
    with connection.cursor() as cursor:
        found = _shared_get(cursor, slot, current)
    if found is not None:
        return found
    lock = int.from_bytes(bytes.fromhex(slot[:16]), "big", signed=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
        # Read committed: a process that held the lock before has committed its figure by now.
        found = _shared_get(cursor, slot, current)
        if found is not None:
            return found
        value, reads = _reading(compute)
        tables = sorted(reads)
        cursor.execute(
            "INSERT INTO governance_sharedfigure (slot, reads, stamps, value, made_at) "
            "VALUES (%s, %s, %s, %s, now()) ON CONFLICT (slot) DO UPDATE SET reads = EXCLUDED.reads, "
            "stamps = EXCLUDED.stamps, value = EXCLUDED.value, made_at = EXCLUDED.made_at",
            [
                slot,
                json.dumps(tables),
                json.dumps(_stamps(tables, current)),
                json.dumps(value, ensure_ascii=False),
            ],
        )
        if secrets.randbelow(_SWEEP_ONE_IN) == 0:
            cursor.execute(
                "DELETE FROM governance_sharedfigure WHERE made_at < now() - %s::interval OR slot IN "
                "(SELECT slot FROM governance_sharedfigure ORDER BY made_at DESC OFFSET %s)",
                [SHARED_KEPT, SHARED_ROWS],
            )
    return value, reads


def cached(name: str, parts: tuple, compute: Callable[[], Any], *, known: dict | None = None) -> Any:
    """``compute()`` of the figure ``name`` for ``parts`` (what the result depends on besides the
    records: the scope, the period, the language), computed again after a committed write to a table
    it reads. ``known``: the numbers already read for this request. The value must be JSON (text,
    numbers, lists).

    Two levels: Django's cache in this process, then the shared table that every process of every
    server reads (``SharedFigure``), so a write makes one process compute the figure, not each. Threads
    of one process asking for the same missing figure wait for the first one's result."""
    if not caching():
        return compute()
    current = numbers() if known is None else known
    reads = _reads.get(name)
    if reads is not None:
        value = cache.get(_key(name, parts, reads, current))
        if value is not None:
            _note(reads)
            return value
    slot = hashlib.sha256(repr((name, parts)).encode()).hexdigest()[:40]
    with _locks_guard:
        lock = _locks.setdefault(slot, threading.Lock())
    try:
        with lock:
            reads = _reads.get(name)
            value = None if reads is None else cache.get(_key(name, parts, reads, current))
            if value is None:
                value, own = _shared(slot, current, compute)
                reads = _reads[name] = own | _reads.get(name, frozenset())
                cache.set(_key(name, parts, reads, current), value, TIMEOUT)
    finally:
        with _locks_guard:
            _locks.pop(slot, None)
    _note(reads)
    return value


def cached_html(name: str, parts: tuple, render: Callable[[], str], *, known: dict | None = None) -> str:
    """``cached`` for HTML the portal's own templates rendered (escaped there): the shared table keeps
    it as text, so it is marked safe again here, not escaped a second time by the page around it."""
    return mark_safe(cached(name, parts, render, known=known))  # noqa: S308 - rendered by our templates
