"""`make bench-load`: requests per second of a few portal pages beside a bare Django view.

Both run on gunicorn with deploy/gunicorn.conf.py and the same workers and threads, on loopback,
the portal with the production settings over a throw-away PostgreSQL. As many clients as the
server has threads send requests back to back for BENCH_LOAD_SECONDS (default 10) per page. The
clients share the machine with the server, so compare rows with each other, not with production.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from ops.pgtools import ThrowawayPostgres
from ops.runtime import Client, Gunicorn


def _hammer(
    port: int, path: str, cookies: dict, clients: int, seconds: float
) -> tuple[int, list[float], int]:
    times: list[float] = []
    failed = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop() -> None:
        nonlocal failed
        client = Client(port, cookies=dict(cookies))
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                status = client.get(path).status
            except OSError:
                status = None
            with lock:
                if status == 200:
                    times.append(time.monotonic() - started)
                else:
                    failed += 1

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(times), times, failed


def bench(*, workers: int = 2, threads: int = 4) -> int:
    from ops.load import PASSWORD, prepare

    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "10"))
    clients = workers * threads
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp, ThrowawayPostgres() as pg:
        workdir = Path(tmp)
        env, accounts = prepare(pg, workdir, clerks=1, officials=1)
        clerk, official = next(iter(accounts["clerks"])), accounts["officials"][0]
        settings = {"workers": workers, "threads": threads}
        with (
            Gunicorn(env, log_path=workdir / "portal.log", **settings) as portal,
            Gunicorn(env, log_path=workdir / "bare.log", app="ops.bare_wsgi", **settings) as bare,
        ):
            as_clerk, as_official = Client(portal.port), Client(portal.port)
            assert as_clerk.log_in(clerk, PASSWORD).status == 302
            assert as_official.log_in(official, PASSWORD).status == 302
            grid = as_clerk.get("/supervision/grid/").location
            rows = [
                ("bare Django view (no middleware, no database)", bare.port, "/", {}),
                ("portal /healthz (one query)", portal.port, "/healthz", {}),
                ("portal login page (anonymous)", portal.port, "/accounts/login/", {}),
                ("portal village list (township clerk)", portal.port, "/villages/", as_clerk.cookies),
                ("portal supervision grid (township clerk)", portal.port, grid, as_clerk.cookies),
                ("portal dashboard (county official)", portal.port, "/dashboard/", as_official.cookies),
            ]
            print(f"{workers} workers x {threads} threads, {clients} clients, {seconds:.0f} s per page")
            print(f"{'page':<46}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'failed':>8}")
            for label, port, path, cookies in rows:
                count, times, failed = _hammer(port, path, cookies, clients, seconds)
                ordered = sorted(times) or [float("nan")]
                p50 = statistics.median(ordered) * 1000
                p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000
                print(f"{label:<46}{count / seconds:>8.1f}{p50:>9.0f}{p95:>9.0f}{failed:>8}")
    return 0
