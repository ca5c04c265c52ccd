"""Exports that stream: time and peak Python memory of a county's supervision-report export.

Builds a throw-away database (``TEST_DB_NAME``, default ``bench_exports``) on the same server as
the tests, inserts 100,000 reports of one county in one set-based INSERT, then, as the county's
official, asks for ``/supervision/?export=csv`` and ``?export=xlsx`` over the first 10,000 and over
all 100,000 rows and reads the whole streamed body. Time comes from an untraced request, peak
memory (tracemalloc) from a second, traced one. Exit code 1 when a format's 100k peak is more
than 2x its 10k peak: memory must not grow with the row count.

    .venv/bin/python bench/exports.py             # 10k and 100k rows
    BENCH_EXPORT_ROWS=2000,20000 .venv/bin/python bench/exports.py
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
import tracemalloc
from pathlib import Path

SIZES = (10_000, 100_000)
# A format's peak at the largest size may be at most this many times its peak at the smallest.
GROWTH_LIMIT = 2.0
VILLAGES = 500  # reports are VILLAGES villages x as many monthly periods as needed


def build_reports(
    rows: int, *, county_code: str = "519800", villages: int = VILLAGES, start_year: int = 2000
):
    """A county (``county_code``: 6 digits), one township with ``villages`` villages, enough monthly
    periods, and ``rows`` reports (in turn draft, submitted, returned with a formula-like reason,
    approved) in one INSERT ... SELECT. Returns the county."""
    from django.db import connection

    from supervision.models import Kind, ReportingPeriod
    from villages.models import County, Township, Village

    since = dt.date(2000, 1, 1)
    county = County.objects.create(
        code=f"{county_code}000000", name=f"导出测试县{county_code}", valid_from=since
    )
    township = Township.objects.create(
        county=county, code=f"{county_code}101000", name="导出测试乡", kind="township", valid_from=since
    )
    Village.objects.bulk_create(
        Village(
            township=township, code=f"{county_code}101{n:03d}", name=f"导出测试{n:03d}村", valid_from=since
        )
        for n in range(villages)
    )
    months = -(-rows // villages)
    periods = [ReportingPeriod.build(Kind.MONTHLY, start_year + m // 12, m % 12 + 1) for m in range(months)]
    ReportingPeriod.objects.bulk_create(periods, ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO supervision_report (
                public_id, version, village_id, township_id, period_id, status, reporter_id,
                findings_decisions, findings_finances, findings_projects, findings_benefits,
                findings_integrity, summary, created_by_id, first_submitted_at, submitted_at,
                reviewed_by_id, reviewed_at, return_reason, early_reason, created_at)
            SELECT gen_random_uuid(), 1, v.id, v.township_id, p.id,
                   (ARRAY['draft', 'submitted', 'returned', 'approved'])[1 + n %% 4], NULL,
                   '决议已公示。', '', '', '', '', '本月村务、财务按时公开，第' || n || '号报告。', NULL,
                   CASE WHEN n %% 4 = 0 THEN NULL ELSE p.deadline - interval '1 day' * (n %% 7 - 2) END,
                   CASE WHEN n %% 4 = 0 THEN NULL ELSE p.deadline - interval '1 day' * (n %% 7 - 2) END,
                   NULL, NULL, CASE WHEN n %% 4 = 2 THEN '=请补充会议记录' ELSE '' END, '', now()
            FROM (
                SELECT v.id, v.township_id, p.id AS period_id, row_number() OVER () AS n
                FROM villages_village v CROSS JOIN supervision_reportingperiod p
                WHERE v.township_id = %s AND p.kind = 'monthly' AND p.year >= %s
                LIMIT %s
            ) AS pick(village_id, township_id, period_id, n)
            JOIN villages_village v ON v.id = pick.village_id
            JOIN supervision_reportingperiod p ON p.id = pick.period_id
            """,
            [township.id, start_year, rows],
        )
        cursor.execute("ANALYZE supervision_report")
    return county


def county_official(county):
    from governance.models import User
    from governance.roles import Role

    return User.objects.create(username=f"export_{county.code}", role=Role.COUNTY_OFFICIAL, county=county)


def consume(response) -> int:
    """Read the whole body as a browser would, chunk by chunk, keeping nothing; its size in bytes."""
    if not response.streaming:
        return len(response.content)
    return sum(len(chunk) for chunk in response.streaming_content)


def export(client, fmt: str) -> int:
    """The county's whole report list as ``fmt``; the body's size in bytes."""
    response = client.get(f"/supervision/?export={fmt}")
    assert response.status_code == 200, response.status_code
    return consume(response)


def peak_of(fn) -> tuple[int, float]:
    """(peak traced bytes, result) of ``fn()``."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = fn()
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


def main() -> int:
    from django.db import connections
    from django.test import Client
    from django.test.utils import setup_test_environment

    sizes = tuple(int(n) for n in os.environ.get("BENCH_EXPORT_ROWS", "").split(",") if n) or SIZES
    setup_test_environment()
    db = connections["default"]
    old_name = db.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    failed = False
    try:
        clients = {}
        for index, size in enumerate(sizes):
            started = time.perf_counter()
            county = build_reports(size, county_code=f"5198{index:02d}")
            print(f"built {size:,} reports in {time.perf_counter() - started:.1f} s")
            clients[size] = Client()
            clients[size].force_login(county_official(county))
            clients[size].get("/healthz")  # a client's first request loads the middleware
        for fmt in ("csv", "xlsx"):  # warm-up: imports, translations
            export(clients[min(sizes)], fmt)
        print(f"{'format':6} {'rows':>8} {'bytes':>12} {'seconds':>8} {'peak MB':>8}")
        for fmt in ("csv", "xlsx"):
            peaks = {}
            for size in sizes:
                began = time.perf_counter()
                length = export(clients[size], fmt)
                seconds = time.perf_counter() - began
                peaks[size], _ = peak_of(lambda fmt=fmt, size=size: export(clients[size], fmt))
                print(f"{fmt:6} {size:>8,} {length:>12,} {seconds:>8.2f} {peaks[size] / 1e6:>8.1f}")
            small, large = peaks[min(sizes)], peaks[max(sizes)]
            verdict = "ok" if large <= GROWTH_LIMIT * small else "FAIL"
            failed |= verdict == "FAIL"
            print(
                f"{fmt}: peak at {max(sizes):,} rows is {large / small:.2f}x the peak at "
                f"{min(sizes):,} rows (limit {GROWTH_LIMIT:g}x): {verdict}"
            )
    finally:
        db.creation.destroy_test_db(old_name, verbosity=0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings.test")
    os.environ.setdefault("TEST_DB_NAME", "bench_exports")
    import django

    django.setup()
    sys.exit(main())
