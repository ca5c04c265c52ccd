"""The public board (/public/): no login, only disclosed resolutions and results, no personal data."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.models import StepKind
from tests.decisions.factories import MatterFactory, advance

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def board(matter_at):
    """One matter at every stage, including a rejected one; only two are disclosed."""
    matters = {kind: matter_at(kind, title=f"【{kind.label}】事项") for kind in StepKind}
    matters[None] = matter_at(None, title="【新建】事项")
    rejected = matter_at(StepKind.CONSULT, title="【未通过】事项")
    rejected.state = "rejected"
    rejected.save()
    matters["rejected"] = rejected
    return matters


UNDISCLOSED = [
    "【新建】事项",
    "【提议】事项",
    "【商议】事项",
    "【审议】事项",
    "【决议】事项",
    "【未通过】事项",
]
DISCLOSED = ["【决议公开】事项", "【实施结果公开】事项"]


def public_pages(village):
    return [
        reverse("public:index"),
        reverse("public:county", kwargs={"code": village.township.county.code}),
        reverse("public:township", kwargs={"code": village.township.code}),
        reverse("public:village", kwargs={"code": village.code}),
        reverse("public:search") + "?village=" + village.name,
    ]


def test_every_public_page_opens_without_login(client, board, village):
    for url in public_pages(village):
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_village_page_lists_only_disclosed_matters(client, board, village):
    page = client.get(reverse("public:village", kwargs={"code": village.code})).content.decode()
    for title in DISCLOSED:
        assert title in page
    for title in UNDISCLOSED:
        assert title not in page


def test_search_finds_disclosed_matters_by_village_and_year(client, board, village):
    year = board[StepKind.DISCLOSE_RESOLUTION].resolution_disclosed_on.year
    page = client.get(reverse("public:search"), {"village": village.name, "year": year}).content.decode()
    assert all(title in page for title in DISCLOSED)
    assert not any(title in page for title in UNDISCLOSED)
    page = client.get(reverse("public:search"), {"village": "不存在的村"}).content.decode()
    assert not any(title in page for title in DISCLOSED)


def test_an_unknown_year_is_not_a_valid_search(client, board):
    page = client.get(reverse("public:search"), {"year": 1999}).content.decode()
    assert not any(title in page for title in DISCLOSED)


def test_the_counts_on_the_board_count_only_disclosed_matters(client, board, village):
    page = client.get(reverse("public:township", kwargs={"code": village.township.code})).content.decode()
    assert f'<td class="num">{len(DISCLOSED)}</td>' in page


def test_a_disclosed_matter_has_a_public_notice(client, board):
    matter = board[StepKind.DISCLOSE_RESOLUTION]
    response = client.get(reverse("public:matter", kwargs={"public_id": matter.public_id}))
    assert response.status_code == 200 and "决议公示" in response.content.decode()


@pytest.mark.parametrize("stage", [None, StepKind.PROPOSE, StepKind.RESOLVE, "rejected"])
def test_an_undisclosed_matter_is_not_found_on_the_board(client, board, stage):
    response = client.get(reverse("public:matter", kwargs={"public_id": board[stage].public_id}))
    assert response.status_code == 404


def test_the_board_shows_no_personal_data(client, board, village, staff):
    staff.first_name, staff.last_name, staff.phone = "", "录入员张三", "13812345678"
    staff.save()
    matter = board[StepKind.DISCLOSE_RESULT]
    pages = public_pages(village) + [reverse("public:matter", kwargs={"public_id": matter.public_id})]
    for url in pages:
        page = client.get(url).content.decode()
        assert "录入员张三" not in page and "13812345678" not in page and staff.username not in page


def test_the_board_does_not_list_matters_of_other_villages_on_a_village_page(
    client, village, other_village, staff
):
    theirs = advance(
        MatterFactory(village=other_village, created_by=staff, title="别村事项"),
        user=staff,
        through=StepKind.DISCLOSE_RESOLUTION,
    )
    page = client.get(reverse("public:village", kwargs={"code": village.code})).content.decode()
    assert theirs.title not in page


def test_public_pages_refuse_writes(client):
    assert client.post(reverse("public:index")).status_code == 405


@pytest.mark.parametrize("rows", [2, 20])
def test_the_public_village_page_runs_a_fixed_number_of_queries(
    client, village, staff, rows, django_assert_max_num_queries
):
    for _n in range(rows):
        advance(
            MatterFactory(village=village, created_by=staff, planned_completion=TODAY + dt.timedelta(days=9)),
            user=staff,
            through=StepKind.DISCLOSE_RESOLUTION,
        )
    # The matters, and one query for each other app's public section (village rules, 五公开: their
    # own tests pin each at one query whatever their rows).
    with django_assert_max_num_queries(8):
        response = client.get(reverse("public:village", kwargs={"code": village.code}))
    assert response.status_code == 200


@pytest.mark.parametrize("villages", [2, 20])
def test_the_public_township_and_county_pages_run_a_fixed_number_of_queries(
    client, township, staff, villages, django_assert_max_num_queries
):
    from tests.factories import VillageFactory

    for village in VillageFactory.create_batch(villages, township=township):
        advance(
            MatterFactory(village=village, created_by=staff), user=staff, through=StepKind.DISCLOSE_RESOLUTION
        )
    with django_assert_max_num_queries(4):
        assert client.get(reverse("public:township", kwargs={"code": township.code})).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("public:county", kwargs={"code": township.county.code})).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("public:search"), {"village": "测试"}).status_code == 200


SECRETS = ["51330119800101123X", "13812345678", "138 1234 5678", "139-8765-4321", "0836-2812345"]


def test_numbers_typed_into_any_public_text_are_blanked_on_every_board_page(
    client, matter_at, village, staff
):
    from decisions import services

    matter = matter_at(
        StepKind.DISCLOSE_RESOLUTION,
        title="村道工程（联系13812345678）",
        description="负责人身份证51330119800101123X，电话138 1234 5678。",
    )
    services.matter_disclose_result(
        matter=matter,
        user=staff,
        held_on=TODAY,
        outcome="已完成，咨询139-8765-4321或0836-2812345。",
        place="村委会门口（13812345678）",
    )
    pages = public_pages(village) + [
        reverse("public:search") + "?year=" + str(matter.resolution_disclosed_on.year),
        reverse("public:matter", kwargs={"public_id": matter.public_id}),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert not [secret for secret in SECRETS if secret in page], url
    notice = client.get(reverse("public:matter", kwargs={"public_id": matter.public_id})).content.decode()
    assert notice.count("［已隐去］") >= len(SECRETS) + 1  # title (twice), description, outcome, place
    assert "村道工程（联系［已隐去］）" in notice


def test_every_level_of_the_board_offers_the_search(client, village):
    for url in public_pages(village)[:3]:
        assert 'action="/public/search/"' in client.get(url).content.decode(), url


def test_search_finds_matters_by_title_too(client, board, other_village):
    """Issue [6/10]: the board's one search box finds matter titles as well as village names."""
    page = client.get(reverse("public:search"), {"village": "决议公开】事"}).content.decode()
    assert "【决议公开】事项" in page
    assert "【实施结果公开】事项" not in page
    # Undisclosed matters stay hidden even when their title matches.
    page = client.get(reverse("public:search"), {"village": "【审议】"}).content.decode()
    assert "【审议】事项" not in page
    page = client.get(reverse("public:search"), {"village": "没有这个事项"}).content.decode()
    assert not any(title in page for title in DISCLOSED)
