"""The dashboard's key query at national volume (docs/SCALING.md, [10/10] item 6).

Builds a database ``bench_national`` with the hierarchy at ``NATIONAL_SCALE`` times the province
(default 19: about 3,500 counties, 59,000 townships, 500,000 villages) and five years of monthly
supervision reports for every village (about 30 million rows), nothing else. The rows are loaded
with triggers and foreign-key checks off (``session_replication_role = replica``, the usual bulk
load), then the per-township tallies are recounted once (supervision 0006) and the tables analysed.

Then it times, median of 5 after a warm-up, the queries behind the supervision panel:
- one month's submitted and on-time counts per township, nationwide, from the raw reports (the
  covering index ``report_period_township``) and from the tallies;
- one county's month (a county official's dashboard) from each;
- the 12-month trend nationwide from each.

    .venv/bin/python bench/national.py            # about half an hour on 2 cores; keeps nothing
    NATIONAL_SCALE=1 .venv/bin/python bench/national.py   # the province, for comparison
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings.test")
os.environ.setdefault("TEST_DB_NAME", "bench_national")

import django  # noqa: E402

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SCALE = float(os.environ.get("NATIONAL_SCALE", "19"))
KEEP = os.environ.get("BENCH_KEEP") == "1"
MONTHS = 60


def step(label: str, sql: str, params=None) -> None:
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(sql, params)
    print(f"  {label}: {time.perf_counter() - started:.0f} s", flush=True)


def build() -> None:
    from django.utils import timezone

    from supervision.models import Kind
    from supervision.services import period_ensure

    today = timezone.localdate()
    first = today.replace(day=1)
    for back in range(MONTHS, 0, -1):
        y, m = divmod(first.year * 12 + first.month - 1 - back, 12)
        period_ensure(kind=Kind.MONTHLY, year=y, number=m + 1)
    counties = max(1, int(183 * SCALE))
    step(
        "hierarchy",
        """
        SET session_replication_role = replica;
        INSERT INTO villages_county (code, name, name_bo, valid_from)
        SELECT lpad(c::text, 6, '0') || '000000', '县' || c, '', DATE '2000-01-01'
        FROM generate_series(1, %s) c;
        INSERT INTO villages_township (code, name, name_bo, valid_from, county_id, kind)
        SELECT substr(co.code, 1, 6) || lpad(t::text, 3, '0') || '000', co.name || '乡' || t, '',
               DATE '2000-01-01', co.id, 'township'
        FROM villages_county co, generate_series(1, 17) t;
        INSERT INTO villages_village (code, name, name_bo, valid_from, township_id, kind)
        SELECT substr(tw.code, 1, 9) || lpad((200 + v)::text, 3, '0'), tw.name || v || '村', '',
               DATE '2000-01-01', tw.id, 'village'
        FROM villages_township tw, generate_series(1, 8 + (tw.id %% 2)) v;
        """,
        [counties],
    )
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM supervision_reportingperiod WHERE kind = 'monthly' ORDER BY start")
        periods = [row[0] for row in cur.fetchall()]
    started = time.perf_counter()
    for index, period_id in enumerate(periods, start=1):
        with connection.cursor() as cur:
            cur.execute(
                """
                SET session_replication_role = replica;
                INSERT INTO supervision_report (public_id, village_id, township_id, period_id, status,
                    findings_decisions, findings_finances, findings_projects, findings_benefits,
                    findings_integrity, summary, version, return_reason, early_reason, created_at,
                    first_submitted_at, submitted_at, reviewed_at)
                SELECT gen_random_uuid(), vi.id, vi.township_id, pe.id, 'approved', '', '', '', '', '',
                       '本月村务正常。', 1, '', '', pe.deadline - interval '3 days', x.sent, x.sent,
                       x.sent + interval '2 days'
                FROM supervision_reportingperiod pe CROSS JOIN villages_village vi
                CROSS JOIN LATERAL (SELECT CASE WHEN (vi.id * 7 + pe.id) %% 100 < 8
                    THEN pe.deadline + interval '4 days' ELSE pe.deadline - interval '1 day' END AS sent) x
                WHERE pe.id = %s AND (vi.id * 13 + pe.id * 7) %% 100 >= 3;
                """,
                [period_id],
            )
        if index % 10 == 0:
            print(
                f"  reports: {index}/{len(periods)} months, {time.perf_counter() - started:.0f} s", flush=True
            )
    import importlib

    from supervision.migrations import __path__ as _  # noqa: F401

    tally = importlib.import_module("supervision.migrations.0006_report_tally")
    step("tallies recounted", "SET session_replication_role = origin; " + tally.RECOUNT)
    step("analyse", "ANALYZE")


def timed(sql: str, params) -> float:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        cur.fetchall()
        times = []
        for _ in range(5):
            started = time.perf_counter()
            cur.execute(sql, params)
            cur.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


RAW_MONTH = """
SELECT r.township_id, count(*) FILTER (WHERE r.first_submitted_at IS NOT NULL),
       count(*) FILTER (WHERE r.first_submitted_at < p.deadline)
FROM supervision_report r JOIN supervision_reportingperiod p ON p.id = r.period_id
JOIN villages_township t ON t.id = r.township_id
WHERE r.period_id = %(period)s AND (%(county)s::bigint IS NULL OR t.county_id = %(county)s)
GROUP BY r.township_id
"""
TALLY_MONTH = """
SELECT y.township_id, y.submitted, y.on_time FROM supervision_reporttally y
JOIN villages_township t ON t.id = y.township_id
WHERE y.period_id = %(period)s AND (%(county)s::bigint IS NULL OR t.county_id = %(county)s)
"""
RAW_TREND = """
SELECT r.period_id, count(*) FILTER (WHERE r.first_submitted_at IS NOT NULL),
       count(*) FILTER (WHERE r.first_submitted_at < p.deadline)
FROM supervision_report r JOIN supervision_reportingperiod p ON p.id = r.period_id
WHERE r.period_id = ANY(%(periods)s) GROUP BY r.period_id
"""
TALLY_TREND = """
SELECT period_id, sum(submitted), sum(on_time) FROM supervision_reporttally
WHERE period_id = ANY(%(periods)s) GROUP BY period_id
"""


def main() -> int:
    setup_test_environment()
    db = connections["default"]
    old_name = db.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=KEEP, serialize=False)
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM supervision_report")
            built = cur.fetchone()[0]
        if not built:
            started = time.perf_counter()
            build()
            print(f"built in {time.perf_counter() - started:.0f} s")
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM villages_village")
            villages = cur.fetchone()[0]
            cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'supervision_report'")
            reports = cur.fetchone()[0]
            cur.execute("SELECT pg_size_pretty(pg_total_relation_size('supervision_report'))")
            size = cur.fetchone()[0]
            cur.execute(
                "SELECT id FROM supervision_reportingperiod WHERE kind = 'monthly' ORDER BY start DESC"
            )
            periods = [row[0] for row in cur.fetchall()]
            cur.execute("SELECT min(id) FROM villages_county")
            county = cur.fetchone()[0]
        print(f"villages: {villages:,}; reports: about {reports:,} ({size} with indexes)")
        month, year = {"period": periods[0]}, {"periods": periods[:12]}
        rows = [
            ("one month per township, nationwide", RAW_MONTH, TALLY_MONTH, {**month, "county": None}),
            ("one month per township, one county", RAW_MONTH, TALLY_MONTH, {**month, "county": county}),
            ("12-month trend, nationwide", RAW_TREND, TALLY_TREND, year),
        ]
        print(f"{'query':<40}{'raw reports ms':>16}{'tallies ms':>12}")
        for label, raw, tally, params in rows:
            print(f"{label:<40}{timed(raw, params):>16.1f}{timed(tally, params):>12.1f}", flush=True)
        return 0
    finally:
        if not KEEP:
            db.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
