"""`make bench-load` ([10/10] item 2): dashboards under month-end load, beside a bare view.

One gunicorn (production settings, DEBUG off, deploy/gunicorn.conf.py) serves the full demo data
over a throw-away PostgreSQL, with ``ops.bench_wsgi`` adding a bare Django template view to the
portal. 30 clerks log in and keep entering this month's reports (ops/load.py, with think time):
creating them, editing them and, now and then, submitting one (``SUBMIT_SHARE`` of their edit
turns), which moves the county's completeness figures. Once they all write, the county officials'
five clients request, back to back, the bare view and ``/dashboard/`` in turn, in slices of
``SLICE`` seconds, BENCH_LOAD_SECONDS (default 30) for each, so both see the same clerks' work
(the drafts of the first minutes, the edits and submissions after).

A draft changes no dashboard figure; a submission recomputes the supervision section and the page
around it, in each server process, after the commit (governance/figures.py).

Printed: requests/s, p50/p95/p99 and errors per kind, the writes and submissions made while the
dashboards were requested, and the dashboards' throughput as a share of the bare view's. Exit 1
unless the dashboards reach 0.5x the bare view with no error, a p95 within 300 ms, and submissions
among the writes. The load generator shares the 2 cores with the server: compare rows within a run.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

from ops.pgtools import ThrowawayPostgres
from ops.runtime import Client, Gunicorn

GOAL_RATIO = 0.5
GOAL_P95_MS = 300
SLICE = 5.0  # seconds of one kind of request before the other kind
SUBMIT_SHARE = 0.15


def _percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    if not ordered:
        return float("nan")
    return ordered[max(0, round(share * len(ordered)) - 1)] * 1000


class Hammer(threading.Thread):
    """Requests ``path`` back to back until ``stop``; records each answer's time and status."""

    def __init__(self, port: int, path: str, cookies: dict, stop: threading.Event):
        super().__init__(daemon=True)
        self.client, self.path, self.stop = Client(port, cookies=dict(cookies)), path, stop
        self.times: list[float] = []
        self.failed = 0

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                status = self.client.get(self.path).status
            except OSError:
                status = None
            if status == 200:
                self.times.append(time.monotonic() - started)
            else:
                self.failed += 1


def _hammer(port: int, path: str, cookies: list[dict], seconds: float, stop=None) -> tuple[list, int]:
    stop = stop or threading.Event()
    hammers = [Hammer(port, path, jar, stop) for jar in cookies]
    for hammer in hammers:
        hammer.start()
    time.sleep(seconds)
    stop.set()
    for hammer in hammers:
        hammer.join(timeout=30)
    return [t for h in hammers for t in h.times], sum(h.failed for h in hammers)


def _row(label: str, times: list[float], failed: int, seconds: float) -> str:
    p50 = statistics.median(times) * 1000 if times else float("nan")
    return (
        f"{label:<44}{len(times) / seconds:>8.1f}{p50:>8.0f}{_percentile(times, 0.95):>8.0f}"
        f"{_percentile(times, 0.99):>8.0f}{failed:>7}"
    )


def bench(*, workers: int = 2, threads: int = 4, clerks: int = 30, officials: int = 5) -> int:
    from ops.load import PASSWORD, Clerk, Recorder, _period_key, prepare

    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "30"))
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp, ThrowawayPostgres() as pg:
        workdir = Path(tmp)
        print("preparing a throw-away database with the full demo data ...", flush=True)
        env, accounts = prepare(pg, workdir, clerks=clerks, officials=officials, full_demo=True)
        settings = {"workers": workers, "threads": threads}
        with Gunicorn(env, log_path=workdir / "portal.log", app="ops.bench_wsgi", **settings) as portal:
            jars = []
            for name in accounts["officials"]:
                client = Client(portal.port)
                assert client.log_in(name, PASSWORD).status == 302, f"{name} could not log in"
                assert client.get("/dashboard/").status == 200
                jars.append(client.cookies)
            print(
                f"gunicorn {workers} workers x {threads} threads; {seconds:.0f} s of each kind, "
                f"in {SLICE:.0f}-s slices; "
                f"{len(jars)} officials back to back, {len(accounts['clerks'])} clerks with think time"
            )
            header = f"{'requests':<44}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'errors':>7}"
            recorder, stop = Recorder(), threading.Event()
            rng = random.Random(1)
            clerk_threads = [
                Clerk(
                    port=portal.port,
                    username=username,
                    villages=villages,
                    period=_period_key(),
                    recorder=recorder,
                    stop=stop,
                    delay=rng.uniform(0, 2),
                    think=(0.5, 1.5),
                    rng=random.Random(rng.random()),
                    submit_share=SUBMIT_SHARE,
                )
                for username, villages in accounts["clerks"].items()
            ]
            for clerk in clerk_threads:
                clerk.start()
            # Logins hash passwords (slow on purpose): measure once every clerk is in and writing.
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and sum(
                1 for s in list(recorder.samples) if s.kind == "login" and s.ok
            ) < len(clerk_threads):
                time.sleep(0.5)
            time.sleep(2)
            first_sample = len(recorder.samples)
            started = time.monotonic()
            bare_times, bare_failed, dash_times, dash_failed = [], 0, [], 0
            dash_windows = []
            for _round in range(max(1, round(seconds / SLICE))):
                times, failed = _hammer(portal.port, "/bench/bare/", jars, SLICE)
                bare_times += times
                bare_failed += failed
                opened = time.monotonic()
                times, failed = _hammer(portal.port, "/dashboard/", jars, SLICE)
                dash_windows.append((opened, time.monotonic()))
                dash_times += times
                dash_failed += failed
            elapsed = time.monotonic() - started
            stop.set()
            for clerk in clerk_threads:
                clerk.join(timeout=40)
            measured = recorder.samples[first_sample:]
            during = [
                s
                for s in measured
                if s.kind == "write" and s.ok and any(a <= s.ended <= b for a, b in dash_windows)
            ]
            writes = len(during)
            submissions = sum(1 for s in during if s.name == "submit")
            seconds = len(dash_windows) * SLICE
            print(header + "   (times in ms)")
            print(_row("bare Django template view (same gunicorn)", bare_times, bare_failed, seconds))
            print(_row("county dashboard", dash_times, dash_failed, seconds))
            for kind in ("page", "write"):
                chosen = [s for s in measured if s.kind == kind]
                times = [s.ended - s.started for s in chosen if s.ok]
                print(_row(f"30 clerks meanwhile: {kind}s", times, sum(not s.ok for s in chosen), elapsed))
    ratio = (len(dash_times) / max(1, len(bare_times))) if bare_times else 0.0
    p95 = _percentile(dash_times, 0.95)
    errors = bare_failed + dash_failed + sum(not s.ok for s in measured)
    print(
        f"writes acknowledged while the dashboards were requested: {writes}, of them submissions: "
        f"{submissions}; dashboards / bare view: "
        f"{ratio:.2f}x (goal {GOAL_RATIO}x); dashboard p95 {p95:.0f} ms (goal {GOAL_P95_MS}); errors {errors}"
    )
    passed = ratio >= GOAL_RATIO and errors == 0 and p95 <= GOAL_P95_MS and submissions > 0
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1
