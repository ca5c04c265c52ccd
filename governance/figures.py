"""Dashboard figures computed once per change, not once per request ([10/10] item 2).

The county dashboard sums thousands of rows; between two writes its figures do not change. A
PostgreSQL trigger on every table of the portal's apps raises that app's number in
``FiguresGeneration.numbers`` when a transaction that wrote to the table commits. A cached figure is
keyed by the numbers of the apps it reads (its app and the apps its models point at, found from the
foreign keys: ``depends_on``), so:

- a figure is recomputed by the first request after a committed write to what it reads, and only
  then: a clerk's monthly report recomputes the supervision section, not the seven others;
- it is never stale: the numbers are read before the figures, and a write and the raise of its
  number become visible together, at the writer's commit;
- the cache may be per process (Django's local-memory cache): a server that missed a write still
  reads the new number from the shared database, so several servers stay correct without sharing a
  cache (README "Several servers");
- writes made with raw SQL, ``QuerySet.update`` or ``bulk_create`` count too: the trigger sits on the
  tables, not in Django's signals.

The trigger is a *deferred constraint trigger*: it runs at commit, once per app and transaction (a
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
import threading
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections

TRIGGER = "governance_figures_changed"
FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    app text := TG_ARGV[0];
    flag text := 'governance.figures_' || TG_ARGV[0];
    stamp bigint := (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
BEGIN
    IF current_setting(flag, true) IS DISTINCT FROM 'on' THEN
        PERFORM set_config(flag, 'on', true);
        INSERT INTO governance_figuresgeneration AS g (id, numbers) VALUES (1, jsonb_build_object(app, stamp))
        ON CONFLICT (id) DO UPDATE SET numbers = g.numbers || jsonb_build_object(
            app, greatest(coalesce((g.numbers ->> app)::bigint, 0) + 1, stamp));
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
    from governance.models import FiguresGeneration, Submission

    skip = {FiguresGeneration, Submission, apps.get_model(settings.AUTH_USER_MODEL)}
    tables = {}
    for config in _project_configs():
        for model in config.get_models():
            meta = model._meta
            if model in skip or meta.proxy or not meta.managed:
                continue
            if model.__name__.startswith("Historical") and hasattr(model, "history_id"):
                continue
            tables[meta.db_table] = config.label
    return tables


@functools.cache
def depends_on(label: str) -> tuple[str, ...]:
    """The apps whose records a figure of app ``label`` may read: the app itself and, through every
    foreign key of its models, the apps they point at (transitively)."""
    project = {config.label for config in _project_configs()}
    found, todo = set(), [label]
    while todo:
        current = todo.pop()
        if current in found or current not in project:
            continue
        found.add(current)
        for model in apps.get_app_config(current).get_models():
            for field in model._meta.get_fields():
                target = getattr(field, "related_model", None)
                if field.is_relation and field.concrete and target is not None:
                    todo.append(target._meta.app_label)
    return tuple(sorted(found))


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
    every app's number: what the migration changed is not served from a cache."""
    with connections[using].cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        cursor.execute(
            "INSERT INTO governance_figuresgeneration (id, numbers) VALUES (1, '{}') "
            "ON CONFLICT (id) DO NOTHING"
        )
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [TRIGGER])
        present = {row[0] for row in cursor.fetchall()}
        stamp = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"
        labels = sorted(set(figure_tables().values()))
        cursor.execute(
            f"UPDATE governance_figuresgeneration SET numbers = numbers || coalesce("  # noqa: S608 - fixed
            f"(SELECT jsonb_object_agg(app, {stamp}) FROM unnest(%s::text[]) app), '{{}}') WHERE id = 1",
            [labels],
        )
        for table, label in figure_tables().items():
            if table in present:
                continue
            cursor.execute(
                f'CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {TRIGGER}('{label}')"
            )


def numbers() -> dict[str, int]:
    """Every app's number, one query (read once per page, before any figure)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT numbers FROM governance_figuresgeneration WHERE id = 1")
        row = cursor.fetchone()
    value = row[0] if row else {}
    if isinstance(value, str):  # psycopg2 without the jsonb adapter
        import json

        value = json.loads(value)
    return value


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


def all_apps() -> tuple[str, ...]:
    """Every project app: for a figure gathered from all of them (the review queue's length)."""
    return tuple(sorted(config.label for config in _project_configs()))


_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def cached(
    parts: tuple, compute: Callable[[], Any], *, reads: tuple[str, ...], known: dict | None = None
) -> Any:
    """``compute()`` for ``parts`` (what the result depends on besides the records: the scope, the
    period, the language), computed again after a committed write to an app in ``reads``. ``known``:
    the numbers already read for this request. Threads of one process asking for the same missing
    figure wait for the first one's result instead of computing it again."""
    if not caching():
        return compute()
    current = numbers() if known is None else known
    stamp = tuple(current.get(label, 0) for label in reads)
    digest = hashlib.sha256(repr((parts, reads, stamp)).encode()).hexdigest()[:40]
    key = f"figures:{digest}"
    value = cache.get(key)
    if value is not None:
        return value
    with _locks_guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, TIMEOUT)
    with _locks_guard:
        _locks.pop(key, None)
    return value
