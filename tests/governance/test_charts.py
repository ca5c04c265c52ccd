"""governance.charts.rank_rows and the shared panel shapes: every row sorted worst first, the rows drawn
(all for a county, the 30 worst for an admin) and links built for those only."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from governance.charts import ADMIN_ROWS, percent_chart, percent_text, rank_rows, township_table


def _townships(count):
    # Township i has a rate of i % 100 (0..99, then again): its code orders the ties.
    return [SimpleNamespace(code=f"{i:04d}", rate=i % 100) for i in range(count)]


def _rank(rows, *, many_counties, **kwargs):
    linked = []

    def link(row):
        linked.append(row.code)
        row.href = f"/list/?township={row.code}"

    ranked, shown = rank_rows(
        rows, key=lambda r: r.rate, name=lambda r: r.code, many_counties=many_counties, link=link, **kwargs
    )
    return ranked, shown, linked


def test_admin_province_every_row_sorted_the_30_worst_shown_and_only_those_linked():
    rows = _townships(3111)
    ranked, shown, linked = _rank(rows, many_counties=True)
    assert len(ranked) == 3111 and ADMIN_ROWS == 30
    # 32 townships have rate 0 (0, 100, …, 3100): the 30 first by code are the worst.
    assert [r.code for r in shown] == [f"{i:04d}" for i in range(0, 3000, 100)]
    assert linked == [r.code for r in shown]
    assert all(hasattr(r, "href") for r in shown)
    assert not any(hasattr(r, "href") for r in ranked[30:])
    assert ranked[30].rate == 0 and ranked[32].rate == 1 and ranked[-1].rate == 99


@pytest.mark.parametrize(("count", "shown_count"), [(29, 29), (30, 30), (31, 30)])
def test_the_admin_cut_is_at_30_rows(count, shown_count):
    _ranked, shown, linked = _rank(_townships(count), many_counties=True)
    assert len(shown) == len(linked) == shown_count


def test_a_county_sees_and_links_every_row():
    ranked, shown, linked = _rank(_townships(31), many_counties=False)
    assert shown == ranked and len(linked) == 31
    assert [r.rate for r in ranked[:3]] == [0, 1, 2]


def test_lower_is_better_puts_the_highest_first_and_rows_without_a_figure_last():
    rows = [
        SimpleNamespace(code="a", rate=None),
        SimpleNamespace(code="b", rate=0),
        SimpleNamespace(code="c", rate=3),
    ]
    ranked, _shown, _linked = _rank(rows, many_counties=False, higher_is_better=False)
    assert [r.code for r in ranked] == ["c", "b", "a"]


def test_without_link_nothing_is_linked():
    ranked, shown = rank_rows(_townships(3), key=lambda r: r.rate, name=lambda r: r.code, many_counties=False)
    assert shown == ranked and not any(hasattr(r, "href") for r in ranked)


def test_township_table_has_a_county_column_across_counties_only():
    rows = [SimpleNamespace(county="康定市", name="姑咱镇", n=5)]
    args = ("标题", ["乡镇（街道）", "村数"], rows)
    kwargs = {"cells": lambda r: [r.name, r.n], "county": lambda r: r.county}
    one = township_table(*args, many_counties=False, **kwargs)
    assert (one["title"], one["headers"]) == ("标题", ["乡镇（街道）", "村数"])
    assert list(one["rows"]) == [["姑咱镇", 5]]
    across = township_table(*args, many_counties=True, **kwargs)
    assert across["headers"] == ["县（市）", "乡镇（街道）", "村数"]
    assert list(across["rows"]) == [["康定市", "姑咱镇", 5]]


def test_percent_chart_prints_rates_with_a_percent_sign_and_a_dash_without_one():
    assert percent_text(None) == "—" and percent_text(40.0) == "40.0%"
    rows = [SimpleNamespace(name="甲", rate=40.0), SimpleNamespace(name="乙", rate=None)]
    chart = percent_chart(
        "图", rows, label=lambda r: r.name, value=lambda r: r.rate, href=lambda r: "/x/", css=lambda r: "bad"
    )
    assert [b.text for b in chart.bars] == ["40.0%", "—"]
    assert chart.maximum == 100 and [text for _x, text in chart.marks] == ["80", "95"]
    # 40 % of the 420-pixel plot (640 − 150 label − 70 value).
    assert chart.bars[0].width == 168.0 and chart.bars[1].width == 0
