"""The county dashboard ([8/10] items 3 and 4): worst first, thresholds coloured, every figure a link
to a list of exactly that many rows, the period in the URL, and the page exported sheet by sheet."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance.charts import level, worst_first
from governance.periods import BadPeriod, Period, parse_period
from supervision.models import Kind
from tests.factories import CountyFactory, TownshipFactory, VillageFactory
from tests.helpers import section
from tests.supervision.conftest import local
from tests.supervision.factories import PeriodFactory, ReportFactory

# --- thresholds and order (governance/charts.py) -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "bad"),
        (79.9, "bad"),
        (80, "warn"),
        (80.1, "warn"),
        (94.9, "warn"),
        (95, "ok"),
        (100, "ok"),
        (None, "none"),
    ],
)
def test_completeness_below_80_is_red_below_95_amber(value, expected):
    assert level(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(0, "ok"), (1, "bad")])
def test_any_overdue_matter_is_red(value, expected):
    assert level(value, bad=0, warn=0, higher_is_better=False) == expected


def test_rows_are_sorted_worst_first_and_rows_without_a_figure_last():
    rows = [("a", 95.0), ("b", None), ("c", 35.7), ("d", 80.0), ("e", 35.7)]
    ordered = worst_first(rows, lambda r: r[1], name=lambda r: r[0])
    assert [r[0] for r in ordered] == ["c", "e", "d", "a", "b"]
    overdue = worst_first(rows[:1] + [("x", 3), ("y", 0)], lambda r: r[1], higher_is_better=False)
    assert [r[0] for r in overdue] == ["a", "x", "y"]


# --- the period in the URL ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "period"),
    [
        ("2026-10", Period("month", 2026, 10)),
        ("2026-1", Period("month", 2026, 1)),
        ("2026-Q3", Period("quarter", 2026, 3)),
        ("2026-q1", Period("quarter", 2026, 1)),
        ("2026", Period("year", 2026, 1)),
    ],
)
def test_good_periods_parse(key, period):
    assert parse_period(key) == period


@pytest.mark.parametrize(
    "key",
    [
        "2026-13",
        "2026-00",
        "2026-Q0",
        "2026-Q5",
        "1999",
        "2101",
        "26-10",
        "2026-10x",
        "abcd",
        "2026-",
        "２０２６",
    ],
)
def test_malformed_periods_are_refused(key):
    with pytest.raises(BadPeriod):
        parse_period(key)


@pytest.mark.parametrize("key", ["2026-13", "2026-Q5", "nonsense", "1999-01", "2026-10%00"[:7] + "z"])
def test_a_bad_period_on_the_dashboard_is_a_400_with_a_sentence(official_client, key):
    response = official_client.get(reverse("dashboard"), {"period": key})
    assert response.status_code == 400
    assert "无法识别" in response.content.decode() and "2026-Q3" in response.content.decode()


@pytest.mark.parametrize(
    ("key", "label"), [("2025-03", "2025年3月"), ("2025-Q1", "2025年第1季度"), ("2024", "2024年度")]
)
def test_the_dashboard_moves_to_a_month_quarter_or_year(official_client, township, key, label, april_20):
    page = official_client.get(reverse("dashboard"), {"period": key}).content.decode()
    assert f"<h1>县级看板 · {label}</h1>" in page
    assert f'<option value="{key}" selected>' in page


@pytest.fixture
def april_20(monkeypatch):
    """2025-04-20: March 2025 is the month being collected (due 2025-04-05)."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: local(2025, 4, 20, 10))


# --- figures, colours, links ----------------------------------------------------------------------


def _submitted(village, period, at):
    return ReportFactory(
        village=village, period=period, status="submitted", first_submitted_at=at, submitted_at=at
    )


@pytest.fixture
def county_data(township, other_township, april_20):
    """March 2025. 姑咱镇: 5 villages, 1 on time, 1 late, a draft, 2 missing → 2/5 = 40.0% complete
    (red), 1/5 = 20.0% on time; 新都桥镇: 4 villages, all on time → 100.0% (green). Matters, reviews."""
    from decisions.models import StepKind
    from tests.decisions.factories import MatterFactory, advance
    from tests.factories import UserFactory
    from tests.standards.factories import ReviewFactory

    march = PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3)
    gz = [VillageFactory(township=township, name=f"姑咱{i}村") for i in range(5)]
    xdq = [VillageFactory(township=other_township, name=f"新都桥{i}村") for i in range(4)]
    _submitted(gz[0], march, local(2025, 4, 3))
    _submitted(gz[1], march, local(2025, 4, 9))
    ReportFactory(village=gz[2], period=march)
    for v in xdq:
        _submitted(v, march, local(2025, 4, 2))
    staff = UserFactory(username="gz_staff", township=township)
    for step in (StepKind.RESOLVE, StepKind.RESOLVE, None):
        matter = MatterFactory(village=gz[0], created_by=staff)
        if step:
            advance(matter, user=staff, through=step, start=dt.date(2025, 1, 6))
    MatterFactory(village=xdq[0], created_by=staff)
    ReviewFactory(branch=gz[0].branches.get(), state="confirmed", values=(50, 50, 50, 50, 50, 50))
    ReviewFactory(branch=xdq[0].branches.get(), state="confirmed", values=(90, 90, 90, 90, 90, 90))
    return march


def _cells(html: str, name: str) -> list[str]:
    match = re.search(r"<tr>((?:(?!</tr>).)*?>" + re.escape(name) + r"</a></td>.*?)</tr>", html, re.S)
    assert match, name
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    ]


def test_the_county_sees_townships_worst_first_with_colours(official_client, county_data):
    page = official_client.get(reverse("dashboard")).content.decode()
    panel = section(page, "监督报告完整率与及时率")
    assert "<svg" in panel and "<title>各乡镇报告完整率（2025年3月）</title>" in panel
    # expected, submitted, missing, completeness, timeliness: hand-computed in the fixture.
    assert _cells(panel, "姑咱镇") == ["姑咱镇", "5", "2", "3", "40.0%", "20.0%"]
    assert _cells(panel, "新都桥镇") == ["新都桥镇", "4", "4", "0", "100.0%", "100.0%"]
    table = panel[panel.index("<table") :]
    assert table.index("姑咱镇") < table.index("新都桥镇"), "worst first"
    assert 'class="num level-bad"><a href="/supervision/grid/513301101000/2025/3/?missing=1"' in panel
    assert 'class="num level-ok"><a href="/supervision/grid/513301102000/2025/3/?missing=1"' in panel
    assert '<g class="bad">' in panel and '<g class="ok">' in panel


def _count_on(html: str) -> int:
    grid = re.search(r'class="table grid" data-count="(\d+)"', html)
    if grid:
        return int(grid.group(1))
    listed = re.search(r'class="count">\s*共 (\d+)', html)
    # The disclosures' missing-villages page counts in its heading (templates/disclosures/missing.html).
    listed = listed or re.search(r"未公开的村（社区）：(\d+) 个", html)
    assert listed, "the landing page says how many rows it lists"
    return int(listed.group(1))


def _links(page: str) -> list[tuple[str, int]]:
    return [(unescape(href), int(n)) for href, n in re.findall(r'<a href="([^"]+)" data-count="(\d+)"', page)]


@pytest.mark.parametrize("who", ["official_client", "admin_client_", "gz_client"])
def test_every_dashboard_figure_lands_on_a_list_of_that_many_rows(request, who, county_data, township):
    if who == "gz_client":
        from django.test import Client

        from governance.models import User

        client = Client()
        client.force_login(User.objects.get(username="gz_staff"))
    else:
        client = request.getfixturevalue(who)
    page = client.get(reverse("dashboard")).content.decode()
    links = _links(page)
    kinds = {href.split("/")[1] for href, _n in links}
    expected = {"supervision", "cadres", "decisions", "standards", "training", "mediation", "village-rules"}
    if who != "gz_client":  # finance disclosure coverage is a county's and admin's panel only
        expected.add("disclosures")
    assert expected <= kinds, kinds
    assert any(n > 0 for _href, n in links)
    for href, figure in links:
        response = client.get(href)
        assert response.status_code == 200, href
        assert _count_on(response.content.decode()) == figure, href
    # Every other link of the page (township names, chart bars, trend months, the period arrows) resolves.
    others = {unescape(h) for h in re.findall(r'href="([/?][^"]*)"', page)} - {h for h, _n in links}
    for href in sorted(others):
        if href.startswith("/static/") or "export=" in href:
            continue
        target = reverse("dashboard") + href if href.startswith("?") else href
        assert client.get(target).status_code < 400, href


def test_a_township_user_sees_only_their_township(county_data, township):
    from django.test import Client

    from governance.models import User

    client = Client()
    client.force_login(User.objects.get(username="gz_staff"))
    page = client.get(reverse("dashboard")).content.decode()
    panel = section(page, "监督报告完整率与及时率")
    assert "姑咱镇" in panel and "新都桥镇" not in panel
    # Their villages on the page, those without a report first (missing, missing, draft, late, on time).
    villages = panel[panel.index("各村报送情况") :]
    order = [villages.index(f">姑咱{i}村<") for i in (3, 4, 2, 1, 0)]
    assert order == sorted(order)
    assert 'href="/villages/' in villages
    cadres = section(page, "3512后备干部达标情况")
    assert "各村3512达标情况" in cadres and "姑咱0村" in cadres and "新都桥0村" not in cadres
    book = load_workbook(io.BytesIO(client.get(reverse("dashboard"), {"export": "xlsx"}).content))
    sheet = [list(r) for r in book["各村报送情况"].iter_rows(values_only=True)]
    assert [r[:2] for r in sheet[1:]] == [
        ["姑咱3村", "未填报"],
        ["姑咱4村", "未填报"],
        ["姑咱2村", "草稿"],
        ["姑咱1村", "逾期提交"],
        ["姑咱0村", "已提交"],
    ]


def test_the_admin_of_several_counties_starts_at_the_counties_and_opens_one(
    admin_client_, official_client, county_data, django_assert_max_num_queries
):
    other = TownshipFactory(
        county=CountyFactory(code="513322000000", name="泸定县"), code="513322100000", name="泸桥镇"
    )
    VillageFactory(township=other)
    with django_assert_max_num_queries(12):
        page = admin_client_.get(reverse("dashboard")).content.decode()
    assert "全省看板" in page
    panel = section(page, "各县（市）监督报告完整率与及时率")
    # Per county, worst first: 泸定县 1 village, none reported; 康定市 the fixture's 9 villages,
    # 6 submitted (2 + 4), 5 on time (1 + 4): 66.7% and 55.6%.
    assert panel.index(">泸定县<") < panel.index(">康定市<")
    assert _cells(panel, "泸定县") == ["泸定县", "1", "0", "1", "0.0%", "0.0%"]
    assert _cells(panel, "康定市") == ["康定市", "9", "6", "3", "66.7%", "55.6%"]
    assert "姑咱镇" not in panel and "泸桥镇" not in panel
    # The county's name opens its dashboard: the sections its officials see, its townships only.
    href = unescape(re.search(r'<a href="([^"]+)">康定市</a>', panel).group(1))
    assert href == "/dashboard/?county=513301000000&period=2025-03"
    county_page = admin_client_.get(href).content.decode()
    assert "县级看板 · 康定市" in county_page
    townships = section(county_page, "监督报告完整率与及时率")
    assert _cells(townships, "姑咱镇")[:5] == ["姑咱镇", "5", "2", "3", "40.0%"]
    assert "泸桥镇" not in townships
    official = official_client.get(reverse("dashboard")).content.decode()
    assert section(official, "3512后备干部达标情况") == section(county_page, "3512后备干部达标情况")
    lu = section(
        admin_client_.get(reverse("dashboard"), {"county": "513322000000"}).content.decode(), "完整率与及时率"
    )
    assert "泸桥镇" in lu and "姑咱镇" not in lu
    # An unknown county is a 404; a county official's ?county= changes nothing (their own county).
    assert admin_client_.get(reverse("dashboard"), {"county": "999999999999"}).status_code == 404
    assert (
        "泸桥镇" not in official_client.get(reverse("dashboard"), {"county": "513322000000"}).content.decode()
    )


def test_an_admin_of_a_single_county_sees_its_dashboard_at_once(admin_client_, county_data):
    page = admin_client_.get(reverse("dashboard")).content.decode()
    assert "全省看板" not in page
    panel = section(page, "监督报告完整率与及时率")
    assert _cells(panel, "姑咱镇")[:5] == ["康定市", "姑咱镇", "5", "2", "3"]


def test_the_missing_filter_of_the_grid_lists_the_villages_without_a_submitted_report(
    official_client, county_data
):
    page = official_client.get("/supervision/grid/513301101000/2025/3/?missing=1").content.decode()
    assert "尚未提交报告的村：3 个" in page
    for name in ("姑咱2村", "姑咱3村", "姑咱4村"):
        assert name in page
    assert "姑咱0村" not in page and "姑咱1村" not in page
    late = official_client.get("/supervision/grid/513301101000/2025/3/?late=1").content.decode()
    assert "未按时提交报告的村：4 个" in late and "姑咱0村" not in late


def test_village_names_in_the_grid_and_health_matrix_link_to_the_village(
    official_client, county_data, village
):
    for url in ("/supervision/grid/513301101000/2025/3/", "/supervision/health/513301101000/"):
        page = official_client.get(url).content.decode()
        assert f'href="{reverse("villages:village_detail", args=[village.code])}"' in page, url


# --- export ---------------------------------------------------------------------------------------


def test_the_export_has_one_sheet_per_table_with_the_same_figures(official_client, county_data):
    response = official_client.get(reverse("dashboard"), {"period": "2025-03", "export": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    # One sheet per table, in the page's order (the apps' order in INSTALLED_APPS).
    assert book.sheetnames == [
        "3512达标情况",
        "完整率与及时率",
        "近12个月完整率",
        "四议两公开",
        "六个标准化平均分",
        "六个标准化各领域平均分",
        "培训覆盖率",
        "矛盾纠纷化解",
        "村规民约修订",
        "财务公开",
    ]
    rows = [list(r) for r in book["完整率与及时率"].iter_rows(values_only=True)]
    assert rows[0] == ["乡镇（街道）", "应报", "已报", "未报", "完整率（%）", "按时", "及时率（%）"]
    assert rows[1] == ["姑咱镇", 5, 2, 3, 40.0, 1, 20.0]
    assert rows[2] == ["新都桥镇", 4, 4, 0, 100.0, 4, 100.0]
    trend = [list(r) for r in book["近12个月完整率"].iter_rows(values_only=True)]
    assert len(trend) == 13 and trend[-1] == ["2025年3月", 9, 6, 66.7, 5, 55.6]
    decisions = [list(r) for r in book["四议两公开"].iter_rows(values_only=True)]
    assert decisions[1][:2] == ["姑咱镇", 3]


def test_a_csv_export_of_the_dashboard_is_a_400(official_client, county_data):
    assert official_client.get(reverse("dashboard"), {"export": "csv"}).status_code == 400


# --- query bounds ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize("who", ["official_client", "admin_client_"])
def test_the_dashboard_query_count_does_not_grow(
    request, who, size, county_data, township, other_township, django_assert_max_num_queries
):
    march = county_data
    for unit in (township, other_township):
        for village in VillageFactory.create_batch(size, township=unit):
            _submitted(village, march, local(2025, 4, 4))
    client = request.getfixturevalue(who)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize(("key", "status"), [("2025-03", 302), ("2025-13", 400), ("garbage", 400)])
def test_the_grid_picker_refuses_a_malformed_period(official_client, township, key, status):
    response = official_client.get(
        reverse("supervision:grid_default"), {"township": township.code, "period": key}
    )
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == "/supervision/grid/513301101000/2025/3/"
    else:
        assert "无法识别" in response.content.decode()


def test_an_admins_county_dashboard_keeps_the_county_across_periods(admin_client_, county_data):
    TownshipFactory(
        county=CountyFactory(code="513322000000", name="泸定县"), code="513322100000", name="泸桥镇"
    )
    page = admin_client_.get(
        reverse("dashboard"), {"county": "513301000000", "period": "2025-03"}
    ).content.decode()
    # The picker shows the county chosen, the period arrows stay in it, and one link leads back.
    assert '<option value="513301000000" selected>康定市</option>' in page
    assert 'href="?period=2025-02&amp;county=513301000000" rel="prev"' in page
    assert 'href="?period=2025-04&amp;county=513301000000" rel="next"' in page
    assert '<a href="?period=2025-03">返回全省</a>' in page
    assert 'href="?period=2025-03&amp;county=513301000000&amp;export=xlsx"' in page
    book = load_workbook(
        io.BytesIO(
            admin_client_.get(reverse("dashboard"), {"county": "513301000000", "export": "xlsx"}).content
        )
    )
    rows = [list(r) for r in book["完整率与及时率"].iter_rows(values_only=True)]
    assert [r[0] for r in rows[1:]] == ["姑咱镇", "新都桥镇"]  # that county's townships, no county column
