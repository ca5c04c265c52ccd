"""Which villages have not disclosed a quarter (counted by hand), the home and dashboard panels,
and the public board: published only, no login, no personal data on any public page."""

from __future__ import annotations

import datetime as dt
import re
from collections import deque

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosures.models import Disclosure
from disclosures.panels import dashboard_panel, home_panel
from disclosures.selectors import quarter_of
from governance.periods import QUARTER, Period
from governance.privacy import PERSONAL
from tests.disclosures.factories import DisclosureFactory, finance
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db

Q4 = Period(QUARTER, 2026, 4)


@pytest.fixture
def quarter_data(village, other_village, township):
    """Q4 2026 by hand (see each line):

    - 201 finance published 2026-10-10 → disclosed finance
    - 202 finance draft 2026-10-10 → not disclosed
    - 203 finance published 2026-09-30 (Q3) → not finance in Q4; party published 2026-12-31 → some category
    - 204 dissolved (valid_to) with nothing → not counted at all
    - 205 finance withdrawn (posted 2026-11-01) → not disclosed
    - other township's 201: finance published 2026-11-01
    """
    v202 = VillageFactory(township=township, code="513301101202", name="姑咱示例02村")
    v203 = VillageFactory(township=township, code="513301101203", name="姑咱示例03村")
    VillageFactory(township=township, code="513301101204", name="姑咱示例04村", valid_to=dt.date(2025, 1, 1))
    v205 = VillageFactory(township=township, code="513301101205", name="姑咱示例05村")
    finance(village, posted_on=dt.date(2026, 10, 10))
    finance(v202, posted_on=dt.date(2026, 10, 10), state=Disclosure.State.DRAFT)
    finance(v203, posted_on=dt.date(2026, 9, 30))
    DisclosureFactory(village=v203, category="party", posted_on=dt.date(2026, 12, 31))
    finance(v205, posted_on=dt.date(2026, 11, 1), state=Disclosure.State.WITHDRAWN, withdrawal_reason="录错")
    finance(other_village, posted_on=dt.date(2026, 11, 1))
    return {"202": v202, "203": v203, "205": v205}


def _names(response) -> list[str]:
    return [v.name for v in response.context["villages"]]


def test_missing_finance_for_a_township_by_hand(staff_client, quarter_data):
    response = staff_client.get(reverse("disclosures:missing"), {"quarter": "2026-Q4", "category": "finance"})
    assert response.status_code == 200
    assert _names(response) == ["姑咱示例02村", "姑咱示例03村", "姑咱示例05村"]


def test_missing_any_category_by_hand(staff_client, quarter_data):
    response = staff_client.get(reverse("disclosures:missing"), {"quarter": "2026-Q4"})
    assert _names(response) == ["姑咱示例02村", "姑咱示例05村"]


def test_one_day_either_side_of_the_quarter(staff_client, quarter_data):
    # 203's finance was posted 2026-09-30: in Q3, the last day; not in Q4.
    q3 = staff_client.get(reverse("disclosures:missing"), {"quarter": "2026-Q3", "category": "finance"})
    assert "姑咱示例03村" not in _names(q3)
    # 203's party disclosure posted 2026-12-31, the last day of Q4; 2027-Q1 does not count it.
    q1 = staff_client.get(reverse("disclosures:missing"), {"quarter": "2027-Q1", "category": "party"})
    assert "姑咱示例03村" in _names(q1)


def test_the_county_sees_per_township_counts(official_client, quarter_data):
    response = official_client.get(
        reverse("disclosures:missing"), {"quarter": "2026-Q4", "category": "finance"}
    )
    rows = {
        r.township.code: (r.villages, r.disclosed, r.missing, r.percent) for r in response.context["rows"]
    }
    from decimal import Decimal

    assert rows == {"513301101000": (4, 1, 3, Decimal("25.0")), "513301102000": (1, 1, 0, Decimal("100.0"))}
    assert _names(response) == ["姑咱示例02村", "姑咱示例03村", "姑咱示例05村"]


def test_township_staff_cannot_look_at_another_township(staff_client, quarter_data):
    response = staff_client.get(
        reverse("disclosures:missing"),
        {"quarter": "2026-Q4", "category": "finance", "township": "513301102000"},
    )
    # Township staff always see their own township.
    assert _names(response) == ["姑咱示例02村", "姑咱示例03村", "姑咱示例05村"]


def test_a_bad_quarter_answers_400(staff_client):
    for key in ("2026-Q5", "2026-10", "2026", "abc"):
        assert staff_client.get(reverse("disclosures:missing"), {"quarter": key}).status_code == 400


def test_the_missing_list_exports(official_client, quarter_data):
    response = official_client.get(
        reverse("disclosures:missing"), {"quarter": "2026-Q4", "category": "finance", "export": "csv"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.count("\n") == 4  # header + 3 villages


def test_dashboard_panel_worst_first_and_each_figure_links_to_as_many_villages(
    official, official_client, quarter_data
):
    template, context = dashboard_panel(user=official, period=Q4)
    rows = context["rows"]
    assert [(r.township.code, str(r.percent), r.level) for r in rows] == [
        ("513301101000", "25.0", "bad"),
        ("513301102000", "100.0", "ok"),
    ]
    for row in rows:
        listed = official_client.get(row.href)
        assert len(listed.context["villages"]) == row.missing
    assert list(context["tables"][0]["rows"])[0][-3:] == [1, 3, "25.0%"]


def test_dashboard_panel_of_a_month_uses_its_quarter(official, quarter_data):
    _template, context = dashboard_panel(user=official, period=Period("month", 2026, 11))
    assert context["quarter"] == Q4


def test_home_panel_for_township_staff_only(staff, official, township, village):
    today = timezone.localdate()
    finance(village, posted_on=quarter_of(today).start, state=Disclosure.State.DRAFT)
    VillageFactory(township=township, code="513301101209")
    _template, context = home_panel(user=staff)
    assert context["order"] == 20
    assert (context["missing"], context["drafts"]) == (2, 1)
    assert home_panel(user=official) is None


# ---------------------------------------------------------------- the public board


def test_the_village_board_lists_published_and_withdrawn_not_drafts(client, village):
    published = finance(village, title="第三季度财务公开")
    DisclosureFactory(village=village, title="草稿里的公开", state=Disclosure.State.DRAFT)
    DisclosureFactory(village=village, title="撤回的公开", state="withdrawn", withdrawal_reason="重复")
    page = client.get(reverse("public:village", args=[village.code])).content.decode()
    assert "第三季度财务公开" in page and "撤回的公开" in page and "已撤回" in page
    assert "草稿里的公开" not in page
    assert reverse("public_disclosures:detail", args=[published.public_id]) in page


def test_the_public_page_shows_lines_and_totals_without_login(client, village):
    disclosure = finance(village, income=("1000.00",), expenditure=("300.00", "200.50"))
    response = client.get(reverse("public_disclosures:detail", args=[disclosure.public_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "1,000.00" in page and "500.50" in page and "200.50" in page and "@media print" not in page
    assert "decisions.css" in page  # the notice's print stylesheet


def test_a_draft_public_page_is_not_found(client, village):
    draft = DisclosureFactory(village=village, state=Disclosure.State.DRAFT)
    assert client.get(reverse("public_disclosures:detail", args=[draft.public_id])).status_code == 404


def test_no_public_page_shows_an_id_number_or_phone(client, village):
    """Rows written directly (as if typed before the rule): every page reachable from /public/
    blanks them."""
    finance(village, title="联系电话13812345678", text="身份证513301199001011234，电话0836-2812345")
    line = Disclosure.objects.get().lines.first()
    line.item = "经手人 138 1234 5678"
    line.save()
    DisclosureFactory(
        village=village, state="withdrawn", withdrawal_reason="错填 13912345678", title="撤回", text="x"
    )
    seen, queue, pages = set(), deque([reverse("public:index")]), 0
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        pages += 1
        assert PERSONAL.search(re.sub(r"<[^>]+>", " ", text)) is None, url
        for href in re.findall(r'href="(/public/[^"?#]*)"', text):
            queue.append(href)
    assert pages >= 6  # index, county, township, village, two disclosure pages
    assert any("/public/disclosures/" in url for url in seen)
