"""Province-scale benchmark (DESIGN §8): page time and SQL count with 26,000 villages.

Builds a separate database ``bench_governance`` on the same server (embedded or DATABASE_URL),
fills it in SQL (183 counties, 3,100 townships, 26,000 villages), then requests each page several
times as each role and prints the median time, the query count and the peak memory of the process.
Targets live here, not in tests: a page over its budget is printed as FAIL and the exit code is 1.

    make bench                   # full size
    BENCH_SCALE=0.1 make bench   # a tenth, for a quick look
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
COUNTIES, TOWNSHIPS_PER_COUNTY, VILLAGES_PER_TOWNSHIP = 183, 17, 8  # 3,111 townships, 24,888 villages (+)
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
BUDGET_MS = {"default": 300, "export": 3000}


def build_database() -> None:
    counties = max(1, int(COUNTIES * SCALE))
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO villages_county (code, name, name_bo, valid_from)
            SELECT lpad((510000 + c)::text, 6, '0') || '000000', '县' || c, '', DATE '2000-01-01'
            FROM generate_series(1, %s) c;
            INSERT INTO villages_township (code, name, name_bo, valid_from, county_id, kind)
            SELECT substr(co.code, 1, 6) || lpad(t::text, 3, '0') || '000', co.name || '乡' || t, '',
                   DATE '2000-01-01', co.id, 'township'
            FROM villages_county co, generate_series(1, %s) t;
            INSERT INTO villages_village (code, name, name_bo, valid_from, township_id, kind)
            SELECT substr(tw.code, 1, 9) || lpad((200 + v)::text, 3, '0'), tw.name || v || '村', '',
                   DATE '2000-01-01', tw.id, 'village'
            FROM villages_township tw, generate_series(1, %s + (tw.id %% 2)) v;
            INSERT INTO villages_partybranch (public_id, name, kind, township_id, village_id, version,
                                              season_crosses_year)
            SELECT gen_random_uuid(), vi.name || '党支部', 'village', vi.township_id, vi.id, 1, false
            FROM villages_village vi;
            ANALYZE;
            """,
            [counties, TOWNSHIPS_PER_COUNTY, VILLAGES_PER_TOWNSHIP],
        )
        cur.execute("SELECT count(*) FROM villages_village")
        print(f"villages: {cur.fetchone()[0]:,}")


def measure(client, path: str) -> tuple[float, int, int, float]:
    timings, queries, status = [], 0, 0
    tracemalloc.start()
    for _ in range(REPEAT):
        connection.queries_log.clear()
        started = time.perf_counter()
        response = client.get(path)
        if getattr(response, "streaming", False):
            for _chunk in response.streaming_content:
                pass
        timings.append((time.perf_counter() - started) * 1000)
        queries, status = len(connection.queries), response.status_code
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(timings), queries, status, peak / 1e6


def main() -> int:
    from django.test import Client
    from django.test.utils import CaptureQueriesContext  # noqa: F401

    from governance.models import User
    from villages.models import County, Township, Village

    setup_test_environment()
    settings.DEBUG = True  # record queries
    db = connections["default"]
    old_name = db.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
    try:
        build_database()
        county = County.objects.order_by("code").first()
        township = Township.objects.filter(county=county).order_by("code").first()
        village = Village.objects.filter(township=township).order_by("code").first()
        users = {
            "admin": User.objects.create(username="b_admin", role="admin", is_superuser=True, is_staff=True),
            "county": User.objects.create(username="b_county", role="county", county=county),
            "township": User.objects.create(username="b_township", role="township", township=township),
        }
        pages = [
            ("/", "default"),
            ("/dashboard/", "default"),
            ("/villages/", "default"),
            ("/villages/?page=40", "default"),
            ("/villages/?name=5", "default"),
            (f"/villages/{village.code}/", "default"),
            ("/villages/?export=csv", "export"),
        ]
        failed = False
        print(f"{'role':<9} {'page':<32} {'status':>6} {'median ms':>10} {'queries':>8} {'peak MB':>8}")
        for role, user in users.items():
            client = Client()
            client.force_login(user)
            for path, budget in pages:
                if role == "admin" and "export" in path:
                    continue  # a whole-province export is not a page; see [6/7]
                ms, queries, status, peak = measure(client, path)
                ok = status == 200 and ms <= BUDGET_MS[budget]
                failed |= not ok
                flag = "" if ok else "  FAIL"
                print(f"{role:<9} {path:<32} {status:>6} {ms:>10.1f} {queries:>8} {peak:>8.1f}{flag}")
        return 1 if failed else 0
    finally:
        db.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
