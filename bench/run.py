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

from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
COUNTIES, TOWNSHIPS_PER_COUNTY, VILLAGES_PER_TOWNSHIP = 183, 17, 8  # 3,111 townships, 24,888 villages (+)
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
BUDGET_MS = {"default": 300, "export": 3000}
MAX_QUERIES = 30
KEEP = os.environ.get("BENCH_KEEP") == "1"  # keep the database and reuse it next time (profiling)
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BUILT: dict[str, int] = {}


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
    build_records()


MONTHS = 60  # five years of monthly reports (DESIGN §8: 1.6 M at full size)
PEOPLE_PER_VILLAGE = 38  # about a million people
MATTERS_PER_VILLAGE = 12  # 四议两公开 matters, each with the steps its state implies
MEMBERS_PER_BRANCH = 12  # open memberships in each village branch


def build_records() -> None:
    """Supervision periods and reports, people, posts, reserve cadres, memberships, matters with
    steps and six-standardization reviews, all in bulk SQL (generate_series), like the hierarchy."""
    import datetime as dt

    from django.utils import timezone

    from governance.models import User
    from supervision.models import Kind
    from supervision.services import period_ensure

    started = time.perf_counter()
    today = timezone.localdate()
    first = today.replace(day=1)
    months = []
    for back in range(MONTHS, -1, -1):  # the current month too (open, not yet due)
        y, m = divmod(first.year * 12 + first.month - 1 - back, 12)
        months.append((y, m + 1))
    for y, m in months:
        period_ensure(kind=Kind.MONTHLY, year=y, number=m)
    for y in sorted({y for y, _ in months}):
        for q in range(1, 5):
            if dt.date(y, 3 * q - 2, 1) <= today:
                period_ensure(kind=Kind.QUARTERLY, year=y, number=q)
    clerk = User.objects.create(username="b_clerk", role="admin")
    with connection.cursor() as cur:
        # Reports: about 97% of villages report each closed month, 8% of them late; the last two
        # months mix drafts, submitted, returned and approved; older months are approved.
        cur.execute(
            """
            INSERT INTO supervision_report (public_id, village_id, township_id, period_id, status,
                findings_decisions, findings_finances, findings_projects, findings_benefits,
                findings_integrity, summary, version, return_reason, early_reason, created_at,
                first_submitted_at, submitted_at, reviewed_at)
            SELECT gen_random_uuid(), vi.id, vi.township_id, pe.id, x.status, '', '', '', '', '',
                   '本月村务正常。', 1, CASE WHEN x.status = 'returned' THEN '请补充财务情况。' ELSE '' END,
                   '', pe.deadline - interval '3 days',
                   CASE WHEN x.status = 'draft' THEN NULL ELSE x.sent END,
                   CASE WHEN x.status = 'draft' THEN NULL ELSE x.sent END,
                   CASE WHEN x.status = 'approved' THEN x.sent + interval '2 days' END
            FROM supervision_reportingperiod pe
            CROSS JOIN villages_village vi
            CROSS JOIN LATERAL (
                SELECT CASE
                    WHEN pe.due_date >= %(today)s - 40 THEN
                        (ARRAY['draft','submitted','submitted','returned','approved','approved'])
                        [1 + (vi.id + pe.id) %% 6]
                    ELSE 'approved' END AS status,
                    CASE WHEN (vi.id * 7 + pe.id) %% 100 < 8 THEN pe.deadline + interval '4 days'
                         ELSE pe.deadline - interval '1 day' END AS sent
            ) x
            WHERE pe.kind = 'monthly' AND pe.due_date < %(today)s + 30
              AND (vi.id * 13 + pe.id * 7) %% 100 >= 3;
            """,
            {"today": today},
        )
        print(f"supervision reports: {cur.rowcount:,}")
        # People: PEOPLE_PER_VILLAGE in each village; posts: the three heads and four members.
        # Reserve cadres: three in four villages of five (3512 met), six in some (too many), none in
        # the rest; memberships: MEMBERS_PER_BRANCH people of each village in its branch.
        cur.execute(
            """
            INSERT INTO cadres_person (public_id, name, sex, ethnicity, birth_date, education, phone,
                id_number_encrypted, id_number_hash, id_number_masked, is_returning_migrant,
                is_college_graduate, is_veteran, is_wealth_expert, home_village_id, version)
            SELECT gen_random_uuid(), '村民' || vi.id || '-' || n,
                   CASE WHEN n %% 2 = 0 THEN 'male' ELSE 'female' END, '汉族',
                   DATE '1960-01-01' + ((vi.id * 37 + n * 101) %% 15000)::int,
                   (ARRAY['primary','junior','senior','college','bachelor'])[1 + (vi.id + n) %% 5], '',
                   'x', md5(vi.id || '-' || n), '5101**********' || lpad((n %% 10000)::text, 4, '0'),
                   n %% 9 = 0, n %% 7 = 0, n %% 11 = 0, n %% 13 = 0, vi.id, 1
            FROM villages_village vi, generate_series(1, %(people)s) n;
            INSERT INTO cadres_post (public_id, committee, position, start_date, person_id, village_id)
            SELECT gen_random_uuid(), x.committee, x.position,
                   DATE '2021-06-01' + (pe.home_village_id %% 200)::int, pe.id, pe.home_village_id
            FROM cadres_person pe
            JOIN (VALUES ('1', 'branch', 'secretary'), ('2', 'villagers', 'director'),
                         ('3', 'supervision', 'supervision_chair'), ('4', 'branch', 'organisation'),
                         ('5', 'villagers', 'member'), ('6', 'villagers', 'member'),
                         ('7', 'supervision', 'supervision_member')) x(n, committee, position)
              ON pe.name = '村民' || pe.home_village_id || '-' || x.n;
            INSERT INTO cadres_reservecadre (public_id, plan_year, stage, recommended_on, outcome,
                withdrawal_reason, notes, person_id, village_id)
            SELECT gen_random_uuid(), %(year)s,
                   (ARRAY['recommended','reviewed','decided'])[1 + pe.id %% 3],
                   make_date(%(year)s, 1, 15), 'in_reserve', '', '', pe.id, pe.home_village_id
            FROM cadres_person pe
            WHERE pe.home_village_id %% 5 <> 0 AND (split_part(pe.name, '-', 2) IN ('9', '10', '11')
                   OR (pe.home_village_id %% 7 = 0 AND split_part(pe.name, '-', 2) IN ('12', '14', '15')));
            INSERT INTO cadres_membership (public_id, joined_on, joined_how, from_place, left_how,
                to_place, note, branch_id, person_id)
            SELECT gen_random_uuid(), DATE '1990-01-01' + (pe.id %% 10000)::int, 'registered', '', '', '',
                   '', br.id, pe.id
            FROM cadres_person pe JOIN villages_partybranch br ON br.village_id = pe.home_village_id
            WHERE split_part(pe.name, '-', 2)::int <= %(members)s;
            """,
            {"people": PEOPLE_PER_VILLAGE, "year": today.year, "members": MEMBERS_PER_BRANCH},
        )
        # Matters: spread over five years, every state; steps for each state reached.
        cur.execute(
            """
            INSERT INTO decisions_matter (public_id, village_id, title, category, description,
                planned_completion, state, proposed_on, resolved_on, resolution_disclosed_on,
                result_disclosed_on, disclose_by, created_by_id, created_at, version)
            SELECT gen_random_uuid(), vi.id, '事项' || n,
                   (ARRAY['project','fund_use','industry','collective_income','other'])[1 + n %% 5],
                   '', x.opened + 120, x.state,
                   CASE WHEN x.state <> 'new' THEN x.opened + 3 END,
                   CASE WHEN x.state IN ('resolved','disclosed','completed') THEN x.opened + 20 END,
                   CASE WHEN x.state IN ('disclosed','completed') THEN x.opened + 25 END,
                   CASE WHEN x.state = 'completed' THEN x.opened + 130 END,
                   CASE WHEN x.state IN ('resolved','disclosed','completed') THEN x.opened + 27 END,
                   %(clerk)s, x.opened::timestamptz, 1
            FROM villages_village vi, generate_series(1, %(matters)s) n,
            LATERAL (SELECT %(today)s - ((vi.id * 31 + n * 151) %% 1800)::int AS opened,
                     CASE WHEN (vi.id + n) %% 10 < 6 THEN 'completed'
                          ELSE (ARRAY['new','proposed','consulted','reviewed','resolved','disclosed',
                                      'rejected'])[1 + (vi.id * 3 + n) %% 7] END AS state) x;
            INSERT INTO decisions_step (matter_id, kind, held_on, text, merged_with_proposal,
                meeting_type, passed, place, recorded_at, recorded_by_id)
            SELECT ma.id, k, ma.proposed_on + (k - 1) * 5, '', false, '',
                   NOT (ma.state = 'rejected' AND k = 3), '', ma.created_at, %(clerk)s
            FROM decisions_matter ma, generate_series(1, 6) k
            WHERE k <= CASE ma.state WHEN 'new' THEN 0 WHEN 'proposed' THEN 1 WHEN 'consulted' THEN 2
                         WHEN 'reviewed' THEN 3 WHEN 'rejected' THEN 3 WHEN 'resolved' THEN 4
                         WHEN 'disclosed' THEN 5 ELSE 6 END;
            """,
            {"matters": MATTERS_PER_VILLAGE, "today": today, "clerk": clerk.pk},
        )
        # Six-standardization reviews for last year: most confirmed, some submitted or returned.
        cur.execute(
            """
            INSERT INTO standards_review (version, public_id, year, score_operation, note_operation,
                score_facilities, note_facilities, score_life, note_life, score_excellence,
                note_excellence, score_records, note_records, score_assessment, note_assessment,
                total, assessor, state, return_reason, created_at, branch_id, created_by_id, submitted_at,
                confirmed_at)
            SELECT 1, gen_random_uuid(), %(year)s, 15, '', 15, '', 15, '', 10 + br.id %% 6, '', 15, '',
                   10 + br.id %% 11, '', 65 + br.id %% 6 + br.id %% 11, '考核组',
                   (ARRAY['confirmed','confirmed','confirmed','submitted','returned','draft'])
                   [1 + br.id %% 6], '', now(), br.id, %(clerk)s,
                   CASE WHEN br.id %% 6 <> 5 THEN now() - (br.id %% 40) * interval '1 day' END,
                   CASE WHEN br.id %% 6 < 3 THEN now() END
            FROM villages_partybranch br;
            ANALYZE;
            """,
            {"year": today.year - 1, "clerk": clerk.pk},
        )
        for table in (
            "villages_village",
            "supervision_report",
            "cadres_person",
            "cadres_post",
            "cadres_reservecadre",
            "cadres_membership",
            "decisions_matter",
            "decisions_step",
            "standards_review",
        ):
            cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            BUILT[table] = cur.fetchone()[0]
    print(", ".join(f"{t}: {n:,}" for t, n in BUILT.items()))
    print(f"records built in {time.perf_counter() - started:.0f} s")


def write_results(lines: list[str]) -> None:
    """bench/RESULTS.md: the scale, the row counts and the table of the last run."""
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    counts = "\n".join(f"- {table}: {n:,}" for table, n in BUILT.items())
    RESULTS.write_text(
        f"# Benchmark results\n\nScale: BENCH_SCALE={SCALE:g}, {REPEAT} repetitions, {stamp}.\n"
        f"Budget: {BUDGET_MS['default']} ms median (timed without tracemalloc; peak MB from one "
        f"traced request), at most {MAX_QUERIES} queries.\n\n"
        f"Rows built:\n\n{counts}\n\n```\n" + "\n".join(lines) + "\n```\n",
        encoding="utf-8",
    )


def measure(client, path: str) -> tuple[float, int, int, float]:
    """Median time of ``REPEAT`` requests (after one warm-up that compiles templates), their query
    count, and the peak memory of one more request under tracemalloc (tracing slows Python down
    several times, so it is kept out of the timed requests)."""

    def fetch():
        response = client.get(path, follow=True)  # the grid redirects to this month
        if getattr(response, "streaming", False):
            for _chunk in response.streaming_content:
                pass
        return response

    fetch()
    timings, queries, status = [], 0, 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = fetch()
            timings.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured), response.status_code
    tracemalloc.start()
    fetch()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(timings), queries, status, peak / 1e6


def main() -> int:
    from django.test import Client

    from governance.models import User
    from villages.models import County, Township, Village

    setup_test_environment()
    db = connections["default"]
    old_name = db.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=KEEP, serialize=False)
    try:
        if not (KEEP and Village.objects.exists()):
            build_database()
        county = County.objects.order_by("code").first()
        township = Township.objects.filter(county=county).order_by("code").first()
        village = Village.objects.filter(township=township).order_by("code").first()
        users = {
            "admin": User.objects.get_or_create(
                username="b_admin", defaults=dict(role="admin", is_superuser=True, is_staff=True)
            )[0],
            "county": User.objects.get_or_create(
                username="b_county", defaults=dict(role="county", county=county)
            )[0],
            "township": User.objects.get_or_create(
                username="b_township", defaults=dict(role="township", township=township)
            )[0],
        }
        pages = [
            ("/", "default"),
            ("/dashboard/", "default"),
            ("/review/", "default"),  # county officials and admins only (403 for a township)
            ("/supervision/grid/", "default"),
            ("/branches/", "default"),
            ("/standards/compliance/", "default"),
            ("/cadres/reserves/compliance/", "default"),
            ("/decisions/", "default"),
            ("/villages/", "default"),
            ("/villages/?page=40", "default"),
            ("/villages/?name=5", "default"),
            (f"/villages/{village.code}/", "default"),
            ("/villages/?export=csv", "export"),
        ]
        failed = False
        lines = [f"{'role':<9} {'page':<32} {'status':>6} {'median ms':>10} {'queries':>8} {'peak MB':>8}"]
        print(lines[0])
        for role, user in users.items():
            client = Client()
            client.force_login(user)
            for path, budget in pages:
                if role == "admin" and "export" in path:
                    continue  # a whole-province export is not a page; see [6/7]
                if role == "township" and path == "/review/":
                    continue  # the queue is for reviewers
                ms, queries, status, peak = measure(client, path)
                ok = status == 200 and ms <= BUDGET_MS[budget] and queries <= MAX_QUERIES
                failed |= not ok
                flag = "" if ok else "  FAIL"
                lines.append(f"{role:<9} {path:<32} {status:>6} {ms:>10.1f} {queries:>8} {peak:>8.1f}{flag}")
                print(lines[-1])
        write_results(lines)
        return 1 if failed else 0
    finally:
        if not KEEP:
            db.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
