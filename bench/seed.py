"""Bulk SQL seed of the province-sized bench database (DESIGN §8), used by bench/run.py.

Everything is built with set-based SQL (INSERT ... SELECT generate_series and joins) so the province
seed stays within five minutes on a 2-core machine (what is built: bench/README.md).
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction

COUNTIES, TOWNSHIPS_PER_COUNTY, VILLAGES_PER_TOWNSHIP = 183, 17, 8  # 3,111 townships, 24,888 villages (+)
BUILT: dict[str, int] = {}


def build_database(scale: float) -> None:
    counties = max(1, int(COUNTIES * scale))
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
            """,
            [counties, TOWNSHIPS_PER_COUNTY, VILLAGES_PER_TOWNSHIP],
        )
        analyze(cur)
        cur.execute("SELECT count(*) FROM villages_village")
        print(f"villages: {cur.fetchone()[0]:,}")
    build_records()


def analyze(cur, *, vacuum: bool = False) -> None:
    """ANALYZE the project's tables (a bare ANALYZE also takes the catalogs shared by every database
    on the server, and waits for any other database's transaction holding them). ``vacuum`` also
    sets the visibility map, as autovacuum has on a database in service: without it the index-only
    scans the pages rely on read the table as well."""
    cur.execute("SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables WHERE schemaname = 'public'")
    tables = cur.fetchone()[0]
    cur.execute(f"VACUUM (ANALYZE) {tables}" if vacuum else f"ANALYZE {tables}")


MONTHS = 60  # five years of monthly reports (DESIGN §8: 1.6 M at full size)
PEOPLE_PER_VILLAGE = 38  # about a million people
MATTERS_PER_VILLAGE = 20  # 四议两公开 matters over five years (DESIGN §8: ~4 per village-year)
MEMBERS_PER_BRANCH = 12  # open memberships in each village branch
EVALUATION_YEARS = 3  # 两述一评 of every post holder for the last three closed years
DISPUTES_PER_VILLAGE = 10  # 人民调解: two a year over five years
DISCLOSURE_QUARTERS = 8  # 五公开: the last eight quarters (this one included)
TRAINING_YEARS = 3  # county training classes: the last two years and this one

# Tables whose row counts are printed and written to RESULTS.md, in this order.
TABLES = (
    "villages_village",
    "villages_partybranch",
    "branches_enterprise",
    "branches_branchvillage",
    "branches_branchenterprise",
    "supervision_report",
    "supervision_rectification",
    "supervision_reporttally",
    "cadres_person",
    "cadres_post",
    "cadres_evaluation",
    "cadres_development",
    "cadres_reservecadre",
    "cadres_reservetally",
    "cadres_membership",
    "cadres_stationing",
    "decisions_matter",
    "decisions_mattertally",
    "decisions_step",
    "standards_rule",
    "standards_adoption",
    "standards_review",
    "training_trainingclass",
    "training_attendance",
    "mediation_committee",
    "mediation_member",
    "mediation_dispute",
    "mediation_followup",
    "compacts_compactversion",
    "disclosures_disclosure",
    "disclosures_financeline",
)

# The tallies kept by triggers (decisions/0007, cadres/0009, supervision/0006): the seed switches the
# triggers off for its bulk inserts and fills the tallies with the migrations' own recount, then
# checks them.
TALLIED = {
    "decisions_matter": "decisions_mattertally",
    "cadres_reservecadre": "cadres_reservetally",
    "supervision_report": "supervision_reporttally",
}


def _recounts() -> dict[str, str]:
    import importlib

    def recount(module: str) -> str:
        return importlib.import_module(module).RECOUNT

    return {
        "decisions_mattertally": recount("decisions.migrations.0007_matter_tally"),
        "cadres_reservetally": recount("cadres.migrations.0009_reserve_tally"),
        "supervision_reporttally": recount("supervision.migrations.0006_report_tally"),
    }


# The big tables: their secondary indexes and their unique and exclusion constraints are dropped
# before their bulk insert and built again right after it (one sort per index instead of 2 M random
# index inserts; adding a constraint back checks every row); primary keys and CHECK constraints stay.
BULK = {
    "supervision_report",
    "cadres_person",
    "cadres_post",
    "cadres_evaluation",
    "cadres_membership",
    "decisions_matter",
    "decisions_step",
    "standards_adoption",
    "training_attendance",
    "mediation_dispute",
    "disclosures_disclosure",
    "disclosures_financeline",
}


@contextmanager
def _indexes_dropped(cur, table: str):
    cur.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
        "AND contype IN ('u', 'x')",
        [table],
    )
    constraints = cur.fetchall()
    cur.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [table],
    )
    indexes = cur.fetchall()
    for name, _ in constraints:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cur.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        for _, definition in indexes:
            cur.execute(definition)
        for name, definition in constraints:
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _run(cur, block: str, params: dict) -> None:
    """Each statement of ``block``; an insert into a BULK table without its secondary indexes."""
    for statement in filter(str.strip, block.split(";\n")):
        started = time.perf_counter()
        target = re.match(r"\s*INSERT INTO (\w+)", statement)
        if target and target.group(1) in BULK and "keep the indexes" not in statement:
            with _indexes_dropped(cur, target.group(1)):
                cur.execute(statement, params)
        else:
            cur.execute(statement, params)
        if target and time.perf_counter() - started > 3:
            print(f"    {target.group(1)}: {time.perf_counter() - started:.1f} s", flush=True)


def _step(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {label}: {now - started:.1f} s", flush=True)
    return now


def build_records() -> None:
    """Every app's records, in bulk SQL (generate_series and joins), like the hierarchy."""
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
    years = sorted({y for y, _ in months})
    for y in years:
        for q in range(1, 5):
            if dt.date(y, 3 * q - 2, 1) <= today:
                period_ensure(kind=Kind.QUARTERLY, year=y, number=q)
        period_ensure(kind=Kind.ANNUAL, year=y, number=1)  # this year's too (open, not yet due)
    clerk = User.objects.create(username="b_clerk", role="admin")
    params = {
        "today": today,
        "year": today.year,
        "clerk": clerk.pk,
        "people": PEOPLE_PER_VILLAGE,
        "members": MEMBERS_PER_BRANCH,
        "matters": MATTERS_PER_VILLAGE,
        "eval_years": EVALUATION_YEARS,
        "disputes": DISPUTES_PER_VILLAGE,
        "quarters": DISCLOSURE_QUARTERS,
        "training_years": TRAINING_YEARS,
    }
    recounts = _recounts()
    with connection.cursor() as cur:
        try:
            cur.execute("SET synchronous_commit TO off")
            cur.execute("SET maintenance_work_mem TO '512MB'")
            cur.execute("SET work_mem TO '256MB'")
            try:
                # The rows are made from joins with their parents, so skip the per-row foreign-key
                # checks (and every trigger) when allowed (a superuser, as with the embedded server).
                with transaction.atomic():
                    cur.execute("SET session_replication_role TO replica")
            except DatabaseError:
                print("(foreign keys checked row by row: not allowed to set session_replication_role)")
            for table in TALLIED:
                cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")  # noqa: S608 - fixed names
            step = started
            _run(cur, SUPERVISION, params)
            step = _step("supervision reports and rectifications", step)
            _run(cur, CADRES, params)
            step = _step("people, posts, evaluations, development, reserves, memberships", step)
            _run(cur, DECISIONS, params)
            step = _step("matters and steps", step)
            _run(cur, BRANCHES_AND_STANDARDS, params)
            step = _step("branches, enterprises, standards", step)
            _run(cur, NINTH, params)
            step = _step("first secretaries, training, mediation, village rules, disclosures", step)
            for tally, sql in recounts.items():
                cur.execute(f"DELETE FROM {tally}")  # noqa: S608 - fixed names
                cur.execute(sql)
        finally:
            # The pages are measured on this connection afterwards: the server's own settings.
            for setting in (
                "session_replication_role",
                "synchronous_commit",
                "maintenance_work_mem",
                "work_mem",
            ):
                cur.execute(f"RESET {setting}")
            for table in TALLIED:
                cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")  # noqa: S608 - fixed names
        analyze(cur, vacuum=True)
        step = _step("tallies and VACUUM ANALYZE", step)
        check_tallies(cur, recounts)
        for table in TABLES:
            cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            BUILT[table] = cur.fetchone()[0]
    print(", ".join(f"{t}: {n:,}" for t, n in BUILT.items()))
    print(f"records built in {time.perf_counter() - started:.0f} s")


def check_tallies(cur, recounts: dict[str, str]) -> None:
    """The tally rows equal a recount of the records (the migrations' RECOUNT, as a query)."""
    for tally, sql in recounts.items():
        recount = sql.split("SELECT", 1)[1]
        columns = sql.split("(", 1)[1].split(")", 1)[0]
        cur.execute(
            f"SELECT count(*) FROM ((SELECT {columns} FROM {tally} EXCEPT SELECT {recount}) "  # noqa: S608
            f"UNION ALL (SELECT {recount} EXCEPT SELECT {columns} FROM {tally})) d"
        )
        wrong = cur.fetchone()[0]
        if wrong:
            raise RuntimeError(f"{tally}: {wrong} rows differ from a recount")
    print("tallies match a recount")


# Reports: about 97% of villages report each closed month, 8% of them late; the last two months mix
# drafts, submitted, returned and approved, older months are approved; the current month holds
# drafts of half the villages. Quarterly summaries for every closed quarter and annual duty reports
# (述职) for every closed year that start within those months, 98% of villages, the latest ones
# mixed. No time is in the future.
# Rectifications (整改): 3% of the submitted monthly reports open one; it is closed in the village's
# report two months later when there is one (four in five), else still open (some overdue).
SUPERVISION = """
INSERT INTO supervision_report (public_id, village_id, township_id, period_id, status,
    findings_decisions, findings_finances, findings_projects, findings_benefits,
    findings_integrity, summary, version, return_reason, early_reason, created_at,
    first_submitted_at, submitted_at, reviewed_at, reviewed_by_id)
SELECT gen_random_uuid(), vi.id, vi.township_id, pe.id, x.status, '', '', '', '', '',
       CASE pe.kind WHEN 'monthly' THEN '本月村务正常。' WHEN 'quarterly' THEN '本季度村务监督工作正常开展。'
            ELSE '本年度履行村务监督职责情况良好。' END,
       1, CASE WHEN x.status = 'returned' THEN '请补充财务情况。' ELSE '' END, '',
       LEAST(pe.deadline - interval '3 days', now()),
       CASE WHEN x.status = 'draft' THEN NULL ELSE x.sent END,
       CASE WHEN x.status = 'draft' THEN NULL ELSE x.sent END,
       CASE WHEN x.status IN ('approved', 'returned') THEN LEAST(x.sent + interval '2 days', now()) END,
       CASE WHEN x.status IN ('approved', 'returned') THEN %(clerk)s END
FROM supervision_reportingperiod pe
CROSS JOIN villages_village vi
CROSS JOIN LATERAL (
    SELECT CASE
        WHEN pe."end" >= %(today)s THEN 'draft'
        WHEN pe.due_date >= %(today)s - CASE pe.kind WHEN 'monthly' THEN 40 ELSE 100 END THEN
            (ARRAY['draft','submitted','submitted','returned','approved','approved'])
            [1 + (vi.id + pe.id) %% 6]
        ELSE 'approved' END AS status,
        LEAST(CASE WHEN (vi.id * 7 + pe.id) %% 100 < 8 THEN pe.deadline + interval '4 days'
                   ELSE pe.deadline - interval '1 day' END, now() - interval '1 hour') AS sent
) x
WHERE pe.due_date < %(today)s + 30
  AND pe.start >= (SELECT min(start) FROM supervision_reportingperiod WHERE kind = 'monthly')
  AND CASE WHEN pe."end" >= %(today)s THEN vi.id %% 2 = 0
           WHEN pe.kind = 'monthly' THEN (vi.id * 13 + pe.id * 7) %% 100 >= 3
           ELSE (vi.id * 17 + pe.id * 3) %% 100 >= 2 END;
ANALYZE supervision_report;
INSERT INTO supervision_rectification (public_id, village_id, opened_in_id, area, problem, responsible,
    found_on, deadline, status, closing_note, closed_in_id, closed_on)
SELECT gen_random_uuid(), r.village_id, r.id,
       (ARRAY['decisions','finances','projects','benefits','integrity'])[1 + r.id %% 5],
       (ARRAY['村务公开栏未按时更新。','报账凭证缺少经手人签字。','工程项目未按规定公示。',
              '惠民资金发放名单未公示。','村干部廉政谈话记录不全。'])[1 + r.id %% 5],
       '村委会主任', pe."end" + 3, pe."end" + 33,
       CASE WHEN r2.id IS NULL THEN 'open' ELSE 'closed' END,
       CASE WHEN r2.id IS NULL THEN '' ELSE '已整改到位，销号。' END,
       r2.id, CASE WHEN r2.id IS NOT NULL THEN LEAST(pe2."end" + 3, %(today)s) END
FROM supervision_report r
JOIN supervision_reportingperiod pe ON pe.id = r.period_id AND pe.kind = 'monthly'
LEFT JOIN supervision_reportingperiod pe2
       ON pe2.kind = 'monthly' AND pe2.start = (pe.start + interval '2 months')::date
LEFT JOIN supervision_report r2 ON r2.village_id = r.village_id AND r2.period_id = pe2.id
       AND r2.status <> 'draft' AND r.id %% 5 <> 0
WHERE r.status <> 'draft' AND (r.id * 7919) %% 100 < 3;
"""

# People: PEOPLE_PER_VILLAGE in each village; posts: the three heads and four members.
# 两述一评: every post holder for the last EVALUATION_YEARS closed years (mostly 称职, some 优秀, a few
# 基本称职 or 不称职). Development (发展党员): three people per village (30-32) at every stage, the
# probationary and full ones admitted into the village branch (a membership), about one
# probationary member in five past the end of probation (the overdue list).
# Reserve cadres: three in four villages of five (3512 met), six in some (too many), none in the
# rest, at every step; those at 结对帮 paired with the village secretary as mentor.
# Memberships: MEMBERS_PER_BRANCH people of each village in its branch, full members.
CADRES = """
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
INSERT INTO cadres_evaluation (public_id, person_id, village_id, year, performance, integrity,
    evaluated_on, notes)
SELECT gen_random_uuid(), po.person_id, po.village_id, y,
       CASE WHEN (po.id * 7 + y) %% 97 = 0 THEN 'incompetent'
            ELSE (ARRAY['excellent','competent','competent','competent','competent','basic',
                        'competent','excellent','competent','competent'])[1 + (po.id + y) %% 10] END,
       (ARRAY['good','good','good','fairly_good','good','good','fairly_good','good','fair','good'])
       [1 + (po.id * 3 + y) %% 10],
       make_date(y, 12, 20), ''
FROM cadres_post po, generate_series(%(year)s - %(eval_years)s, %(year)s - 1) y
WHERE po.start_date <= make_date(y, 12, 31);
INSERT INTO cadres_development (public_id, person_id, village_id, stage, applied_on, talked_on,
    activist_on, candidate_on, admitted_on, admission_due, admission_present, admission_yes,
    probation_ends_on, confirmed_on, confirmation_due, confirmation_present, confirmation_yes, tags)
SELECT gen_random_uuid(), pe.id, pe.home_village_id,
       (ARRAY['applicant','activist','candidate','probationary','full_member'])[x.s + 1], d.a,
       CASE WHEN x.s >= 1 OR x.j %% 2 = 0 THEN d.a + 20 END,
       CASE WHEN x.s >= 1 THEN d.a + 90 END,
       CASE WHEN x.s >= 2 THEN d.a + 455 END,
       CASE WHEN x.s >= 3 THEN d.a + 545 END,
       CASE WHEN x.s >= 3 THEN 15 END, CASE WHEN x.s >= 3 THEN 13 END, CASE WHEN x.s >= 3 THEN 12 END,
       CASE WHEN x.s >= 3 THEN d.a + 910 END,
       CASE WHEN x.s = 4 THEN d.a + 917 END,
       CASE WHEN x.s = 4 THEN 15 END, CASE WHEN x.s = 4 THEN 14 END, CASE WHEN x.s = 4 THEN 14 END,
       CASE WHEN x.j %% 3 = 0 THEN '5+2+1' ELSE '' END
FROM cadres_person pe
CROSS JOIN LATERAL (SELECT split_part(pe.name, '-', 2)::int AS n) nn
CROSS JOIN LATERAL (SELECT (pe.home_village_id + nn.n) %% 5 AS s, (pe.id * 37) %% 200 AS j) x
CROSS JOIN LATERAL (SELECT %(today)s - ((ARRAY[30, 150, 500, 600, 1000])[x.s + 1]
                                        + x.j * (ARRAY[1, 1, 1, 2, 2])[x.s + 1])::int AS a) d
WHERE nn.n BETWEEN 30 AND 32;
INSERT INTO cadres_reservecadre (public_id, plan_year, stage, recommended_on, reviewed_on, decided_on,
    paired_on, mentor_id, outcome, withdrawal_reason, notes, person_id, village_id)
SELECT gen_random_uuid(), %(year)s, (ARRAY['recommended','reviewed','decided','paired'])[1 + x.s],
       make_date(%(year)s, 1, 15),
       CASE WHEN x.s >= 1 THEN LEAST(make_date(%(year)s, 2, 15), %(today)s) END,
       CASE WHEN x.s >= 2 THEN LEAST(make_date(%(year)s, 3, 15), %(today)s) END,
       CASE WHEN x.s = 3 THEN LEAST(make_date(%(year)s, 4, 1), %(today)s) END,
       CASE WHEN x.s = 3 THEN sec.person_id END,
       'in_reserve', '', '', pe.id, pe.home_village_id
FROM cadres_person pe
JOIN cadres_post sec ON sec.village_id = pe.home_village_id AND sec.position = 'secretary'
     AND sec.end_date IS NULL
CROSS JOIN LATERAL (SELECT pe.id %% 4 AS s) x
WHERE pe.home_village_id %% 5 <> 0 AND (split_part(pe.name, '-', 2) IN ('9', '10', '11')
       OR (pe.home_village_id %% 7 = 0 AND split_part(pe.name, '-', 2) IN ('12', '14', '15')));
INSERT INTO cadres_membership (public_id, joined_on, joined_how, from_place, full_since, development_id,
    left_how, to_place, note, branch_id, person_id)
SELECT gen_random_uuid(), DATE '1990-01-01' + (pe.id %% 10000)::int, 'registered', '',
       DATE '1990-01-01' + (pe.id %% 10000)::int, NULL, '', '', '', br.id, pe.id
FROM cadres_person pe JOIN villages_partybranch br ON br.village_id = pe.home_village_id
     AND br.kind = 'village'
WHERE split_part(pe.name, '-', 2)::int <= %(members)s
UNION ALL
SELECT gen_random_uuid(), de.admitted_on, 'admitted', '', de.confirmed_on, de.id, '', '', '', br.id,
       de.person_id
FROM cadres_development de JOIN villages_partybranch br ON br.village_id = de.village_id
     AND br.kind = 'village'
WHERE de.stage IN ('probationary', 'full_member');
"""

# Matters: MATTERS_PER_VILLAGE spread over five years, every state; steps for each state reached.
DECISIONS = """
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
"""

# Branches: functional branches (虫草山流动 in one township of three, with a May-July season; 青年人才
# in one of five; 农民工服务管理 in one of four); 村村联建 branches in one township of six, linking its
# first three villages; 村企联建 in one of seven, linking its first village and an enterprise
# (a farmers' cooperative with a valid credit code; one more unlinked enterprise in one township of
# eleven). Standards: twelve rules per county (two per area; one retired in a county of four),
# each village adopting about 70% of them; one review per branch for last year (most 已确认).
BRANCHES_AND_STANDARDS = """
INSERT INTO villages_partybranch (public_id, name, kind, township_id, village_id, version, start_date,
    season_start_month, season_end_month, season_crosses_year)
SELECT gen_random_uuid(), tw.name || k.label, k.kind, tw.id,
       CASE WHEN k.kind LIKE 'joint%%' THEN (SELECT min(id) FROM villages_village WHERE township_id = tw.id)
       END, 1, DATE '2018-03-01' + (tw.id %% 900)::int,
       CASE WHEN k.kind = 'seasonal_mobile' THEN 5 END, CASE WHEN k.kind = 'seasonal_mobile' THEN 7 END, false
FROM villages_township tw
JOIN (VALUES ('seasonal_mobile', '虫草山流动党支部', 3, 0), ('youth_talent', '青年人才党支部', 5, 1),
             ('migrant_worker', '农民工服务管理党支部', 4, 2),
             ('joint_village_village', '村村联建党支部', 6, 1),
             ('joint_village_enterprise', '村企联建党支部', 7, 2)) k(kind, label, m, r)
  ON tw.id %% k.m = k.r;
INSERT INTO branches_enterprise (public_id, name, credit_code, township_id)
SELECT gen_random_uuid(), tw.name || '农牧民专业合作社',
       c.first17 || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', ((31 - s.total %% 31) %% 31 + 1)::int, 1), tw.id
FROM villages_township tw
CROSS JOIN LATERAL (SELECT '93' || substr(tw.code, 1, 6) || lpad(tw.id::text, 9, '0') AS first17) c
CROSS JOIN LATERAL (
    SELECT sum(substr(c.first17, i, 1)::int
               * (ARRAY[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])[i]) AS total
    FROM generate_series(1, 17) i) s
WHERE tw.id %% 7 = 2 OR tw.id %% 11 = 0;
INSERT INTO branches_branchvillage (branch_id, village_id)
SELECT b.id, v.id
FROM villages_partybranch b
CROSS JOIN LATERAL (SELECT id FROM villages_village WHERE township_id = b.township_id ORDER BY id
                    LIMIT CASE WHEN b.kind = 'joint_village_village' THEN 3 ELSE 1 END) v
WHERE b.kind IN ('joint_village_village', 'joint_village_enterprise');
INSERT INTO branches_branchenterprise (branch_id, enterprise_id)
SELECT b.id, e.id FROM villages_partybranch b JOIN branches_enterprise e ON e.township_id = b.township_id
WHERE b.kind = 'joint_village_enterprise';
INSERT INTO standards_rule (version, public_id, county_id, area, code, title, is_example, retired_on,
    created_at)
SELECT 1, gen_random_uuid(), co.id, a.area, a.prefix || '-0' || k, a.label || '规范（' || k || '）', false,
       CASE WHEN k = 2 AND a.area = 'assessment' AND co.id %% 4 = 0 THEN DATE '2024-12-31' END, now()
FROM villages_county co,
     (VALUES ('operation', 'ZZYX', '组织运行'), ('facilities', 'ZDJS', '阵地建设'),
             ('life', 'ZZSH', '组织生活'), ('excellence', 'CXZY', '创先争优'),
             ('records', 'NYGF', '内业规范'), ('assessment', 'KHWX', '考核问效')) a(area, prefix, label),
     generate_series(1, 2) k;
INSERT INTO standards_adoption (version, public_id, village_id, rule_id, adopted_on, note,
    recorded_by_id, recorded_at)
SELECT 1, gen_random_uuid(), vi.id, ru.id, DATE '2022-03-01' + ((vi.id * 13 + ru.id) %% 1000)::int,
       '已制定并上墙公示。', %(clerk)s, now()
FROM villages_village vi JOIN villages_township tw ON tw.id = vi.township_id
JOIN standards_rule ru ON ru.county_id = tw.county_id
WHERE (vi.id * 7 + ru.id * 3) %% 10 < 7;
INSERT INTO standards_review (version, public_id, year, score_operation, note_operation,
    score_facilities, note_facilities, score_life, note_life, score_excellence,
    note_excellence, score_records, note_records, score_assessment, note_assessment,
    total, assessor, state, return_reason, created_at, branch_id, created_by_id, submitted_at,
    confirmed_at, confirmed_by_id)
SELECT 1, gen_random_uuid(), %(year)s - 1, 90, '制度健全。', 85, '阵地达标。', 88, '按期开展。',
       70 + br.id %% 21, '有创建活动。', 80, '台账齐全。', 75 + br.id %% 16, '考核到位。',
       round((90 + 85 + 88 + 70 + br.id %% 21 + 80 + 75 + br.id %% 16) / 6.0, 2), '考核组',
       x.state, CASE WHEN x.state = 'returned' THEN '请补充佐证材料。' ELSE '' END, now(), br.id, %(clerk)s,
       CASE WHEN x.state <> 'draft' THEN now() - (br.id %% 40) * interval '1 day' END,
       CASE WHEN x.state = 'confirmed' THEN now() END, CASE WHEN x.state = 'confirmed' THEN %(clerk)s END
FROM villages_partybranch br
CROSS JOIN LATERAL (SELECT (ARRAY['confirmed','confirmed','confirmed','submitted','returned','draft'])
                           [1 + br.id %% 6] AS state) x
WHERE br.kind = 'village';
"""

# The [9/10] records.
# - First secretaries (驻村第一书记): a person from the neighbouring village stationed in one village
#   of three since up to 2.5 years; one village of nine had an earlier one (ended the day before).
# - Training: per county and year (the last TRAINING_YEARS), four county classes, for secretaries
#   and directors (two), first secretaries and reserve cadres (held once the date has come), with an
#   attendance for each post holder, first secretary or reserve of the county (one in twelve absent
#   with a reason); one township class this year in a township of ten (no attendance yet).
# - Mediation: a committee per village with three members (one chair); DISPUTES_PER_VILLAGE
#   disputes over five years, every outcome (recent ones mostly open), a follow-up for a third of
#   the agreements.
# - Village rules: a 村规民约 for every village, revised in one of two; a 文明公约 in one of three.
# - 五公开: for each of the last DISCLOSURE_QUARTERS quarters, about 80% of villages post each of the
#   four categories (published; this quarter some drafts; a few withdrawn); finance disclosures
#   have two income and two expenditure lines that add up to their totals.
NINTH = """
INSERT INTO cadres_person /* few rows: keep the indexes */ (public_id, name, sex, ethnicity, birth_date,
    education, phone, id_number_encrypted, id_number_hash, id_number_masked, is_returning_migrant,
    is_college_graduate, is_veteran, is_wealth_expert, home_village_id, version)
SELECT gen_random_uuid(), k.prefix || v.id, CASE WHEN v.id %% 4 = 0 THEN 'female' ELSE 'male' END, '汉族',
       DATE '1975-01-01' + (v.id * 11 %% 7000)::int, 'bachelor', '', 'x', md5(k.tag || v.id),
       '5101**********' || lpad((v.id %% 10000)::text, 4, '0'), false, true, false, false, v.home, 1
FROM (SELECT id, COALESCE(lag(id) OVER (ORDER BY id), lead(id) OVER (ORDER BY id), id) AS home
      FROM villages_village) v
JOIN (VALUES ('第一书记', 'fs-', 0), ('原第一书记', 'fs0-', 1)) k(prefix, tag, earlier)
  ON v.id %% 3 = 0 AND (k.earlier = 0 OR v.id %% 9 = 0);
INSERT INTO cadres_stationing (public_id, person_id, village_id, sending_unit, start_date, end_date)
SELECT gen_random_uuid(), pe.id, vi.id,
       (ARRAY['县农业农村局','县委组织部','县财政局','县人民医院','州发展改革委'])[1 + vi.id %% 5] || '',
       s.current_start - CASE WHEN k.earlier THEN 730 ELSE 0 END,
       CASE WHEN k.earlier THEN s.current_start - 1 END
FROM villages_village vi
CROSS JOIN LATERAL (SELECT %(today)s - (30 + (vi.id * 17) %% 900)::int AS current_start) s
JOIN (VALUES ('fs-', false), ('fs0-', true)) k(tag, earlier)
  ON vi.id %% 3 = 0 AND (NOT k.earlier OR vi.id %% 9 = 0)
JOIN cadres_person pe ON pe.id_number_hash = md5(k.tag || vi.id);
INSERT INTO training_trainingclass (version, public_id, county_id, township_id, title, start_date,
    end_date, place, hours, audience, created_by_id, created_at)
SELECT 1, gen_random_uuid(), co.id, NULL, y || '年' || k.title, d.s, d.s + k.days - 1, '县委党校', k.hours,
       k.audience::varchar(16)[], %(clerk)s, now()
FROM villages_county co, generate_series(%(year)s - %(training_years)s + 1, %(year)s) y,
     (VALUES (3, '村党组织书记和村委会主任培训班', '{secretary,director}', 3, 24.0),
             (6, '驻村第一书记培训班', '{first_secretary}', 2, 16.0),
             (9, '村“两委”主要负责人能力提升培训班', '{secretary,director}', 3, 24.0),
             (11, '后备干部培训班', '{reserve}', 2, 12.0)) k(month, title, audience, days, hours),
     LATERAL (SELECT make_date(y, k.month, (8 + co.id %% 15)::int) AS s) d
WHERE d.s + k.days - 1 < %(today)s;
INSERT INTO training_trainingclass (version, public_id, county_id, township_id, title, start_date,
    end_date, place, hours, audience, created_by_id, created_at)
SELECT 1, gen_random_uuid(), tw.county_id, tw.id, tw.name || '村“两委”成员培训班',
       make_date(%(year)s, 4, 20), make_date(%(year)s, 4, 21), tw.name || '党群服务中心', 8.0,
       '{other}'::varchar(16)[], %(clerk)s, now()
FROM villages_township tw WHERE tw.id %% 10 = 0 AND make_date(%(year)s, 4, 21) < %(today)s;
INSERT INTO training_attendance (public_id, training_class_id, person_id, status, absence_reason,
    recorded_by_id, recorded_at)
SELECT gen_random_uuid(), a.class_id, a.person_id,
       CASE WHEN (a.person_id + a.class_id) %% 12 = 0 THEN 'absent' ELSE 'attended' END,
       CASE WHEN (a.person_id + a.class_id) %% 12 = 0 THEN '因病请假' ELSE '' END, %(clerk)s, now()
FROM (
    SELECT tc.id AS class_id, po.person_id
    FROM training_trainingclass tc
    JOIN villages_township tw ON tw.county_id = tc.county_id
    JOIN cadres_post po ON po.village_id IN (SELECT id FROM villages_village WHERE township_id = tw.id)
         AND po.position IN ('secretary', 'director') AND po.position = ANY (tc.audience)
         AND po.start_date <= tc.start_date AND po.end_date IS NULL
    WHERE tc.township_id IS NULL
    UNION ALL
    SELECT tc.id, st.person_id
    FROM training_trainingclass tc
    JOIN villages_township tw ON tw.county_id = tc.county_id
    JOIN villages_village vi ON vi.township_id = tw.id
    JOIN cadres_stationing st ON st.village_id = vi.id AND st.start_date <= tc.start_date
         AND (st.end_date IS NULL OR st.end_date >= tc.start_date)
    WHERE tc.township_id IS NULL AND 'first_secretary' = ANY (tc.audience)
    UNION ALL
    SELECT tc.id, rc.person_id
    FROM training_trainingclass tc
    JOIN villages_township tw ON tw.county_id = tc.county_id
    JOIN villages_village vi ON vi.township_id = tw.id
    JOIN cadres_reservecadre rc ON rc.village_id = vi.id AND rc.plan_year = extract(year FROM tc.start_date)
    WHERE tc.township_id IS NULL AND 'reserve' = ANY (tc.audience)
) a;
INSERT INTO mediation_committee (public_id, village_id, created_at)
SELECT gen_random_uuid(), vi.id, now() FROM villages_village vi;
INSERT INTO mediation_member (public_id, committee_id, person_id, is_chair, start_date, end_date)
SELECT gen_random_uuid(), c.id, pe.id, pe.name LIKE '%%-16', DATE '2021-06-01' + (c.village_id %% 200)::int,
       NULL
FROM cadres_person pe JOIN mediation_committee c ON c.village_id = pe.home_village_id
WHERE pe.name ~ '-1[678]$';
INSERT INTO mediation_dispute (version, public_id, village_id, received_on, parties, category, summary,
    mediator_id, outcome, agreement_on, referred_to, closed_on, created_by_id, created_at)
SELECT 1, gen_random_uuid(), c.village_id, d.received, (ARRAY['扎西、卓玛','次仁、央金','多吉、拉姆、格桑',
       '达瓦、德吉'])[1 + n %% 4], k.category, k.summary, me.id, d.outcome,
       CASE WHEN d.outcome = 'agreement' THEN d.closed END,
       CASE WHEN d.outcome = 'referred' THEN '乡镇司法所' ELSE '' END,
       CASE WHEN d.outcome <> 'open' THEN d.closed END, %(clerk)s, d.received::timestamptz
FROM mediation_committee c CROSS JOIN generate_series(1, %(disputes)s) n
JOIN (SELECT id, committee_id, row_number() OVER (PARTITION BY committee_id ORDER BY id) - 1 AS rank
      FROM mediation_member) me ON me.committee_id = c.id AND me.rank = n %% 3
CROSS JOIN
LATERAL (SELECT (ARRAY['land','grassland','family','neighbours','labour','other'])
                [1 + (c.village_id + n) %% 6] AS category,
                (ARRAY['承包地边界不清引发争议。','虫草采挖区划分发生争执。','家庭赡养问题产生矛盾。',
                       '宅基地通道引发邻里纠纷。','务工工资结算发生争议。','牲畜损坏庄稼引发纠纷。'])
                [1 + (c.village_id + n) %% 6] AS summary) k,
LATERAL (SELECT r.received,
                CASE WHEN r.received > %(today)s - 45 AND (c.village_id + n) %% 4 <> 0 THEN 'open'
                     ELSE (ARRAY['agreement','agreement','agreement','agreement','agreement','agreement',
                                 'referred','unresolved','open','agreement'])
                           [1 + (c.village_id * 7 + n) %% 10]
                END AS outcome,
                LEAST(r.received + 5 + ((c.village_id + n) %% 25)::int, %(today)s) AS closed
         FROM (SELECT %(today)s - ((c.village_id * 29 + n * 173) %% 1800)::int AS received) r) d;
INSERT INTO mediation_followup (public_id, dispute_id, visited_on, note, recorded_by_id, recorded_at)
SELECT gen_random_uuid(), d.id, LEAST(d.closed_on + 30, %(today)s), '双方履行协议情况良好。', %(clerk)s, now()
FROM mediation_dispute d WHERE d.outcome = 'agreement' AND d.id %% 3 = 0;
INSERT INTO compacts_compactversion (version, public_id, village_id, kind, text, adopted_on, matter_id,
    recorded_by_id, recorded_at)
SELECT 1, gen_random_uuid(), vi.id, k.kind, k.text, k.day, NULL, %(clerk)s, now()
FROM villages_village vi,
LATERAL (VALUES ('rules', '第一条 爱党爱国，遵纪守法。第二条 保护草场，合理采挖。第三条 邻里和睦，互帮互助。',
                 DATE '2019-03-01' + (vi.id %% 700)::int, true),
                ('rules', '第一条 爱党爱国，遵纪守法。第二条 保护草场，有序轮牧。第三条 移风易俗，喜事新办。',
                 DATE '2023-05-01' + (vi.id %% 500)::int, vi.id %% 2 = 0),
                ('civility', '讲文明，树新风；爱家乡，护生态；重教育，尚勤俭。',
                 DATE '2020-06-01' + (vi.id %% 600)::int, vi.id %% 3 = 0)) k(kind, text, day, keep)
WHERE k.keep;
INSERT INTO disclosures_disclosure (version, public_id, village_id, category, title, text, posted_on,
    period_start, period_end, income_total, expenditure_total, state, withdrawal_reason, created_by_id,
    created_at, published_at, published_by_id, withdrawn_at)
SELECT 1, gen_random_uuid(), vi.id, k.category,
       k.label || '公开（' || extract(year FROM q.covered) || '年第' || extract(quarter FROM q.covered)
       || '季度）',
       '详见村务公开栏。', p.posted, q.covered, (q.covered + interval '3 months')::date - 1,
       CASE WHEN k.category = 'finance' THEN m.income1 + m.income2 END,
       CASE WHEN k.category = 'finance' THEN m.spent1 + m.spent2 END,
       s.state, CASE WHEN s.state = 'withdrawn' THEN '内容有误，重新公开。' ELSE '' END, %(clerk)s,
       p.posted::timestamptz, CASE WHEN s.state <> 'draft' THEN p.posted + time '10:00' END,
       CASE WHEN s.state <> 'draft' THEN %(clerk)s END,
       CASE WHEN s.state = 'withdrawn' THEN LEAST(p.posted + 3, %(today)s) + time '10:00' END
FROM villages_village vi, generate_series(0, %(quarters)s - 1) qn,
     (VALUES (0, 'party', '党务'), (1, 'village', '村务'), (2, 'finance', '财务'),
             (3, 'service', '事务（服务）')) k(c, category, label),
LATERAL (SELECT (date_trunc('quarter', %(today)s::timestamp) - qn * interval '3 months')::date
                AS posted_in,
                (date_trunc('quarter', %(today)s::timestamp) - (qn + 1) * interval '3 months')::date
                AS covered) q,
LATERAL (SELECT LEAST(q.posted_in + 10 + (vi.id %% 30)::int, %(today)s) AS posted) p,
LATERAL (SELECT CASE WHEN qn = 0 AND (vi.id + k.c) %% 4 = 0 THEN 'draft'
                     WHEN (vi.id * 3 + qn + k.c) %% 97 = 0 THEN 'withdrawn' ELSE 'published' END AS state) s,
LATERAL (SELECT 10000 + (vi.id %% 50) * 100 + extract(month FROM q.covered) * 10 AS income1,
                5000.00 AS income2, 8000 + (vi.id %% 30) * 100 AS spent1, 3000.00 AS spent2) m
WHERE (vi.id + qn * 3 + k.c) %% 10 < 8;
INSERT INTO disclosures_financeline (disclosure_id, position, kind, item, amount)
SELECT d.id, l.position, l.kind, l.item,
       CASE l.position
            WHEN 1 THEN 10000 + (d.village_id %% 50) * 100 + extract(month FROM d.period_start) * 10
                       WHEN 2 THEN 5000.00 WHEN 3 THEN 8000 + (d.village_id %% 30) * 100 ELSE 3000.00 END
FROM disclosures_disclosure d,
     (VALUES (1, 'income', '集体经济收入'), (2, 'income', '上级补助'), (3, 'expenditure', '公益事业支出'),
             (4, 'expenditure', '办公经费')) l(position, kind, item)
WHERE d.category = 'finance';
"""
