"""Bounded loopback load test, optionally with PostgreSQL restarted in the middle.

    python -m ops.load                                  # make load-test: 30 clerks, 5 officials, 60 s
    python -m ops.load --restart-at 30 --down 5         # make fault-test: the same, PostgreSQL restarted
    python -m ops.load --bench                          # make bench-load: throughput beside a bare view

Everything runs on a throw-away PostgreSQL (its own directory and socket, never the shared
development server) and on gunicorn with the production settings and deploy/gunicorn.conf.py,
on 127.0.0.1 only. Clerks log in once, then create this month's supervision report for each of
their villages and keep editing them (grid -> new -> edit with the hidden version -> save); county
officials read the dashboard, the completeness page and the grid. A write is acknowledged when the
portal answers its POST with a redirect; afterwards every acknowledged write must be in the
database (its history row carries the text that was sent). With a restart, requests may fail only
while the database is down, and then only with 503.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import threading
import time
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from ops.pgtools import ThrowawayPostgres, connect, create_database
from ops.runtime import Client, Gunicorn, collectstatic_if_stale, hidden_fields, manage, production_env

PASSWORD = "load-test-password-1"
DATABASE = "portal"
TEXT_FIELDS = [
    "findings_decisions",
    "findings_finances",
    "findings_projects",
    "findings_benefits",
    "findings_integrity",
]


# --- data set ---------------------------------------------------------------------------------


def seed(clerks: int, officials: int, password: str) -> dict:
    """Runs inside Django (``manage.py shell``): the demo hierarchy and the load-test accounts.

    Each clerk gets villages of their own in one township, so clerks never edit the same report.
    """
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from governance.audit import acting_as
    from governance.demo import demo_actor
    from governance.models import User
    from governance.roles import Role
    from villages import demo
    from villages.models import County, Township, Village

    with acting_as(demo_actor()):
        demo.seed()
    county = County.objects.get(code=demo.KANGDING_CODE)
    townships = list(Township.objects.filter(county=county, valid_to__isnull=True).order_by("code"))
    encoded = make_password(password)  # one hash for all: hashing is deliberately slow
    assignments: dict[str, list[str]] = {}
    users = []
    for index in range(clerks):
        township = townships[index % len(townships)]
        sharing = len(range(index % len(townships), clerks, len(townships)))
        codes = list(
            Village.objects.filter(township=township, valid_to__isnull=True)
            .order_by("code")
            .values_list("code", flat=True)
        )
        username = f"clerk{index + 1:02d}"
        assignments[username] = codes[index // len(townships) :: sharing]
        users.append(User(username=username, password=encoded, role=Role.TOWNSHIP_STAFF, township=township))
    names = [f"official{index + 1}" for index in range(officials)]
    users += [User(username=n, password=encoded, role=Role.COUNTY_OFFICIAL, county=county) for n in names]
    User.objects.bulk_create(users)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"clerks": assignments, "officials": names}


# --- traffic ----------------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str  # login, page, write
    name: str
    started: float
    ended: float
    status: int | None  # None: no HTTP answer at all
    ok: bool


@dataclass
class Ack:
    """A write the portal acknowledged: report ``public_id`` was saved with ``summary``."""

    public_id: str
    summary: str
    at: float


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    acks: list[Ack] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, kind, name, fn, expect) -> object | None:
        started = time.monotonic()
        try:
            response = fn()
        except OSError:
            response = None
        ended = time.monotonic()
        status = response.status if response is not None else None
        with self.lock:
            self.samples.append(Sample(kind, name, started, ended, status, status in expect))
        return response if status in expect else None


class VirtualUser(threading.Thread):
    def __init__(self, *, port, username, recorder, stop, delay, think, rng):
        super().__init__(name=username, daemon=True)
        self.client = Client(port)
        self.username, self.recorder, self.stop, self.delay, self.think = (
            username,
            recorder,
            stop,
            delay,
            think,
        )
        self.rng = rng

    def pause(self) -> bool:
        """Think time; False once the run is over."""
        return not self.stop.wait(self.rng.uniform(*self.think))

    def get(self, name, path, expect=(200,)):
        return self.recorder.call("page", name, lambda: self.client.get(path), expect)

    def grid(self) -> None:
        """The grid's own URL redirects to this month's grid of the user's township."""
        moved = self.get("grid", "/supervision/grid/", expect=(302,))
        if moved is not None:
            self.get("grid", moved.location)

    def run(self) -> None:
        if self.stop.wait(self.delay):
            return
        while not self.stop.is_set():
            if self.recorder.call(
                "login", "login", lambda: self.client.log_in(self.username, PASSWORD), (302,)
            ):
                break
            if not self.pause():
                return
        while self.pause():
            self.step()


class Clerk(VirtualUser):
    """``submit_share``: the chance that an edit turn submits the report instead (0: drafts only,
    as `make load-test`; `make bench-load` submits, so the dashboard's figures change under it)."""

    def __init__(self, *, villages, period, submit_share: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        self.to_create = list(villages)
        self.period = period
        self.submit_share = submit_share
        self.reports: list[str] = []
        self.turn = 0
        self.writes = 0
        self.submitted = 0

    def summary(self) -> str:
        self.writes += 1
        return f"负载测试 {self.username} 第{self.writes}次保存"

    def step(self) -> None:
        if self.turn % 4 == 3:
            self.grid()
        elif self.to_create:
            self.create(self.to_create.pop(0))
        elif self.reports:
            public_id = self.reports[self.turn % len(self.reports)]
            # Only a submitting clerk draws the chance: `make load-test`'s run stays as it was.
            if self.submit_share and self.rng.random() < self.submit_share:
                self.submit(public_id)
            else:
                self.edit(public_id)
        self.turn += 1

    def create(self, village: str) -> None:
        form = self.get("new", f"/supervision/new/?village={village}&period={self.period}")
        if form is None or not self.pause():
            return
        summary = self.summary()
        data = {**hidden_fields(form.text, "summary"), "village": village, "period": self.period}
        data.update({name: "" for name in TEXT_FIELDS}, summary=summary, action="save")
        saved = self.recorder.call(
            "write", "create", lambda: self.client.post("/supervision/new/", data), (302,)
        )
        if saved is not None:
            public_id = saved.location.rstrip("/").split("/")[-1]
            self.reports.append(public_id)
            with self.recorder.lock:
                self.recorder.acks.append(Ack(public_id, summary, time.monotonic()))

    def edit(self, public_id: str) -> None:
        path = f"/supervision/r/{public_id}/edit/"
        form = self.get("edit", path)
        if form is None or not self.pause():
            return
        summary = self.summary()
        # The hidden fields carry the version the form was opened at and the one-time token.
        data = {
            **hidden_fields(form.text, "summary"),
            **{name: f"{self.username} 本月无问题" for name in TEXT_FIELDS},
            "summary": summary,
        }
        if self.recorder.call("write", "edit", lambda: self.client.post(path, data), (302,)) is not None:
            with self.recorder.lock:
                self.recorder.acks.append(Ack(public_id, summary, time.monotonic()))

    def submit(self, public_id: str) -> None:
        """提交 in its two steps (the confirmation page, then its POST with the early reason the
        month not yet over asks for): the report's first submission moves the county's figures. A
        submitted report is not edited again."""
        path = f"/supervision/r/{public_id}/submit/"
        page = self.get("submit", path)
        if page is None or not self.pause():
            return
        data = {**hidden_fields(page.text, "submission_token"), "early_reason": "月底前已核实，提前报送"}
        if self.recorder.call("write", "submit", lambda: self.client.post(path, data), (302,)) is not None:
            self.reports.remove(public_id)
            self.submitted += 1


class Official(VirtualUser):
    turn = 0

    def step(self) -> None:
        page = self.turn % 3
        if page == 0:
            self.get("dashboard", "/dashboard/")
        elif page == 1:
            self.get("completeness", "/supervision/completeness/")
        else:
            self.grid()
        self.turn += 1


# --- one run ----------------------------------------------------------------------------------


@dataclass
class Result:
    duration: float
    samples: list[Sample]
    acks: list[Ack]
    missing: list[Ack]
    down: tuple[float, float] | None
    health_while_down: list[int | None]
    health_after: int | None
    max_connections: int
    connection_bound: int
    started: float

    def during_downtime(self, sample: Sample) -> bool:
        return self.down is not None and sample.started <= self.down[1] and sample.ended >= self.down[0]

    @property
    def failures(self) -> list[Sample]:
        return [s for s in self.samples if not s.ok]

    @property
    def failures_outside_downtime(self) -> list[Sample]:
        return [s for s in self.failures if not self.during_downtime(s)]

    @property
    def downtime_statuses(self) -> set[int | None]:
        return {s.status for s in self.failures if self.during_downtime(s)}

    @property
    def acks_before_restart(self) -> int:
        return sum(1 for a in self.acks if self.down and a.at < self.down[0])

    @property
    def acks_after_restart(self) -> int:
        return sum(1 for a in self.acks if self.down and a.at > self.down[1])

    def p95(self, kind: str | None = None) -> float:
        times = sorted(s.ended - s.started for s in self.samples if s.ok and kind in (None, s.kind))
        if not times:
            return float("nan")
        return times[max(0, int(round(0.95 * len(times))) - 1)] * 1000

    def report(self) -> str:
        rate = len(self.samples) / self.duration
        lines = [f"{len(self.samples)} requests in {self.duration:.0f} s ({rate:.1f}/s)"]
        lines.append(f"{'kind':<8}{'count':>7}{'failed':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
        for kind in ("login", "page", "write", None):
            chosen = [s for s in self.samples if kind in (None, s.kind)]
            times = [(s.ended - s.started) * 1000 for s in chosen if s.ok]
            p50 = statistics.median(times) if times else float("nan")
            lines.append(
                f"{kind or 'all':<8}{len(chosen):>7}{sum(not s.ok for s in chosen):>8}"
                f"{p50:>9.0f}{self.p95(kind):>9.0f}{max(times, default=float('nan')):>9.0f}"
            )
        lines.append(f"acknowledged writes: {len(self.acks)}, missing from the database: {len(self.missing)}")
        lines.append(
            f"PostgreSQL connections: at most {self.max_connections} (bound {self.connection_bound})"
        )
        if self.down:
            start, end = (t - self.started for t in self.down)
            lines.append(
                f"PostgreSQL down from {start:.1f} s to {end:.1f} s: "
                f"{len(self.failures) - len(self.failures_outside_downtime)} requests refused "
                f"(statuses {sorted(self.downtime_statuses, key=str)}), "
                f"/healthz said {self.health_while_down}; "
                f"after: /healthz {self.health_after}, {self.acks_after_restart} writes acknowledged"
            )
        for sample in self.failures_outside_downtime[:10]:
            lines.append(f"FAILED outside downtime: {sample}")
        return "\n".join(lines)

    def problems(self) -> list[str]:
        """What makes the run fail; empty when it passed."""
        found = []
        if self.failures_outside_downtime:
            found.append(f"{len(self.failures_outside_downtime)} requests failed while the database was up")
        if self.missing:
            found.append(f"{len(self.missing)} acknowledged writes are not in the database")
        if not self.acks:
            found.append("no write was acknowledged")
        if self.max_connections > self.connection_bound:
            found.append(
                f"{self.max_connections} database connections, over the bound {self.connection_bound}"
            )
        if self.down:
            if self.downtime_statuses - {503}:
                found.append(
                    f"while the database was down the portal answered {self.downtime_statuses}, not 503"
                )
            if 503 not in self.health_while_down:
                found.append(f"/healthz answered {self.health_while_down} while the database was down")
            if self.health_after != 200 or not self.acks_after_restart:
                found.append("the portal did not recover after the restart")
        return found


def _period_key() -> str:
    today = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date()
    return f"{today.year}-{today.month:02d}"


def _missing(pg: ThrowawayPostgres, acks: list[Ack]) -> list[Ack]:
    conn = connect(pg.settings, DATABASE)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT DISTINCT public_id::text, summary FROM supervision_historicalreport "
                "WHERE summary = ANY(%s)",
                [[a.summary for a in acks]],
            )
            stored = set(cur.fetchall())
    finally:
        conn.close()
    return [a for a in acks if (a.public_id, a.summary) not in stored]


class ConnectionSampler(threading.Thread):
    """Counts the app's PostgreSQL backends twice a second (from the maintenance database)."""

    def __init__(self, pg: ThrowawayPostgres, stop: threading.Event):
        super().__init__(daemon=True)
        self.pg, self.stop, self.maximum = pg, stop, 0

    def run(self) -> None:
        while not self.stop.wait(0.5):
            try:
                conn = connect(self.pg.settings, "postgres")
                try:
                    with conn.cursor() as cur:
                        cur.execute(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                            "AND backend_type = 'client backend'",
                            [DATABASE],
                        )
                        self.maximum = max(self.maximum, cur.fetchone()[0])
                finally:
                    conn.close()
            except Exception:  # noqa: BLE001 - the database is down on purpose; try again
                continue


def prepare(
    pg: ThrowawayPostgres, workdir: Path, *, clerks: int, officials: int, full_demo: bool = False
) -> tuple[dict, dict]:
    """Create, migrate and seed the throw-away database; returns the environment and the accounts.
    ``full_demo``: every app's demo records too (`make run`'s data), not only the hierarchy."""
    create_database(pg.settings, DATABASE)
    env = production_env(database_url=pg.url(DATABASE), media_root=workdir / "media")
    collectstatic_if_stale(env)
    manage(env, "migrate", "--noinput", "-v0")
    if full_demo:
        manage(env, "seed_demo")
    out = manage(
        env,
        "shell",
        "-c",
        "import json; from ops.load import seed; "
        f"print(json.dumps(seed({clerks}, {officials}, {PASSWORD!r})))",
    )
    return env, json.loads(out.strip().splitlines()[-1])


def _restart(
    pg: ThrowawayPostgres, port: int, at: float, down: float, health: list, ready=lambda: True
) -> tuple[float, float]:
    """Stop PostgreSQL at ``at`` (or later, once ``ready()``: a write was acknowledged, so there is
    something to lose; at most 30 s later on a slow machine) for ``down`` seconds, asking /healthz
    meanwhile; the down window."""
    time.sleep(max(0.0, at - time.monotonic()))
    while not ready() and time.monotonic() < at + 30:
        time.sleep(0.2)
    went_down = time.monotonic()
    pg.stop("fast")  # rolls back open transactions and drops every connection, as a restart does
    while time.monotonic() < went_down + down:
        try:
            health.append(Client(port, timeout=5).get("/healthz").status)
        except OSError:
            health.append(None)
        time.sleep(0.5)
    pg.start()
    return went_down, time.monotonic()


def run(
    *,
    clerks: int = 30,
    officials: int = 5,
    duration: float = 60,
    restart_at: float | None = None,
    down: float = 5,
    think: tuple[float, float] = (0.5, 1.5),
    workers: int = 2,
    threads: int = 4,
    seed_value: int = 1,
    log=print,
) -> Result:
    with tempfile.TemporaryDirectory(prefix="portal-load-") as tmp, ThrowawayPostgres() as pg:
        workdir = Path(tmp)
        log(f"throw-away PostgreSQL in {pg.root}; preparing the database")
        env, accounts = prepare(pg, workdir, clerks=clerks, officials=officials)
        with Gunicorn(env, log_path=workdir / "gunicorn.log", workers=workers, threads=threads) as server:
            log(f"gunicorn on 127.0.0.1:{server.port} ({workers} workers x {threads} threads)")
            recorder, stop = Recorder(), threading.Event()
            rng = random.Random(seed_value)
            ramp = min(3.0, duration / 4)
            users: list[VirtualUser] = []
            common = {"port": server.port, "recorder": recorder, "stop": stop, "think": think}
            for username, villages in accounts["clerks"].items():
                users.append(
                    Clerk(
                        username=username,
                        villages=villages,
                        period=_period_key(),
                        delay=rng.uniform(0, ramp),
                        rng=random.Random(rng.random()),
                        **common,
                    )
                )
            for username in accounts["officials"]:
                users.append(
                    Official(
                        username=username,
                        delay=rng.uniform(0, ramp),
                        rng=random.Random(rng.random()),
                        **common,
                    )
                )
            sampler = ConnectionSampler(pg, stop)
            started = time.monotonic()
            sampler.start()
            for user in users:
                user.start()
            window, health_down, health_after = None, [], None
            try:
                if restart_at is not None:
                    window = _restart(
                        pg,
                        server.port,
                        started + restart_at,
                        down,
                        health_down,
                        ready=lambda: bool(recorder.acks),
                    )
                    log(f"PostgreSQL down from {window[0] - started:.1f} s to {window[1] - started:.1f} s")
                    # As long after the restart as planned, however late it came.
                    duration = max(duration, window[1] - started + (duration - restart_at - down))
                time.sleep(max(0.0, started + duration - time.monotonic()))
            finally:
                stop.set()  # whatever happened, the users stop: the run is bounded
                for user in users:
                    user.join(timeout=40)
            ended = time.monotonic()
            if restart_at is not None:
                health_after = Client(server.port).get("/healthz").status
            sampler.join(timeout=5)
        acks = list(recorder.acks)
        return Result(
            duration=ended - started,
            samples=list(recorder.samples),
            acks=acks,
            missing=_missing(pg, acks),
            down=window,
            health_while_down=health_down,
            health_after=health_after,
            max_connections=sampler.maximum,
            connection_bound=workers * threads,
            started=started,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clerks", type=int, default=30)
    parser.add_argument("--officials", type=int, default=5)
    parser.add_argument("--duration", type=float, default=60, help="seconds of traffic (default 60)")
    parser.add_argument("--restart-at", type=float, help="stop PostgreSQL this many seconds in")
    parser.add_argument("--down", type=float, default=5, help="seconds PostgreSQL stays down (default 5)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--bench", action="store_true", help="throughput beside a bare Django view")
    args = parser.parse_args(argv)
    if args.bench:
        from ops.bench_load import bench

        return bench(workers=args.workers, threads=args.threads)
    result = run(
        clerks=args.clerks,
        officials=args.officials,
        duration=args.duration,
        restart_at=args.restart_at,
        down=args.down,
        workers=args.workers,
        threads=args.threads,
    )
    print(result.report())
    problems = result.problems()
    for problem in problems:
        print(f"FAIL: {problem}")
    print("FAIL" if problems else "PASS")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
